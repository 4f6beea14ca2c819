// Package httpworker deals a coordinator's tasks to static HTTP workers
// (zkfleet coordinator --http-worker URL): workers that cannot dial the
// coordinator but serve the worker HTTP API (zkfleet worker --http-addr,
// cluster/worker.HTTPAPI).
//
// For each URL an Adapter attaches to the coordinator core as an
// ordinary worker session (coordinator.AttachWith), exactly as the gRPC
// stream handler does for a worker that dials in, and translates:
//
//   - GET /health, polled: the first success attaches the session with the
//     worker's capacity, kinds (mock or not) and instance; every later
//     success is a heartbeat on the worker's behalf (ready, running);
//     Config.Failures polls in a row failing close the session, and the
//     core then reclaims and re-deals its tasks as for a lost stream
//     worker (after the reconnect grace, as the worker names its
//     instance);
//   - each task of Session.Next (one leaf of an Assign or Challenge, or a
//     FoldTask) → POST /prove (async) with the job spec and key set, then
//     long polls of GET /status/{id}; its result → Session.Handle. A
//     task the worker refuses (4xx) is reported as a transient TaskFailed
//     (the core retries it, elsewhere when it can);
//   - Cancel(job) → stop tracking the job's tasks and POST /cancel/{id}.
//
// Capacity, retries, deadlines, quarantine and cancels are the core's, as
// for every worker.
package httpworker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Config is one static HTTP worker.
type Config struct {
	// URL is the worker API's base URL (http://host:port or https://…).
	URL string
	// Secret is the bearer secret the worker requires.
	Secret string
	// ID is the worker's id on the coordinator ("" = "http-" and the
	// worker's own id from /health).
	ID string
	// Client makes the requests (nil: http.DefaultTransport, no overall
	// timeout: long polls and synchronous bodies are bounded per request).
	Client *http.Client
	// PollEvery is the /health period, and so the heartbeat period (0: a
	// third of the coordinator's heartbeat timeout).
	PollEvery time.Duration
	// Failures is how many /health polls in a row may fail before the
	// worker is taken as lost (0: 2).
	Failures int
	// StatusWait is one long poll of /status (0: 20 s).
	StatusWait time.Duration
	Logger     *slog.Logger
}

// maxResponse bounds a response body read (a result is a proof: small;
// the bound only stops a hostile worker from exhausting memory).
const maxResponse = 64 << 20

// Adapter deals one HTTP worker its tasks until Close.
type Adapter struct {
	c      *coordinator.Coordinator
	cfg    Config
	base   *url.URL
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
}

// Start checks cfg and starts dealing to the worker at cfg.URL.
func Start(c *coordinator.Coordinator, cfg Config) (*Adapter, error) {
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("http worker %q: want an http:// or https:// URL", cfg.URL)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = c.HeartbeatTimeout() / 3
	}
	if cfg.Failures <= 0 {
		cfg.Failures = 2
	}
	if cfg.StatusWait <= 0 {
		cfg.StatusWait = 20 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &Adapter{c: c, cfg: cfg, base: u, log: cfg.Logger.With("http_worker", u.Redacted()), cancel: cancel, done: make(chan struct{})}
	go a.run(ctx)
	return a, nil
}

// Close stops dealing (the session closes: the core re-deals its tasks)
// and waits for the adapter's goroutines.
func (a *Adapter) Close() {
	a.cancel()
	<-a.done
}

