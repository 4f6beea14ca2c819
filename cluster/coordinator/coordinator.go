// Package coordinator is the cluster's brain: it queues jobs, deals leaves
// to workers in proportion to their capacity, runs the two-phase
// (commit, challenge, prove) protocol, folds along engine.Tree on every
// worker with a free slot (the promoted aggregator first), and finalizes
// the root proof. The core is pure state
// under one lock with an injected clock and id generator; the gRPC layer
// (server.go) only translates messages.
package coordinator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Errors returned by the core; cluster/transport maps them (and the
// engine's error classes) to gRPC codes and HTTP statuses.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid argument")
	ErrNotCompleted = errors.New("job not completed")
	// ErrNoKind: a worker proves none of the kinds the coordinator serves
	// with its prover (a mock worker on a real cluster, or the reverse).
	ErrNoKind = errors.New("no kind in common")
	// ErrClosed: the coordinator is closing.
	ErrClosed = errors.New("coordinator closed")
	// ErrIDTaken: a live session of another worker instance holds the id.
	ErrIDTaken = errors.New("worker id in use")
	// ErrQueueFull: too many jobs wait already (Config.MaxQueued).
	ErrQueueFull = errors.New("queue full")
)

// KeySet is the key set a kind's jobs are proved under, announced to the
// workers that prove the kind.
type KeySet struct {
	ID    string
	Blobs []string
	Mock  bool // the kind's backend is the mock prover
}

// WorkerKind is a kind a worker proves, and whether with the mock prover.
type WorkerKind struct {
	Kind string
	Mock bool
}

// Default limits.
const (
	DefaultMaxELF           = 64 << 20
	DefaultMaxInput         = 64 << 20
	DefaultHeartbeatTimeout = 15 * time.Second
	maxEventsKept           = 4096
	// DefaultMaxCycles is the server's cycle cap when Config.MaxCycles is
	// 0 (the emulator's default limit): a request above it is refused.
	DefaultMaxCycles uint64 = 1 << 32
	// DefaultPlanWorkers is the size of the planning pool.
	DefaultPlanWorkers = 2
	// DefaultTaskTimeout is the default Config.TaskTimeout: well above a
	// real leaf or fold proof on the development key set.
	DefaultTaskTimeout = 30 * time.Minute
	// DefaultReconnectGrace is the default Config.ReconnectGrace.
	DefaultReconnectGrace = 5 * time.Second
	// DefaultMaxQueued is the default bound on waiting jobs.
	DefaultMaxQueued = 10000
	// DefaultMaxBackfill is how often a waiting job may be passed.
	DefaultMaxBackfill = 16
	// DefaultQuarantine is how long a worker that sent a result that does
	// not check gets no work.
	DefaultQuarantine = time.Hour
	// maxPlanAttempts bounds how often a job is planned across restarts: a
	// job whose planning keeps being interrupted (the coordinator died
	// while planning it) is failed instead of replanned forever.
	maxPlanAttempts = 3
)

// Config configures a Coordinator. A backend is required (Backends, or
// Backend for the RISC-V kind alone); the rest defaults.
type Config struct {
	// Backends proves each kind the coordinator serves.
	Backends engine.Backends
	// KeySets announces each kind's key set (default: an unnamed one).
	KeySets map[string]KeySet
	// Backend, KeySetID and KeyBlobs are the RISC-V kind's backend and
	// key set, when Backends and KeySets do not name them.
	Backend          engine.Backend
	Store            *store.Store // nil: in memory only
	Clock            func() time.Time
	NewID            func() string
	HeartbeatTimeout time.Duration
	KeySetID         string
	KeyBlobs         []string
	MaxELF, MaxInput int
	// MaxCycles caps a job's cycle limit (default DefaultMaxCycles): a
	// request above it is InvalidArgument; a request of 0 gets the cap.
	MaxCycles uint64
	// TaskTimeout is the time one task (a leaf of the current phase or a
	// fold) may take on a worker before it is sent to another one (an
	// attempt is charged); a worker's k-th queued task gets k/capacity+1
	// timeouts, since it waits for the ones before it. Default
	// DefaultTaskTimeout; negative: no deadline.
	TaskTimeout time.Duration
	// ReconnectGrace is how long a worker whose stream ended keeps its
	// place (its tasks wait) for the same instance to reconnect without
	// its tasks counting as failed attempts (default DefaultReconnectGrace).
	ReconnectGrace time.Duration
	// QuarantineFor is how long a worker that sent a bad result gets no
	// work (default DefaultQuarantine).
	QuarantineFor time.Duration
	// MaxQueued bounds the jobs waiting (planning or queued); a Submit
	// beyond it is ErrQueueFull (default DefaultMaxQueued).
	MaxQueued int
	// MaxBackfill is how often a queued job that waits for capacity may
	// be passed by smaller jobs behind it that fit the idle workers
	// (default DefaultMaxBackfill; negative: never). The bound keeps the
	// big job from starving.
	MaxBackfill int
	// PlanWorkers bounds the jobs planned (guests executed) at once,
	// off the request path (default DefaultPlanWorkers).
	PlanWorkers int
	// MaxTaskAttempts bounds how often one task is sent (default
	// DefaultMaxTaskAttempts); see retry.go.
	MaxTaskAttempts int
	// WatchBuffer is the backlog after which a slow watcher skips to a
	// snapshot (default DefaultWatchBuffer).
	WatchBuffer int
	Logger      *slog.Logger
	Metrics     *Metrics
}

