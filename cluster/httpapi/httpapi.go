// Package httpapi is the coordinator's HTTP "Core API": rollup batches
// (POST /v2/batch/prove and the status, proof and cancel routes of a
// batch job), generic jobs of any kind (POST /v2/jobs, same routes under
// /v2/jobs), health, and the OpenAPI document. It is a transport only: a
// thin façade over the coordinator's calls (Submit, Watch, Proof, Cancel,
// Jobs), with the same error classes as the gRPC API (cluster/transport).
//
// Every answer is JSON in the wrapper of the API it keeps compatible:
// {"status":"success","data":…} or {"status":"error","message":…,"code":…},
// with a meaningful HTTP status as well. Status routes are Server-Sent
// Events: a snapshot first, progress events, one terminal event, then the
// server closes the stream. See docs/PROTOCOL.md ("Core API") and
// docs/openapi.json.
package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/transport"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// OpenAPI is the API's OpenAPI 3 document (docs/openapi.json).
//
//go:embed openapi.json
var OpenAPI []byte

// BatchKind is the engine kind of rollup batch jobs.
const BatchKind = "rollup"

// SettleOption is the job option of the settling phase
// (rollup/settlement.JobOption): when the coordinator offers it, every
// batch submitted here settles on its chain before it completes.
const SettleOption = "settle"

// Error codes (the "code" of an error answer). The first six are the
// original API's; clients branch on them.
const (
	CodeNotReady        = "NOT_READY"         // 409: the job is still running
	CodeProofFailed     = "PROOF_FAILED"      // 410: the job failed; it will never have a proof
	CodeNotFound        = "NOT_FOUND"         // 404: no such job (or not a batch, under /v2/batch)
	CodeInvalidState    = "INVALID_STATE"     // 409: the operation does not apply in the job's state
	CodeInternal        = "INTERNAL_ERROR"    // 500
	CodeInvalidBatch    = "INVALID_BATCH"     // 422 (400 if malformed): with tx_index and reason
	CodeCancelled       = "CANCELLED"         // 410: the job was cancelled; it will never have a proof
	CodeBatchConflict   = "BATCH_ID_CONFLICT" // 409: the batch_id is taken by a job with other content
	CodeInvalidRequest  = "INVALID_REQUEST"   // 400: malformed request, unknown kind, limits
	CodeExecutionFailed = "EXECUTION_FAILED"  // 422: a RISC-V guest faulted or ran out of cycles
	CodeUnavailable     = "UNAVAILABLE"       // 503: the coordinator is closing, or keys are missing
)

// Config configures the API.
type Config struct {
	// Ping is the SSE keep-alive period (0: DefaultPing).
	Ping time.Duration
	// MaxBody bounds a request body (0: DefaultMaxBody).
	MaxBody int64
	// MaxStreams bounds the status streams open at once (0:
	// DefaultMaxStreams); beyond it a stream request answers 503.
	MaxStreams int
	// MaxPreparing bounds the submissions validated and executed at once
	// (0: DefaultMaxPreparing); further submissions wait their turn, so a
	// flood of large batches cannot starve the coordinator.
	MaxPreparing int
	Logger       *slog.Logger
}

// Defaults.
const (
	DefaultPing       = 15 * time.Second
	DefaultMaxBody    = 64 << 20
	DefaultMaxStreams = 4096
)

// DefaultMaxPreparing is the default of Config.MaxPreparing.
var DefaultMaxPreparing = max(2, runtime.GOMAXPROCS(0))

// API serves the Core API over one coordinator.
type API struct {
	core *coordinator.Coordinator
	cfg  Config
	mux  *http.ServeMux

	preparing chan struct{} // a token per submission being planned

	mu       sync.Mutex
	inflight map[uint64]chan struct{} // batch ids being submitted
	streams  int                      // status streams open
}

