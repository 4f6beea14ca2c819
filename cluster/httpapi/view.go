package httpapi

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Core API job states. A job moves pending → preparing → proving →
// completed, or ends failed or cancelled from any non-terminal state.
const (
	StatePending   = "pending"   // accepted, its input not yet validated
	StatePreparing = "preparing" // input validated and executed; witnesses and (RISC-V) commitments being prepared, or waiting for workers
	StateProving   = "proving"   // leaf proofs, folds and the final proof
	StateCompleted = "completed"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
)

// State is the Core API state of a job snapshot.
func State(j *pb.Job) string {
	switch j.GetState() {
	case pb.JobState_JOB_STATE_COMPLETED:
		return StateCompleted
	case pb.JobState_JOB_STATE_FAILED:
		return StateFailed
	case pb.JobState_JOB_STATE_CANCELLED:
		return StateCancelled
	case pb.JobState_JOB_STATE_RUNNING:
		if j.GetPhase() == pb.JobPhase_JOB_PHASE_CONTRIBUTE {
			return StatePreparing
		}
		return StateProving
	}
	if j.GetLeaves() == 0 {
		return StatePending
	}
	return StatePreparing
}

// Terminal reports whether a Core API state is final.
func Terminal(state string) bool {
	return state == StateCompleted || state == StateFailed || state == StateCancelled
}

// Progress is the job's progress in percent: proving work done (leaf
// contributions when the job has a contribution phase, leaf proofs, folds,
// the final proof) over the work of the whole plan.
func Progress(j *pb.Job) float64 {
	if j.GetState() == pb.JobState_JOB_STATE_COMPLETED {
		return 100
	}
	l := float64(j.GetLeaves())
	if l == 0 {
		return 0
	}
	total := l + float64(j.GetFoldsTotal()) + 1
	done := float64(j.GetLeavesProved()) + float64(j.GetFoldsDone())
	if j.GetContributions() > 0 || j.GetPhase() == pb.JobPhase_JOB_PHASE_CONTRIBUTE {
		total += l
		done += float64(j.GetContributions())
	}
	pct := 100 * done / total
	// Two decimals are plenty, and keep the JSON short.
	return float64(int(pct*100)) / 100
}

// version is a number that only grows as a job advances: its attempt,
// the rank of its state, then the units of work done. SSE event ids are
// versions, so Last-Event-ID tells the server what the client has seen.
func version(j *pb.Job) uint64 {
	rank := map[string]uint64{StatePending: 0, StatePreparing: 1, StateProving: 2,
		StateCompleted: 3, StateFailed: 3, StateCancelled: 3}[State(j)]
	units := uint64(j.GetContributions()) + uint64(j.GetLeavesProved()) + uint64(j.GetFoldsDone())
	if j.GetPhase() == pb.JobPhase_JOB_PHASE_FINALIZE {
		units++
	}
	return uint64(j.GetAttempt())<<40 | rank<<32 | units&0xffffffff
}

// field returns a statement field of the job ("" when absent).
func field(j *pb.Job, name string) string {
	for _, f := range j.GetStatement() {
		if f.GetName() == name {
			return f.GetValue()
		}
	}
	return ""
}

// batchID is the job's batch_id (ok false for a job that is no batch or
// not planned yet).
func batchID(j *pb.Job) (uint64, bool) {
	v := field(j, "batch_id")
	if v == "" {
		return 0, false
	}
	id, err := strconv.ParseUint(v, 10, 64)
	return id, err == nil
}

func rfc3339(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// JobView is a job's status, the data of a status event and of GET
// …/{job_id}.
type JobView struct {
	Type         string            `json:"type,omitempty"`
	JobID        string            `json:"job_id"`
	Kind         string            `json:"kind"`
	BatchID      *uint64           `json:"batch_id,omitempty"`
	State        string            `json:"state"`
	ProgressPct  float64           `json:"progress_pct"`
	Message      string            `json:"message,omitempty"`
	CreatedAt    string            `json:"created_at"`
	UpdatedAt    string            `json:"updated_at,omitempty"`
	CompletedAt  string            `json:"completed_at,omitempty"`
	Error        string            `json:"error,omitempty"`
	Mock         bool              `json:"mock"`
	LeavesTotal  uint32            `json:"leaves_total"`
	LeavesProved uint32            `json:"leaves_proved"`
	FoldsTotal   uint32            `json:"folds_total"`
	FoldsDone    uint32            `json:"folds_done"`
	Statement    map[string]string `json:"statement,omitempty"`
}

func viewOf(j *pb.Job, typ, msg string, updatedMs int64) *JobView {
	v := &JobView{Type: typ, JobID: j.GetId(), Kind: j.GetKind(), State: State(j), ProgressPct: Progress(j), Message: msg,
		CreatedAt: rfc3339(j.GetCreatedUnixMs()), UpdatedAt: rfc3339(updatedMs), CompletedAt: rfc3339(j.GetFinishedUnixMs()),
		Error: j.GetError(), Mock: j.GetMock(), LeavesTotal: j.GetLeaves(), LeavesProved: j.GetLeavesProved(),
		FoldsTotal: j.GetFoldsTotal(), FoldsDone: j.GetFoldsDone()}
	if id, ok := batchID(j); ok {
		v.BatchID = &id
	}
	if len(j.GetStatement()) > 0 {
		v.Statement = map[string]string{}
		for _, f := range j.GetStatement() {
			v.Statement[f.GetName()] = f.GetValue()
		}
	}
	return v
}

// ProofView is a completed job's proof, the data of GET …/proof and of
// the completed event. Byte fields are hex without "0x"; roots are "0x" +
// 64 hex digits.
type ProofView struct {
	Type    string  `json:"type,omitempty"`
	JobID   string  `json:"job_id"`
	Kind    string  `json:"kind"`
	BatchID *uint64 `json:"batch_id,omitempty"`
	// ProofBytes is the proof file (for the mock prover a labelled
	// placeholder that no verifier accepts).
	ProofBytes string `json:"proof_bytes"`
	// PublicWitnessBytes is the proof's public input: for a batch the
	// statement's public input (32 bytes, big-endian).
	PublicWitnessBytes string            `json:"public_witness_bytes,omitempty"`
	BatchHash          string            `json:"batch_hash,omitempty"`
	WithdrawalRoot     string            `json:"withdrawal_root,omitempty"`
	ProvingTimeMs      int64             `json:"proving_time_ms"`
	Mock               bool              `json:"mock"`
	Statement          map[string]string `json:"statement,omitempty"`
	// Settlement is the chain's record of the batch's settlement (a job
	// of a coordinator that settles batches; see SettleOption).
	Settlement json.RawMessage `json:"settlement,omitempty"`
}

func proofViewOf(j *pb.Job, proof []byte) *ProofView {
	v := &ProofView{JobID: j.GetId(), Kind: j.GetKind(), ProofBytes: hex.EncodeToString(proof),
		BatchHash: field(j, "batch_hash"), WithdrawalRoot: field(j, "withdrawal_root"), Mock: j.GetMock()}
	if id, ok := batchID(j); ok {
		v.BatchID = &id
	}
	if pi := field(j, "public_input"); len(pi) > 2 && pi[:2] == "0x" {
		v.PublicWitnessBytes = pi[2:]
	}
	if f := j.GetFinishedUnixMs(); f > 0 {
		v.ProvingTimeMs = f - j.GetCreatedUnixMs()
	}
	if len(j.GetStatement()) > 0 {
		v.Statement = map[string]string{}
		for _, f := range j.GetStatement() {
			v.Statement[f.GetName()] = f.GetValue()
		}
	}
	return v
}