// Coordinator holds every job and worker.
type Coordinator struct {
	cfg      Config
	backends engine.Backends
	log      *slog.Logger
	m        *Metrics

	// ctx ends when Close starts; wg counts the goroutines the core
	// started (planning after a restart, finalize, the ticker).
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	closed bool // guarded by mu

	mu       sync.Mutex
	jobs     map[string]*job
	order    []string // job ids by creation
	queue    []string // queued job ids, FIFO
	planning []*job   // jobs waiting for the planning pool, FIFO
	planKick chan struct{}
	workers  map[string]*workerState
	// quarantined remembers workers that sent a bad result, by id.
	quarantined map[string]quarantineEntry
	// tickEvery is the ticker's period (0: no ticker); lastCore is when
	// the core last ran. A gap much longer than the period means the
	// coordinator itself stalled (see lockAndExpire).
	tickEvery time.Duration
	lastCore  time.Time
}

type workerState struct {
	id       string
	capacity uint32
	kinds    map[string]bool // kinds the worker proves (with the coordinator's prover)
	mock     bool
	lastSeen time.Time
	jobID    string // "" when idle
	out      *outbox
	tasks    int // unfinished leaf and fold tasks
	// quarantined says why the worker gets no work ("" = it does).
	quarantined string
	// announces: the worker reports ready and running in heartbeats.
	// ready: it may be dealt tasks (keys fetched). draining: slots still
	// held by tasks of a cancelled job (the prover may ignore the cancel);
	// the worker is not idle until its heartbeats say they ended.
	announces, ready bool
	draining         int
	// instance identifies the worker process (AttachOptions.Instance);
	// disconnected is when its stream ended (zero while connected): it is
	// kept for Config.ReconnectGrace so the same instance can resume.
	instance     string
	disconnected time.Time
}

type quarantineEntry struct {
	why   string
	until time.Time
}

// New creates a coordinator, reloading persisted jobs from cfg.Store:
// completed jobs keep their proofs, interrupted ones are re-queued.
func New(cfg Config) (*Coordinator, error) {
	bs := engine.Backends{}
	for k, b := range cfg.Backends {
		if !engine.ValidKind(k) || b == nil {
			return nil, fmt.Errorf("coordinator: %w: bad backend for kind %q", ErrInvalid, k)
		}
		bs[k] = b
	}
	if cfg.Backend != nil && bs[engine.KindRISCV] == nil {
		bs[engine.KindRISCV] = cfg.Backend
	}
	if len(bs) == 0 {
		return nil, fmt.Errorf("coordinator: %w: no backend", ErrInvalid)
	}
	sets := map[string]KeySet{}
	for k := range bs {
		sets[k] = cfg.KeySets[k]
	}
	if _, named := cfg.KeySets[engine.KindRISCV]; !named && bs[engine.KindRISCV] != nil {
		sets[engine.KindRISCV] = KeySet{ID: cfg.KeySetID, Blobs: cfg.KeyBlobs}
	}
	cfg.KeySets = sets
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = newIDGen(cfg.Clock)
	}
	if cfg.HeartbeatTimeout == 0 {
		cfg.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if cfg.MaxELF == 0 {
		cfg.MaxELF = DefaultMaxELF
	}
	if cfg.MaxInput == 0 {
		cfg.MaxInput = DefaultMaxInput
	}
	if cfg.MaxCycles == 0 {
		cfg.MaxCycles = DefaultMaxCycles
	}
	if cfg.TaskTimeout == 0 {
		cfg.TaskTimeout = DefaultTaskTimeout
	}
	if cfg.ReconnectGrace <= 0 {
		cfg.ReconnectGrace = DefaultReconnectGrace
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = DefaultMaxQueued
	}
	if cfg.MaxBackfill == 0 {
		cfg.MaxBackfill = DefaultMaxBackfill
	}
	if cfg.QuarantineFor <= 0 {
		cfg.QuarantineFor = DefaultQuarantine
	}
	if cfg.PlanWorkers <= 0 {
		cfg.PlanWorkers = DefaultPlanWorkers
	}
	if cfg.MaxTaskAttempts <= 0 {
		cfg.MaxTaskAttempts = DefaultMaxTaskAttempts
	}
	if cfg.WatchBuffer <= 0 {
		cfg.WatchBuffer = DefaultWatchBuffer
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	c := &Coordinator{cfg: cfg, backends: bs, log: cfg.Logger, m: cfg.Metrics,
		jobs: map[string]*job{}, workers: map[string]*workerState{}, quarantined: map[string]quarantineEntry{}, planKick: make(chan struct{}, cfg.PlanWorkers)}
	c.ctx, c.stop = context.WithCancel(context.Background())
	for range cfg.PlanWorkers {
		c.goTracked(c.planLoop)
	}
	if c.Mock() {
		c.log.Warn("MOCK PROVER: jobs get placeholder proofs, not proofs; never use this cluster's output as evidence",
			"kinds", c.mockKinds())
		c.m.Mock.Set(1)
	}
	if err := c.reload(); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// Mock reports whether any kind is served by the mock prover.
func (c *Coordinator) Mock() bool { return len(c.mockKinds()) > 0 }

func (c *Coordinator) mockKinds() []string {
	var ks []string
	for _, k := range c.backends.Kinds() {
		if c.cfg.KeySets[k].Mock {
			ks = append(ks, k)
		}
	}
	return ks
}

// Kinds lists the kinds the coordinator serves.
func (c *Coordinator) Kinds() []string { return c.backends.Kinds() }

// Health is the coordinator's readiness for /health: nil while it serves.
func (c *Coordinator) Health() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	return nil
}

// HealthNote is a line /health shows beside "ok" (the mock prover's label).
func (c *Coordinator) HealthNote() string {
	if c.Mock() {
		return "mock: true (MOCK prover: proofs are placeholders, not proofs)"
	}
	return ""
}

// goTracked runs f on a goroutine that Close waits for. Callers make sure
// the core is not closed (c.closed, under c.mu) or call it before Close
// can run (New, StartTicker).
func (c *Coordinator) goTracked(f func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
}

// StartTicker runs heartbeat expiry and scheduling every period (0: a
// third of the heartbeat timeout) until Close.
func (c *Coordinator) StartTicker(every time.Duration) {
	if every <= 0 {
		every = c.cfg.HeartbeatTimeout / 3
	}
	c.mu.Lock()
	c.tickEvery = every
	c.mu.Unlock()
	c.goTracked(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.Tick()
			case <-c.ctx.Done():
				return
			}
		}
	})
}

