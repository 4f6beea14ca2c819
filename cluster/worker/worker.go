// Package worker is a proving process: it dials the coordinator, registers
// its capacity, fetches missing key blobs, runs the tasks it is given on a
// engine.Backend (at most capacity at a time, each with its own context so
// Cancel stops it) and reconnects with backoff when the stream breaks.
package worker

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// KeyCache is the worker's local key store (zkvm/keys.Store satisfies it).
type KeyCache interface {
	Has(id string) bool
	PutBlobExpect(id string, r io.Reader) error
}

// Config configures a Worker.
type Config struct {
	ID       string
	Capacity int
	// Dial connects to the coordinator's cluster port (TLS and the worker
	// secret are the caller's dial options).
	Dial func(ctx context.Context) (*grpc.ClientConn, error)
	// Kinds are the kinds the worker proves, each with its prover.
	Kinds map[string]Prover
	// Backend, if set, is the real prover of the RISC-V kind when Kinds
	// does not name it.
	Backend    func(setID string) (engine.Backend, error)
	Keys       KeyCache // nil: no key fetching (keys must be present)
	Logger     *slog.Logger
	Metrics    *Metrics
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// Prover opens one kind's backend for the key set the coordinator
// announces; Mock says it is the mock prover (the coordinator pairs mock
// workers only with a mock coordinator).
type Prover struct {
	Mock bool
	Open func(setID string) (engine.Backend, error)
}

// Worker runs Config until its context ends.
type Worker struct {
	cfg Config
	log *slog.Logger
	m   *Metrics

	mu       sync.Mutex
	backends map[[2]string]engine.Backend // by kind and key set

	// slots are the capacity slots, shared by every session: a task whose
	// job was cancelled (or whose connection broke) keeps its slot until
	// the prover returns, which gnark's does not do early, so a
	// reconnect never runs more than Capacity proofs at once.
	slots chan struct{}
	stats taskStats // task totals over every path
	// instance is random per process: the coordinator tells a reconnect
	// of this process from another process using the same id.
	instance string

	// Readiness for /health: notReady is "" while registered with every
	// key cached. gen numbers connection attempts so that a late update
	// from a finished session cannot mark a disconnected worker ready.
	healthMu sync.Mutex
	gen      uint64
	notReady string
}

// New validates cfg and returns a Worker.
func New(cfg Config) (*Worker, error) {
	kinds := map[string]Prover{}
	for k, p := range cfg.Kinds {
		kinds[k] = p
	}
	if _, ok := kinds[engine.KindRISCV]; !ok && cfg.Backend != nil {
		kinds[engine.KindRISCV] = Prover{Open: cfg.Backend}
	}
	cfg.Kinds = kinds
	if cfg.ID == "" || cfg.Capacity < 1 || cfg.Dial == nil || len(kinds) == 0 {
		return nil, errors.New("worker: need an id, capacity ≥ 1, a dialer and a prover for at least one kind")
	}
	for k, p := range kinds {
		if !engine.ValidKind(k) || p.Open == nil {
			return nil, fmt.Errorf("worker: bad prover for kind %q", k)
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 10 * time.Second
	}
	cfg.Metrics.Capacity.Set(float64(cfg.Capacity))
	for _, p := range kinds {
		if p.Mock {
			cfg.Metrics.Mock.Set(1)
		}
	}
	return &Worker{cfg: cfg, log: cfg.Logger.With("worker", cfg.ID), m: cfg.Metrics, backends: map[[2]string]engine.Backend{},
		notReady: "not started", slots: make(chan struct{}, cfg.Capacity), instance: rand.Text()}, nil
}

// Health is the worker's readiness probe (for /health): nil while it is
// registered with the coordinator and holds every key blob, else an error
// saying why it cannot take tasks (connecting, reconnecting after a lost
// stream, fetching keys).
func (w *Worker) Health() error {
	w.healthMu.Lock()
	defer w.healthMu.Unlock()
	if w.notReady != "" {
		return errors.New(w.notReady)
	}
	return nil
}

// newAttempt starts a connection attempt with its not-ready reason and
// returns its generation.
func (w *Worker) newAttempt(reason string) uint64 {
	w.healthMu.Lock()
	defer w.healthMu.Unlock()
	w.gen++
	w.notReady = reason
	return w.gen
}

// setReadiness updates the reason ("" = ready) if attempt gen is current.
func (w *Worker) setReadiness(gen uint64, reason string) {
	w.healthMu.Lock()
	defer w.healthMu.Unlock()
	if gen == w.gen {
		w.notReady = reason
	}
}

// Mock reports whether the worker runs the mock prover for some kind.
func (w *Worker) Mock() bool {
	for _, p := range w.cfg.Kinds {
		if p.Mock {
			return true
		}
	}
	return false
}

// Metrics returns the worker's metrics.
func (w *Worker) Metrics() *Metrics { return w.m }

// Run connects and serves until ctx ends, reconnecting with exponential
// backoff (reset after a session that registered successfully).
func (w *Worker) Run(ctx context.Context) error {
	backoff := w.cfg.MinBackoff
	defer w.newAttempt("stopped")
	for first := true; ; first = false {
		if !first {
			w.m.Reconnects.Inc()
		}
		gen := w.newAttempt("connecting to the coordinator")
		registered, err := w.session(ctx, gen)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if registered {
			backoff = w.cfg.MinBackoff
		}
		w.newAttempt(fmt.Sprintf("disconnected from the coordinator (%v); reconnecting", err))
		w.log.Warn("disconnected from coordinator; retrying", "err", err, "in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, w.cfg.MaxBackoff)
	}
}

func (w *Worker) backend(kind, setID string) (engine.Backend, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := [2]string{kind, setID}
	if b, ok := w.backends[key]; ok {
		return b, nil
	}
	p, ok := w.cfg.Kinds[kind]
	if !ok {
		return nil, fmt.Errorf("%w %q", engine.ErrUnknownKind, kind)
	}
	b, err := p.Open(setID)
	if err != nil {
		return nil, fmt.Errorf("open %s backend for key set %s: %w", kind, setID, err)
	}
	w.backends[key] = b
	return b, nil
}

// session is one connection: it returns when the stream breaks.
func (w *Worker) session(ctx context.Context, gen uint64) (registered bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conn, err := w.cfg.Dial(ctx)
	if err != nil {
		return false, fmt.Errorf("dial: %w", err)
	}
	defer conn.Close()
	stream, err := pb.NewWorkerServiceClient(conn).Connect(ctx)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	reg := &pb.Register{WorkerId: w.cfg.ID, Capacity: uint32(w.cfg.Capacity), AnnouncesState: true, Instance: w.instance}
	for _, k := range sortedKinds(w.cfg.Kinds) {
		reg.Kinds = append(reg.Kinds, &pb.ProverKind{Kind: k, Mock: w.cfg.Kinds[k].Mock})
	}
	if err := stream.Send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Register{Register: reg}}); err != nil {
		return false, fmt.Errorf("register: %w", err)
	}
	first, err := stream.Recv()
	if err != nil {
		return false, fmt.Errorf("register: %w", err)
	}
	ok := first.GetRegistered()
	if ok == nil {
		return false, errors.New("register: coordinator did not answer Registered")
	}
	w.m.Connected.Set(1)
	defer w.m.Connected.Set(0)
	sets := map[string]string{}
	var blobs []string
	seen := map[string]bool{} // kinds may share a key set (the Groth16 prover's do)
	for _, ks := range ok.KeySets {
		if _, mine := w.cfg.Kinds[ks.Kind]; !mine || w.cfg.Kinds[ks.Kind].Mock != ks.Mock {
			return false, fmt.Errorf("register: coordinator announced a key set for %s (mock %v), which this worker does not prove", ks.Kind, ks.Mock)
		}
		sets[ks.Kind] = ks.Id
		for _, b := range ks.Blobs {
			if !seen[b] {
				seen[b] = true
				blobs = append(blobs, b)
			}
		}
		w.log.Info("registered", "kind", ks.Kind, "key_set", ks.Id, "mock", ks.Mock, "capacity", w.cfg.Capacity)
	}
	if len(sets) == 0 {
		return false, errors.New("register: coordinator announced no key set")
	}

	s := newSession(ctx, cancel, w, gen, sets, stream)
	defer s.stop()
	go s.sendLoop(time.Duration(ok.HeartbeatIntervalMs) * time.Millisecond)
	// Backends are opened once the key sets' blobs are cached (they load
	// them); tasks wait for that.
	s.fetchKeys(blobs)
	for {
		m, err := stream.Recv()
		if err != nil {
			return true, fmt.Errorf("stream: %w", err)
		}
		if err := s.handle(m); err != nil {
			return true, err
		}
	}
}

func sortedKinds(m map[string]Prover) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
