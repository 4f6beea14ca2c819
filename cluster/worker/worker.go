// Package worker is a proving process: it dials the coordinator, registers
// its capacity, fetches missing key blobs, runs the tasks it is given on a
// prover.Backend (at most capacity at a time, each with its own context so
// Cancel stops it) and reconnects with backoff when the stream breaks.
package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/zkvm/prover"
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
	// Backend opens the prover for the coordinator's key set.
	Backend    func(setID string) (prover.Backend, error)
	Keys       KeyCache // nil: no key fetching (keys must be present)
	Logger     *slog.Logger
	Metrics    *Metrics
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// Worker runs Config until its context ends.
type Worker struct {
	cfg Config
	log *slog.Logger
	m   *Metrics

	mu       sync.Mutex
	backends map[string]prover.Backend

	// Readiness for /health: notReady is "" while registered with every
	// key cached. gen numbers connection attempts so that a late update
	// from a finished session cannot mark a disconnected worker ready.
	healthMu sync.Mutex
	gen      uint64
	notReady string
}

// New validates cfg and returns a Worker.
func New(cfg Config) (*Worker, error) {
	if cfg.ID == "" || cfg.Capacity < 1 || cfg.Dial == nil || cfg.Backend == nil {
		return nil, errors.New("worker: need an id, capacity ≥ 1, a dialer and a backend factory")
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
	return &Worker{cfg: cfg, log: cfg.Logger.With("worker", cfg.ID), m: cfg.Metrics, backends: map[string]prover.Backend{},
		notReady: "not started"}, nil
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

func (w *Worker) backend(setID string) (prover.Backend, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if b, ok := w.backends[setID]; ok {
		return b, nil
	}
	b, err := w.cfg.Backend(setID)
	if err != nil {
		return nil, fmt.Errorf("open backend for key set %s: %w", setID, err)
	}
	w.backends[setID] = b
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
	if err := stream.Send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Register{Register: &pb.Register{
		WorkerId: w.cfg.ID, Capacity: uint32(w.cfg.Capacity)}}}); err != nil {
		return false, fmt.Errorf("register: %w", err)
	}
	first, err := stream.Recv()
	if err != nil {
		return false, fmt.Errorf("register: %w", err)
	}
	reg := first.GetRegistered()
	if reg == nil {
		return false, errors.New("register: coordinator did not answer Registered")
	}
	w.m.Connected.Set(1)
	defer w.m.Connected.Set(0)
	w.log.Info("registered", "key_set", reg.KeySetId, "capacity", w.cfg.Capacity)

	s := newSession(ctx, cancel, w, gen, reg.KeySetId, stream)
	defer s.stop()
	go s.sendLoop(time.Duration(reg.HeartbeatIntervalMs) * time.Millisecond)
	// The backend is opened once the key set's blobs are cached (it loads
	// them); tasks wait for that.
	s.fetchKeys(reg.KeyBlobs)
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
