package worker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// The worker's HTTP task API (zkfleet worker --http-addr): for a
// coordinator that cannot be dialed from the worker, it deals tasks over
// HTTP instead (cluster/httpworker). Routes, all behind the bearer secret:
//
//	GET  /health              readiness, capacity, active tasks, totals
//	POST /prove               run one task (ProveRequest), synchronously
//	                          (200, TaskStatus) or asynchronously (202)
//	GET  /status/{id}[?wait=] a task's TaskStatus (long-polls up to wait)
//	POST /cancel/{id}         cancel a task
//
// A task is exactly a message the coordinator sends on the stream, as
// protobuf JSON: an assign of one leaf with its job spec, or a
// fold_task. Its result is the message the worker would send back
// (contribution, leaf_proof, fold_result or task_failed), as protobuf
// JSON. Tasks run through Worker.runTask on the same capacity slots and
// backends as the stream's. See docs/PROTOCOL.md and
// docs/openapi-worker.json.

// Defaults of HTTPConfig.
const (
	// DefaultMaxProveBody bounds one POST /prove body: a gRPC message's
	// worth of ELF and input (160 MiB), base64 in JSON, and some room.
	DefaultMaxProveBody = 224 << 20
	// DefaultResultTTL is how long a finished task stays readable.
	DefaultResultTTL = 10 * time.Minute
	// DefaultMaxBodies bounds the /prove bodies read and parsed at once.
	DefaultMaxBodies = 2
	// maxWait bounds one long-poll of /status.
	maxWait = 60 * time.Second
)

// HTTPConfig configures the worker's HTTP task API.
type HTTPConfig struct {
	// Secret is the bearer secret every request must present ("" = none:
	// only for a loopback listener).
	Secret string
	// MaxBody bounds one /prove body (0: DefaultMaxProveBody); a larger
	// one is refused with 413.
	MaxBody int64
	// MaxBodies bounds the bodies read and parsed at once (0:
	// DefaultMaxBodies): with MaxBody it bounds the memory of requests.
	MaxBodies int
	// MaxActive bounds the tasks queued or running at once through the
	// API (0: twice the capacity, plus 2); beyond, /prove answers 429.
	MaxActive int
	// MaxFinished bounds the finished tasks kept for /status (0: 64);
	// the oldest is forgotten first.
	MaxFinished int
	// ResultTTL is how long a finished task stays readable (0:
	// DefaultResultTTL).
	ResultTTL time.Duration
	// StreamOff says the worker has no coordinator stream (HTTP only):
	// /health then does not report the stream's state.
	StreamOff bool
}

// ProveRequest is the body of POST /prove.
type ProveRequest struct {
	// Task is a zkfleet.v1.CoordinatorMessage in protobuf JSON: an
	// "assign" of exactly one leaf with its "spec", or a "fold_task".
	Task json.RawMessage `json:"task"`
	// KeySet is the key set the coordinator proves the task's kind under
	// (Registered.key_sets[].id): the worker opens its backend for it
	// ("" for a kind without one).
	KeySet string `json:"key_set,omitempty"`
	// Async: answer 202 with the task's id at once (poll /status).
	Async bool `json:"async,omitempty"`
}

// Task states of TaskStatus.
const (
	StateQueued    = "queued" // waiting for a capacity slot
	StateRunning   = "running"
	StateSucceeded = "succeeded"
	StateFailed    = "failed"    // result is a task_failed
	StateCancelled = "cancelled" // by /cancel, or the worker is stopping
)

// TaskStatus is a task's state, and its result once it ended.
type TaskStatus struct {
	ID    string `json:"id"`
	JobID string `json:"job_id"`
	Op    string `json:"op"` // contribute, prove or fold
	Node  uint32 `json:"node"`
	State string `json:"state"`
	// Result is the zkfleet.v1.WorkerMessage for the coordinator in
	// protobuf JSON (contribution, leaf_proof, fold_result or
	// task_failed); set when succeeded or failed.
	Result json.RawMessage `json:"result,omitempty"`
	// Error is the failure's message (failed, cancelled).
	Error      string  `json:"error,omitempty"`
	DurationMs float64 `json:"duration_ms,omitempty"`
}