// run attaches whenever the worker answers /health, until ctx ends.
func (a *Adapter) run(ctx context.Context) {
	defer close(a.done)
	down := ""
	for {
		h, err := a.health(ctx)
		if err == nil {
			down = ""
			if err = a.serve(ctx, h); err != nil && ctx.Err() == nil {
				a.log.Warn("http worker session ended", "err", err)
			}
		} else if msg := err.Error(); msg != down && ctx.Err() == nil {
			down = msg
			a.log.Warn("http worker unreachable; polling", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(a.cfg.PollEvery):
		}
	}
}

// do sends one request with the secret; it returns the body (at most
// maxResponse) and the status code.
func (a *Adapter) do(ctx context.Context, method, path string, body []byte) ([]byte, int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base.String()+path, rd)
	if err != nil {
		return nil, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.cfg.Secret != "" {
		req.Header.Set("Authorization", "Bearer "+a.cfg.Secret)
	}
	resp, err := a.cfg.Client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if len(b) > maxResponse {
		return nil, resp.StatusCode, fmt.Errorf("%s %s: response over %d bytes", method, path, maxResponse)
	}
	return b, resp.StatusCode, nil
}

// apiError is a non-2xx answer's message.
func apiError(method, path string, code int, body []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg = e.Error
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return fmt.Errorf("%s %s: %d %s: %s", method, path, code, http.StatusText(code), msg)
}

// health polls /health once (bounded by PollEvery, at least a second).
func (a *Adapter) health(ctx context.Context) (*worker.Health, error) {
	ctx, cancel := context.WithTimeout(ctx, max(a.cfg.PollEvery, time.Second))
	defer cancel()
	b, code, err := a.do(ctx, http.MethodGet, "/health", nil)
	if err != nil {
		return nil, err
	}
	var h worker.Health
	if err := json.Unmarshal(b, &h); err != nil || (code != http.StatusOK && code != http.StatusServiceUnavailable) {
		return nil, apiError("GET", "/health", code, b)
	}
	if code != http.StatusOK || !h.Ready {
		return nil, fmt.Errorf("not ready: %s", h.Reason)
	}
	if h.Capacity < 1 || len(h.Kinds) == 0 {
		return nil, errors.New("/health: no capacity or no kinds")
	}
	return &h, nil
}

// job is what the adapter holds for one job of the session: its spec
// (challenges carry none; every /prove needs it) and its tasks' context.
type job struct {
	spec   *pb.JobSpec
	ctx    context.Context
	cancel context.CancelFunc
}

// session is one attachment to the core.
type session struct {
	a    *Adapter
	sess *coordinator.Session
	sets map[string]string // kind → key set id
	ctx  context.Context
	end  context.CancelFunc
	wg   sync.WaitGroup

	mu   sync.Mutex
	jobs map[string]*job
}

// serve attaches the worker and deals to it until the session ends: a
// health poll failed Failures times, the core dropped it, or ctx ended.
func (a *Adapter) serve(ctx context.Context, h *worker.Health) error {
	id := a.cfg.ID
	if id == "" {
		id = "http-" + h.WorkerID
	}
	kinds := make([]coordinator.WorkerKind, len(h.Kinds))
	for i, k := range h.Kinds {
		kinds[i] = coordinator.WorkerKind{Kind: k.Kind, Mock: k.Mock}
	}
	sess, err := a.c.AttachWith(id, uint32(h.Capacity), kinds, coordinator.AttachOptions{AnnouncesState: true, Instance: h.Instance})
	if err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	ctx, end := context.WithCancel(ctx)
	s := &session{a: a, sess: sess, sets: map[string]string{}, ctx: ctx, end: end, jobs: map[string]*job{}}
	for kind, ks := range sess.KeySets() {
		s.sets[kind] = ks.ID
	}
	a.log.Info("http worker attached", "worker", id, "capacity", h.Capacity, "kinds", len(s.sets))
	defer func() {
		// The core reclaims the tasks at once; the task goroutines then
		// end (asking the worker to cancel, if it still answers).
		end()
		sess.Close()
		s.wg.Wait()
	}()
	if !sess.Handle(heartbeat(h)) {
		return errors.New("session replaced")
	}
	go s.pump()
	t := time.NewTicker(a.cfg.PollEvery)
	defer t.Stop()
	fails, instance := 0, h.Instance
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		h, err := a.health(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fails++
			if fails >= a.cfg.Failures {
				return fmt.Errorf("lost: %d health polls failed, the last: %w", fails, err)
			}
			continue
		}
		fails = 0
		if h.Instance != instance {
			return errors.New("the worker restarted (another instance)")
		}
		if !sess.Handle(heartbeat(h)) {
			return errors.New("session replaced or expired")
		}
	}
}