// New returns the Core API of core.
func New(core *coordinator.Coordinator, cfg Config) *API {
	if cfg.Ping <= 0 {
		cfg.Ping = DefaultPing
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxStreams <= 0 {
		cfg.MaxStreams = DefaultMaxStreams
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxPreparing <= 0 {
		cfg.MaxPreparing = DefaultMaxPreparing
	}
	a := &API{core: core, cfg: cfg, mux: http.NewServeMux(), inflight: map[uint64]chan struct{}{},
		preparing: make(chan struct{}, cfg.MaxPreparing)}
	a.mux.HandleFunc("POST /v2/batch/prove", a.proveBatch)
	a.mux.HandleFunc("GET /v2/batch/{job_id}", func(w http.ResponseWriter, r *http.Request) { a.status(w, r, true) })
	a.mux.HandleFunc("GET /v2/batch/{job_id}/status", func(w http.ResponseWriter, r *http.Request) { a.stream(w, r, true) })
	a.mux.HandleFunc("GET /v2/batch/{job_id}/proof", func(w http.ResponseWriter, r *http.Request) { a.proof(w, r, true) })
	a.mux.HandleFunc("DELETE /v2/batch/{job_id}", func(w http.ResponseWriter, r *http.Request) { a.cancel(w, r, true) })
	a.mux.HandleFunc("POST /v2/jobs", a.submitJob)
	a.mux.HandleFunc("GET /v2/jobs/{job_id}", func(w http.ResponseWriter, r *http.Request) { a.status(w, r, false) })
	a.mux.HandleFunc("GET /v2/jobs/{job_id}/status", func(w http.ResponseWriter, r *http.Request) { a.stream(w, r, false) })
	a.mux.HandleFunc("GET /v2/jobs/{job_id}/proof", func(w http.ResponseWriter, r *http.Request) { a.proof(w, r, false) })
	a.mux.HandleFunc("DELETE /v2/jobs/{job_id}", func(w http.ResponseWriter, r *http.Request) { a.cancel(w, r, false) })
	a.mux.HandleFunc("GET /v2/health", a.health)
	a.mux.HandleFunc("POST /batch/submit", a.swarmSubmit)
	a.mux.HandleFunc("GET /batch/{batch_id}/status", a.swarmStatus)
	a.mux.HandleFunc("GET /workers", a.swarmWorkers)
	a.mux.HandleFunc("GET /health", a.swarmHealth)
	a.mux.HandleFunc("GET /v2/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(OpenAPI)
	})
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no route %s %s", r.Method, r.URL.Path), nil)
	})
	return a
}

