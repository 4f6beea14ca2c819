package coordinator

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// job is the coordinator's in-memory state of one job; every field is
// guarded by Coordinator.mu.
type job struct {
	id        string
	programID string
	spec      engine.Spec
	reqCap    uint32
	attempt   uint32
	tenant    string // owner ("" = the operator's)
	seq       int    // position in submission order (Coordinator.order)
	bypassed  int    // times a later job was started while this one waited

	state pb.JobState
	phase pb.JobPhase
	err   string

	plan *engine.Plan
	tree []engine.Node

	commits   [][]byte // per leaf, phase 1
	nCommits  int
	challenge []byte
	// proved marks proved tree nodes (leaves then folds). proofs holds
	// only the frontier: a node's proof is dropped once its parent is
	// proved, so memory and checkpoints stay proportional to unfolded work.
	proved  []bool
	proofs  [][]byte
	nProved int
	nFolds  int

	leafOwner  []string        // worker holding each unfinished leaf task
	foldFlight map[int]string  // fold node → worker folding it
	workers    map[string]bool // workers dealt to this job
	hasSpec    map[string]bool // workers that got the spec in an Assign
	aggregator string

	// Duplicated stragglers (Config.DuplicateAfter): dup holds the second
	// holder of a leaf task in flight on leafOwner (either may deliver;
	// the first valid result wins), dupTried the leaves duplicated once in
	// this phase (never twice), sentAt when each leaf task was sent to its
	// holder. lost names, per task, the holder whose copy lost: its late
	// result or failure report is dropped (it only frees the slot).
	dup      map[int]string
	dupTried map[int]bool
	sentAt   []time.Time
	lost     map[taskKey]string
	// took holds how long each leaf task finished in this phase took
	// (sent to result), for the automatic straggler threshold.
	took []time.Duration

	// Retry bookkeeping, per tree node, for the task of the current phase
	// (leaf counters restart when PROVE begins): tries counts dispatches,
	// avoid the workers that failed or lost the task.
	tries   []int
	avoid   map[int]map[string]bool
	retries int // task retries over the job's life, for clients
	// deadline per tree node: when the task in flight is overdue (zero:
	// none). See Config.TaskTimeout.
	deadline []time.Time
	// leafRec records, per leaf of the current run, when its proving task
	// was last dealt and which worker's proof was accepted when (chunks.go).
	leafRec []leafRecord
	// proofAt is when the proof file became final (before any post-proof
	// phase; in memory only).
	proofAt time.Time

	created, finished, phaseStart time.Time
	// planStart and queuedAt time planning and the queue wait (metrics).
	planStart, queuedAt time.Time

	events   []*pb.JobEvent
	watchers map[*Watcher]struct{}
	done     chan struct{} // closed when terminal
	proof    []byte

	// post names the post-proof phases the job asked for; results holds
	// the result of each that ran (postproof.go).
	post    []string
	results map[string][]byte

	// Store bookkeeping: the input and output are written once each;
	// pruned means retention deleted the input, output and proof.
	inputStored, outputStored, proofStored, pruned bool

	// planErr is the error that failed planning (PlanError), kept so that
	// a transport can answer with its class and detail.
	planErr error
	// stopPlan cancels the planning in progress (set while the pool plans it).
	stopPlan func()
	// stopFinalize cancels the finalize in progress (set while FINALIZE runs).
	stopFinalize func()
}

// taskKey names a task across phases: its kind ("contribute", "prove"
// or "fold") and tree node.
type taskKey struct {
	kind string
	node int
}

// kind is the job's kind.
func (j *job) kind() string { return j.spec.KindOrDefault() }

// mock reports whether the job runs on the mock prover.
func (j *job) mock() bool { return j.plan != nil && j.plan.Mock }

// contributes reports whether the job has a contribution phase.
func (j *job) contributes() bool { return j.plan == nil || j.plan.Contribute }

// wantsPost reports whether the job asked for the post-proof phase name.
func (j *job) wantsPost(name string) bool { return slices.Contains(j.post, name) }

func (j *job) terminal() bool {
	return j.state == pb.JobState_JOB_STATE_COMPLETED || j.state == pb.JobState_JOB_STATE_FAILED ||
		j.state == pb.JobState_JOB_STATE_CANCELLED
}

func (j *job) leaves() int {
	if j.plan == nil {
		return 0
	}
	return j.plan.Leaves
}

// snapshot is the client view of the job.
func (j *job) snapshot() *pb.Job {
	s := &pb.Job{
		Id: j.id, ProgramId: j.programID, State: j.state, Phase: j.phase,
		Leaves: uint32(j.leaves()), Contributions: uint32(j.nCommits), LeavesProved: uint32(j.nProved),
		FoldsDone: uint32(j.nFolds), Error: j.err, CreatedUnixMs: j.created.UnixMilli(),
		RequestedCapacity: j.reqCap, Aggregator: j.aggregator, Attempt: j.attempt, TaskRetries: uint32(j.retries),
		Kind: j.kind(),
	}
	if n := j.leaves(); n > 0 {
		s.FoldsTotal = uint32(n - 1)
	}
	if !j.finished.IsZero() {
		s.FinishedUnixMs = j.finished.UnixMilli()
	}
	if p := j.plan; p != nil {
		s.Cycles, s.ExitCode, s.Output = p.Cycles, p.ExitCode, p.Output
		s.KeySet, s.Mock = p.KeySet, p.Mock
		for _, f := range p.Summary {
			s.Statement = append(s.Statement, &pb.StatementField{Name: f.Name, Value: f.Value})
		}
	}
	for w := range j.workers {
		s.Workers = append(s.Workers, w)
	}
	sort.Strings(s.Workers)
	return s
}

// taskKind names the task at node in the job's current phase.
func (j *job) taskKind(node int) string {
	switch {
	case node >= j.leaves():
		return "fold"
	case j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE:
		return "contribute"
	}
	return "prove"
}

// taskName is a task's name in events and error messages.
func (j *job) taskName(node int) string {
	switch j.taskKind(node) {
	case "fold":
		return fmt.Sprintf("fold node %d", node)
	case "contribute":
		return fmt.Sprintf("leaf %d contribution", node)
	}
	return fmt.Sprintf("leaf %d proof", node)
}

// resetRuns clears the per-run state before a (re)start or a resume.
func (j *job) resetRuns() {
	n := j.leaves()
	j.commits, j.nCommits, j.challenge = make([][]byte, n), 0, nil
	j.proved, j.proofs, j.nProved, j.nFolds = make([]bool, len(j.tree)), make([][]byte, len(j.tree)), 0, 0
	j.leafOwner = make([]string, n)
	j.tries, j.avoid = make([]int, len(j.tree)), map[int]map[string]bool{}
	j.deadline = make([]time.Time, len(j.tree))
	j.leafRec = make([]leafRecord, n)
	j.sentAt = make([]time.Time, n)
	j.dup, j.dupTried, j.lost = map[int]string{}, map[int]bool{}, map[taskKey]string{}
	j.took = nil
	clear(j.foldFlight)
	j.aggregator = ""
}