// Finished reports whether the task ended.
func (s TaskStatus) Finished() bool {
	return s.State == StateSucceeded || s.State == StateFailed || s.State == StateCancelled
}

// HealthKind is one kind the worker proves.
type HealthKind struct {
	Kind string `json:"kind"`
	Mock bool   `json:"mock"`
}

// HealthTotals count tasks over every path (stream and HTTP).
type HealthTotals struct {
	Succeeded int64 `json:"succeeded"`
	Failed    int64 `json:"failed"`
	Cancelled int64 `json:"cancelled"`
	// Accepted counts tasks accepted by POST /prove.
	Accepted int64 `json:"accepted"`
}

// Health is the body of GET /health.
type Health struct {
	WorkerID string `json:"worker_id"`
	// Instance is random per worker process (as Register.instance).
	Instance string       `json:"instance"`
	Ready    bool         `json:"ready"`
	Reason   string       `json:"reason,omitempty"` // why not ready
	Capacity int          `json:"capacity"`
	Kinds    []HealthKind `json:"kinds"`
	// Active is the tasks holding a capacity slot, over every path,
	// cancelled ones still running included (as Heartbeat.running).
	Active int `json:"active"`
	// Queued is the API's tasks waiting for a slot.
	Queued int          `json:"queued"`
	Totals HealthTotals `json:"totals"`
	// AvgProvingMs is the mean time of a succeeded task (0: none yet).
	AvgProvingMs float64 `json:"avg_proving_ms"`
	// Stream is the coordinator stream's state: "connected", why not, or
	// "off" for an HTTP-only worker.
	Stream string `json:"stream"`
}

// HTTPAPI is the worker's HTTP task API; Close it to cancel its tasks.
type HTTPAPI struct {
	w      *Worker
	cfg    HTTPConfig
	mux    *http.ServeMux
	ctx    context.Context
	cancel context.CancelFunc
	bodies chan struct{}
	wg     sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	tasks    map[string]*httpTask
	byKey    map[string]*httpTask // queued or running, by job, op and node
	finished []*httpTask          // oldest first
	active   int
	queued   int
	accepted int64
}

// httpTask is one task of the API.
type httpTask struct {
	id, key string
	t       task
	cancel  context.CancelFunc
	done    chan struct{} // closed when it ended

	// guarded by HTTPAPI.mu
	state   string
	result  json.RawMessage
	errMsg  string
	took    time.Duration
	endedAt time.Time
}

// NewHTTPAPI returns the worker's HTTP task API.
func (w *Worker) NewHTTPAPI(cfg HTTPConfig) *HTTPAPI {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxProveBody
	}
	if cfg.MaxBodies <= 0 {
		cfg.MaxBodies = DefaultMaxBodies
	}
	if cfg.MaxActive <= 0 {
		cfg.MaxActive = 2*w.cfg.Capacity + 2
	}
	if cfg.MaxFinished <= 0 {
		cfg.MaxFinished = 64
	}
	if cfg.ResultTTL <= 0 {
		cfg.ResultTTL = DefaultResultTTL
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &HTTPAPI{w: w, cfg: cfg, ctx: ctx, cancel: cancel, bodies: make(chan struct{}, cfg.MaxBodies),
		tasks: map[string]*httpTask{}, byKey: map[string]*httpTask{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", a.health)
	mux.HandleFunc("POST /prove", a.prove)
	mux.HandleFunc("GET /status/{id}", a.status)
	mux.HandleFunc("POST /cancel/{id}", a.cancelTask)
	a.mux = mux
	return a
}

// ServeHTTP serves the API; every route needs the bearer secret (401).
func (a *HTTPAPI) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if err := auth.Check(r.Header.Values("Authorization"), a.cfg.Secret); err != nil {
		rw.Header().Set("WWW-Authenticate", `Bearer realm="zkfleet-worker"`)
		writeError(rw, http.StatusUnauthorized, err.Error())
		return
	}
	a.mux.ServeHTTP(rw, r)
}

// Close cancels every task of the API and waits for them.
func (a *HTTPAPI) Close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	a.wg.Wait()
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	json.NewEncoder(rw).Encode(v)
}

func writeError(rw http.ResponseWriter, code int, msg string) {
	writeJSON(rw, code, map[string]string{"error": msg})
}

