package coordinator

import (
	"context"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// fakeWorker answers one session's tasks synchronously with the test
// prover, so core tests run the whole protocol under a fake clock without
// gRPC or goroutines.
type fakeWorker struct {
	t  *testing.T
	s  *Session
	be *testprover.Backend
	// byKind, if set, overrides be per kind (a worker of several kinds).
	byKind map[string]*testprover.Backend
	specs  map[string]engine.Spec
	// fail, if set, is asked before each task ("contribute", "prove" or
	// "fold" and its node): a non-empty msg is reported as TaskFailed.
	fail func(op string, node int) (msg string, permanent bool)
	// hold keeps tasks unanswered (the worker looks busy or hung).
	hold bool
	// corrupt, if set, may change each result before it is sent (a
	// worker sending garbage).
	corrupt func(op string, node int, result []byte) []byte
}

func (f *fakeWorker) result(op string, node int, r []byte) []byte {
	if f.corrupt == nil {
		return r
	}
	return f.corrupt(op, node, r)
}

func newFakeWorker(t *testing.T, c *Coordinator, id string, capacity uint32) *fakeWorker {
	t.Helper()
	s, err := c.Attach(id, capacity, riscvOnly)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeWorker{t: t, s: s, be: &testprover.Backend{}, specs: map[string]engine.Spec{}}
}

func (f *fakeWorker) backend(kind string) *testprover.Backend {
	if b := f.byKind[kind]; b != nil {
		return b
	}
	return f.be
}

func (f *fakeWorker) heartbeat() bool {
	return f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{}}})
}

// step answers every message queued for the worker; false if there was none.
func (f *fakeWorker) step() bool {
	if f.hold {
		return false
	}
	msgs := drain(f.t, f.s)
	for _, m := range msgs {
		f.handle(m)
	}
	return len(msgs) > 0
}

func (f *fakeWorker) failed(jobID string, phase pb.TaskPhase, op string, node int) bool {
	if f.fail == nil {
		return false
	}
	msg, perm := f.fail(op, node)
	if msg == "" {
		return false
	}
	f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{
		JobId: jobID, Phase: phase, Node: uint32(node), Error: msg, Permanent: perm}}})
	return true
}

func (f *fakeWorker) handle(m *pb.CoordinatorMessage) {
	ctx := context.Background()
	prove := func(jobID string, leaves []uint32, challenge []byte) {
		for _, l := range leaves {
			if f.failed(jobID, pb.TaskPhase_TASK_PHASE_PROVE, "prove", int(l)) {
				continue
			}
			spec := f.specs[jobID]
			p, err := f.backend(spec.Kind).ProveLeaf(ctx, spec, int(l), challenge)
			if err != nil {
				f.t.Fatal(err)
			}
			f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_LeafProof{LeafProof: &pb.LeafProof{JobId: jobID, Leaf: l, Proof: f.result("prove", int(l), p)}}})
		}
	}
	switch x := m.Msg.(type) {
	case *pb.CoordinatorMessage_Assign:
		a := x.Assign
		if s := a.Spec; s.Kind != "" || len(s.Elf) > 0 || len(s.Input) > 0 {
			f.specs[a.JobId] = engine.Spec{Kind: s.Kind, ELF: s.Elf, Input: s.Input, MaxCycles: s.MaxCycles}
		} else if _, ok := f.specs[a.JobId]; !ok {
			// An Assign without the spec of a job this worker has none of
			// (the real worker does the same): the coordinator resends it.
			for _, l := range a.Leaves {
				f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{
					JobId: a.JobId, Phase: a.Phase, Node: l, Error: "assign for a job this worker has no spec of"}}})
			}
			return
		}
		if a.Phase == pb.TaskPhase_TASK_PHASE_PROVE {
			prove(a.JobId, a.Leaves, a.Challenge)
			return
		}
		for _, l := range a.Leaves {
			if f.failed(a.JobId, pb.TaskPhase_TASK_PHASE_CONTRIBUTE, "contribute", int(l)) {
				continue
			}
			spec := f.specs[a.JobId]
			cm, err := f.backend(spec.Kind).Contribute(ctx, spec, int(l))
			if err != nil {
				f.t.Fatal(err)
			}
			f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Contribution{Contribution: &pb.Contribution{JobId: a.JobId, Leaf: l, Commitment: f.result("contribute", int(l), cm)}}})
		}
	case *pb.CoordinatorMessage_Challenge:
		prove(x.Challenge.JobId, x.Challenge.Leaves, x.Challenge.Challenge)
	case *pb.CoordinatorMessage_FoldTask:
		ft := x.FoldTask
		if f.failed(ft.JobId, pb.TaskPhase_TASK_PHASE_UNSPECIFIED, "fold", int(ft.Node)) {
			return
		}
		p, err := f.backend(ft.Kind).Fold(ctx, ft.Left, ft.Right)
		if err != nil {
			f.t.Fatal(err)
		}
		f.s.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_FoldResult{FoldResult: &pb.FoldResult{JobId: ft.JobId, Node: ft.Node, Proof: f.result("fold", int(ft.Node), p)}}})
	case *pb.CoordinatorMessage_Cancel:
		delete(f.specs, x.Cancel.JobId)
	}
}

// runAll steps the workers until none has anything left to answer.
func runAll(t *testing.T, ws ...*fakeWorker) {
	t.Helper()
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("workers never went quiet")
		}
		busy := false
		for _, w := range ws {
			if w.step() {
				busy = true
			}
		}
		if !busy {
			return
		}
	}
}

// riscvOnly is what a real-prover RISC-V worker registers with.
var riscvOnly = []WorkerKind{{Kind: engine.KindRISCV}}
