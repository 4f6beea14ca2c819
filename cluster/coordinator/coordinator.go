// Package coordinator is the cluster's brain: it queues jobs, deals leaves
// to its workers' free slots (duplicating the last stragglers), runs the two-phase
// (commit, challenge, prove) protocol, folds along engine.Tree on every
// worker with a free slot (the promoted aggregator first), and finalizes
// the root proof. The core is pure state
// under one lock with an injected clock and id generator; the gRPC layer
// (server.go) only translates messages.
package coordinator

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
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
	// Retention of a terminal job's bulky data (input, output, proof):
	// kept for DefaultRetainAge after the job ends, and for at most the
	// DefaultRetainJobs most recent terminal jobs.
	DefaultRetainAge  = 7 * 24 * time.Hour
	DefaultRetainJobs = 10000
	maxEventsKept     = 4096
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
	// NoStealing turns off capacity-bounded dealing: every leaf of a
	// phase is then dealt at once in proportion to capacity and waits in
	// its worker's queue, even while other workers of the job idle. By
	// default a worker is sent at most as many tasks as it has free slots
	// and the rest of the leaves stay with the coordinator, so whichever
	// worker of the job frees a slot first takes the next one: a slow
	// worker never sits on leaves it has not started (see PROTOCOL.md).
	NoStealing bool
	// DuplicateAfter: once a phase has no leaf left to deal, a leaf task
	// in flight for at least this long (a straggler) may be sent a second
	// time to a worker of the job with a free slot that no waiting job
	// could use; the first valid result wins and the other copy is
	// dropped (neither holder is charged an attempt). 0 (the default):
	// automatic, longer than the median time of the leaf tasks of the
	// phase that finished; negative: never duplicate. Only with the
	// capacity-bounded dealing (NoStealing unset), where every task sent
	// has started.
	DuplicateAfter time.Duration
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
	// RetainAge and RetainJobs bound how long and for how many terminal
	// jobs the input, output and proof are kept (0: the defaults above;
	// negative: no bound). The small job record is kept either way.
	RetainAge  time.Duration
	RetainJobs int
	Logger     *slog.Logger
	Metrics    *Metrics
	// PostProof are the phases a job may ask for after its proof is final
	// (postproof.go), run in this order.
	PostProof []PostProof
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

	mu    sync.Mutex
	jobs  map[string]*job
	order []string // job ids by creation
	// orderIdx is each job's position in order (list page tokens).
	orderIdx map[string]int
	live     []string // non-terminal job ids by creation: what schedule walks
	// terminalCount counts terminal jobs by state, for the gauges.
	terminalCount map[pb.JobState]int
	// retained lists terminal jobs whose bulky data is still kept, oldest
	// end first: retention prunes from the front.
	retained []string
	queue    []string // queued job ids, FIFO
	workers  map[string]*workerState
	planning []*job // jobs waiting for the planning pool, FIFO
	planKick chan struct{}
	// quarantined remembers workers that sent a bad result, by id.
	quarantined map[string]quarantineEntry
	// tickEvery is the ticker's period (0: no ticker); lastCore is when
	// the core last ran. A gap much longer than the period means the
	// coordinator itself stalled (see lockAndExpire).
	tickEvery time.Duration
	lastCore  time.Time

	// storeErr is the last failed store write (nil after a later write
	// succeeds); Health reports it. Guarded by storeMu, not mu: program
	// writes happen outside mu.
	storeMu  sync.Mutex
	storeErr error
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
	if err := checkPostProof(cfg.PostProof); err != nil {
		return nil, err
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
	if cfg.RetainAge == 0 {
		cfg.RetainAge = DefaultRetainAge
	}
	if cfg.RetainJobs == 0 {
		cfg.RetainJobs = DefaultRetainJobs
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
		jobs: map[string]*job{}, workers: map[string]*workerState{}, terminalCount: map[pb.JobState]int{}, orderIdx: map[string]int{},
		quarantined: map[string]quarantineEntry{}, planKick: make(chan struct{}, cfg.PlanWorkers)}
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
	c.storeMu.Lock()
	defer c.storeMu.Unlock()
	if c.storeErr != nil {
		return fmt.Errorf("store writes failing: %w", c.storeErr)
	}
	return nil
}

