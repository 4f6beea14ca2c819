package coordinator_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestRestartWithSevenOfEightLeavesReprovesOne: every leaf proof is
// stored as it lands, so a coordinator restarted with 7 of 8 leaves
// proved resumes with those 7 and proves only the last one again.
func TestRestartWithSevenOfEightLeavesReprovesOne(t *testing.T) {
	release := make(chan struct{})
	var blocked atomic.Int64
	var restarted atomic.Bool
	var mu sync.Mutex
	var provedAfter []int // leaves whose proving started after the restart
	hook := func(ctx context.Context, op string, node int) error {
		if op == "prove" && restarted.Load() {
			mu.Lock()
			provedAfter = append(provedAfter, node)
			mu.Unlock()
		}
		if op != "prove" || node != 7 {
			return nil
		}
		blocked.Add(1)
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	be := &testprover.Backend{Hook: hook}
	c := testcluster.Start(t, testcluster.Options{Backend: be, DataDir: t.TempDir(), Quiet: true})
	c.AddWorker("a", 2)
	c.AddWorker("b", 2)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(8), []byte("in"), 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "7 leaves proved, the 8th blocked", func() bool {
		j, _ := c.Coord.Job(id)
		return j.LeavesProved == 7 && blocked.Load() > 0
	})
	before := countsOf(be)
	restarted.Store(true)
	c.RestartCoordinator()
	var j *pb.Job
	testcluster.WaitFor(t, timeout, "job resumed", func() bool {
		j, err = c.Coord.Job(id)
		return err == nil && j.Attempt == 2 && j.State == pb.JobState_JOB_STATE_RUNNING
	})
	if j.Phase != pb.JobPhase_JOB_PHASE_PROVE || j.LeavesProved != 7 {
		t.Fatalf("resumed job: phase %s, %d leaves proved", j.Phase, j.LeavesProved)
	}
	close(release)
	completed(t, c, id)
	after := countsOf(be)
	if after.contributions != before.contributions {
		t.Fatalf("contributions redone: before %+v after %+v", before, after)
	}
	// Only leaf 7 is proved again (the worker's first attempt at it may
	// also still finish: it was released, not cancelled; and a duplicate
	// of the straggler sent before the restart may start late too).
	mu.Lock()
	defer mu.Unlock()
	if len(provedAfter) == 0 || slices.ContainsFunc(provedAfter, func(l int) bool { return l != 7 }) {
		t.Fatalf("leaves proved after the restart: %v, want [7]", provedAfter)
	}
}