// Close stops every goroutine the coordinator started (planning,
// finalizing — their backend calls are cancelled — and the ticker) and
// waits for them until ctx ends. Jobs stay as they are: a coordinator
// with a store resumes them when it starts again. Close does not close
// the store, which the caller opened.
func (c *Coordinator) Close(ctx context.Context) error {
	c.mu.Lock()
	c.closed = true
	for _, w := range c.workers {
		w.out.close()
	}
	c.mu.Unlock()
	c.stop()
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("coordinator close: %w", ctx.Err())
	}
}

// Metrics returns the coordinator's metrics.
func (c *Coordinator) Metrics() *Metrics { return c.m }

// KeySet returns the key set announced for kind.
func (c *Coordinator) KeySet(kind string) (KeySet, bool) {
	ks, ok := c.cfg.KeySets[kind]
	return ks, ok
}

// HeartbeatTimeout is the time after which a silent worker is dropped.
func (c *Coordinator) HeartbeatTimeout() time.Duration { return c.cfg.HeartbeatTimeout }

// newIDGen returns ids that sort by creation: time plus a counter.
func newIDGen(clock func() time.Time) func() string {
	var mu sync.Mutex
	var n uint64
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("j%s-%04d", clock().UTC().Format("20060102T150405"), n)
	}
}

// lockAndExpire locks the core (c.mu) and expires workers whose
// heartbeats stopped, so every change sees only live workers; it returns
// the time. Callers defer c.mu.Unlock().
//
// Silence is measured in time the coordinator was running: after a stall
// of the coordinator itself (a pause of the process, a long-held lock: no
// tick for over two periods), the heartbeats queued meanwhile have not
// been read yet, so the stall is added to every worker's deadline instead
// of dropping them all before their messages are handled.
func (c *Coordinator) lockAndExpire() time.Time {
	c.mu.Lock()
	now := c.cfg.Clock()
	if c.tickEvery > 0 && !c.lastCore.IsZero() {
		if gap := now.Sub(c.lastCore); gap > 2*c.tickEvery {
			stall := gap - c.tickEvery
			c.log.Warn("coordinator stalled; worker deadlines extended by the stall", "stall", stall)
			for _, w := range c.workers {
				w.lastSeen = w.lastSeen.Add(stall)
				if w.lastSeen.After(now) {
					w.lastSeen = now
				}
			}
		}
	}
	if now.After(c.lastCore) {
		c.lastCore = now
	}
	dropped := false
	for _, w := range c.sortedWorkers() {
		switch {
		case !w.disconnected.IsZero() && now.Sub(w.disconnected) > c.cfg.ReconnectGrace:
			c.log.Warn("worker did not reconnect", "worker", w.id)
			c.dropWorker(w, now)
			dropped = true
		case now.Sub(w.lastSeen) > c.cfg.HeartbeatTimeout:
			c.log.Warn("worker missed heartbeats", "worker", w.id)
			c.dropWorker(w, now)
			dropped = true
		}
	}
	if dropped {
		c.schedule(now) // reassign the lost work before anything else looks at it
	}
	return now
}