// Handler returns the API as a node.CoordinatorConfig.HTTP function.
func Handler(cfg Config) func(*coordinator.Coordinator) http.Handler {
	return func(c *coordinator.Coordinator) http.Handler { return New(c, cfg) }
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// ---- the wrapper ----

type success struct {
	Status string `json:"status"`
	Data   any    `json:"data"`
}

// ErrorBody is an error answer.
type ErrorBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Code    string `json:"code"`
	JobID   string `json:"job_id,omitempty"`
	// TxIndex and Reason come with INVALID_BATCH: the offending
	// transaction (-1 for the batch as a whole) and why.
	TxIndex *int   `json:"tx_index,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeData(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, success{Status: "success", Data: data})
}

func writeError(w http.ResponseWriter, status int, code, msg string, extra func(*ErrorBody)) {
	e := &ErrorBody{Status: "error", Message: msg, Code: code}
	if extra != nil {
		extra(e)
	}
	writeJSON(w, status, e)
}

// invalidTx is what rollup/batch.InvalidBatchError answers; the cluster
// links no proof system, so it is found by its method.
type invalidTx interface{ InvalidTx() (int, string) }

// writeCoreError answers an error of the core or a backend with its class.
func writeCoreError(w http.ResponseWriter, err error, jobID string) {
	var ib invalidTx
	if errors.As(err, &ib) {
		idx, reason := ib.InvalidTx()
		status := http.StatusUnprocessableEntity
		if !errors.Is(err, engine.ErrExecution) {
			status = http.StatusBadRequest
		}
		writeError(w, status, CodeInvalidBatch, err.Error(), func(e *ErrorBody) { e.TxIndex, e.Reason, e.JobID = &idx, reason, jobID })
		return
	}
	status := transport.HTTPStatus(err)
	code := CodeInternal
	switch {
	case errors.Is(err, coordinator.ErrNotFound):
		code = CodeNotFound
	case errors.Is(err, engine.ErrExecution):
		code = CodeExecutionFailed
	case status == http.StatusBadRequest:
		code = CodeInvalidRequest
	case status == http.StatusServiceUnavailable:
		code = CodeUnavailable
	case status == http.StatusConflict:
		code = CodeInvalidState
	}
	writeError(w, status, code, err.Error(), func(e *ErrorBody) { e.JobID = jobID })
}

// ---- submission ----

// Accepted is the data of a submission.
type Accepted struct {
	JobID     string  `json:"job_id"`
	Kind      string  `json:"kind"`
	BatchID   *uint64 `json:"batch_id,omitempty"`
	State     string  `json:"state"`
	Mock      bool    `json:"mock"`
	Existing  bool    `json:"existing"` // the batch_id was already submitted with this content
	StatusURL string  `json:"status_url"`
	ProofURL  string  `json:"proof_url"`
}

func accepted(j *pb.Job, prefix string, existing bool) *Accepted {
	a := &Accepted{JobID: j.GetId(), Kind: j.GetKind(), State: State(j), Mock: j.GetMock(), Existing: existing,
		StatusURL: prefix + j.GetId() + "/status", ProofURL: prefix + j.GetId() + "/proof"}
	if id, ok := batchID(j); ok {
		a.BatchID = &id
	}
	return a
}

func (a *API) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.cfg.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, CodeInvalidRequest, fmt.Sprintf("request body above %d bytes", a.cfg.MaxBody), nil)
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, "reading the request: "+err.Error(), nil)
		return nil, false
	}
	return body, true
}

// canonical re-encodes a JSON document with sorted keys and no spaces, so
// "the same content" does not depend on formatting. Numbers keep their
// text.
func canonical(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON document")
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// proveBatch is POST /v2/batch/prove. The batch is validated and executed
// before the answer (an invalid batch fails at once with INVALID_BATCH);
// the same batch_id with the same content answers the existing job, with
// other content 409.
func (a *API) proveBatch(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readBody(w, r)
	if !ok {
		return
	}
	j, existing, ok := a.acceptBatch(w, r, body)
	if !ok {
		return
	}
	if existing {
		writeData(w, http.StatusOK, accepted(j, "/v2/batch/", true))
		return
	}
	w.Header().Set("Location", "/v2/batch/"+j.GetId())
	writeData(w, http.StatusAccepted, accepted(j, "/v2/batch/", false))
}

// acceptBatch validates, deduplicates and submits a batch body (the batch
// JSON of rollup/batch): it answers the error itself (ok false), or
// returns the new job — planned, or cancelled while it was validated — or
// the existing job of the same batch_id and content (existing true).
func (a *API) acceptBatch(w http.ResponseWriter, r *http.Request, body []byte) (j *pb.Job, existing, ok bool) {
	badBatch := func(msg string) {
		writeError(w, http.StatusBadRequest, CodeInvalidBatch, "invalid batch: "+msg, func(e *ErrorBody) {
			idx := -1
			e.TxIndex, e.Reason = &idx, msg
		})
	}
	canon, err := canonical(body)
	if err != nil {
		badBatch("malformed JSON: " + err.Error())
		return nil, false, false
	}
	var head struct {
		BatchID *uint64 `json:"batch_id"`
	}
	if err := json.Unmarshal(canon, &head); err != nil || head.BatchID == nil {
		badBatch("batch_id (an unsigned 64-bit integer) is required")
		return nil, false, false
	}
	id := *head.BatchID
	sum := sha256.Sum256(canon)
	digest := hex.EncodeToString(sum[:])

	release := a.claim(r.Context(), id)
	if release == nil {
		writeError(w, 499, CodeInvalidRequest, "client went away", nil)
		return nil, false, false
	}
	defer release()
	tenant := auth.TenantFrom(r.Context())
	if j := a.batchJob(tenant, id); j != nil {
		if field(j, "input_sha256") != digest {
			writeError(w, http.StatusConflict, CodeBatchConflict,
				fmt.Sprintf("batch_id %d is already job %s (%s) with other content; a batch id names one batch", id, j.GetId(), State(j)),
				func(e *ErrorBody) { e.JobID = j.GetId() })
			return nil, false, false
		}
		return j, true, true
	}
	req := coordinator.SubmitRequest{Kind: BatchKind, Input: canon, Tenant: tenant}
	if a.core.Offers(SettleOption) {
		req.PostProof = []string{SettleOption} // every batch settles, in batch order
	}
	j, err = a.submit(r.Context(), req)
	if err != nil {
		writeCoreError(w, err, j.GetId())
		return nil, false, false
	}
	if State(j) == StateCancelled {
		// Cancelled (DELETE) while it was being validated.
		return j, false, true
	}
	if bid, ok := batchID(j); !ok || bid != id {
		// The kind's summary names the batch it planned; anything else is a
		// configuration error (a backend of another kind under "rollup").
		writeError(w, http.StatusInternalServerError, CodeInternal, fmt.Sprintf("job %s planned without batch_id %d in its statement", j.GetId(), id), nil)
		return nil, false, false
	}
	return j, false, true
}

// submit waits for a preparation slot (or the client going away), then
// submits. Once submitted, planning does not die with the client's
// connection: the job exists.
func (a *API) submit(ctx context.Context, req coordinator.SubmitRequest) (*pb.Job, error) {
	select {
	case a.preparing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-a.preparing }()
	j, err := a.core.Submit(context.WithoutCancel(ctx), req)
	if err != nil {
		return j, err
	}
	// The core plans off the request path (a bounded planning pool); this
	// API answers with the planned job — its statement, or INVALID_BATCH
	// with the transaction at fault — so it waits for the plan.
	j, err = a.planned(ctx, j)
	if err == nil && j.GetState() == pb.JobState_JOB_STATE_FAILED {
		if perr := a.core.PlanError(j.GetId()); perr != nil {
			return j, perr
		}
	}
	return j, err
}

// planned waits until job j is planned (event "planned") or terminal, or
// ctx ends, and returns its latest snapshot.
func (a *API) planned(ctx context.Context, j *pb.Job) (*pb.Job, error) {
	w, err := a.core.Watch(j.GetId())
	if err != nil {
		return j, err
	}
	defer w.Stop()
	for {
		evs, ok := w.Next(ctx)
		for _, ev := range evs {
			if ev.GetJob() != nil {
				j = ev.GetJob()
			}
			// A snapshot of a job planned before the watch began says so
			// by its statement summary.
			if ev.GetKind() == "planned" || isTerminal(j) || len(j.GetStatement()) > 0 {
				return j, nil
			}
		}
		if !ok || ctx.Err() != nil {
			return j, nil
		}
	}
}

func isTerminal(j *pb.Job) bool {
	switch j.GetState() {
	case pb.JobState_JOB_STATE_COMPLETED, pb.JobState_JOB_STATE_FAILED, pb.JobState_JOB_STATE_CANCELLED:
		return true
	}
	return false
}

// claim serialises submissions of one batch id; it returns the release
// function, or nil when ctx ends first.
func (a *API) claim(ctx context.Context, id uint64) func() {
	for {
		a.mu.Lock()
		ch, busy := a.inflight[id]
		if !busy {
			ch = make(chan struct{})
			a.inflight[id] = ch
			a.mu.Unlock()
			return func() {
				a.mu.Lock()
				delete(a.inflight, id)
				a.mu.Unlock()
				close(ch)
			}
		}
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		}
	}
}

// batchJob is tenant's live or completed job holding batch id, if any.
// Failed and cancelled jobs free their batch id: the sequencer may
// resubmit. Batch ids are per tenant: another tenant's batch of the same
// id is neither a conflict nor visible.
func (a *API) batchJob(tenant string, id uint64) *pb.Job {
	jobs := a.core.Jobs()
	for i := len(jobs) - 1; i >= 0; i-- {
		j := jobs[i]
		if j.GetKind() != BatchKind {
			continue
		}
		if owner, err := a.core.JobTenant(j.GetId()); err != nil || owner != tenant {
			continue
		}
		if s := State(j); s == StateFailed || s == StateCancelled {
			continue
		}
		if bid, ok := batchID(j); ok && bid == id {
			return j
		}
	}
	return nil
}

// JobRequest is the body of POST /v2/jobs. Bytes are base64 (standard
// encoding) in JSON.
type JobRequest struct {
	Kind      string `json:"kind,omitempty"` // "" = riscv
	ProgramID string `json:"program_id,omitempty"`
	ELF       []byte `json:"elf,omitempty"`
	Input     []byte `json:"input,omitempty"`
	MaxCycles uint64 `json:"max_cycles,omitempty"`
	Capacity  uint32 `json:"requested_capacity,omitempty"`
}

// submitJob is POST /v2/jobs: a job of any kind (RISC-V by default).
func (a *API) submitJob(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readBody(w, r)
	if !ok {
		return
	}
	var req JobRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, "malformed job request: "+err.Error(), nil)
		return
	}
	if req.Kind == BatchKind {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, "submit rollup batches with POST /v2/batch/prove", nil)
		return
	}
	j, err := a.submit(r.Context(), coordinator.SubmitRequest{Kind: req.Kind, ProgramID: req.ProgramID,
		ELF: req.ELF, Input: req.Input, MaxCycles: req.MaxCycles, RequestedCapacity: req.Capacity, Tenant: auth.TenantFrom(r.Context())})
	if err != nil {
		writeCoreError(w, err, j.GetId())
		return
	}
	w.Header().Set("Location", "/v2/jobs/"+j.GetId())
	writeData(w, http.StatusAccepted, accepted(j, "/v2/jobs/", false))
}

// ---- status, proof, cancel ----

// job looks up the path's job; under /v2/batch it must be a batch. A
// tenant (auth.TenantFrom) sees only its own jobs: another tenant's job
// answers NOT_FOUND exactly like a job that does not exist.
func (a *API) job(w http.ResponseWriter, r *http.Request, batchOnly bool) (*pb.Job, bool) {
	id := r.PathValue("job_id")
	j, err := a.core.Job(id)
	if err == nil {
		if tenant := auth.TenantFrom(r.Context()); tenant != "" {
			if owner, terr := a.core.JobTenant(id); terr != nil || owner != tenant {
				j, err = nil, fmt.Errorf("%w: job %s", coordinator.ErrNotFound, id)
			}
		}
	}
	if err != nil {
		writeCoreError(w, err, id)
		return nil, false
	}
	if batchOnly && j.GetKind() != BatchKind {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("job %s is a %s job, not a batch (see /v2/jobs/%s)", id, j.GetKind(), id),
			func(e *ErrorBody) { e.JobID = id })
		return nil, false
	}
	return j, true
}

func (a *API) status(w http.ResponseWriter, r *http.Request, batchOnly bool) {
	j, ok := a.job(w, r, batchOnly)
	if !ok {
		return
	}
	writeData(w, http.StatusOK, viewOf(j, "status", "", time.Now().UnixMilli()))
}

// proofOf answers a job's proof, or the error saying why there is none.
func (a *API) proofOf(id string) (*ProofView, int, *ErrorBody) {
	proof, j, err := a.core.Proof(id)
	if err == nil {
		v := proofViewOf(j, proof)
		if rec, rerr := a.core.Result(id, SettleOption); rerr == nil && rec != nil {
			v.Settlement = rec
		}
		return v, http.StatusOK, nil
	}
	e := &ErrorBody{Status: "error", Message: err.Error(), JobID: id}
	switch State(j) {
	case StateFailed:
		e.Code, e.Message = CodeProofFailed, fmt.Sprintf("job %s failed: %s", id, j.GetError())
		return nil, http.StatusGone, e
	case StateCancelled:
		e.Code, e.Message = CodeCancelled, fmt.Sprintf("job %s was cancelled: it has no proof", id)
		return nil, http.StatusGone, e
	}
	if errors.Is(err, coordinator.ErrNotCompleted) {
		e.Code, e.Message = CodeNotReady, fmt.Sprintf("job %s is %s (%.0f%%)", id, State(j), Progress(j))
		return nil, http.StatusConflict, e
	}
	if errors.Is(err, coordinator.ErrNotFound) {
		e.Code = CodeNotFound
		return nil, http.StatusNotFound, e
	}
	e.Code = CodeInternal
	return nil, transport.HTTPStatus(err), e
}

func (a *API) proof(w http.ResponseWriter, r *http.Request, batchOnly bool) {
	j, ok := a.job(w, r, batchOnly)
	if !ok {
		return
	}
	v, status, e := a.proofOf(j.GetId())
	if e != nil {
		writeJSON(w, status, e)
		return
	}
	writeData(w, status, v)
}

// Cancelled is the data of a successful DELETE.
type Cancelled struct {
	JobID     string `json:"job_id"`
	Cancelled bool   `json:"cancelled"`
	State     string `json:"state"`
}

// cancel is DELETE: it cancels the job in any non-terminal state (its
// tasks are withdrawn from the workers). Cancelling a cancelled job again
// is a success; a completed or failed job answers INVALID_STATE.
func (a *API) cancel(w http.ResponseWriter, r *http.Request, batchOnly bool) {
	j, ok := a.job(w, r, batchOnly)
	if !ok {
		return
	}
	j, err := a.core.Cancel(j.GetId())
	if err != nil {
		writeCoreError(w, err, r.PathValue("job_id"))
		return
	}
	if s := State(j); s != StateCancelled {
		writeError(w, http.StatusConflict, CodeInvalidState, fmt.Sprintf("job %s is %s: only a job that has not ended can be cancelled", j.GetId(), s),
			func(e *ErrorBody) { e.JobID = j.GetId() })
		return
	}
	writeData(w, http.StatusOK, &Cancelled{JobID: j.GetId(), Cancelled: true, State: StateCancelled})
}

// Health is the data of GET /v2/health.
type Health struct {
	Status       string   `json:"status"` // "ok", or "unavailable" with a 503
	Message      string   `json:"message,omitempty"`
	ActiveJobs   int      `json:"active_jobs"`
	QueuedJobs   int      `json:"queued_jobs"`
	CachedProofs int      `json:"cached_proofs"` // completed jobs whose proofs can be fetched
	Workers      int      `json:"workers"`
	Capacity     int      `json:"capacity"` // task slots of the connected workers
	Kinds        []string `json:"kinds"`
	MockProver   bool     `json:"mock_prover"`
}

func (a *API) health(w http.ResponseWriter, _ *http.Request) {
	h := &Health{Status: "ok", Kinds: a.core.Kinds(), MockProver: a.core.Mock()}
	for _, j := range a.core.Jobs() {
		switch State(j) {
		case StateCompleted:
			h.CachedProofs++
		case StatePending, StatePreparing:
			if j.GetState() == pb.JobState_JOB_STATE_QUEUED {
				h.QueuedJobs++
			} else {
				h.ActiveJobs++
			}
		case StateProving:
			h.ActiveJobs++
		}
	}
	for _, wk := range a.core.Workers() {
		h.Workers++
		h.Capacity += int(wk.GetCapacity())
	}
	status := http.StatusOK
	if err := a.core.Health(); err != nil {
		h.Status, h.Message, status = "unavailable", err.Error(), http.StatusServiceUnavailable
	}
	writeData(w, status, h)
}

// ---- SSE ----

// stream is GET …/status: Server-Sent Events. The first event is a
// "status" snapshot (skipped when Last-Event-ID shows the client has
// seen this version), then "progress" events (and "status" when the
// state changes), then one terminal event — "completed" with the proof
// fields, "failed" or "cancelled" — after which the stream ends. Comment
// lines ": ping" keep idle connections alive. Event ids are versions of
// the job that only grow.
func (a *API) stream(w http.ResponseWriter, r *http.Request, batchOnly bool) {
	j, ok := a.job(w, r, batchOnly)
	if !ok {
		return
	}
	a.mu.Lock()
	full := a.streams >= a.cfg.MaxStreams
	if !full {
		a.streams++
	}
	a.mu.Unlock()
	if full {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, fmt.Sprintf("%d status streams open: try again later, or poll GET …/{job_id}", a.cfg.MaxStreams), nil)
		return
	}
	defer func() {
		a.mu.Lock()
		a.streams--
		a.mu.Unlock()
	}()
	watcher, err := a.core.Watch(j.GetId())
	if err != nil {
		writeCoreError(w, err, j.GetId())
		return
	}
	defer watcher.Stop()
	var seen uint64
	hasSeen := false
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			seen, hasSeen = n, true
		}
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives any write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		return
	}

	ctx := r.Context()
	events := make(chan []*pb.JobEvent)
	go func() {
		defer close(events)
		for {
			evs, ok := watcher.Next(ctx)
			if !ok {
				return
			}
			select {
			case events <- evs:
			case <-ctx.Done():
				return
			}
		}
	}()
	ping := time.NewTicker(a.cfg.Ping)
	defer ping.Stop()
	lastState := ""
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case <-ping.C:
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		case evs, ok := <-events:
			if !ok {
				return // the watcher ended without a terminal event: the core is closing
			}
			for _, ev := range evs {
				done, err := a.send(w, ev, &seen, &hasSeen, &lastState, first)
				first = false
				if err != nil {
					return
				}
				if done {
					rc.Flush()
					return
				}
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}

// send writes one core event as an SSE event; done is true after the
// terminal event.
func (a *API) send(w io.Writer, ev *pb.JobEvent, seen *uint64, hasSeen *bool, lastState *string, first bool) (done bool, err error) {
	j := ev.GetJob()
	if j == nil {
		return false, nil
	}
	state := State(j)
	ver := version(j)
	terminal := Terminal(state)
	if *hasSeen && ver <= *seen && !terminal {
		*lastState = state
		return false, nil // the client has this version already
	}
	var name string
	var data any
	switch {
	case terminal:
		name = state
		if state == StateCompleted {
			v, _, e := a.proofOf(j.GetId())
			if e != nil {
				// Completed but the proof cannot be read (a store error): say so.
				name, data = StateFailed, map[string]any{"type": StateFailed, "job_id": j.GetId(), "error": e.Message}
				break
			}
			v.Type = StateCompleted
			data = v
		} else {
			data = viewOf(j, state, ev.GetMessage(), ev.GetUnixMs())
		}
	case first || state != *lastState:
		name, data = "status", viewOf(j, "status", ev.GetMessage(), ev.GetUnixMs())
	default:
		name, data = "progress", &ProgressEvent{Type: "progress", JobID: j.GetId(), State: state, ProgressPct: Progress(j),
			Message: ev.GetMessage(), LeavesProved: j.GetLeavesProved(), FoldsDone: j.GetFoldsDone()}
	}
	*lastState, *seen, *hasSeen = state, ver, true
	b, err := json.Marshal(data)
	if err != nil {
		return false, err
	}
	if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ver, name, b); err != nil {
		return false, err
	}
	return terminal, nil
}

// ProgressEvent is the data of a progress event.
type ProgressEvent struct {
	Type         string  `json:"type"`
	JobID        string  `json:"job_id"`
	State        string  `json:"state"`
	ProgressPct  float64 `json:"progress_pct"`
	Message      string  `json:"message,omitempty"`
	LeavesProved uint32  `json:"leaves_proved"`
	FoldsDone    uint32  `json:"folds_done"`
}
