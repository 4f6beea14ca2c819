package coordinator

import (
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestPauseDropsNoWorker reproduces issue 18 item 11 with a fake clock: the
// coordinator stalls for 11 s (heartbeat timeout 10 s, ticker period 1 s);
// when it wakes, the heartbeats queued meanwhile are handled one by one.
// No worker is dropped and no attempt charged. A worker that really went
// silent while the coordinator ran is still dropped.
func TestPauseDropsNoWorker(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{HeartbeatTimeout: 10 * time.Second})
	c.StartTicker(time.Second)
	ws := []*fakeWorker{newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1), newFakeWorker(t, c, "c", 1)}
	for _, w := range ws {
		w.hold = true
	}
	id := submit(t, c, 3)
	c.Tick()

	clk.Add(11 * time.Second) // the stall: nothing ran
	for _, w := range ws {    // the queued heartbeats, read one at a time
		if !w.heartbeat() {
			t.Fatalf("worker %s dropped after the coordinator's own stall", w.s.ID())
		}
	}
	c.Tick()
	if got := len(c.Workers()); got != 3 {
		t.Fatalf("%d workers after the stall, want 3", got)
	}
	if n := counterValue(c.Metrics().WorkersLost); n != 0 {
		t.Fatalf("%v workers lost", n)
	}
	if s, _ := c.Job(id); s.State != pb.JobState_JOB_STATE_RUNNING || s.TaskRetries != 0 {
		t.Fatalf("job after the stall: %v, %d retries", s.State, s.TaskRetries)
	}

	// Control: a worker silent for 11 s while the coordinator ticks is lost.
	for range 11 {
		clk.Add(time.Second)
		ws[0].heartbeat()
		ws[1].heartbeat()
		c.Tick()
	}
	if got := len(c.Workers()); got != 2 {
		t.Fatalf("%d workers after c stayed silent 11 s, want 2", got)
	}
}