// Tick runs heartbeat expiry, task deadlines and scheduling; the server
// calls it periodically.
func (c *Coordinator) Tick() {
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	if !c.closed {
		c.expireTasks(now)
		c.schedule(now)
	}
}

// taskDeadline is the deadline of a task sent to w as its rank-th
// unanswered task (0-based).
func (c *Coordinator) taskDeadline(w *workerState, rank int, now time.Time) time.Time {
	if c.cfg.TaskTimeout < 0 {
		return time.Time{}
	}
	return now.Add(c.cfg.TaskTimeout * time.Duration(rank/int(w.capacity)+1))
}

// expireTasks sends overdue tasks elsewhere: a worker whose prover hangs
// while its heartbeats tick no longer holds a job forever. The late
// worker's result, should it come, is ignored (it no longer holds the task).
func (c *Coordinator) expireTasks(now time.Time) {
	for _, id := range c.order {
		j := c.jobs[id]
		if j.state != pb.JobState_JOB_STATE_RUNNING || j.deadline == nil {
			continue
		}
		contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
		type task struct {
			node  int
			owner string
		}
		var overdue []task
		for leaf, owner := range j.leafOwner {
			done := (contributing && j.commits[leaf] != nil) || (!contributing && j.proved[leaf])
			if owner != "" && !done && !j.deadline[leaf].IsZero() && now.After(j.deadline[leaf]) {
				overdue = append(overdue, task{leaf, owner})
			}
		}
		for node, owner := range j.foldFlight {
			if !j.proved[node] && !j.deadline[node].IsZero() && now.After(j.deadline[node]) {
				overdue = append(overdue, task{node, owner})
			}
		}
		sort.Slice(overdue, func(a, b int) bool { return overdue[a].node < overdue[b].node })
		for _, o := range overdue {
			c.doneTask(j, o.owner)
			tries := j.tries[o.node]
			if c.taskFailed(j, o.node, o.owner, fmt.Sprintf("deadline exceeded (task timeout %v)", c.cfg.TaskTimeout), false, now) {
				break
			}
			c.event(j, now, "retry", fmt.Sprintf("%s overdue on %s (attempt %d of %d); sending it again",
				j.taskName(o.node), o.owner, tries, c.cfg.MaxTaskAttempts))
		}
	}
}

func (c *Coordinator) sortedWorkers() []*workerState {
	ws := make([]*workerState, 0, len(c.workers))
	for _, w := range c.workers {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(a, b int) bool { return ws[a].id < ws[b].id })
	return ws
}

// ---- programs and jobs (client side) ----

// ProgramID is the content id of an ELF.
func ProgramID(elf []byte) string {
	h := sha256.Sum256(elf)
	return hex.EncodeToString(h[:])
}

// RegisterProgram validates and stores a RISC-V elf; idempotent by
// content hash. A malformed ELF is refused (engine.ErrBadProgram) before
// anything is stored.
func (c *Coordinator) RegisterProgram(elf []byte) (id string, existed bool, err error) {
	return c.registerProgram(engine.KindRISCV, elf)
}

func (c *Coordinator) registerProgram(kind string, elf []byte) (id string, existed bool, err error) {
	if len(elf) == 0 {
		return "", false, fmt.Errorf("%w: empty ELF", ErrInvalid)
	}
	if len(elf) > c.cfg.MaxELF {
		return "", false, fmt.Errorf("%w: ELF is %d bytes, limit %d", ErrInvalid, len(elf), c.cfg.MaxELF)
	}
	if v, ok := c.backends[kind].(engine.ProgramValidator); ok {
		if err := v.ValidateProgram(elf); err != nil {
			return "", false, err
		}
	}
	id = ProgramID(elf)
	if c.cfg.Store != nil {
		existed, err = c.cfg.Store.PutProgram(id, elf)
		if err != nil {
			return "", false, err
		}
	}
	return id, existed, nil
}

// SubmitRequest is a job submission.
type SubmitRequest struct {
	ProgramID         string
	ELF               []byte
	Input             []byte
	RequestedCapacity uint32
	MaxCycles         uint64
	Kind              string // "" = engine.DefaultKind
}

