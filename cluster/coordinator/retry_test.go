package coordinator

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func newCore(t *testing.T, clk *fakeClock, cfg Config) *Coordinator {
	t.Helper()
	if cfg.Backend == nil {
		cfg.Backend = &testprover.Backend{}
	}
	cfg.Clock = clk.Now
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.HeartbeatTimeout == 0 {
		cfg.HeartbeatTimeout = 10 * time.Second
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// terminal waits for the job's finalize goroutine (or an immediate
// failure) and returns the final snapshot.
func terminal(t *testing.T, c *Coordinator, id string) *pb.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	j, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("job %s not terminal: %+v", id, j)
	}
	return j
}

// eventMessages returns the messages of the job's events of kind.
func eventMessages(c *Coordinator, id, kind string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, ev := range c.jobs[id].events {
		if ev.Kind == kind {
			out = append(out, ev.Message)
		}
	}
	return out
}

func submit(t *testing.T, c *Coordinator, leaves int) string {
	t.Helper()
	return submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(leaves)}).Id
}

// once fails op on node the first time it is asked.
func once(op string, node int, msg string) func(string, int) (string, bool) {
	done := false
	return func(o string, n int) (string, bool) {
		if o == op && n == node && !done {
			done = true
			return msg, false
		}
		return "", false
	}
}

func TestTransientLeafFailureRetriedOnAnotherWorker(t *testing.T) {
	for _, op := range []string{"contribute", "prove"} {
		t.Run(op, func(t *testing.T) {
			clk := &fakeClock{now: time.Unix(1000, 0)}
			c := newCore(t, clk, Config{})
			a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
			a.fail = once(op, 0, "out of memory") // leaf 0 is dealt to a
			id := submit(t, c, 4)
			runAll(t, a, b)
			j := terminal(t, c, id)
			if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 1 {
				t.Fatalf("state %s retries %d error %q", j.State, j.TaskRetries, j.Error)
			}
			retry := eventMessages(c, id, "retry")
			if len(retry) != 1 || !strings.Contains(retry[0], "on a (attempt 1 of 3): out of memory") {
				t.Fatalf("retry events %q", retry)
			}
			kind := map[string]string{"contribute": "contribution", "prove": "leaf_proved"}[op]
			found := false
			for _, m := range eventMessages(c, id, kind) {
				found = found || m == "leaf 0 from b (attempt 2)"
			}
			if !found {
				t.Fatalf("leaf 0 not redone by b: %q", eventMessages(c, id, kind))
			}
			if got := counterValue(c.m.TaskRetries.WithLabelValues(op)); got != 1 {
				t.Fatalf("zkfleet_task_retries_total{kind=%q} = %v", op, got)
			}
		})
	}
}

func TestTransientFoldFailureRetriedOnAnotherWorker(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	// a answers first, so it aggregates; its first fold (node 4 of 4 leaves) fails.
	a.fail = once("fold", 4, "connection reset")
	id := submit(t, c, 4)
	runAll(t, a, b)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 1 {
		t.Fatalf("state %s retries %d error %q", j.State, j.TaskRetries, j.Error)
	}
	if got := eventMessages(c, id, "fold"); !strings.Contains(strings.Join(got, "|"), "node 4 from b (attempt 2)") {
		t.Fatalf("fold 4 not redone by b: %q", got)
	}
}

func TestTransientFailureGivesUpAfterMaxAttempts(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	always := func(op string, node int) (string, bool) {
		if op == "prove" && node == 2 {
			return "disk full", false
		}
		return "", false
	}
	a.fail, b.fail = always, always
	id := submit(t, c, 4)
	runAll(t, a, b)
	j := terminal(t, c, id)
	// Leaf 2 is dealt to b, retried on a, then on either (both failed it).
	if j.State != pb.JobState_JOB_STATE_FAILED || j.TaskRetries != 2 ||
		!strings.HasPrefix(j.Error, "leaf 2 proof failed 3 times; last on ") || !strings.HasSuffix(j.Error, ": disk full") {
		t.Fatalf("state %s retries %d error %q", j.State, j.TaskRetries, j.Error)
	}
	// Both workers are free for the next job.
	a.fail, b.fail = nil, nil
	id2 := submit(t, c, 3)
	runAll(t, a, b)
	if j := terminal(t, c, id2); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("next job: %s %q", j.State, j.Error)
	}
}

