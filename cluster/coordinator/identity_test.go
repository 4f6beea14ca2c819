package coordinator

import (
	"errors"
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func attachInstance(t *testing.T, c *Coordinator, id, instance string) *fakeWorker {
	t.Helper()
	f := newFakeWorker(t, c, id+"-placeholder", 1) // for its prover and specs
	f.s.Close()
	s, err := c.AttachWith(id, 1, riscvOnly, AttachOptions{Instance: instance})
	if err != nil {
		t.Fatal(err)
	}
	f.s = s
	return f
}

// TestWorkerIdentity covers issue 18 item 7: a second live process with a
// taken id is refused; a reconnect of the same process within the grace
// period resumes without charging an attempt, three times in a row (three
// network blips of the only worker no longer fail its job); a worker that
// does not come back is dropped after the grace period.
func TestWorkerIdentity(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{MaxTaskAttempts: 2, ReconnectGrace: 5 * time.Second})
	w := attachInstance(t, c, "w", "proc-1")
	if _, err := c.AttachWith("w", 1, riscvOnly, AttachOptions{Instance: "proc-2"}); !errors.Is(err, ErrIDTaken) {
		t.Fatalf("second live process with id w: %v, want ErrIDTaken", err)
	}
	w.hold = true
	id := submit(t, c, 2)
	for blip := range 3 {
		w.s.Close() // the stream broke
		clk.Add(2 * time.Second)
		if ws := c.Workers(); len(ws) != 1 {
			t.Fatalf("blip %d: worker forgotten within the grace period: %v", blip, ws)
		}
		w = func() *fakeWorker {
			s, err := c.AttachWith("w", 1, riscvOnly, AttachOptions{Instance: "proc-1"})
			if err != nil {
				t.Fatalf("blip %d: reconnect refused: %v", blip, err)
			}
			w.s = s
			return w
		}()
		if j, _ := c.Job(id); j.State != pb.JobState_JOB_STATE_RUNNING || j.TaskRetries != 0 {
			t.Fatalf("blip %d: job %v with %d retries (%s)", blip, j.State, j.TaskRetries, j.Error)
		}
	}
	w.hold = false
	runAll(t, w)
	if j, _ := c.Job(id); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job after three blips: %v %s", j.State, j.Error)
	}
	// Gone for good: dropped after the grace period, then another
	// process may take the id.
	w.s.Close()
	clk.Add(6 * time.Second)
	if ws := c.Workers(); len(ws) != 0 {
		t.Fatalf("workers after the grace period: %v", ws)
	}
	if _, err := c.AttachWith("w", 1, riscvOnly, AttachOptions{Instance: "proc-2"}); err != nil {
		t.Fatalf("new process after the old one left: %v", err)
	}
}