// Submit creates a job and returns at once: the job is queued for the
// planning pool (its guest executes off the request path, event
// "planning") and then for workers, or fails if planning fails. A cycle
// limit above the server's cap is ErrInvalid.
func (c *Coordinator) Submit(ctx context.Context, req SubmitRequest) (*pb.Job, error) {
	if req.Kind == "" {
		req.Kind = engine.DefaultKind
	}
	if _, err := c.backends.For(req.Kind); err != nil {
		return nil, fmt.Errorf("%w: %w (this coordinator serves %v)", ErrInvalid, err, c.backends.Kinds())
	}
	if len(req.Input) > c.cfg.MaxInput {
		return nil, fmt.Errorf("%w: input is %d bytes, limit %d", ErrInvalid, len(req.Input), c.cfg.MaxInput)
	}
	if req.MaxCycles > c.cfg.MaxCycles {
		return nil, fmt.Errorf("%w: cycle limit %d above this coordinator's cap %d", ErrInvalid, req.MaxCycles, c.cfg.MaxCycles)
	}
	if req.MaxCycles == 0 && c.cfg.MaxCycles != DefaultMaxCycles {
		req.MaxCycles = c.cfg.MaxCycles
	}
	elf := req.ELF
	switch {
	case len(elf) > 0 && req.ProgramID != "":
		return nil, fmt.Errorf("%w: give a program id or an ELF, not both", ErrInvalid)
	case len(elf) > 0:
		id, _, err := c.registerProgram(req.Kind, elf)
		if err != nil {
			return nil, err
		}
		req.ProgramID = id
	case req.ProgramID != "":
		if c.cfg.Store == nil {
			return nil, fmt.Errorf("%w: program %s (no store)", ErrNotFound, req.ProgramID)
		}
		var err error
		if elf, err = c.cfg.Store.Program(req.ProgramID); err != nil {
			return nil, fmt.Errorf("%w: program %s", ErrNotFound, req.ProgramID)
		}
	case req.Kind == engine.KindRISCV:
		return nil, fmt.Errorf("%w: no program", ErrInvalid)
	}
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if n := len(c.planning) + len(c.queue); n >= c.cfg.MaxQueued {
		return nil, fmt.Errorf("%w: %d jobs waiting, limit %d; try again later", ErrQueueFull, n, c.cfg.MaxQueued)
	}
	j := c.newJob(c.cfg.NewID(), req.ProgramID, engine.Spec{Kind: req.Kind, ELF: elf, Input: req.Input, MaxCycles: req.MaxCycles}, req.RequestedCapacity, now)
	j.attempt = 1
	c.event(j, now, "queued", "planning")
	c.persist(j)
	c.enqueuePlan(j)
	return j.snapshot(), nil
}

// enqueuePlan queues j for the planning pool. Called with c.mu held.
func (c *Coordinator) enqueuePlan(j *job) {
	c.planning = append(c.planning, j)
	c.m.Planning.Set(float64(len(c.planning)))
	select {
	case c.planKick <- struct{}{}:
	default: // every pool worker already has a wake-up pending
	}
}

// planLoop is one worker of the planning pool: it plans queued jobs in
// submission order until Close. A job cancelled while it waits is
// skipped; one cancelled while planning has its backend call cancelled.
func (c *Coordinator) planLoop() {
	for {
		c.mu.Lock()
		var j *job
		for j == nil && len(c.planning) > 0 {
			j, c.planning = c.planning[0], c.planning[1:]
			if j.terminal() {
				j = nil
			}
		}
		c.m.Planning.Set(float64(len(c.planning)))
		var ctx context.Context
		cancel := func() {}
		if j != nil {
			ctx, cancel = context.WithCancel(c.ctx)
			j.stopPlan = cancel
		}
		c.mu.Unlock()
		if j == nil {
			select {
			case <-c.planKick:
				continue
			case <-c.ctx.Done():
				return
			}
		}
		if err := c.plan(ctx, j); err != nil {
			c.log.Info("plan failed", "job", j.id, "err", err)
		}
		cancel()
	}
}

func (c *Coordinator) newJob(id, programID string, spec engine.Spec, reqCap uint32, now time.Time) *job {
	j := &job{id: id, programID: programID, spec: spec, reqCap: reqCap, state: pb.JobState_JOB_STATE_QUEUED,
		created: now, watchers: map[*Watcher]struct{}{}, done: make(chan struct{}),
		workers: map[string]bool{}, hasSpec: map[string]bool{}, foldFlight: map[int]string{}}
	j.seq = len(c.order)
	c.jobs[id] = j
	c.order = append(c.order, id)
	return j
}

// plan runs backend.Plan without the lock, then queues or fails the job.
func (c *Coordinator) plan(ctx context.Context, j *job) error {
	var p *engine.Plan
	be, err := c.backends.For(j.kind())
	if err == nil {
		p, err = be.Plan(ctx, j.spec)
	}
	if err == nil {
		err = checkPlan(p, j.kind())
	}
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	j.stopPlan = nil
	if j.terminal() {
		return nil
	}
	if err != nil && c.ctx.Err() != nil {
		// Cut short by Close: the job stays queued (persisted) and is
		// planned again when the coordinator restarts.
		return fmt.Errorf("job %s: %w", j.id, ErrClosed)
	}
	if err != nil {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("plan: %v", err))
		return fmt.Errorf("job %s: %w", j.id, err)
	}
	if ks := c.cfg.KeySets[j.kind()]; ks.ID != "" && p.KeySet != "" && p.KeySet != ks.ID {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("plan uses key set %s, cluster serves %s", p.KeySet, ks.ID))
		return fmt.Errorf("job %s: %w: key set mismatch", j.id, engine.ErrNoKey)
	}
	if ks := c.cfg.KeySets[j.kind()]; p.Mock != ks.Mock {
		// A mock plan on a real cluster (or the reverse) would mislabel
		// placeholders as proofs: a configuration error, refused loudly.
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("plan mock=%v but the %s key set mock=%v", p.Mock, j.kind(), ks.Mock))
		return fmt.Errorf("job %s: %w: mock plan on a real key set, or the reverse", j.id, engine.ErrNoKey)
	}
	j.plan = p
	j.tree = p.FoldTree()
	c.enqueue(j)
	c.event(j, now, "planned", fmt.Sprintf("%d leaves, %d cycles", p.Leaves, p.Cycles))
	c.persist(j)
	c.schedule(now)
	return nil
}

