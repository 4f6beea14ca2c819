package coordinator

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestStartWithUndecodableRecord: a data dir holding one undecodable job
// record next to a good one starts; the bad record is quarantined and
// counted, the good job is served.
func TestStartWithUndecodableRecord(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutJob(&store.Job{ID: "good", State: int32(pb.JobState_JOB_STATE_FAILED), Error: "x"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("jobs")).Put([]byte("bad"), []byte{0xff, 0x00}) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := New(Config{Backend: &testprover.Backend{}, Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatalf("startup stopped by a bad record: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	if n := counterValue(c.Metrics().StoreQuarantined); n != 1 {
		t.Fatalf("zkfleet_store_quarantined_total = %v", n)
	}
	if j, err := c.Job("good"); err != nil || j.State != pb.JobState_JOB_STATE_FAILED {
		t.Fatalf("good job: %+v %v", j, err)
	}
	if _, err := c.Job("bad"); err == nil {
		t.Fatal("quarantined record served as a job")
	}
	if err := c.Health(); err != nil {
		t.Fatalf("health after quarantine: %v", err)
	}
}

// TestFailedWriteTurnsHealthRed: when the store stops accepting writes,
// Health reports it (so /health answers 503) and the failures are counted.
func TestFailedWriteTurnsHealthRed(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Backend: &testprover.Backend{}, Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	if err := c.Health(); err != nil {
		t.Fatalf("healthy store: %v", err)
	}
	st.Close() // every later write fails
	if _, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1)}); err == nil {
		t.Fatal("program write to a closed store succeeded")
	}
	if err := c.Health(); err == nil {
		t.Fatal("health ok while store writes fail")
	}
	if n := counterValue(c.Metrics().StoreErrors.WithLabelValues("put_program")); n != 1 {
		t.Fatalf("zkfleet_store_errors_total{op=put_program} = %v", n)
	}
}

// TestUnstoredProofStaysServed: when the proof cannot be written, the
// completed job keeps it in memory and GetProof still serves it.
func TestUnstoredProofStaysServed(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{Store: st})
	w := newFakeWorker(t, c, "w", 1)
	id := submit(t, c, 2)
	st.Close() // every write from now on fails, the proof's included
	runAll(t, w)
	if j := terminal(t, c, id); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s %q", j.State, j.Error)
	}
	if p, _, err := c.Proof(id); err != nil || len(p) == 0 {
		t.Fatalf("proof of a job whose proof could not be stored: %d bytes, %v", len(p), err)
	}
	if c.Health() == nil {
		t.Fatal("health ok after failed writes")
	}
}
