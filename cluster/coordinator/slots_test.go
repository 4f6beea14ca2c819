package coordinator

import (
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func hb(ready bool, running uint32) *pb.WorkerMessage {
	return &pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{Ready: ready, Running: running}}}
}

// TestReadinessAndCancelledSlots covers issue 18 items 13 and 6: a worker
// that announces its state is dealt nothing before it says it is ready
// (keys fetched); after its job is cancelled, its prover ignoring the
// cancel, its slots stay busy (no new job is dealt behind the running
// proof) until a heartbeat reports them ended.
func TestReadinessAndCancelledSlots(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	s, err := c.AttachWith("w", 1, riscvOnly, AttachOptions{AnnouncesState: true})
	if err != nil {
		t.Fatal(err)
	}
	a := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1)})
	if got := assigned(drain(t, s)); len(got) != 0 {
		t.Fatalf("a worker still fetching keys was dealt %v", got)
	}
	s.Handle(hb(false, 0))
	if got := assigned(drain(t, s)); len(got) != 0 {
		t.Fatalf("a worker not ready was dealt %v", got)
	}
	s.Handle(hb(true, 0))
	if got := assigned(drain(t, s)); len(got) != 1 {
		t.Fatalf("ready worker dealt %v, want the job's leaf", got)
	}
	s.Handle(hb(true, 1)) // proving it
	if _, err := c.Cancel(a.Id); err != nil {
		t.Fatal(err)
	}
	b := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1)})
	drain(t, s) // the Cancel
	for range 3 {
		s.Handle(hb(true, 1)) // the prover ignores the cancel
		if got := assigned(drain(t, s)); len(got) != 0 {
			t.Fatalf("dealt %v behind a cancelled proof still running", got)
		}
		if ws := c.Workers(); ws[0].Tasks != 1 || ws[0].JobId != "" {
			t.Fatalf("worker view while the cancelled proof runs: %+v", ws[0])
		}
	}
	if j, _ := c.Job(b.Id); j.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("second job %v, want queued", j.State)
	}
	s.Handle(hb(true, 0)) // the cancelled proof returned
	if got := assigned(drain(t, s)); len(got) != 1 {
		t.Fatalf("freed worker dealt %v, want the second job's leaf", got)
	}
}

// TestWorkerWithoutStateIsReadyAtOnce: a worker that does not announce
// its state (older protocol) is dealt work at once, as before.
func TestWorkerWithoutStateIsReadyAtOnce(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{})
	s, err := c.Attach("old", 1, riscvOnly)
	if err != nil {
		t.Fatal(err)
	}
	submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(1)})
	if got := assigned(drain(t, s)); len(got) != 1 {
		t.Fatalf("dealt %v", got)
	}
}
