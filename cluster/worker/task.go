package worker

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// task is one unit of work the coordinator deals: a contribution or a
// leaf proof (one leaf of an Assign or a Challenge), or a fold. The
// coordinator stream (session.run) and the HTTP API (POST /prove) both
// run tasks through Worker.runTask: one prover code path.
type task struct {
	jobID     string
	op        string // "contribute", "prove" or "fold"
	node      uint32 // leaf, or fold node id
	spec      engine.Spec
	challenge []byte // prove
	foldKind  string // fold: the job's kind
	left      []byte // fold
	right     []byte // fold
}

// kind is the kind whose backend runs the task.
func (t task) kind() string {
	k := t.spec.Kind
	if t.op == "fold" {
		k = t.foldKind
	}
	if k == "" {
		k = engine.DefaultKind
	}
	return k
}

// phase is the task's phase on the wire (UNSPECIFIED for folds).
func (t task) phase() pb.TaskPhase {
	switch t.op {
	case "contribute":
		return pb.TaskPhase_TASK_PHASE_CONTRIBUTE
	case "prove":
		return pb.TaskPhase_TASK_PHASE_PROVE
	}
	return pb.TaskPhase_TASK_PHASE_UNSPECIFIED
}

// execute runs t on be and returns its result message.
func (t task) execute(ctx context.Context, be engine.Backend) (*pb.WorkerMessage, error) {
	switch t.op {
	case "contribute":
		c, err := be.Contribute(ctx, t.spec, int(t.node))
		if err != nil {
			return nil, err
		}
		return &pb.WorkerMessage{Msg: &pb.WorkerMessage_Contribution{Contribution: &pb.Contribution{JobId: t.jobID, Leaf: t.node, Commitment: c}}}, nil
	case "prove":
		p, err := be.ProveLeaf(ctx, t.spec, int(t.node), t.challenge)
		if err != nil {
			return nil, err
		}
		return &pb.WorkerMessage{Msg: &pb.WorkerMessage_LeafProof{LeafProof: &pb.LeafProof{JobId: t.jobID, Leaf: t.node, Proof: p}}}, nil
	case "fold":
		p, err := be.Fold(ctx, t.left, t.right)
		if err != nil {
			return nil, err
		}
		return &pb.WorkerMessage{Msg: &pb.WorkerMessage_FoldResult{FoldResult: &pb.FoldResult{JobId: t.jobID, Node: t.node, Proof: p}}}, nil
	}
	return nil, fmt.Errorf("unknown task %q", t.op)
}

// failed is the TaskFailed message for an error of t.
func (t task) failed(err error) *pb.WorkerMessage {
	return &pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{JobId: t.jobID, Phase: t.phase(), Node: t.node,
		Error: err.Error(), Permanent: Permanent(err)}}}
}

// taskStats are the worker's task totals over every path (for the HTTP
// API's /health).
type taskStats struct {
	succeeded, failed, cancelled atomic.Int64
	provingNanos                 atomic.Int64 // over succeeded tasks
}

// runTask runs t on one of the worker's capacity slots (shared by every
// path): it waits for a slot, gets the backend of t's kind from backend,
// runs t and returns the message for the coordinator, its result or a
// TaskFailed. It returns nil when ctx ends first; held then says whether
// the task held a slot (whose release the caller may announce).
func (w *Worker) runTask(ctx context.Context, t task, backend func(kind string) (engine.Backend, error)) (msg *pb.WorkerMessage, held bool) {
	select {
	case w.slots <- struct{}{}:
	case <-ctx.Done():
		w.stats.cancelled.Add(1)
		return nil, false
	}
	defer func() { <-w.slots }()
	if ctx.Err() != nil {
		w.stats.cancelled.Add(1)
		return nil, true
	}
	w.m.Running.Inc()
	start := time.Now()
	msg, err := func() (*pb.WorkerMessage, error) {
		be, err := backend(t.kind())
		if err != nil {
			return nil, err
		}
		return t.execute(ctx, be)
	}()
	w.m.Running.Dec()
	if ctx.Err() != nil {
		// Cancelled: the slot is free only now (the prover may have
		// ignored the cancel).
		w.stats.cancelled.Add(1)
		return nil, true
	}
	if err != nil {
		w.stats.failed.Add(1)
		w.m.TaskFailures.WithLabelValues(t.op).Inc()
		w.log.Error("task failed", "job", t.jobID, "kind", t.op, "node", t.node, "err", err)
		return t.failed(err), true
	}
	d := time.Since(start)
	w.stats.succeeded.Add(1)
	w.stats.provingNanos.Add(int64(d))
	w.m.Tasks.WithLabelValues(t.op).Inc()
	w.m.TaskDuration.WithLabelValues(t.op).Observe(d.Seconds())
	return msg, true
}
