package coordinator

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestBackfillCannotStarve reproduces issue 18 item 12: a job needing 1
// slot no longer waits behind one needing 2 while a worker idles, but
// the big job is passed at most MaxBackfill times and then starts first.
func TestBackfillCannotStarve(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{MaxBackfill: 1})
	w1, w2 := newFakeWorker(t, c, "w1", 1), newFakeWorker(t, c, "w2", 1)
	w1.hold, w2.hold = true, true
	state := func(id string) pb.JobState { j, _ := c.Job(id); return j.State }
	running := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1), RequestedCapacity: 1}) // takes one worker
	big := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2), RequestedCapacity: 2})
	small := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1), RequestedCapacity: 1})
	if state(running.Id) != pb.JobState_JOB_STATE_RUNNING || state(big.Id) != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("running %v, big %v", state(running.Id), state(big.Id))
	}
	if state(small.Id) != pb.JobState_JOB_STATE_RUNNING {
		t.Fatalf("small job %v behind a big one while a worker idled; want backfilled", state(small.Id))
	}
	// The big job was passed once (the bound): the next small job waits,
	// even when a worker frees up, until the big job has started.
	small2 := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1), RequestedCapacity: 1})
	holder := func(id string) *fakeWorker {
		j, _ := c.Job(id)
		if j.Workers[0] == "w1" {
			return w1
		}
		return w2
	}
	first, second := holder(running.Id), holder(small.Id)
	first.hold = false
	runUntilDone(t, c, []string{running.Id}, first)
	if state(small2.Id) != pb.JobState_JOB_STATE_QUEUED || state(big.Id) != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("after one worker freed: small2 %v big %v; want both queued (small2 may not pass big again)", state(small2.Id), state(big.Id))
	}
	second.hold = false
	runUntilDone(t, c, []string{small.Id}, second)
	if state(big.Id) != pb.JobState_JOB_STATE_RUNNING || state(small2.Id) != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("with both workers free: big %v small2 %v; want big first", state(big.Id), state(small2.Id))
	}
	runUntilDone(t, c, []string{big.Id, small2.Id}, w1, w2)
	if events := eventKinds(t, c, big.Id); !strings.Contains(events, "backfill") {
		t.Fatalf("big job events %s lack the backfill note", events)
	}
}

// TestQueueLimit: beyond MaxQueued waiting jobs, Submit is refused with a
// clear error (ResourceExhausted over gRPC) and nothing is created.
func TestQueueLimit(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{MaxQueued: 2})
	for range 2 {
		submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1)})
	}
	_, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1)})
	if !errors.Is(err, ErrQueueFull) {
		t.Fatalf("third Submit: %v, want ErrQueueFull", err)
	}
	if n := len(c.Jobs()); n != 2 {
		t.Fatalf("%d jobs after a refused Submit", n)
	}
	// A worker drains the queue: room again.
	w := newFakeWorker(t, c, "w", 1)
	runAll(t, w)
	submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1)})
}
