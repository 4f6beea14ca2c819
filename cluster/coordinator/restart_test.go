package coordinator_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func counter(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

type opCounts struct{ contributions, leafProofs, folds int64 }

func countsOf(be *testprover.Backend) opCounts {
	return opCounts{be.Contributions.Load(), be.LeafProofs.Load(), be.Folds.Load()}
}

// restartIn holds op, restarts the coordinator while a job waits on it,
// and returns the job's snapshot on the new coordinator once it reports
// attempt 2, with the prover's operation counts at the restart.
func restartIn(t *testing.T, op string, leaves int) (*testcluster.Cluster, *testprover.Backend, *gate, string, *pb.Job, opCounts) {
	t.Helper()
	g := newGate(op)
	be := &testprover.Backend{Hook: g.hook}
	// Quiet: the first coordinator's finalize goroutine may outlive the test.
	c := testcluster.Start(t, testcluster.Options{Backend: be, DataDir: t.TempDir(), Quiet: true})
	c.AddWorker("a", 2)
	c.AddWorker("b", 1)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(leaves), []byte("in"), 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, op+" blocked", func() bool { return g.waiting.Load() > 0 })
	if op == "fold" {
		testcluster.WaitFor(t, timeout, "every leaf proved", func() bool {
			j, _ := c.Coord.Job(id)
			return j.Phase == pb.JobPhase_JOB_PHASE_AGGREGATE
		})
	}
	before := countsOf(be)
	c.RestartCoordinator()
	var j *pb.Job
	testcluster.WaitFor(t, timeout, "job back after restart", func() bool {
		j, err = c.Coord.Job(id)
		return err == nil && j.Attempt == 2 && j.State == pb.JobState_JOB_STATE_RUNNING
	})
	return c, be, g, id, j, before
}

// TestRestartResumesFinalize: a job waiting for Finalize when the
// coordinator restarts finalizes its stored root proof: no leaf or fold
// is proved again.
func TestRestartResumesFinalize(t *testing.T) {
	c, be, g, id, j, before := restartIn(t, "finalize", 5)
	if j.Phase != pb.JobPhase_JOB_PHASE_FINALIZE || j.LeavesProved != 5 || j.FoldsDone != 4 || j.Contributions != 5 {
		t.Fatalf("resumed job: %+v", j)
	}
	if n := counter(c.Coord.Metrics().Resumed); n != 1 {
		t.Fatalf("zkfleet_jobs_resumed_total = %v", n)
	}
	close(g.release)
	completed(t, c, id)
	if after := countsOf(be); after != before {
		t.Fatalf("work redone after restart: before %+v after %+v", before, after)
	}
}

// TestRestartResumesAggregation: restarted while folding, the job keeps
// its leaf proofs and only folds again.
func TestRestartResumesAggregation(t *testing.T) {
	c, be, g, id, j, before := restartIn(t, "fold", 6)
	if j.Phase != pb.JobPhase_JOB_PHASE_AGGREGATE || j.LeavesProved != 6 || j.FoldsDone != 0 {
		t.Fatalf("resumed job: %+v", j)
	}
	close(g.release)
	completed(t, c, id)
	after := countsOf(be)
	if after.contributions != before.contributions || after.leafProofs != before.leafProofs || after.folds != before.folds+5 {
		t.Fatalf("before %+v after %+v: want only the 5 folds redone", before, after)
	}
}

// TestRestartResumesProving: restarted in PROVE, the job keeps its
// challenge and skips the contributions.
func TestRestartResumesProving(t *testing.T) {
	c, be, g, id, j, before := restartIn(t, "prove", 4)
	if j.Phase != pb.JobPhase_JOB_PHASE_PROVE || j.Contributions != 4 || j.LeavesProved != 0 {
		t.Fatalf("resumed job: %+v", j)
	}
	close(g.release)
	completed(t, c, id)
	if after := countsOf(be); after.contributions != before.contributions {
		t.Fatalf("contributions redone: before %+v after %+v", before, after)
	}
}

// TestRestartRerunsContributions: before the challenge there is nothing
// worth keeping; the job reruns from the queue.
func TestRestartRerunsContributions(t *testing.T) {
	c, be, g, id, j, before := restartIn(t, "contribute", 3)
	if j.Phase != pb.JobPhase_JOB_PHASE_CONTRIBUTE {
		t.Fatalf("rerun job: %+v", j)
	}
	close(g.release)
	completed(t, c, id)
	if after := countsOf(be); after.contributions != before.contributions+3 {
		t.Fatalf("before %+v after %+v: want every contribution redone", before, after)
	}
}

// TestRestartResumesAJobWithoutContributions: a kind without a
// contribution phase has no challenge to checkpoint; its job still
// resumes after a restart (here in AGGREGATE) and completes without
// ever contributing.
func TestRestartResumesAJobWithoutContributions(t *testing.T) {
	g := newGate("fold")
	be := &testprover.Backend{Hook: g.hook, NoContribution: true}
	c := testcluster.Start(t, testcluster.Options{Backend: be, DataDir: t.TempDir(), Quiet: true})
	c.AddWorker("a", 2)
	testcluster.WaitFor(t, timeout, "a worker", func() bool { return c.Workers() == 1 })
	id, err := c.Submit(context.Background(), testprover.Program(4), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "every leaf proved", func() bool {
		j, _ := c.Coord.Job(id)
		return j.Phase == pb.JobPhase_JOB_PHASE_AGGREGATE && g.waiting.Load() > 0
	})
	c.RestartCoordinator()
	var j *pb.Job
	testcluster.WaitFor(t, timeout, "job resumed", func() bool {
		j, err = c.Coord.Job(id)
		return err == nil && j.Attempt == 2
	})
	if j.State != pb.JobState_JOB_STATE_RUNNING || j.Phase != pb.JobPhase_JOB_PHASE_AGGREGATE || j.LeavesProved != 4 {
		t.Fatalf("resumed job: %v %v, %d leaves proved", j.State, j.Phase, j.LeavesProved)
	}
	close(g.release)
	done, err := c.Wait(context.Background(), id)
	if err != nil || done.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job after resume: %v %v (%s)", done.GetState(), err, done.GetError())
	}
	if be.Contributions.Load() != 0 {
		t.Fatalf("%d contributions for a kind without them", be.Contributions.Load())
	}
}
