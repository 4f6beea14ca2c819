package coordinator

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// waitPlanned waits until the planning pool is done with job id (planned,
// or terminal) and returns its snapshot.
func waitPlanned(t *testing.T, c *Coordinator, id string) *pb.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		j := c.jobs[id]
		done := j != nil && (j.plan != nil || j.terminal())
		var snap *pb.Job
		if j != nil {
			snap = j.snapshot()
		}
		c.mu.Unlock()
		if done {
			return snap
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s not planned after 10s", id)
		}
		time.Sleep(time.Millisecond)
	}
}

// submitPlanned submits req and waits for its plan.
func submitPlanned(t *testing.T, c *Coordinator, req SubmitRequest) *pb.Job {
	t.Helper()
	j, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return waitPlanned(t, c, j.Id)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestLoopingGuestDoesNotHurtTheCoordinator reproduces issue 18 item 1: an
// 88-byte guest that loops forever. Submit returns at once (the job is
// planning), a cycle limit above the server's cap is refused, planning
// stays bounded in memory and ends in a failed job naming the cycle limit,
// and a cancelled plan stops the guest.
func TestLoopingGuestDoesNotHurtTheCoordinator(t *testing.T) {
	const cap = 1 << 24
	c, err := New(Config{Backend: mock.RISCV(mock.DefaultShape, 0), KeySets: map[string]KeySet{engine.KindRISCV: {ID: mock.KeySet, Mock: true}},
		MaxCycles: cap, PlanWorkers: 1, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	elf := testprover.LoopingELF()
	ctx := context.Background()
	var planToCap time.Duration

	t.Run("limit above the cap is refused", func(t *testing.T) {
		_, err := c.Submit(ctx, SubmitRequest{ELF: elf, MaxCycles: cap + 1})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("Submit above the cap: %v", err)
		}
	})
	t.Run("fails at the cap in bounded memory", func(t *testing.T) {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := before.HeapInuse
		start := time.Now()
		j, err := c.Submit(ctx, SubmitRequest{ELF: elf})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second || j.State != pb.JobState_JOB_STATE_QUEUED {
			t.Fatalf("Submit took %v and returned %v; want at once, queued for planning", d, j.State)
		}
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			s, _ := c.Job(j.Id)
			if s.State == pb.JobState_JOB_STATE_FAILED {
				if !strings.Contains(s.Error, "cycle limit") {
					t.Fatalf("failed with %q, want the cycle limit", s.Error)
				}
				planToCap = time.Since(start)
				break
			}
			if s.State != pb.JobState_JOB_STATE_QUEUED || time.Since(start) > 30*time.Second {
				t.Fatalf("job %v after %v", s.State, time.Since(start))
			}
			time.Sleep(5 * time.Millisecond)
		}
		// A traced execution of 2^24 steps would hold over a gigabyte.
		if grew := int64(peak) - int64(before.HeapInuse); grew > 128<<20 {
			t.Fatalf("heap in use grew by %d MiB while planning %d cycles", grew>>20, cap)
		}
	})
	t.Run("cancel stops planning", func(t *testing.T) {
		// The pool has one worker: the first job occupies it while the
		// second waits; cancelling both must free it at once.
		a, err := c.Submit(ctx, SubmitRequest{ELF: elf})
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.Submit(ctx, SubmitRequest{ELF: elf, Input: []byte("x")})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		cancelled := time.Now()
		for _, id := range []string{a.Id, b.Id} {
			if _, err := c.Cancel(id); err != nil {
				t.Fatal(err)
			}
		}
		fib := submitPlanned(t, c, SubmitRequest{ELF: mustExample(t, "fib"), Input: []byte{10, 0, 0, 0}})
		if fib.State != pb.JobState_JOB_STATE_QUEUED || fib.Error != "" {
			t.Fatalf("job after the cancelled ones: %v %s", fib.State, fib.Error)
		}
		if d := time.Since(cancelled); planToCap > 0 && d > planToCap/2 {
			t.Fatalf("the next job was planned %v after the cancel; a plan to the cap takes %v", d, planToCap)
		}
		c.mu.Lock()
		pending := len(c.planning)
		c.mu.Unlock()
		if pending != 0 {
			t.Fatalf("%d jobs still waiting for the planning pool", pending)
		}
	})
}

func mustExample(t *testing.T, name string) []byte {
	t.Helper()
	elf, err := guest.Example(name)
	if err != nil {
		t.Fatal(err)
	}
	return elf
}

// hangingPlanner never finishes planning until its context ends, like a
// guest that would run the coordinator out of time or memory.
type hangingPlanner struct {
	*testprover.Backend
	started chan struct{}
}

func (h hangingPlanner) Plan(ctx context.Context, _ engine.Spec) (*engine.Plan, error) {
	select {
	case h.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestInterruptedPlanningIsNotRetriedForever: a job whose planning was cut
// short by a coordinator restart is planned again, but not forever: after
// maxPlanAttempts interrupted plans it fails with a clear reason (a guest
// that kills the coordinator while planning must not crash-loop it).
func TestInterruptedPlanningIsNotRetriedForever(t *testing.T) {
	dir := t.TempDir()
	var id string
	for restart := 0; ; restart++ {
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		be := hangingPlanner{Backend: &testprover.Backend{}, started: make(chan struct{}, 1)}
		c, err := New(Config{Backend: be, Store: st, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		if restart == 0 {
			j, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(2)})
			if err != nil {
				t.Fatal(err)
			}
			id = j.Id
		}
		j, err := c.Job(id)
		if err != nil {
			t.Fatal(err)
		}
		if restart < maxPlanAttempts {
			if j.State != pb.JobState_JOB_STATE_QUEUED {
				t.Fatalf("restart %d: job %v (%s), want queued for planning", restart, j.State, j.Error)
			}
			select {
			case <-be.started:
			case <-time.After(5 * time.Second):
				t.Fatalf("restart %d: planning did not start", restart)
			}
		} else {
			if j.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(j.Error, "planning interrupted") {
				t.Fatalf("after %d interrupted plans: %v %q, want failed", restart, j.State, j.Error)
			}
		}
		if err := c.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if restart == maxPlanAttempts {
			return
		}
	}
}
