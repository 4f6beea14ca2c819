package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/zkfleet/zkfleet/cluster/auth"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// The swarm routes are the original swarm's view of the same batch jobs:
// a batch is named by its batch_id (not a job id), its chunks are the
// job's leaves, and "slicing" is the preparing state (the batch executed
// natively into chunk witnesses). They answer in the same wrapper as the
// /v2 routes.

// Swarm states.
const (
	SwarmPending   = "pending"
	SwarmSlicing   = "slicing"
	SwarmProving   = "proving"
	SwarmSettling  = "settling" // the proof is final; the batch is being settled on the chain
	SwarmCompleted = "completed"
	SwarmFailed    = "failed"
	SwarmCancelled = "cancelled"
)

// SwarmState is the swarm state of a job snapshot.
func SwarmState(j *pb.Job) string {
	switch State(j) {
	case StatePending:
		return SwarmPending
	case StatePreparing:
		return SwarmSlicing
	case StateCompleted:
		return SwarmCompleted
	case StateFailed:
		return SwarmFailed
	case StateCancelled:
		return SwarmCancelled
	}
	if j.GetPhase() == pb.JobPhase_JOB_PHASE_SETTLING {
		return SwarmSettling
	}
	return SwarmProving
}

// SwarmSubmitted is the data of POST /batch/submit.
type SwarmSubmitted struct {
	BatchID         uint64 `json:"batch_id"`
	JobID           string `json:"job_id"`
	Chunks          uint32 `json:"chunks"`
	WorkersAssigned int    `json:"workers_assigned"`
	Status          string `json:"status"`
	Existing        bool   `json:"existing"`
	Mock            bool   `json:"mock"`
	StatusURL       string `json:"status_url"`
	ProofURL        string `json:"proof_url"`
}

