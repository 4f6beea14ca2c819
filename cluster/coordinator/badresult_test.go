package coordinator

import (
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func flipLast(r []byte) []byte {
	out := append([]byte(nil), r...)
	out[len(out)-1] ^= 1
	return out
}

// TestBadResultBlamesTheProducer reproduces issue 18 item 2: a worker
// sends a commitment, leaf proof or fold that does not check. The result
// is refused when it arrives, its task is proved by another worker, the
// producer is quarantined (visible in Workers and in the metrics, and
// kept across a reconnect), and the honest workers are never blamed.
func TestBadResultBlamesTheProducer(t *testing.T) {
	for _, op := range []string{"contribute", "prove", "fold"} {
		t.Run(op, func(t *testing.T) {
			clk := &fakeClock{now: time.Unix(1000, 0)}
			c := newCore(t, clk, Config{})
			bad := newFakeWorker(t, c, "bad", 2)
			bad.corrupt = func(o string, _ int, r []byte) []byte {
				if o == op {
					return flipLast(r)
				}
				return r
			}
			id := submit(t, c, 4)
			runAll(t, bad) // alone, it meets the op and is caught
			ws := c.Workers()
			if len(ws) != 1 || !strings.Contains(ws[0].Quarantined, "does not match") {
				t.Fatalf("workers after a bad %s: %v", op, ws)
			}
			if s, _ := c.Job(id); s.State != pb.JobState_JOB_STATE_RUNNING {
				t.Fatalf("job after a bad %s: %v %s (a bad result must not fail it)", op, s.State, s.Error)
			}
			if n := counterValue(c.Metrics().BadResults.WithLabelValues(op)); n != 1 {
				t.Fatalf("bad results counted: %v", n)
			}
			// A reconnect does not lift the quarantine.
			bad.s.Close()
			bad = newFakeWorker(t, c, "bad", 2)
			good := newFakeWorker(t, c, "good", 1)
			runAll(t, bad, good)
			s, _ := c.Job(id)
			if s.State != pb.JobState_JOB_STATE_COMPLETED {
				t.Fatalf("job: %v %s", s.State, s.Error)
			}
			for _, w := range c.Workers() {
				if (w.Id == "bad") != (w.Quarantined != "") {
					t.Fatalf("worker %s quarantined=%q", w.Id, w.Quarantined)
				}
			}
			if bad.be.Contributions.Load()+bad.be.LeafProofs.Load()+bad.be.Folds.Load() != 0 {
				t.Fatal("the quarantined worker was dealt work after its reconnect")
			}
			events := eventKinds(t, c, id)
			if !strings.Contains(events, "bad_result") {
				t.Fatalf("no bad_result event: %s", events)
			}
		})
	}
}

// TestResultOfAnotherWorkersTaskIgnored: a worker sending an honest
// result for a task it does not hold changes nothing.
func TestResultOfAnotherWorkersTaskIgnored(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	holder := newFakeWorker(t, c, "holder", 1)
	holder.hold = true
	id := submit(t, c, 2)
	thief := newFakeWorker(t, c, "thief", 1)
	c.mu.Lock()
	spec := c.jobs[id].spec
	c.mu.Unlock()
	cm, err := (&testprover.Backend{}).Contribute(t.Context(), spec, 0)
	if err != nil {
		t.Fatal(err)
	}
	thief.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Contribution{Contribution: &pb.Contribution{JobId: id, Leaf: 0, Commitment: cm}}})
	c.mu.Lock()
	got := c.jobs[id].commits[0]
	c.mu.Unlock()
	if got != nil {
		t.Fatal("a contribution from a worker not holding the task was accepted")
	}
	holder.hold = false
	runAll(t, holder, thief)
	if s, _ := c.Job(id); s.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job: %v %s", s.State, s.Error)
	}
}

func eventKinds(t *testing.T, c *Coordinator, id string) string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var ks []string
	for _, ev := range c.jobs[id].events {
		ks = append(ks, ev.Kind)
	}
	return strings.Join(ks, ",")
}