// storeWrote records the outcome of a store write: a failure is logged,
// counted and turns Health to an error until a later write succeeds.
func (c *Coordinator) storeWrote(op, jobID string, err error) {
	c.storeMu.Lock()
	defer c.storeMu.Unlock()
	if err == nil {
		c.storeErr = nil
		return
	}
	c.storeErr = err
	c.m.StoreErrors.WithLabelValues(op).Inc()
	c.log.Error("store write failed", "op", op, "job", jobID, "err", err)
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

// newIDGen returns ids that sort by creation within one process (time
// plus a counter) and never repeat across restarts: a random suffix
// separates two coordinators that start in the same second with their
// counters both at 1, and Submit also refuses an id it already holds.
func newIDGen(clock func() time.Time) func() string {
	var mu sync.Mutex
	var n uint64
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		var r [6]byte
		rand.Read(r[:]) // never fails: since Go 1.24 a broken source crashes the program
		return fmt.Sprintf("j%s-%04d-%s", clock().UTC().Format("20060102T150405"), n, hex.EncodeToString(r[:]))
	}
}

// freshID draws ids until one is unused in memory and in the store; the
// random suffix makes a second draw vanishingly rare. Called with c.mu held.
func (c *Coordinator) freshID() (string, error) {
	for range 8 {
		id := c.cfg.NewID()
		if _, taken := c.jobs[id]; taken {
			continue
		}
		if c.cfg.Store != nil {
			has, err := c.cfg.Store.HasJob(id)
			if err != nil {
				return "", err
			}
			if has {
				continue
			}
		}
		return id, nil
	}
	return "", fmt.Errorf("%w: the id generator keeps returning ids already in use", ErrInvalid)
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
		c.enforceRetention(now)
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
		c.storeWrote("put_program", "", err)
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
	// PostProof names the post-proof phases the job asks for (Config.PostProof).
	PostProof []string
	// Tenant owns the job ("" = the operator's); see JobTenant.
	Tenant string
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
	post, err := c.postProofOptions(req.PostProof)
	if err != nil {
		return nil, err
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
	id, err := c.freshID()
	if err != nil {
		return nil, err
	}
	j := c.newJobOf(req.Tenant, id, req.ProgramID, engine.Spec{Kind: req.Kind, ELF: elf, Input: req.Input, MaxCycles: req.MaxCycles}, req.RequestedCapacity, now)
	j.attempt, j.post = 1, post
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

func (c *Coordinator) newJobOf(tenant, id, programID string, spec engine.Spec, reqCap uint32, now time.Time) *job {
	j := c.newJob(id, programID, spec, reqCap, now)
	j.tenant = tenant
	return j
}

func (c *Coordinator) newJob(id, programID string, spec engine.Spec, reqCap uint32, now time.Time) *job {
	j := &job{id: id, programID: programID, spec: spec, reqCap: reqCap, state: pb.JobState_JOB_STATE_QUEUED,
		created: now, watchers: map[*Watcher]struct{}{}, done: make(chan struct{}),
		workers: map[string]bool{}, hasSpec: map[string]bool{}, foldFlight: map[int]string{}}
	j.seq = len(c.order)
	c.jobs[id] = j
	c.orderIdx[id] = len(c.order)
	c.order = append(c.order, id)
	c.live = append(c.live, id)
	return j
}

// plan runs backend.Plan without the lock, then queues or fails the job.
func (c *Coordinator) plan(ctx context.Context, j *job) error {
	// The spec is read under the lock: a cancel that ends the job
	// meanwhile frees its ELF and input (releaseBulk) under the lock.
	c.mu.Lock()
	spec := j.spec
	c.mu.Unlock()
	kind := spec.KindOrDefault()
	var p *engine.Plan
	be, err := c.backends.For(kind)
	if err == nil {
		p, err = be.Plan(ctx, spec)
	}
	if err == nil {
		err = checkPlan(p, kind)
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
		j.planErr = err
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
	return c.fullSnapshot(j), nil
}

// Jobs lists every job, oldest first, without outputs (Job has them).
func (c *Coordinator) Jobs() []*pb.Job {
	c.lockAndExpire()
	defer c.mu.Unlock()
	out := make([]*pb.Job, 0, len(c.order))
	for _, id := range c.order {
		s := c.jobs[id].snapshot()
		s.Output = nil
		out = append(out, s)
	}
	return out
}

// List page sizes.
const (
	DefaultPageSize = 500
	MaxPageSize     = 1000
)

// JobsPage lists up to size jobs (0: DefaultPageSize, at most
// MaxPageSize) of tenant ("" = every job), oldest first, without
// outputs, after the job named by token ("" = from the start). next
// names the page's last job, or is "" when no job follows.
func (c *Coordinator) JobsPage(tenant, token string, size int) (jobs []*pb.Job, next string, err error) {
	if size <= 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxPageSize)
	c.lockAndExpire()
	defer c.mu.Unlock()
	from := 0
	if token != "" {
		i, ok := c.orderIdx[token]
		if !ok {
			return nil, "", fmt.Errorf("%w: page token %q names no job", ErrInvalid, token)
		}
		from = i + 1
	}
	i := from
	for ; i < len(c.order) && len(jobs) < size; i++ {
		j := c.jobs[c.order[i]]
		if tenant != "" && j.tenant != tenant {
			continue
		}
		s := j.snapshot()
		s.Output = nil
		jobs = append(jobs, s)
	}
	if i < len(c.order) {
		next = c.order[i-1]
	}
	return jobs, next, nil
}

// JobTenant returns the tenant that owns job id ("" = the operator's).
func (c *Coordinator) JobTenant(id string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return "", fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	return j.tenant, nil
}

// fullSnapshot is j's snapshot with its output, read back from the store
// for a terminal job whose output was released from memory.
func (c *Coordinator) fullSnapshot(j *job) *pb.Job {
	s := j.snapshot()
	if s.Output == nil && j.outputStored && !j.pruned && c.cfg.Store != nil {
		out, err := c.cfg.Store.Output(j.id)
		if err != nil {
			c.log.Warn("read output", "job", j.id, "err", err)
		}
		s.Output = out
	}
	return s
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
	if j.pruned {
		return nil, j.snapshot(), fmt.Errorf("%w: proof of job %s was deleted by the retention policy", ErrNotFound, id)
	}
	proof := j.proof
	if proof == nil && c.cfg.Store != nil {
		// Read per request, not cached: terminal jobs keep no proof in memory.
		p, err := c.cfg.Store.Proof(id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, j.snapshot(), fmt.Errorf("%w: proof of job %s is not in the store", ErrNotFound, id)
		}
		if err != nil {
			return nil, j.snapshot(), err
		}
		proof = p
	}
	return proof, c.fullSnapshot(j), nil
}

// PlanError returns the error that failed job id's planning, with its
// class (engine.ErrExecution, engine.ErrBadProgram, …) and the backend's
// detail, or nil if its planning did not fail (or failed before a
// restart: only the message survives in the job's Error then).
func (c *Coordinator) PlanError(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if j, ok := c.jobs[id]; ok {
		return j.planErr
	}
	return nil
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
	w.push(&pb.JobEvent{Kind: "snapshot", UnixMs: now.UnixMilli(), Job: c.fullSnapshot(j), Mock: j.mock()})
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
	return c.fullSnapshot(j), nil
}

// ---- events, persistence, terminal states ----

func (c *Coordinator) event(j *job, now time.Time, kind, msg string) {
	c.m.Transitions.WithLabelValues(kind).Inc()
	switch kind {
	case "queued", "requeued":
		j.planStart = now
	case "planned":
		if !j.planStart.IsZero() {
			c.m.PlanDuration.Observe(now.Sub(j.planStart).Seconds())
		}
		j.queuedAt = now
	case "started":
		if !j.queuedAt.IsZero() {
			c.m.QueueWait.Observe(now.Sub(j.queuedAt).Seconds())
		}
	case "completed", "failed", "cancelled":
		c.m.JobDuration.WithLabelValues(kind).Observe(now.Sub(j.created).Seconds())
	case "retry", "worker_lost":
		// Attempt counters survive a restart: stored at each retry (rare)
		// once the job has a checkpoint (PROVE on).
		if j.phase == pb.JobPhase_JOB_PHASE_PROVE || j.phase == pb.JobPhase_JOB_PHASE_AGGREGATE {
			defer c.checkpoint(j)
		}
	}
	snap := j.snapshot()
	if kind != "completed" {
		// Events carry no output (a large output would be sent with every
		// leaf); the snapshot a watch starts with, the completed event and
		// GetJob have it.
		snap.Output = nil
	}
	ev := &pb.JobEvent{Kind: kind, Message: msg, UnixMs: now.UnixMilli(), Job: snap, Mock: j.mock()}
	for w := range j.watchers {
		w.push(ev)
	}
	// Kept without the snapshot: the store needs only kind, message and
	// time (of transitions), and a pruned job drops its progress events.
	if len(j.events) < maxEventsKept {
		j.events = append(j.events, &pb.JobEvent{Kind: kind, Message: msg, UnixMs: ev.UnixMs, Mock: ev.Mock})
	}
	if !progressEvent(kind) {
		if j.mock() {
			c.log.Info("job event", "job", j.id, "kind", kind, "msg", msg, "mock", true)
		} else {
			c.log.Info("job event", "job", j.id, "kind", kind, "msg", msg)
		}
	}
}

// progressEvent tells per-task progress from transitions.
func progressEvent(kind string) bool {
	return kind == "contribution" || kind == "leaf_proved" || kind == "fold"
}

// persist writes the job's durable state; a store failure is logged, not
// fatal, because the in-memory job stays correct.
func (c *Coordinator) persist(j *job) {
	if c.cfg.Store == nil {
		return
	}
	if !j.inputStored && !j.pruned {
		err := c.cfg.Store.PutInput(j.id, j.spec.Input)
		c.storeWrote("put_input", j.id, err)
		j.inputStored = err == nil
	}
	if p := j.plan; p != nil && !j.outputStored && !j.pruned && len(p.Output) > 0 {
		err := c.cfg.Store.PutOutput(j.id, p.Output)
		c.storeWrote("put_output", j.id, err)
		j.outputStored = err == nil
	}
	rec := &store.Job{ID: j.id, Kind: j.spec.Kind, ProgramID: j.programID, MaxCycles: j.spec.MaxCycles,
		RequestedCapacity: j.reqCap, State: int32(j.state), Error: j.err, Created: j.created, Finished: j.finished,
		Attempt: j.attempt, OutputStored: j.outputStored, Pruned: j.pruned, Tenant: j.tenant,
		PostProof: j.post, Results: j.results}
	if p := j.plan; p != nil {
		rec.Leaves, rec.Cycles, rec.ExitCode = uint32(p.Leaves), p.Cycles, p.ExitCode
		if !j.outputStored {
			rec.Output = p.Output // only when the outputs bucket could not take it
		}
		rec.KeySet, rec.Mock, rec.NoContribution, rec.Tree = p.KeySet, p.Mock, !p.Contribute, p.Tree
		for _, f := range p.Summary {
			rec.Summary = append(rec.Summary, store.Field{Name: f.Name, Value: f.Value})
		}
	}
	for _, ev := range j.events {
		if progressEvent(ev.Kind) {
			continue
		}
		rec.Events = append(rec.Events, store.Event{Kind: ev.Kind, Message: ev.Message, Time: time.UnixMilli(ev.UnixMs)})
	}
	c.storeWrote("put_job", j.id, c.cfg.Store.PutJob(rec))
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
	c.dropLive(j.id)
	c.terminalCount[state]++
	c.retained = append(c.retained, j.id)
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
	c.releaseBulk(j)
	c.enforceRetention(now)
	c.updateGauges()
}

// releaseBulk frees a terminal job's ELF and input, and its output and
// proof when the store holds them (read back on request).
func (c *Coordinator) releaseBulk(j *job) {
	j.spec.ELF, j.spec.Input = nil, nil
	if c.cfg.Store == nil {
		return
	}
	if j.outputStored && j.plan != nil && j.plan.Output != nil {
		p := *j.plan // the backend's plan may be shared: copy before editing
		p.Output = nil
		j.plan = &p
	}
	if j.proofStored {
		j.proof = nil // GetProof reads it back; one that could not be stored stays in memory
	}
}

// dropLive removes id from the live index.
func (c *Coordinator) dropLive(id string) {
	if i := slices.Index(c.live, id); i >= 0 {
		c.live = slices.Delete(c.live, i, i+1)
	}
}

// enforceRetention prunes the oldest terminal jobs' bulky data (input,
// output, proof) beyond the retention count or age, in one store write.
func (c *Coordinator) enforceRetention(now time.Time) {
	var victims []*job
	for len(c.retained) > 0 {
		j := c.jobs[c.retained[0]]
		over := c.cfg.RetainJobs >= 0 && len(c.retained) > c.cfg.RetainJobs
		old := c.cfg.RetainAge >= 0 && now.Sub(j.finished) > c.cfg.RetainAge
		if !over && !old {
			break
		}
		c.retained[0] = ""
		c.retained = c.retained[1:]
		victims = append(victims, j)
	}
	if len(victims) == 0 {
		return
	}
	ids := make([]string, len(victims))
	for i, j := range victims {
		ids[i] = j.id
		j.pruned, j.outputStored = true, false
		j.spec.ELF, j.spec.Input, j.proof = nil, nil, nil
		if j.plan != nil && j.plan.Output != nil {
			p := *j.plan // the backend's plan may be shared: copy before editing
			p.Output = nil
			j.plan = &p
		}
		j.events = slices.DeleteFunc(j.events, func(ev *pb.JobEvent) bool { return progressEvent(ev.Kind) })
	}
	if c.cfg.Store != nil {
		c.storeWrote("prune", ids[0], c.cfg.Store.Prune(ids...))
	}
	c.m.Pruned.Add(float64(len(victims)))
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
	j.forgetCopies(w.id) // its lost copies are cancelled with the job: draining below
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
	case pb.JobPhase_JOB_PHASE_ATTESTING:
		return "attesting"
	case pb.JobPhase_JOB_PHASE_SETTLING:
		return "settling"
	}
	return "none"
}

func (c *Coordinator) updateGauges() {
	counts := maps.Clone(c.terminalCount)
	for _, id := range c.live {
		counts[c.jobs[id].state]++
	}
	for s, name := range pb.JobState_name {
		if s == 0 {
			continue
		}
		c.m.JobsByState.WithLabelValues(name).Set(float64(counts[pb.JobState(s)]))
	}
	c.m.QueueDepth.Set(float64(len(c.queue)))
	var capSum uint32
	busy := 0
	for _, w := range c.workers {
		capSum += w.capacity
		if w.jobID != "" {
			busy++
		}
	}
	c.m.WorkersByState.WithLabelValues("idle").Set(float64(len(c.workers) - busy))
	c.m.WorkersByState.WithLabelValues("busy").Set(float64(busy))
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
	recs, bad, err := c.cfg.Store.Jobs()
	if err != nil {
		return err
	}
	for _, q := range bad {
		c.m.StoreQuarantined.Inc()
		c.log.Error("undecodable job record quarantined; startup continues without it", "key", q.Key, "err", q.Err)
	}
	sort.Slice(recs, func(a, b int) bool {
		return recs[a].Created.Before(recs[b].Created) || (recs[a].Created.Equal(recs[b].Created) && recs[a].ID < recs[b].ID)
	})
	now := c.cfg.Clock()
	var rerun, finalizing []*job
	for _, r := range recs {
		st := pb.JobState(r.State)
		terminal := st == pb.JobState_JOB_STATE_COMPLETED || st == pb.JobState_JOB_STATE_FAILED || st == pb.JobState_JOB_STATE_CANCELLED
		// A terminal job needs neither its ELF nor its input: only live
		// jobs read them back.
		var elf []byte
		var perr error
		if !terminal {
			elf, perr = c.cfg.Store.Program(r.ProgramID)
			if r.Input == nil {
				in, err := c.cfg.Store.Input(r.ID)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				r.Input = in
			}
			if r.OutputStored {
				out, err := c.cfg.Store.Output(r.ID)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				r.Output = out
			}
		}
		j := c.newJob(r.ID, r.ProgramID, engine.Spec{Kind: r.Kind, ELF: elf, Input: r.Input, MaxCycles: r.MaxCycles}, r.RequestedCapacity, r.Created)
		j.attempt, j.tenant, j.post = r.Attempt, r.Tenant, r.PostProof
		j.inputStored, j.outputStored, j.pruned = true, r.OutputStored, r.Pruned
		for _, e := range r.Events {
			j.events = append(j.events, &pb.JobEvent{Kind: e.Kind, Message: e.Message, UnixMs: e.Time.UnixMilli()})
		}
		switch {
		case terminal:
			j.state, j.err, j.finished = st, r.Error, r.Finished
			j.results = r.Results
			j.plan = planOf(r)
			close(j.done)
			j.watchers = nil
			c.dropLive(j.id)
			c.terminalCount[st]++
			if !j.pruned {
				c.retained = append(c.retained, j.id)
			}
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
	sort.SliceStable(c.retained, func(a, b int) bool { return c.jobs[c.retained[a]].finished.Before(c.jobs[c.retained[b]].finished) })
	c.enforceRetention(now)
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
