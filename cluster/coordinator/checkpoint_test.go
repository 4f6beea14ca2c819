package coordinator

import (
	"context"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// finalizingJob runs a 5-leaf job on a coordinator over dir's store until
// Finalize is called, holds it there, then closes that store as a crash
// would. release lets the stale Finalize return.
func finalizingJob(t *testing.T, clk *fakeClock, dir, keySet string) (id string, release func()) {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	hold, entered := make(chan struct{}), make(chan struct{}, 1)
	be := &testprover.Backend{KeySet: keySet, Hook: func(ctx context.Context, op string, _ int) error {
		if op == "finalize" {
			entered <- struct{}{}
			<-hold
		}
		return nil
	}}
	c := newCore(t, clk, Config{Store: st, Backend: be, KeySetID: keySet})
	a, b := newFakeWorker(t, c, "a", 2), newFakeWorker(t, c, "b", 1)
	id = submit(t, c, 5)
	runAll(t, a, b)
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("finalize never called")
	}
	if j, _ := c.Job(id); j.Phase != pb.JobPhase_JOB_PHASE_FINALIZE {
		t.Fatalf("phase %s", j.Phase)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return id, func() { close(hold) }
}

// TestResumeFinalizeWithoutWorkers: after a restart the stored root is
// finalized at once, with no worker connected and nothing re-proved.
func TestResumeFinalizeWithoutWorkers(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	dir := t.TempDir()
	id, release := finalizingJob(t, clk, dir, "")
	defer release()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	be := &testprover.Backend{}
	c := newCore(t, clk, Config{Store: st, Backend: be})
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.Attempt != 2 || j.LeavesProved != 5 || j.FoldsDone != 4 {
		t.Fatalf("resumed job: %+v", j)
	}
	if be.Contributions.Load()+be.LeafProofs.Load()+be.Folds.Load() != 0 || be.Finalized.Load() != 1 {
		t.Fatalf("work redone: %d contributions, %d leaf proofs, %d folds, %d finalized",
			be.Contributions.Load(), be.LeafProofs.Load(), be.Folds.Load(), be.Finalized.Load())
	}
	if got := eventMessages(c, id, "resumed"); len(got) != 1 {
		t.Fatalf("resumed events %q", got)
	}
	if _, err := st.Checkpoint(id); err == nil {
		t.Fatal("checkpoint kept after completion")
	}
	if p, _, err := c.Proof(id); err != nil || len(p) == 0 {
		t.Fatalf("proof: %v", err)
	}
}

// TestResumeRefusesOtherKeySet: partial proofs made under another key set
// are useless to the restarted cluster: the job reruns from scratch.
func TestResumeRefusesOtherKeySet(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	dir := t.TempDir()
	id, release := finalizingJob(t, clk, dir, "set-1")
	defer release()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newCore(t, clk, Config{Store: st, Backend: &testprover.Backend{KeySet: "set-2"}, KeySetID: "set-2"})
	if got := eventMessages(c, id, "requeued"); len(got) != 1 {
		t.Fatalf("requeued events %q", got)
	}
	a := newFakeWorker(t, c, "a", 1)
	// The re-plan runs in the background; step until the job completes.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		runAll(t, a)
		j, _ := c.Job(id)
		if j.State == pb.JobState_JOB_STATE_COMPLETED {
			if j.Attempt != 2 || len(eventMessages(c, id, "resumed")) != 0 {
				t.Fatalf("job: %+v", j)
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("job not completed: %+v", j)
		}
		time.Sleep(time.Millisecond)
	}
}
