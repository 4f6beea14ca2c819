package coordinator

import (
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// foldsBy counts the fold events naming each worker.
func foldsBy(c *Coordinator, id string) map[string]int {
	by := map[string]int{}
	for _, m := range eventMessages(c, id, "fold") {
		// "node 9 from b" or "node 9 from b (attempt 2)"
		_, from, _ := strings.Cut(m, " from ")
		w, _, _ := strings.Cut(from, " ")
		by[w]++
	}
	return by
}

// TestFoldsRunOnEveryWorker: with two single-slot workers, a fold whose
// children are proved goes to the aggregator only while it has a free
// slot; the other folds go to the other worker, and the root still
// follows the canonical tree (the test prover's Finalize recomputes it).
func TestFoldsRunOnEveryWorker(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	be := &testprover.Backend{}
	c := newCore(t, clk, Config{Backend: be})
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	id := submit(t, c, 9)
	runAll(t, a, b)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.FoldsDone != 8 || j.TaskRetries != 0 {
		t.Fatalf("job %s %q folds %d retries %d", j.State, j.Error, j.FoldsDone, j.TaskRetries)
	}
	fa, fb := a.be.Folds.Load(), b.be.Folds.Load()
	if fa == 0 || fb == 0 || fa+fb != 8 {
		t.Fatalf("folds by worker: a %d, b %d (want both > 0, 8 in all)", fa, fb)
	}
	if by := foldsBy(c, id); by["a"] != int(fa) || by["b"] != int(fb) {
		t.Fatalf("fold events %v do not match the provers' counts a %d b %d", by, fa, fb)
	}
	if be.Finalized.Load() != 1 {
		t.Fatal("root not finalized")
	}
	if agg := eventMessages(c, id, "aggregator"); len(agg) != 1 {
		t.Fatalf("aggregator events %q", agg)
	}
}

// TestFoldsFollowCapacity: a fold goes first to a worker with a free
// slot and no fold in flight (the aggregator first), then to any free
// slot: the aggregator takes a second fold only when no other worker can.
func TestFoldsFollowCapacity(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{NoStealing: true}) // the script follows the proportional dealing
	a, b := newFakeWorker(t, c, "a", 4), newFakeWorker(t, c, "b", 4)
	id := submit(t, c, 8) // a: leaves 0-3, b: leaves 4-7
	a.step()
	b.step() // every commitment in: challenges sent
	// a proves 0-3 and aggregates: fold 8 on a; b still has 4 leaves to
	// prove (no free slot), so fold 9 takes a's second slot.
	a.step()
	// b proves 4-7: fold 10 goes to b (free and not folding), fold 11 to
	// the aggregator's third slot (b already folds).
	b.step()
	c.mu.Lock()
	flight := map[int]string{}
	for node, w := range c.jobs[id].foldFlight {
		flight[node] = w
	}
	c.mu.Unlock()
	want := map[int]string{8: "a", 9: "a", 10: "b", 11: "a"}
	if len(flight) != len(want) {
		t.Fatalf("folds in flight %v, want %v", flight, want)
	}
	for node, w := range want {
		if flight[node] != w {
			t.Fatalf("folds in flight %v, want %v", flight, want)
		}
	}
	runAll(t, a, b)
	if j := terminal(t, c, id); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s %q", j.State, j.Error)
	}
}

// TestLostFolderRetried: a worker that is not the aggregator dies while
// folding; its fold counts a failed attempt and is redone by the
// aggregator, which stays aggregator.
func TestLostFolderRetried(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{NoStealing: true}) // the script follows the proportional dealing
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	id := submit(t, c, 8) // a: leaves 0-3, b: leaves 4-7
	a.step()
	b.step() // every commitment in: challenges sent
	a.step() // a proves 0-3 and aggregates: fold 8 on a, fold 9 waits for a slot
	b.step() // b proves 4-7: fold 9 goes to b
	b.hold = true
	c.mu.Lock()
	on9 := c.jobs[id].foldFlight[9]
	c.mu.Unlock()
	if j, _ := c.Job(id); j.Aggregator != "a" || on9 != "b" {
		t.Fatalf("setup: aggregator %q, fold 9 on %q", j.Aggregator, on9)
	}
	clk.Add(6 * time.Second)
	a.heartbeat()
	clk.Add(6 * time.Second)
	c.Tick() // b expires
	if got := eventMessages(c, id, "worker_lost"); len(got) != 1 || got[0] != "b lost; 1 unfinished tasks sent again" {
		t.Fatalf("worker_lost events %q", got)
	}
	runAll(t, a)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 1 {
		t.Fatalf("job %s %q retries %d", j.State, j.Error, j.TaskRetries)
	}
	if got := eventMessages(c, id, "aggregator"); len(got) != 1 || got[0] != "a promoted" {
		t.Fatalf("aggregator events %q", got)
	}
	folds := eventMessages(c, id, "fold")
	if !strings.Contains(strings.Join(folds, "|"), "node 9 from a (attempt 2)") || a.be.Folds.Load() != 7 || b.be.Folds.Load() != 0 {
		t.Fatalf("fold 9 not redone by a: %q (a folded %d, b %d)", folds, a.be.Folds.Load(), b.be.Folds.Load())
	}
	if got := counterValue(c.m.TaskRetries.WithLabelValues("fold")); got != 1 {
		t.Fatalf("zkfleet_task_retries_total{kind=fold} = %v", got)
	}
}

// TestFailedFoldOfOtherWorkerRetried: a transient fold failure on a
// worker that is not the aggregator is retried elsewhere, with a retry
// event.
func TestFailedFoldOfOtherWorkerRetried(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{NoStealing: true}) // the script follows the proportional dealing
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	b.fail = once("fold", 9, "killed by the OOM killer") // fold 9 lands on b (see TestLostFolderRetried)
	id := submit(t, c, 8)
	runAll(t, a, b)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 1 {
		t.Fatalf("job %s %q retries %d", j.State, j.Error, j.TaskRetries)
	}
	retry := eventMessages(c, id, "retry")
	if len(retry) != 1 || !strings.HasPrefix(retry[0], "fold node 9 failed on b (attempt 1 of 3)") {
		t.Fatalf("retry events %q", retry)
	}
	if got := strings.Join(eventMessages(c, id, "fold"), "|"); !strings.Contains(got, "node 9 from a (attempt 2)") {
		t.Fatalf("fold 9 not redone by a: %q", got)
	}
}
