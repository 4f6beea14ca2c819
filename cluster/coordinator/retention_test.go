package coordinator

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// completeJob submits a job with input and runs it to completion on w.
func completeJob(t *testing.T, c *Coordinator, w *fakeWorker, input []byte) string {
	t.Helper()
	j := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2), Input: input})
	runAll(t, w)
	if got := terminal(t, c, j.Id); got.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s: %s %q", j.Id, got.State, got.Error)
	}
	return j.Id
}

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestRetentionByCount: with room for two terminal jobs, the third
// completion prunes the first job's input, output and proof; its record
// (state, statement) stays, also after a restart, and the two recent
// proofs stay fetchable.
func TestRetentionByCount(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{Store: st, RetainJobs: 2})
	w := newFakeWorker(t, c, "w", 1)
	var ids []string
	for _, in := range []string{"one", "two", "three"} {
		ids = append(ids, completeJob(t, c, w, []byte(in)))
	}
	check := func(c *Coordinator) {
		t.Helper()
		_, j, err := c.Proof(ids[0])
		if !errors.Is(err, ErrNotFound) || j.State != pb.JobState_JOB_STATE_COMPLETED || j.Leaves != 2 {
			t.Fatalf("pruned job: proof err %v, job %+v", err, j)
		}
		for i, id := range ids[1:] {
			p, j, err := c.Proof(id)
			if err != nil || len(p) == 0 || string(j.Output) != []string{"two", "three"}[i] {
				t.Fatalf("kept job %s: %d bytes, output %q, %v", id, len(p), j.GetOutput(), err)
			}
		}
		if _, err := st.Input(ids[0]); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pruned input still stored: %v", err)
		}
		if _, err := st.Output(ids[0]); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pruned output still stored: %v", err)
		}
		if in, err := st.Input(ids[2]); err != nil || string(in) != "three" {
			t.Fatalf("kept input: %q %v", in, err)
		}
	}
	check(c)
	if n := counterValue(c.Metrics().Pruned); n != 1 {
		t.Fatalf("zkfleet_jobs_pruned_total = %v", n)
	}
	c.Close(context.Background())
	st.Close()
	st = openStore(t, dir)
	t.Cleanup(func() { st.Close() })
	c = newCore(t, clk, Config{Store: st, RetainJobs: 2})
	check(c)
}

// TestRetentionByAge: a proof stays fetchable until the retention age
// has passed since the job ended, then the tick prunes it.
func TestRetentionByAge(t *testing.T) {
	st := openStore(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{Store: st, RetainAge: time.Hour, HeartbeatTimeout: 100 * time.Hour})
	w := newFakeWorker(t, c, "w", 1)
	id := completeJob(t, c, w, []byte("x"))
	clk.Add(59 * time.Minute)
	c.Tick()
	if _, _, err := c.Proof(id); err != nil {
		t.Fatalf("proof inside the retention age: %v", err)
	}
	clk.Add(2 * time.Minute)
	c.Tick()
	if _, _, err := c.Proof(id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("proof past the retention age: %v", err)
	}
}

// TestJobRecordSmall: the job record rewritten at each transition does
// not carry the input or the output; they are stored once, apart. Job
// returns the output; the job list and progress events do not carry it.
func TestJobRecordSmall(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{Store: st})
	w := newFakeWorker(t, c, "w", 1)
	input := bytes.Repeat([]byte("i"), 1<<20)
	j := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2), Input: input})
	watch, err := c.Watch(j.Id)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Stop()
	runAll(t, w)
	terminal(t, c, j.Id)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var events []*pb.JobEvent
	for done := false; !done; {
		evs, ok := watch.Next(ctx)
		if !ok && len(evs) == 0 {
			break
		}
		events = append(events, evs...)
		done = len(evs) > 0 && evs[len(evs)-1].Kind == "completed"
	}
	progress := 0
	for _, ev := range events {
		has := len(ev.Job.GetOutput()) > 0
		switch ev.Kind {
		case "snapshot": // one per watch: the full job
		case "completed":
			if !has {
				t.Fatal("completed event without the output")
			}
		default:
			progress++
			if has {
				t.Fatalf("%s event carries the output", ev.Kind)
			}
		}
	}
	if progress < 4 {
		t.Fatalf("only %d progress events seen", progress)
	}
	if got, err := c.Job(j.Id); err != nil || !bytes.Equal(got.Output, input) {
		t.Fatalf("Job output: %d bytes %v", len(got.GetOutput()), err)
	}
	for _, l := range c.Jobs() {
		if len(l.Output) != 0 {
			t.Fatal("job list carries outputs")
		}
	}
	c.Close(context.Background())
	st.Close()
	db, err := bolt.Open(dir+"/"+store.FileName, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if rec := tx.Bucket([]byte("jobs")).Get([]byte(j.Id)); len(rec) == 0 || len(rec) > 4096 {
			t.Errorf("job record is %d bytes", len(rec))
		}
		return nil
	})
}
