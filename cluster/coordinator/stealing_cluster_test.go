package coordinator_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestSlowWorkerDoesNotHoldTheJob runs over gRPC with real workers (and
// the race detector in CI): a worker whose prover never returns on its
// own holds only the task it started; the fast worker takes every other
// leaf and a duplicate of the straggler, and the job completes without
// the slow worker, with no attempt charged. When the job ends the slow
// worker's copy is cancelled and its slot is reported free.
func TestSlowWorkerDoesNotHoldTheJob(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var slowTasks atomic.Int64
	slow := &testprover.Backend{Hook: func(ctx context.Context, op string, _ int) error {
		if op != "contribute" && op != "prove" {
			return nil
		}
		slowTasks.Add(1)
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	fast := &testprover.Backend{}
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true})
	c.AddWorkerWith("slow", 1, testcluster.WorkerOptions{Backend: slow})
	c.AddWorkerWith("fast", 1, testcluster.WorkerOptions{Backend: fast})
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(8), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	j := completed(t, c, id)
	if j.TaskRetries != 0 || j.LeavesProved != 8 {
		t.Fatalf("job: %d retries, %d leaves proved", j.TaskRetries, j.LeavesProved)
	}
	if n := slowTasks.Load(); n > 2 {
		t.Fatalf("the slow worker started %d tasks, want at most one per phase", n)
	}
	if fast.LeafProofs.Load() < 7 {
		t.Fatalf("the fast worker proved %d leaves", fast.LeafProofs.Load())
	}
	testcluster.WaitFor(t, timeout, "the slow worker's cancelled copy to end", func() bool {
		for _, w := range c.Coord.Workers() {
			if w.Tasks != 0 || w.JobId != "" || w.Quarantined != "" {
				return false
			}
		}
		return true
	})
	if s, _ := c.Coord.Job(id); s.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s", s.State)
	}
}
