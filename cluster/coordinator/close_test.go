package coordinator

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// finalizeBlocker is a test prover whose Finalize waits for its context:
// started reports it began, ended the error it ended with.
func finalizeBlocker() (*testprover.Backend, chan struct{}, chan error) {
	started, ended := make(chan struct{}, 1), make(chan error, 1)
	be := &testprover.Backend{Hook: func(ctx context.Context, op string, _ int) error {
		if op != "finalize" {
			return nil
		}
		started <- struct{}{}
		<-ctx.Done()
		ended <- ctx.Err()
		return ctx.Err()
	}}
	return be, started, ended
}

func waitChan[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

func startFinalizing(t *testing.T) (*Coordinator, string, chan error) {
	t.Helper()
	be, started, ended := finalizeBlocker()
	c, err := New(Config{Backend: be, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	c.StartTicker(5 * time.Millisecond)
	w := newFakeWorker(t, c, "w", 2)
	j := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(3)})
	runAll(t, w)
	waitChan(t, started, "finalize to start")
	if s, _ := c.Job(j.Id); s.Phase != pb.JobPhase_JOB_PHASE_FINALIZE {
		t.Fatalf("job in phase %v", s.Phase)
	}
	return c, j.Id, ended
}

// TestCancelReachesFinalize: cancelling a job in FINALIZE cancels the
// backend's Finalize.
func TestCancelReachesFinalize(t *testing.T) {
	c, id, ended := startFinalizing(t)
	defer c.Close(context.Background())
	j, err := c.Cancel(id)
	if err != nil || j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("Cancel: %v %v", j.GetState(), err)
	}
	if err := waitChan(t, ended, "finalize to see the cancel"); !errors.Is(err, context.Canceled) {
		t.Fatalf("finalize ended with %v", err)
	}
}

// TestCloseStopsEveryGoroutine: Close cancels a running finalize and
// stops the ticker, and returns once they ended; the job is left to a
// restarted coordinator (not failed).
func TestCloseStopsEveryGoroutine(t *testing.T) {
	c, id, ended := startFinalizing(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("finalize ended with %v", err)
		}
	default:
		t.Fatal("Close returned before finalize ended")
	}
	if s, _ := c.Job(id); s.State != pb.JobState_JOB_STATE_RUNNING {
		t.Fatalf("job after Close: %v (%s); want it left running for a restart", s.State, s.Error)
	}
	if err := c.Health(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Health after Close: %v", err)
	}
	if _, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(2)}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit after Close: %v", err)
	}
	if _, err := c.Attach("late", 1, riscvOnly); !errors.Is(err, ErrClosed) {
		t.Fatalf("Attach after Close: %v", err)
	}
}

// TestCloseTimesOut: a backend that ignores cancellation makes Close
// return its context's error instead of hanging.
func TestCloseTimesOut(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	be := &testprover.Backend{Hook: func(_ context.Context, op string, _ int) error {
		if op == "finalize" {
			started <- struct{}{}
			<-release
		}
		return nil
	}}
	c, err := New(Config{Backend: be, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := newFakeWorker(t, c, "w", 1)
	submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2)})
	runAll(t, w)
	waitChan(t, started, "finalize to start")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close with a stuck finalize: %v", err)
	}
	close(release)
	if err := c.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestCloseCancelsPlanning: Close cancels a plan in progress (a long
// guest) and waits for it; the job is left queued for a restart, not
// failed. Submit itself returned at once (planning runs in the pool).
func TestCloseCancelsPlanning(t *testing.T) {
	started := make(chan struct{})
	be := &planBlocker{started: started}
	c, err := New(Config{Backend: be, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(2)})
	if err != nil || j.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("Submit: %v %v", j, err)
	}
	waitChan(t, started, "planning to start")
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	jobs := c.Jobs()
	if len(jobs) != 1 || jobs[0].State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("job after Close: %v", jobs)
	}
}

// planBlocker plans until its context ends.
type planBlocker struct {
	testprover.Backend
	started chan struct{}
}

func (b *planBlocker) Plan(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
	close(b.started)
	<-ctx.Done()
	return nil, ctx.Err()
}