func (a *HTTPAPI) health(rw http.ResponseWriter, _ *http.Request) {
	w := a.w
	h := Health{WorkerID: w.cfg.ID, Instance: w.instance, Ready: true, Capacity: w.cfg.Capacity, Active: len(w.slots), Stream: "off",
		Totals: HealthTotals{Succeeded: w.stats.succeeded.Load(), Failed: w.stats.failed.Load(), Cancelled: w.stats.cancelled.Load()}}
	for _, k := range sortedKinds(w.cfg.Kinds) {
		h.Kinds = append(h.Kinds, HealthKind{Kind: k, Mock: w.cfg.Kinds[k].Mock})
	}
	if n := h.Totals.Succeeded; n > 0 {
		h.AvgProvingMs = float64(w.stats.provingNanos.Load()) / float64(n) / 1e6
	}
	if !a.cfg.StreamOff {
		h.Stream = "connected"
		if err := w.Health(); err != nil {
			h.Stream = err.Error()
		}
	}
	a.mu.Lock()
	h.Queued, h.Totals.Accepted = a.queued, a.accepted
	if a.closed {
		h.Ready, h.Reason = false, "stopping"
	}
	a.mu.Unlock()
	code := http.StatusOK
	if !h.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(rw, code, h)
}

// errTooLarge wraps a body over the limit.
var errTooLarge = errors.New("request body too large")

// readBody reads at most max bytes of r's body, with at most MaxBodies
// bodies read at once.
func (a *HTTPAPI) readBody(rw http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	if r.ContentLength > a.cfg.MaxBody {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: %d bytes, at most %d", errTooLarge, r.ContentLength, a.cfg.MaxBody)
	}
	select {
	case a.bodies <- struct{}{}:
		defer func() { <-a.bodies }()
	case <-r.Context().Done():
		return nil, http.StatusServiceUnavailable, r.Context().Err()
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(rw, r.Body, a.cfg.MaxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: at most %d bytes", errTooLarge, a.cfg.MaxBody)
	}
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	return buf.Bytes(), 0, nil
}

// parseProve parses and checks a /prove body: the task, the key set it
// runs under, and whether it is asynchronous. Every error is the
// client's (400).
func parseProve(body []byte) (t task, keySet string, async bool, err error) {
	var req ProveRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return task{}, "", false, fmt.Errorf("body is not a ProveRequest: %w", err)
	}
	if dec.More() {
		return task{}, "", false, errors.New("body has data after the ProveRequest")
	}
	if !validKeySet(req.KeySet) {
		return task{}, "", false, errors.New("key_set: want the key set id (letters, digits, '.', '-', '_'; at most 128) or none")
	}
	if len(req.Task) == 0 {
		return task{}, "", false, errors.New("task: missing")
	}
	var m pb.CoordinatorMessage
	if err := protojson.Unmarshal(req.Task, &m); err != nil {
		return task{}, "", false, fmt.Errorf("task is not a zkfleet.v1.CoordinatorMessage: %w", err)
	}
	t, err = taskOf(&m)
	return t, req.KeySet, req.Async, err
}