func heartbeat(h *worker.Health) *pb.WorkerMessage {
	return &pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{Ready: h.Ready, Running: uint32(h.Active)}}}
}

// pump turns the core's messages into tasks until the session ends.
func (s *session) pump() {
	defer s.end()
	for {
		msgs, ok := s.sess.Next(s.ctx)
		if !ok {
			return
		}
		for _, m := range msgs {
			s.dispatch(m)
		}
	}
}

// jobOf returns the job's entry, creating it; spec, when it carries
// anything, replaces the one kept.
func (s *session) jobOf(id string, spec *pb.JobSpec) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[id]
	if j == nil {
		ctx, cancel := context.WithCancel(s.ctx)
		j = &job{ctx: ctx, cancel: cancel}
		s.jobs[id] = j
	}
	if spec != nil && (len(spec.Elf) > 0 || len(spec.Input) > 0 || spec.Kind != "") {
		j.spec = spec
	}
	return j
}

func (s *session) dispatch(m *pb.CoordinatorMessage) {
	switch x := m.Msg.(type) {
	case *pb.CoordinatorMessage_Assign:
		a := x.Assign
		j := s.jobOf(a.JobId, a.Spec)
		for _, leaf := range a.Leaves {
			s.prove(j, a.JobId, a.Phase, leaf, a.Challenge)
		}
	case *pb.CoordinatorMessage_Challenge:
		c := x.Challenge
		j := s.jobOf(c.JobId, nil)
		for _, leaf := range c.Leaves {
			s.prove(j, c.JobId, pb.TaskPhase_TASK_PHASE_PROVE, leaf, c.Challenge)
		}
	case *pb.CoordinatorMessage_FoldTask:
		f := x.FoldTask
		j := s.jobOf(f.JobId, nil)
		s.start(j, f.Kind, f.JobId, pb.TaskPhase_TASK_PHASE_UNSPECIFIED, f.Node, &pb.CoordinatorMessage{Msg: x})
	case *pb.CoordinatorMessage_Cancel:
		s.mu.Lock()
		if j := s.jobs[x.Cancel.JobId]; j != nil {
			j.cancel()
			delete(s.jobs, x.Cancel.JobId)
		}
		s.mu.Unlock()
	}
	// KeyChunk: never asked for (HTTP workers hold their keys).
}

// prove starts one leaf as a single-leaf Assign carrying the spec.
func (s *session) prove(j *job, jobID string, phase pb.TaskPhase, leaf uint32, challenge []byte) {
	s.mu.Lock()
	spec := j.spec
	s.mu.Unlock()
	if spec == nil {
		// As a stream worker does: the core sends the leaf again with the spec.
		s.sess.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{JobId: jobID, Phase: phase, Node: leaf,
			Error: "task for a job this worker has no spec of"}}})
		return
	}
	msg := &pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Assign{Assign: &pb.Assign{JobId: jobID, Spec: spec, Phase: phase,
		Leaves: []uint32{leaf}, Challenge: challenge}}}
	s.start(j, spec.Kind, jobID, phase, leaf, msg)
}

// start runs one task on the worker in its own goroutine.
func (s *session) start(j *job, kind, jobID string, phase pb.TaskPhase, node uint32, msg *pb.CoordinatorMessage) {
	if kind == "" {
		kind = engine.DefaultKind
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		res := s.a.runTask(j.ctx, s.sets[kind], jobID, phase, node, msg)
		if res == nil || j.ctx.Err() != nil {
			return
		}
		if !s.sess.Handle(res) {
			s.end()
		}
	}()
}

// failed is a transient TaskFailed for the task.
func failed(jobID string, phase pb.TaskPhase, node uint32, err error) *pb.WorkerMessage {
	return &pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{JobId: jobID, Phase: phase, Node: node,
		Error: "http worker: " + err.Error()}}}
}

// retryDelay paces retries of a request the worker could not take now.
const retryDelay = 250 * time.Millisecond

