package coordinator_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

// foldGate makes every fold of the workers' own test provers wait until
// open is closed; started counts folds that reached the prover, per worker.
type foldGate struct {
	open    chan struct{}
	once    sync.Once
	started map[string]*atomic.Int64
	be      map[string]*testprover.Backend
}

func newFoldGate(ids ...string) *foldGate {
	g := &foldGate{open: make(chan struct{}), started: map[string]*atomic.Int64{}, be: map[string]*testprover.Backend{}}
	for _, id := range ids {
		n := &atomic.Int64{}
		g.started[id] = n
		g.be[id] = &testprover.Backend{Hook: func(ctx context.Context, op string, _ int) error {
			if op != "fold" {
				return nil
			}
			n.Add(1)
			select {
			case <-g.open:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
	}
	return g
}

func (g *foldGate) release() { g.once.Do(func() { close(g.open) }) }

// TestFoldsSpreadOverWorkers runs over gRPC: two single-slot workers must
// each hold a fold at the same time (the gate opens only then), so the
// aggregator is not the only folder, and the proof still verifies.
func TestFoldsSpreadOverWorkers(t *testing.T) {
	g := newFoldGate("a", "b")
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	c.AddWorkerWith("a", 1, testcluster.WorkerOptions{Backend: g.be["a"]})
	c.AddWorkerWith("b", 1, testcluster.WorkerOptions{Backend: g.be["b"]})
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	defer g.release()
	id, err := c.Submit(context.Background(), testprover.Program(8), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "a fold on each worker", func() bool {
		return g.started["a"].Load() > 0 && g.started["b"].Load() > 0
	})
	g.release()
	j := completed(t, c, id)
	fa, fb := g.be["a"].Folds.Load(), g.be["b"].Folds.Load()
	if fa == 0 || fb == 0 || fa+fb != 7 || j.FoldsDone != 7 {
		t.Fatalf("folds: a %d, b %d, job %d", fa, fb, j.FoldsDone)
	}
}

// TestFolderKilledWhileFolding: the worker that is not the aggregator is
// killed with a fold in flight; the fold is sent again and the job
// completes with the same aggregator.
func TestFolderKilledWhileFolding(t *testing.T) {
	g := newFoldGate("a", "b")
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	c.AddWorkerWith("a", 1, testcluster.WorkerOptions{Backend: g.be["a"]})
	c.AddWorkerWith("b", 1, testcluster.WorkerOptions{Backend: g.be["b"]})
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	defer g.release()
	id, err := c.Submit(context.Background(), testprover.Program(8), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Folds cannot finish before the gate opens, so this watcher sees
	// the job enter FINALIZE.
	watch, err := c.Coord.Watch(id)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Stop()
	var agg, other string
	testcluster.WaitFor(t, timeout, "the non-aggregator folding", func() bool {
		j, _ := c.Coord.Job(id)
		switch j.Aggregator {
		case "a":
			agg, other = "a", "b"
		case "b":
			agg, other = "b", "a"
		default:
			return false
		}
		return g.started[other].Load() > 0
	})
	c.Kill(other)
	g.release()
	j := completed(t, c, id)
	if j.Aggregator != "" || j.TaskRetries == 0 {
		t.Fatalf("retries %d aggregator %q", j.TaskRetries, j.Aggregator)
	}
	if g.be[other].Cancelled.Load() == 0 {
		t.Fatalf("%s's fold was not cancelled", other)
	}
	if f := g.be[agg].Folds.Load() + g.be[other].Folds.Load(); f != 7 {
		t.Fatalf("%d folds delivered, want 7", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	finalAgg := "<no finalize event>"
	for {
		evs, ok := watch.Next(ctx)
		if !ok {
			break
		}
		for _, ev := range evs {
			if ev.Kind == "finalize" {
				finalAgg = ev.Job.Aggregator
			}
		}
	}
	if finalAgg != agg {
		t.Fatalf("aggregator entering FINALIZE %q, want %q (it was never lost)", finalAgg, agg)
	}
}