func TestPermanentFailureFailsAtOnce(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{NoStealing: true}) // the test follows the proportional dealing
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	a.fail = func(op string, node int) (string, bool) {
		if op == "prove" && node == 1 {
			return "execution failed: unsupported syscall 93", true
		}
		return "", false
	}
	id := submit(t, c, 4)
	runAll(t, a, b)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_FAILED || j.TaskRetries != 0 ||
		j.Error != "leaf 1 proof on a: execution failed: unsupported syscall 93 (not retried)" {
		t.Fatalf("state %s retries %d error %q", j.State, j.TaskRetries, j.Error)
	}
}

// TestLostWorkerCountsAsAttempt: heartbeat expiry (fake clock) loses the
// worker holding the only leaf, twice; with two attempts allowed the job
// then fails, naming the cause.
func TestLostWorkerCountsAsAttempt(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{MaxTaskAttempts: 2})
	ws := []*fakeWorker{newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1), newFakeWorker(t, c, "c", 1)}
	for _, w := range ws {
		w.hold = true
	}
	id := submit(t, c, 1)
	holder := func() string {
		j, _ := c.Job(id)
		if len(j.Workers) != 1 {
			t.Fatalf("workers of a 1-leaf job: %v", j.Workers)
		}
		return j.Workers[0]
	}
	lose := func(victim string) {
		clk.Add(6 * time.Second)
		for _, w := range ws {
			if w.s.ID() != victim {
				w.heartbeat()
			}
		}
		clk.Add(6 * time.Second) // victim silent for 12 s > 10 s
		c.Tick()
	}
	first := holder()
	lose(first)
	second := holder()
	if second == first {
		t.Fatalf("leaf stayed on lost worker %s", first)
	}
	if j, _ := c.Job(id); j.State != pb.JobState_JOB_STATE_RUNNING || j.TaskRetries != 1 {
		t.Fatalf("after one loss: %s retries %d", j.State, j.TaskRetries)
	}
	lose(second)
	j := terminal(t, c, id)
	want := fmt.Sprintf("leaf 0 contribution failed 2 times; last on %s: worker lost", second)
	if j.State != pb.JobState_JOB_STATE_FAILED || j.Error != want {
		t.Fatalf("state %s error %q, want %q", j.State, j.Error, want)
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// TestLostAggregatorRetriesOnlyItsFolds: the lost aggregator's proved
// leaves stay proved; only its in-flight fold is retried, and the fold
// the other worker holds is not disturbed.
func TestLostAggregatorRetriesOnlyItsFolds(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{NoStealing: true}) // the test follows the proportional dealing
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	id := submit(t, c, 4) // a: leaves 0-1, b: leaves 2-3
	a.step()
	b.step() // every commitment in: challenges sent
	a.step() // a proves 0, 1 and aggregates: fold 4 in flight on a
	a.hold = true
	b.step() // b proves 2, 3; a's only slot is taken, so fold 5 goes to b
	if j, _ := c.Job(id); j.Aggregator != "a" || j.LeavesProved != 4 {
		t.Fatalf("setup: %+v", j)
	}
	clk.Add(6 * time.Second)
	b.heartbeat()
	clk.Add(6 * time.Second)
	c.Tick() // a expires
	j, _ := c.Job(id)
	if j.TaskRetries != 1 || j.LeavesProved != 4 || j.Aggregator != "b" {
		t.Fatalf("after losing the aggregator: retries %d, leaves proved %d, aggregator %q", j.TaskRetries, j.LeavesProved, j.Aggregator)
	}
	if got := eventMessages(c, id, "worker_lost"); len(got) != 1 || got[0] != "a lost (was aggregator); 1 unfinished tasks sent again" {
		t.Fatalf("worker_lost events %q", got)
	}
	runAll(t, b)
	if j := terminal(t, c, id); j.State != pb.JobState_JOB_STATE_COMPLETED || j.Aggregator != "" {
		t.Fatalf("job %s %q aggregator %q", j.State, j.Error, j.Aggregator)
	}
	if got := eventMessages(c, id, "fold"); strings.Join(got, "|") != "node 5 from b|node 4 from b (attempt 2)|node 6 from b" {
		t.Fatalf("folds %q", got)
	}
}