// enqueue puts a planned job in the queue in submission order (plans
// finish in any order; the queue stays FIFO by submission).
func (c *Coordinator) enqueue(j *job) {
	i := sort.Search(len(c.queue), func(i int) bool { return c.jobs[c.queue[i]].seq > j.seq })
	c.queue = append(c.queue, "")
	copy(c.queue[i+1:], c.queue[i:])
	c.queue[i] = j.id
}

// checkPlan refuses a plan the core cannot run.
func checkPlan(p *engine.Plan, kind string) error {
	switch {
	case p == nil || p.Leaves < 1:
		return fmt.Errorf("%w: plan has no leaves", engine.ErrBadProgram)
	case p.Kind != "" && p.Kind != kind:
		return fmt.Errorf("%w: a %s job planned as %s", engine.ErrBadProgram, kind, p.Kind)
	case p.Tree != nil && !engine.CheckTree(p.Tree, p.Leaves):
		return fmt.Errorf("%w: the plan's fold tree is malformed", engine.ErrBadProgram)
	}
	return nil
}

// Cancel cancels a job that is not terminal yet.
func (c *Coordinator) Cancel(id string) (*pb.Job, error) {
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	if !j.terminal() {
		c.finish(j, now, pb.JobState_JOB_STATE_CANCELLED, "cancelled by client")
		c.schedule(now)
	}
	return j.snapshot(), nil
}

// Job returns a snapshot of a job.
func (c *Coordinator) Job(id string) (*pb.Job, error) {
	c.lockAndExpire()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	return j.snapshot(), nil
}

// Jobs lists every job, oldest first.
func (c *Coordinator) Jobs() []*pb.Job {
	c.lockAndExpire()
	defer c.mu.Unlock()
	out := make([]*pb.Job, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.jobs[id].snapshot())
	}
	return out
}

// Workers lists connected workers.
func (c *Coordinator) Workers() []*pb.WorkerInfo {
	c.lockAndExpire()
	defer c.mu.Unlock()
	var out []*pb.WorkerInfo
	for _, w := range c.sortedWorkers() {
		info := &pb.WorkerInfo{Id: w.id, Capacity: w.capacity, JobId: w.jobID, Tasks: uint32(w.tasks + w.draining), LastSeenUnixMs: w.lastSeen.UnixMilli(),
			Mock: w.mock, Quarantined: w.quarantined, Ready: w.ready}
		for k := range w.kinds {
			info.Kinds = append(info.Kinds, k)
		}
		sort.Strings(info.Kinds)
		if j := c.jobs[w.jobID]; j != nil && j.aggregator == w.id {
			info.Aggregator = true
		}
		out = append(out, info)
	}
	return out
}

// Proof returns the proof file of a completed job.
func (c *Coordinator) Proof(id string) ([]byte, *pb.Job, error) {
	c.lockAndExpire()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	if j.state != pb.JobState_JOB_STATE_COMPLETED {
		return nil, j.snapshot(), fmt.Errorf("%w: job %s is %s", ErrNotCompleted, id, j.state)
	}
	if j.proof == nil && c.cfg.Store != nil {
		p, err := c.cfg.Store.Proof(id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, j.snapshot(), fmt.Errorf("%w: proof of job %s is not in the store", ErrNotFound, id)
		}
		if err != nil {
			return nil, j.snapshot(), err
		}
		j.proof = p
	}
	return j.proof, j.snapshot(), nil
}

// Watch subscribes to a job's events. The watcher first yields a
// snapshot event and ends after the terminal event; a reader that falls
// behind skips to a fresh snapshot instead of being dropped (watcher.go).
// The caller must Stop it.
func (c *Coordinator) Watch(id string) (*Watcher, error) {
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	w := newWatcher(c.cfg.WatchBuffer)
	w.push(&pb.JobEvent{Kind: "snapshot", UnixMs: now.UnixMilli(), Job: j.snapshot(), Mock: j.mock()})
	if j.terminal() {
		w.close()
		return w, nil
	}
	j.watchers[w] = struct{}{}
	w.stop = func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(j.watchers, w)
	}
	return w, nil
}

