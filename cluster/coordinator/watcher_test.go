package coordinator

import (
	"context"
	"strings"
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// readAll drains a watcher whose job is terminal.
func readAll(t *testing.T, w *Watcher) []*pb.JobEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var all []*pb.JobEvent
	for {
		evs, ok := w.Next(ctx)
		if !ok {
			if ctx.Err() != nil {
				t.Fatal("watcher did not end after the terminal event")
			}
			return all
		}
		all = append(all, evs...)
	}
}

// TestSlowWatcherSkipsToSnapshot: a watcher that reads nothing while a
// 40-leaf job runs (well over 100 events) is not dropped: its backlog
// collapses into snapshots and it still gets the terminal event, last.
func TestSlowWatcherSkipsToSnapshot(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{WatchBuffer: 8})
	id := submit(t, c, 40) // queued: no worker yet
	slow, err := c.Watch(id)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Stop()
	a, b := newFakeWorker(t, c, "a", 2), newFakeWorker(t, c, "b", 1)
	runAll(t, a, b)
	if j := terminal(t, c, id); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s %q", j.State, j.Error)
	}
	got := readAll(t, slow)
	if len(got) > 8 {
		t.Fatalf("slow watcher holds %d events, buffer 8", len(got))
	}
	last := got[len(got)-1]
	if last.Kind != "completed" || last.Job.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("last event %s %s", last.Kind, last.Job.State)
	}
	skips := 0
	for _, ev := range got {
		if ev.Kind == "snapshot" && strings.Contains(ev.Message, "events skipped") {
			skips++
			if ev.Job == nil || ev.Job.Leaves != 40 {
				t.Fatalf("skip snapshot without the job: %v", ev)
			}
		}
	}
	if skips == 0 {
		t.Fatalf("no skip snapshot among %d events", len(got))
	}
}

// TestWatcherWithinBufferSeesEveryEvent: below the buffer nothing is
// skipped, even if the reader only starts reading at the end.
func TestWatcherWithinBufferSeesEveryEvent(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	id := submit(t, c, 40)
	w, err := c.Watch(id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	a, b := newFakeWorker(t, c, "a", 2), newFakeWorker(t, c, "b", 1)
	runAll(t, a, b)
	terminal(t, c, id)
	got := readAll(t, w)
	kinds := map[string]int{}
	for _, ev := range got {
		kinds[ev.Kind]++
	}
	if got[0].Kind != "snapshot" || kinds["snapshot"] != 1 || kinds["contribution"] != 40 || kinds["leaf_proved"] != 40 ||
		kinds["fold"] != 39 || got[len(got)-1].Kind != "completed" {
		t.Fatalf("events %v", kinds)
	}
}

// TestWatchTerminalJob: watching a finished job yields its snapshot and ends.
func TestWatchTerminalJob(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	a := newFakeWorker(t, c, "a", 1)
	id := submit(t, c, 2)
	runAll(t, a)
	terminal(t, c, id)
	w, err := c.Watch(id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	got := readAll(t, w)
	if len(got) != 1 || got[0].Kind != "snapshot" || got[0].Job.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("events %v", got)
	}
}