// runTask posts one task and polls it to its end; it returns the message
// for the core (the worker's result, or a TaskFailed), or nil when ctx
// ended (the job was cancelled or the session is over). Requests that do
// not reach the worker are retried: losing the worker is the health
// poll's call.
func (a *Adapter) runTask(ctx context.Context, keySet, jobID string, phase pb.TaskPhase, node uint32, msg *pb.CoordinatorMessage) *pb.WorkerMessage {
	taskJSON, err := protojson.Marshal(msg)
	if err != nil {
		return failed(jobID, phase, node, err)
	}
	body, err := json.Marshal(worker.ProveRequest{Task: taskJSON, KeySet: keySet, Async: true})
	if err != nil {
		return failed(jobID, phase, node, err)
	}
	taskJSON, msg = nil, nil
	var st worker.TaskStatus
	for {
		b, code, err := a.do(ctx, http.MethodPost, "/prove", body)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil, code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
			if !sleep(ctx, retryDelay) {
				return nil
			}
			continue
		case code != http.StatusAccepted && code != http.StatusOK:
			return failed(jobID, phase, node, apiError("POST", "/prove", code, b))
		}
		if err := json.Unmarshal(b, &st); err != nil || st.ID == "" {
			return failed(jobID, phase, node, fmt.Errorf("POST /prove: bad answer: %v", err))
		}
		break
	}
	body = nil
	path := "/status/" + url.PathEscape(st.ID)
	for !st.Finished() {
		b, code, err := a.do(ctx, http.MethodGet, path+"?wait="+a.cfg.StatusWait.String(), nil)
		switch {
		case ctx.Err() != nil:
			a.cancelRemote(st.ID)
			return nil
		case err != nil:
			if !sleep(ctx, retryDelay) {
				a.cancelRemote(st.ID)
				return nil
			}
			continue
		case code == http.StatusNotFound:
			return failed(jobID, phase, node, errors.New("the worker lost the task (restarted?)"))
		case code != http.StatusOK:
			return failed(jobID, phase, node, apiError("GET", path, code, b))
		}
		if err := json.Unmarshal(b, &st); err != nil {
			return failed(jobID, phase, node, fmt.Errorf("GET %s: bad answer: %v", path, err))
		}
	}
	if st.State == worker.StateCancelled {
		return failed(jobID, phase, node, errors.New("the worker cancelled the task (stopping?)"))
	}
	var res pb.WorkerMessage
	if err := protojson.Unmarshal(st.Result, &res); err != nil {
		return failed(jobID, phase, node, fmt.Errorf("task %s: result is not a WorkerMessage: %v", st.ID, err))
	}
	if err := matches(&res, jobID, phase, node); err != nil {
		return failed(jobID, phase, node, fmt.Errorf("task %s: %v", st.ID, err))
	}
	return &res
}

// matches checks that a worker's result answers the task it was given.
func matches(m *pb.WorkerMessage, jobID string, phase pb.TaskPhase, node uint32) error {
	var gotJob string
	var gotNode uint32
	ok := false
	switch x := m.Msg.(type) {
	case *pb.WorkerMessage_Contribution:
		gotJob, gotNode, ok = x.Contribution.JobId, x.Contribution.Leaf, phase == pb.TaskPhase_TASK_PHASE_CONTRIBUTE
	case *pb.WorkerMessage_LeafProof:
		gotJob, gotNode, ok = x.LeafProof.JobId, x.LeafProof.Leaf, phase == pb.TaskPhase_TASK_PHASE_PROVE
	case *pb.WorkerMessage_FoldResult:
		gotJob, gotNode, ok = x.FoldResult.JobId, x.FoldResult.Node, phase == pb.TaskPhase_TASK_PHASE_UNSPECIFIED
	case *pb.WorkerMessage_TaskFailed:
		gotJob, gotNode, ok = x.TaskFailed.JobId, x.TaskFailed.Node, x.TaskFailed.Phase == phase
	}
	if !ok || gotJob != jobID || gotNode != node {
		return errors.New("result answers another task")
	}
	return nil
}

// cancelRemote asks the worker to stop a task, best effort.
func (a *Adapter) cancelRemote(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	a.do(ctx, http.MethodPost, "/cancel/"+url.PathEscape(id), nil)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