// taskOf turns a single-task coordinator message into a task.
func taskOf(m *pb.CoordinatorMessage) (task, error) {
	switch x := m.Msg.(type) {
	case *pb.CoordinatorMessage_Assign:
		a := x.Assign
		if err := validJobID(a.JobId); err != nil {
			return task{}, err
		}
		if len(a.Leaves) != 1 {
			return task{}, fmt.Errorf("task: an assign of exactly one leaf (it has %d)", len(a.Leaves))
		}
		if a.Spec == nil || len(a.Spec.Elf) == 0 {
			return task{}, errors.New("task: the assign needs its job spec (elf, input, max_cycles, kind)")
		}
		t := task{jobID: a.JobId, node: a.Leaves[0], challenge: a.Challenge,
			spec: engine.Spec{Kind: a.Spec.Kind, ELF: a.Spec.Elf, Input: a.Spec.Input, MaxCycles: a.Spec.MaxCycles}}
		switch a.Phase {
		case pb.TaskPhase_TASK_PHASE_CONTRIBUTE:
			t.op = "contribute"
		case pb.TaskPhase_TASK_PHASE_PROVE:
			t.op = "prove"
		default:
			return task{}, fmt.Errorf("task: assign phase %s; want TASK_PHASE_CONTRIBUTE or TASK_PHASE_PROVE", a.Phase)
		}
		if t.spec.Kind != "" && !engine.ValidKind(t.spec.Kind) {
			return task{}, fmt.Errorf("task: bad kind %q", t.spec.Kind)
		}
		return t, nil
	case *pb.CoordinatorMessage_FoldTask:
		f := x.FoldTask
		if err := validJobID(f.JobId); err != nil {
			return task{}, err
		}
		if len(f.Left) == 0 || len(f.Right) == 0 {
			return task{}, errors.New("task: a fold_task needs both children (left, right)")
		}
		if f.Kind != "" && !engine.ValidKind(f.Kind) {
			return task{}, fmt.Errorf("task: bad kind %q", f.Kind)
		}
		return task{jobID: f.JobId, op: "fold", node: f.Node, foldKind: f.Kind, left: f.Left, right: f.Right}, nil
	case nil:
		return task{}, errors.New("task: empty message; want an assign or a fold_task")
	}
	return task{}, errors.New("task: want an assign of one leaf or a fold_task (challenges carry no spec: send an assign of phase PROVE)")
}

func validJobID(id string) error {
	if id == "" || len(id) > 256 {
		return errors.New("task: job_id: want 1 to 256 characters")
	}
	return nil
}

// validKeySet accepts key set ids and names as the key store does, and
// "" (a coordinator kind without a key set: test and mock provers).
func validKeySet(s string) bool {
	if s == "" {
		return true
	}
	if s == "." || s == ".." || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func (a *HTTPAPI) prove(rw http.ResponseWriter, r *http.Request) {
	body, code, err := a.readBody(rw, r)
	if err != nil {
		writeError(rw, code, err.Error())
		return
	}
	t, keySet, async, err := parseProve(body)
	body = nil
	if err != nil {
		writeError(rw, http.StatusBadRequest, err.Error())
		return
	}
	if p, ok := a.w.cfg.Kinds[t.kind()]; !ok || p.Open == nil {
		writeError(rw, http.StatusUnprocessableEntity, fmt.Sprintf("this worker does not prove kind %q (it proves %s)",
			t.kind(), strings.Join(sortedKinds(a.w.cfg.Kinds), ", ")))
		return
	}
	ht, created, code, err := a.start(t, keySet)
	if err != nil {
		if code == http.StatusTooManyRequests {
			rw.Header().Set("Retry-After", "1")
		}
		writeError(rw, code, err.Error())
		return
	}
	if async {
		rw.Header().Set("Location", "/status/"+ht.id)
		writeJSON(rw, http.StatusAccepted, a.statusOf(ht))
		return
	}
	// Synchronous: the task ends with the request.
	select {
	case <-ht.done:
	case <-r.Context().Done():
		if created {
			ht.cancel()
		}
		return
	}
	writeJSON(rw, http.StatusOK, a.statusOf(ht))
}

// start starts t, or returns the same task already queued or running
// (a coordinator that re-sends a task after a lost poll does not run it
// twice).
func (a *HTTPAPI) start(t task, keySet string) (ht *httpTask, created bool, code int, err error) {
	key := fmt.Sprintf("%s\x00%s\x00%d\x00%s", t.jobID, t.op, t.node, keySet)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, false, http.StatusServiceUnavailable, errors.New("worker is stopping")
	}
	if ht := a.byKey[key]; ht != nil {
		return ht, false, 0, nil
	}
	if a.active >= a.cfg.MaxActive {
		return nil, false, http.StatusTooManyRequests, fmt.Errorf("worker busy: %d tasks queued or running (at most %d)", a.active, a.cfg.MaxActive)
	}
	ctx, cancel := context.WithCancel(a.ctx)
	ht = &httpTask{id: rand.Text(), key: key, t: t, cancel: cancel, done: make(chan struct{}), state: StateQueued}
	a.tasks[ht.id], a.byKey[key] = ht, ht
	a.active++
	a.queued++
	a.accepted++
	a.wg.Add(1)
	go a.run(ctx, ht, keySet)
	return ht, true, 0, nil
}

