package coordinator_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestCancelKeepsSlotBusyWithStubbornProver: over gRPC with a real worker
// whose prover ignores cancellation (as gnark's does), a cancelled job's
// task keeps the worker's slot: the worker shows the task, the next job is
// not dealt to it until the stubborn proof returns, then it completes.
func TestCancelKeepsSlotBusyWithStubbornProver(t *testing.T) {
	release := make(chan struct{})
	var stuck atomic.Int32
	be := &testprover.Backend{Hook: func(ctx context.Context, op string, leaf int) error {
		if op == "contribute" && stuck.CompareAndSwap(0, 1) {
			<-release // ignores ctx
		}
		return nil
	}}
	c := testcluster.Start(t, testcluster.Options{Backend: be, Quiet: true})
	c.AddWorker("w", 1)
	testcluster.WaitFor(t, timeout, "worker", func() bool { return c.Workers() == 1 })
	ctx := context.Background()
	first, err := c.Submit(ctx, testprover.Program(1), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "the stubborn proof to start", func() bool { return stuck.Load() == 1 })
	if _, err := c.Coord.Cancel(first); err != nil {
		t.Fatal(err)
	}
	second, err := c.Submit(ctx, testprover.Program(1), []byte("2"), 0)
	if err != nil {
		t.Fatal(err)
	}
	// A few heartbeats go by (the worker reports running=1): still queued.
	testcluster.WaitFor(t, timeout, "heartbeats", func() bool {
		ws := c.Coord.Workers()
		return len(ws) == 1 && ws[0].Tasks == 1 && ws[0].JobId == ""
	})
	if j, _ := c.Coord.Job(second); j.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("second job %v while the cancelled proof still runs", j.State)
	}
	t0 := time.Now()
	close(release)
	j, err := c.Wait(ctx, second)
	t.Logf("second job done %v after the stubborn proof returned", time.Since(t0))
	if err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("second job: %v %v", j, err)
	}
}
