package coordinator

import (
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// job is the coordinator's in-memory state of one job; every field is
// guarded by Coordinator.mu.
type job struct {
	id        string
	programID string
	spec      prover.JobSpec
	reqCap    uint32
	attempt   uint32

	state pb.JobState
	phase pb.JobPhase
	err   string

	plan *prover.Plan
	tree []claim.Node

	commits   [][]byte // per leaf, phase 1
	nCommits  int
	challenge []byte
	proofs    [][]byte // per tree node: leaf proofs then folds
	nProved   int
	nFolds    int

	leafOwner  []string        // worker holding each unfinished leaf task
	foldFlight map[int]string  // fold node → worker folding it
	workers    map[string]bool // workers dealt to this job
	hasSpec    map[string]bool // workers that got the spec in an Assign
	aggregator string

	created, finished, phaseStart time.Time

	events   []*pb.JobEvent
	watchers map[chan *pb.JobEvent]struct{}
	done     chan struct{} // closed when terminal
	proof    []byte
}

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
		RequestedCapacity: j.reqCap, Aggregator: j.aggregator, Attempt: j.attempt,
	}
	if n := j.leaves(); n > 0 {
		s.FoldsTotal = uint32(n - 1)
	}
	if !j.finished.IsZero() {
		s.FinishedUnixMs = j.finished.UnixMilli()
	}
	if j.plan != nil {
		s.Cycles, s.ExitCode, s.Output = j.plan.Cycles, j.plan.ExitCode, j.plan.Output
	}
	for w := range j.workers {
		s.Workers = append(s.Workers, w)
	}
	return s
}