// Wait blocks until the job is terminal or ctx ends, then returns its snapshot.
func (c *Coordinator) Wait(ctx context.Context, id string) (*pb.Job, error) {
	c.lockAndExpire()
	j, ok := c.jobs[id]
	c.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	select {
	case <-j.done:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return j.snapshot(), nil
}

// ---- events, persistence, terminal states ----

func (c *Coordinator) event(j *job, now time.Time, kind, msg string) {
	c.m.Transitions.WithLabelValues(kind).Inc()
	ev := &pb.JobEvent{Kind: kind, Message: msg, UnixMs: now.UnixMilli(), Job: j.snapshot(), Mock: j.mock()}
	if len(j.events) < maxEventsKept {
		j.events = append(j.events, ev)
	}
	for w := range j.watchers {
		w.push(ev)
	}
	if kind != "contribution" && kind != "leaf_proved" && kind != "fold" {
		if j.mock() {
			c.log.Info("job event", "job", j.id, "kind", kind, "msg", msg, "mock", true)
		} else {
			c.log.Info("job event", "job", j.id, "kind", kind, "msg", msg)
		}
	}
}

// persist writes the job's durable state; a store failure is logged, not
// fatal, because the in-memory job stays correct.
func (c *Coordinator) persist(j *job) {
	if c.cfg.Store == nil {
		return
	}
	rec := &store.Job{ID: j.id, Kind: j.spec.Kind, ProgramID: j.programID, Input: j.spec.Input, MaxCycles: j.spec.MaxCycles,
		RequestedCapacity: j.reqCap, State: int32(j.state), Error: j.err, Created: j.created, Finished: j.finished,
		Attempt: j.attempt}
	if p := j.plan; p != nil {
		rec.Leaves, rec.Cycles, rec.ExitCode, rec.Output = uint32(p.Leaves), p.Cycles, p.ExitCode, p.Output
		rec.KeySet, rec.Mock, rec.NoContribution, rec.Tree = p.KeySet, p.Mock, !p.Contribute, p.Tree
		for _, f := range p.Summary {
			rec.Summary = append(rec.Summary, store.Field{Name: f.Name, Value: f.Value})
		}
	}
	for _, ev := range j.events {
		if ev.Kind == "contribution" || ev.Kind == "leaf_proved" || ev.Kind == "fold" {
			continue
		}
		rec.Events = append(rec.Events, store.Event{Kind: ev.Kind, Message: ev.Message, Time: time.UnixMilli(ev.UnixMs)})
	}
	if err := c.cfg.Store.PutJob(rec); err != nil {
		c.log.Error("persist job", "job", j.id, "err", err)
	}
}

// finish moves j to a terminal state, stops its worker tasks and frees its workers.
func (c *Coordinator) finish(j *job, now time.Time, state pb.JobState, msg string) {
	if j.phase != pb.JobPhase_JOB_PHASE_UNSPECIFIED {
		c.m.PhaseDuration.WithLabelValues(phaseName(j.phase)).Observe(now.Sub(j.phaseStart).Seconds())
	}
	j.state, j.finished = state, now
	if state != pb.JobState_JOB_STATE_COMPLETED {
		j.err = msg
	}
	c.removeFromQueue(j.id)
	for id := range j.workers {
		if w := c.workers[id]; w != nil {
			c.release(j, w)
		}
	}
	j.aggregator = ""
	if j.stopPlan != nil {
		j.stopPlan() // the guest stops executing
		j.stopPlan = nil
	}
	if j.stopFinalize != nil {
		j.stopFinalize() // a finalize in progress is abandoned
		j.stopFinalize = nil
	}
	kind := map[pb.JobState]string{pb.JobState_JOB_STATE_COMPLETED: "completed",
		pb.JobState_JOB_STATE_FAILED: "failed", pb.JobState_JOB_STATE_CANCELLED: "cancelled"}[state]
	c.event(j, now, kind, msg)
	for w := range j.watchers {
		w.close()
	}
	j.watchers = nil
	close(j.done)
	// Intermediate proofs are large; a terminal job no longer needs them.
	j.commits, j.proofs, j.leafOwner = nil, nil, nil
	c.persist(j)
	c.dropCheckpoint(j)
	c.updateGauges()
}

func (c *Coordinator) removeFromQueue(id string) {
	for i, q := range c.queue {
		if q == id {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			return
		}
	}
}

// release frees w from job j, telling it to drop the job's tasks and spec.
func (c *Coordinator) release(j *job, w *workerState) {
	delete(j.workers, w.id)
	delete(j.hasSpec, w.id)
	if w.jobID == j.id {
		if w.announces && w.tasks > 0 && w.quarantined == "" {
			w.draining += w.tasks // cancelled, maybe still running: busy until reported ended
		}
		w.jobID = ""
		w.tasks = 0
	}
	w.out.push(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Cancel{Cancel: &pb.Cancel{JobId: j.id}}})
}