// run runs one task on the worker's shared path.
func (a *HTTPAPI) run(ctx context.Context, ht *httpTask, keySet string) {
	defer a.wg.Done()
	defer ht.cancel()
	started := make(chan struct{})
	backend := func(kind string) (engine.Backend, error) {
		a.mu.Lock()
		ht.state = StateRunning
		a.queued--
		a.mu.Unlock()
		close(started)
		return a.w.backend(kind, keySet)
	}
	start := time.Now()
	msg, _ := a.w.runTask(ctx, ht.t, backend)
	var result json.RawMessage
	var merr error
	if msg != nil {
		result, merr = protojson.Marshal(msg)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	select {
	case <-started:
	default:
		a.queued-- // never reached a slot
	}
	a.active--
	delete(a.byKey, ht.key)
	ht.took, ht.endedAt = time.Since(start), time.Now()
	switch {
	case msg == nil:
		ht.state, ht.errMsg = StateCancelled, "cancelled"
	case merr != nil:
		ht.state, ht.errMsg = StateFailed, "encode result: "+merr.Error()
	case msg.GetTaskFailed() != nil:
		ht.state, ht.result, ht.errMsg = StateFailed, result, msg.GetTaskFailed().Error
	default:
		ht.state, ht.result = StateSucceeded, result
	}
	close(ht.done)
	a.finished = append(a.finished, ht)
	a.expire(time.Now())
}

// expire forgets finished tasks past their TTL or beyond MaxFinished;
// under a.mu.
func (a *HTTPAPI) expire(now time.Time) {
	drop := 0
	for drop < len(a.finished) && (len(a.finished)-drop > a.cfg.MaxFinished || now.Sub(a.finished[drop].endedAt) > a.cfg.ResultTTL) {
		delete(a.tasks, a.finished[drop].id)
		drop++
	}
	if drop > 0 {
		a.finished = append([]*httpTask(nil), a.finished[drop:]...)
	}
}

func (a *HTTPAPI) statusOf(ht *httpTask) TaskStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	return TaskStatus{ID: ht.id, JobID: ht.t.jobID, Op: ht.t.op, Node: ht.t.node, State: ht.state, Result: ht.result,
		Error: ht.errMsg, DurationMs: float64(ht.took) / 1e6}
}

func (a *HTTPAPI) lookup(id string) *httpTask {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expire(time.Now())
	return a.tasks[id]
}

func (a *HTTPAPI) status(rw http.ResponseWriter, r *http.Request) {
	ht := a.lookup(r.PathValue("id"))
	if ht == nil {
		writeError(rw, http.StatusNotFound, "no such task (never accepted, or finished and forgotten)")
		return
	}
	if ws := r.URL.Query().Get("wait"); ws != "" {
		d, err := time.ParseDuration(ws)
		if err != nil || d < 0 {
			writeError(rw, http.StatusBadRequest, "wait: want a duration such as 10s")
			return
		}
		if !waitTask(r.Context(), ht, min(d, maxWait)) {
			return
		}
	}
	writeJSON(rw, http.StatusOK, a.statusOf(ht))
}

// waitTask waits until ht is done or d has passed; false when ctx (the
// client) ended first.
func waitTask(ctx context.Context, ht *httpTask, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ht.done:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}

func (a *HTTPAPI) cancelTask(rw http.ResponseWriter, r *http.Request) {
	ht := a.lookup(r.PathValue("id"))
	if ht == nil {
		writeError(rw, http.StatusNotFound, "no such task")
		return
	}
	ht.cancel()
	// A prover may notice the cancel late: answer with the state after a
	// moment either way (cancelled, or still running until it does).
	if !waitTask(r.Context(), ht, time.Second) {
		return
	}
	writeJSON(rw, http.StatusOK, a.statusOf(ht))
}

// Tasks lists the API's known tasks (queued, running, and finished ones
// still kept), by id.
func (a *HTTPAPI) Tasks() []TaskStatus {
	a.mu.Lock()
	hts := make([]*httpTask, 0, len(a.tasks))
	for _, ht := range a.tasks {
		hts = append(hts, ht)
	}
	a.mu.Unlock()
	out := make([]TaskStatus, len(hts))
	for i, ht := range hts {
		out[i] = a.statusOf(ht)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
