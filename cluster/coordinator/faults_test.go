package coordinator_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestFlakyWorkerRetried runs over real gRPC: one worker's backend fails
// every proof with a transient error; its leaves are proved elsewhere and
// the job completes, counting the retries.
func TestFlakyWorkerRetried(t *testing.T) {
	var failures atomic.Int64
	flaky := &testprover.Backend{Hook: func(_ context.Context, op string, _ int) error {
		if op == "prove" {
			failures.Add(1)
			return errors.New("GPU fell off the bus")
		}
		return nil
	}}
	// No duplicates: a failed duplicate is not a retry, and this test counts retries.
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, DuplicateAfter: -1})
	c.AddWorkerWith("flaky", 1, testcluster.WorkerOptions{Backend: flaky})
	c.AddWorker("good", 1)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(6), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	j := completed(t, c, id)
	if j.TaskRetries == 0 || int64(j.TaskRetries) != failures.Load() {
		t.Fatalf("retries %d, flaky failures %d", j.TaskRetries, failures.Load())
	}
}

// TestPermanentTaskFailure: an error wrapping engine.ErrExecution is not
// retried: the job fails at once with the worker's message.
func TestPermanentTaskFailure(t *testing.T) {
	be := &testprover.Backend{Hook: func(_ context.Context, op string, leaf int) error {
		if op == "contribute" && leaf == 2 {
			return fmt.Errorf("%w: unsupported syscall 1024 at pc 0x1234", engine.ErrExecution)
		}
		return nil
	}}
	c := testcluster.Start(t, testcluster.Options{Backend: be})
	c.AddWorker("a", 1)
	c.AddWorker("b", 1)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(4), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	j, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Either worker may have taken leaf 2 (leaves go to free slots).
	if j.State != pb.JobState_JOB_STATE_FAILED || j.TaskRetries != 0 ||
		!strings.Contains(j.Error, "leaf 2 contribution on ") || !strings.Contains(j.Error, ": execution failed: unsupported syscall 1024") {
		t.Fatalf("state %s retries %d error %q", j.State, j.TaskRetries, j.Error)
	}
}