func (c *Coordinator) setPhase(j *job, now time.Time, p pb.JobPhase, msg string) {
	if j.phase != pb.JobPhase_JOB_PHASE_UNSPECIFIED {
		c.m.PhaseDuration.WithLabelValues(phaseName(j.phase)).Observe(now.Sub(j.phaseStart).Seconds())
	}
	j.phase, j.phaseStart = p, now
	c.event(j, now, phaseName(p), msg)
}

func phaseName(p pb.JobPhase) string {
	switch p {
	case pb.JobPhase_JOB_PHASE_CONTRIBUTE:
		return "contribute"
	case pb.JobPhase_JOB_PHASE_PROVE:
		return "prove"
	case pb.JobPhase_JOB_PHASE_AGGREGATE:
		return "aggregate"
	case pb.JobPhase_JOB_PHASE_FINALIZE:
		return "finalize"
	}
	return "none"
}

func (c *Coordinator) updateGauges() {
	counts := map[pb.JobState]int{}
	for _, j := range c.jobs {
		counts[j.state]++
	}
	for s, name := range pb.JobState_name {
		if s == 0 {
			continue
		}
		c.m.JobsByState.WithLabelValues(name).Set(float64(counts[pb.JobState(s)]))
	}
	c.m.QueueDepth.Set(float64(len(c.queue)))
	var capSum uint32
	for _, w := range c.workers {
		capSum += w.capacity
	}
	c.m.Workers.Set(float64(len(c.workers)))
	c.m.WorkerCapacity.Set(float64(capSum))
}

// reload restores persisted jobs: terminal ones as they were; others
// resume from their checkpoint when they have one (checkpoint.go), or are
// re-planned and re-queued in the background. Either way it is a new attempt.
func (c *Coordinator) reload() error {
	if c.cfg.Store == nil {
		return nil
	}
	recs, err := c.cfg.Store.Jobs()
	if err != nil {
		return err
	}
	sort.Slice(recs, func(a, b int) bool {
		return recs[a].Created.Before(recs[b].Created) || (recs[a].Created.Equal(recs[b].Created) && recs[a].ID < recs[b].ID)
	})
	now := c.cfg.Clock()
	var rerun, finalizing []*job
	for _, r := range recs {
		elf, perr := c.cfg.Store.Program(r.ProgramID)
		j := c.newJob(r.ID, r.ProgramID, engine.Spec{Kind: r.Kind, ELF: elf, Input: r.Input, MaxCycles: r.MaxCycles}, r.RequestedCapacity, r.Created)
		j.attempt = r.Attempt
		for _, e := range r.Events {
			j.events = append(j.events, &pb.JobEvent{Kind: e.Kind, Message: e.Message, UnixMs: e.Time.UnixMilli()})
		}
		st := pb.JobState(r.State)
		switch st {
		case pb.JobState_JOB_STATE_COMPLETED, pb.JobState_JOB_STATE_FAILED, pb.JobState_JOB_STATE_CANCELLED:
			j.state, j.err, j.finished = st, r.Error, r.Finished
			j.plan = planOf(r)
			close(j.done)
			j.watchers = nil
		default:
			if _, err := c.backends.For(j.kind()); err != nil {
				c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("after restart: %v", err))
				continue
			}
			if perr != nil && r.ProgramID != "" {
				c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("program lost on restart: %v", perr))
				continue
			}
			j.attempt++
			if cp := c.storedCheckpoint(j.id); cp != nil {
				err := c.resume(j, r, cp, now)
				if err == nil {
					if j.phase == pb.JobPhase_JOB_PHASE_FINALIZE {
						finalizing = append(finalizing, j)
					}
					continue
				}
				c.log.Warn("cannot resume job; it reruns", "job", j.id, "err", err)
				j.plan, j.tree = nil, nil
				c.dropCheckpoint(j)
			}
			if j.plan == nil && j.attempt > maxPlanAttempts {
				// Planning it was interrupted every time: never again (a
				// guest that kills the coordinator must not crash-loop it).
				c.finish(j, now, pb.JobState_JOB_STATE_FAILED,
					fmt.Sprintf("planning interrupted by %d coordinator restarts; not planned again", j.attempt-1))
				continue
			}
			c.event(j, now, "requeued", "coordinator restarted; job reruns")
			c.persist(j)
			rerun = append(rerun, j)
		}
	}
	c.updateGauges()
	for _, j := range finalizing {
		c.startFinalize(j)
	}
	c.mu.Lock()
	for _, j := range rerun {
		c.enqueuePlan(j) // in submission order, through the bounded pool
	}
	c.mu.Unlock()
	return nil
}

// planOf is the plan of a persisted job, as far as the record keeps it.
func planOf(r *store.Job) *engine.Plan {
	p := &engine.Plan{Kind: r.Kind, KeySet: r.KeySet, Mock: r.Mock, Contribute: !r.NoContribution, Leaves: int(r.Leaves),
		Tree: r.Tree, Cycles: r.Cycles, ExitCode: r.ExitCode, Output: r.Output}
	for _, f := range r.Summary {
		p.Summary = append(p.Summary, engine.Field{Name: f.Name, Value: f.Value})
	}
	return p
}