// swarmSubmit is POST /batch/submit: {"batch": <batch JSON>}, the same
// batch and the same rules as POST /v2/batch/prove.
func (a *API) swarmSubmit(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readBody(w, r)
	if !ok {
		return
	}
	var env struct {
		Batch json.RawMessage `json:"batch"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || len(env.Batch) == 0 || string(env.Batch) == "null" {
		msg := `the body must be {"batch": <batch JSON>}`
		if err != nil {
			msg += ": " + err.Error()
		}
		writeError(w, http.StatusBadRequest, CodeInvalidBatch, "invalid batch: "+msg, func(e *ErrorBody) {
			idx := -1
			e.TxIndex, e.Reason = &idx, msg
		})
		return
	}
	j, existing, ok := a.acceptBatch(w, r, env.Batch)
	if !ok {
		return
	}
	bid, _ := batchID(j)
	status := http.StatusAccepted
	if existing {
		status = http.StatusOK
	}
	w.Header().Set("Location", fmt.Sprintf("/batch/%d/status", bid))
	writeData(w, status, &SwarmSubmitted{BatchID: bid, JobID: j.GetId(), Chunks: j.GetLeaves(), WorkersAssigned: len(j.GetWorkers()),
		Status: SwarmState(j), Existing: existing, Mock: j.GetMock(),
		StatusURL: fmt.Sprintf("/batch/%d/status", bid), ProofURL: "/v2/batch/" + j.GetId() + "/proof"})
}

// ChunkRecord is one chunk of a swarm status.
type ChunkRecord struct {
	ChunkID       int    `json:"chunk_id"`
	Proved        bool   `json:"proved"`
	WorkerID      string `json:"worker_id,omitempty"`
	ProvedAt      string `json:"proved_at,omitempty"`
	ProvingTimeMs int64  `json:"proving_time_ms"` // task sent → proof accepted (includes queueing on the worker)
}

// SwarmStatus is the data of GET /batch/{batch_id}/status.
type SwarmStatus struct {
	BatchID            uint64        `json:"batch_id"`
	JobID              string        `json:"job_id"`
	State              string        `json:"state"`
	ChunksTotal        uint32        `json:"chunks_total"`
	ChunksProved       uint32        `json:"chunks_proved"`
	FoldsTotal         uint32        `json:"folds_total"`
	FoldsDone          uint32        `json:"folds_done"`
	SubmittedAt        string        `json:"submitted_at"`
	ProvingStartedAt   string        `json:"proving_started_at,omitempty"`
	ProvingCompletedAt string        `json:"proving_completed_at,omitempty"`
	Chunks             []ChunkRecord `json:"proofs"`
	SettledAt          string        `json:"settled_at,omitempty"`
	// Settlement is the chain's record (settle.Record) once settled.
	Settlement json.RawMessage `json:"settlement,omitempty"`
	ProofURL   string          `json:"proof_url"`
	Error      string          `json:"error,omitempty"`
	Mock       bool            `json:"mock"`
}

// swarmStatus is GET /batch/{batch_id}/status: the caller's latest job of
// that batch id (a live or completed one before a failed or cancelled one).
func (a *API) swarmStatus(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("batch_id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, fmt.Sprintf("batch id %q is not an unsigned 64-bit integer", raw), nil)
		return
	}
	tenant := auth.TenantFrom(r.Context())
	j := a.batchJob(tenant, id)
	if j == nil {
		j = a.latestBatchJob(tenant, id)
	}
	if j == nil {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no batch %d", id), nil)
		return
	}
	recs, err := a.core.LeafRecords(j.GetId())
	if err != nil {
		writeCoreError(w, err, j.GetId())
		return
	}
	s := &SwarmStatus{BatchID: id, JobID: j.GetId(), State: SwarmState(j), ChunksTotal: j.GetLeaves(), ChunksProved: j.GetLeavesProved(),
		FoldsTotal: j.GetFoldsTotal(), FoldsDone: j.GetFoldsDone(), SubmittedAt: rfc3339(j.GetCreatedUnixMs()),
		ProofURL: "/v2/batch/" + j.GetId() + "/proof", Error: j.GetError(), Mock: j.GetMock(), Chunks: []ChunkRecord{}}
	var first, last time.Time
	for _, rec := range recs {
		c := ChunkRecord{ChunkID: rec.Leaf, Proved: !rec.Proved.IsZero(), WorkerID: rec.Worker, ProvingTimeMs: rec.ProvingTime().Milliseconds()}
		if c.Proved {
			c.ProvedAt = rfc3339(rec.Proved.UnixMilli())
			if rec.Proved.After(last) {
				last = rec.Proved
			}
		}
		if !rec.Dealt.IsZero() && (first.IsZero() || rec.Dealt.Before(first)) {
			first = rec.Dealt
		}
		s.Chunks = append(s.Chunks, c)
	}
	if !first.IsZero() {
		s.ProvingStartedAt = rfc3339(first.UnixMilli())
	}
	if at, err := a.core.ProofFinalAt(j.GetId()); err == nil && !at.IsZero() {
		s.ProvingCompletedAt = rfc3339(at.UnixMilli())
	}
	if j.GetState() == pb.JobState_JOB_STATE_COMPLETED {
		if s.ProvingCompletedAt == "" {
			s.ProvingCompletedAt = rfc3339(j.GetFinishedUnixMs()) // proved before a restart
		}
		if rec, err := a.core.Result(j.GetId(), SettleOption); err == nil && rec != nil {
			// The job completes when the chain accepted the batch.
			s.Settlement, s.SettledAt = rec, rfc3339(j.GetFinishedUnixMs())
		}
	}
	writeData(w, http.StatusOK, s)
}

// latestBatchJob is tenant's most recent job of batch id in any state.
func (a *API) latestBatchJob(tenant string, id uint64) *pb.Job {
	jobs := a.core.Jobs()
	for i := len(jobs) - 1; i >= 0; i-- {
		j := jobs[i]
		if bid, ok := batchID(j); ok && bid == id && j.GetKind() == BatchKind {
			if owner, err := a.core.JobTenant(j.GetId()); err == nil && owner == tenant {
				return j
			}
		}
	}
	return nil
}

// SwarmWorker is one worker of GET /workers.
type SwarmWorker struct {
	WorkerID    string   `json:"worker_id"`
	Status      string   `json:"status"` // "idle", "busy", "not_ready" or "quarantined"
	Ready       bool     `json:"ready"`
	Capacity    uint32   `json:"max_concurrent_jobs"`
	ActiveJobs  uint32   `json:"active_jobs"` // tasks in flight
	Kinds       []string `json:"kinds"`
	Mock        bool     `json:"mock"`
	JobID       string   `json:"job_id,omitempty"` // for the operator only
	Quarantined string   `json:"quarantined,omitempty"`
	LastSeenAt  string   `json:"last_seen_at"`
}

// swarmWorkers is GET /workers. A tenant sees the fleet but not which job
// a worker serves.
func (a *API) swarmWorkers(w http.ResponseWriter, r *http.Request) {
	operator := auth.TenantFrom(r.Context()) == ""
	out := []SwarmWorker{}
	for _, wk := range a.core.Workers() {
		sw := SwarmWorker{WorkerID: wk.GetId(), Ready: wk.GetReady(), Capacity: wk.GetCapacity(), ActiveJobs: wk.GetTasks(),
			Kinds: wk.GetKinds(), Mock: wk.GetMock(), Quarantined: wk.GetQuarantined(), LastSeenAt: rfc3339(wk.GetLastSeenUnixMs())}
		switch {
		case wk.GetQuarantined() != "":
			sw.Status = "quarantined"
		case !wk.GetReady():
			sw.Status = "not_ready"
		case wk.GetJobId() != "":
			sw.Status = "busy"
		default:
			sw.Status = "idle"
		}
		if operator {
			sw.JobID = wk.GetJobId()
		}
		out = append(out, sw)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].WorkerID < out[k].WorkerID })
	writeData(w, http.StatusOK, out)
}

// SwarmHealth is the data of GET /health.
type SwarmHealth struct {
	Status           string `json:"status"` // "ok", or "unavailable" with a 503
	Message          string `json:"message,omitempty"`
	WorkersAvailable int    `json:"workers_available"` // connected and not quarantined
	WorkersReady     int    `json:"workers_ready"`     // of those, ready for tasks
	PendingBatches   int    `json:"pending_batches"`   // batches not yet proving
	ActiveBatches    int    `json:"active_batches"`    // batches proving
	MockProver       bool   `json:"mock_prover"`
}

func (a *API) swarmHealth(w http.ResponseWriter, _ *http.Request) {
	h := &SwarmHealth{Status: "ok", MockProver: a.core.Mock()}
	for _, wk := range a.core.Workers() {
		if wk.GetQuarantined() == "" {
			h.WorkersAvailable++
			if wk.GetReady() {
				h.WorkersReady++
			}
		}
	}
	for _, j := range a.core.Jobs() {
		if j.GetKind() != BatchKind {
			continue
		}
		switch SwarmState(j) {
		case SwarmPending, SwarmSlicing:
			h.PendingBatches++
		case SwarmProving, SwarmSettling:
			h.ActiveBatches++
		}
	}
	status := http.StatusOK
	if err := a.core.Health(); err != nil {
		h.Status, h.Message, status = "unavailable", err.Error(), http.StatusServiceUnavailable
	}
	writeData(w, status, h)
}
