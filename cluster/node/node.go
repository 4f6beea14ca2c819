// Package node assembles the cluster's processes from their parts: a
// coordinator (job store, transport-neutral core, gRPC listeners, metrics,
// ticker), a worker (dialer, key cache, provers, metrics), and a
// development cluster of both in one process. The zkfleet commands
// (coordinator, worker, dev, prove --local) and the in-process test
// cluster all start and stop through here, so they run the same code.
//
// Provers are given, not opened here: the caller picks each kind's
// backend (the real Groth16 prover, the mock prover, a test double), so
// this package links no proof system.
package node

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/httpworker"
	"github.com/zkfleet/zkfleet/cluster/metrics"
	"github.com/zkfleet/zkfleet/cluster/rpc"
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
)

// Kind is one kind a coordinator serves: its backend and the key set its
// workers fetch.
type Kind struct {
	Backend engine.Backend
	KeySet  coordinator.KeySet
}

// CoordinatorConfig configures a coordinator process.
type CoordinatorConfig struct {
	APIAddr, ClusterAddr string
	MetricsAddr          string // "" = no metrics listener
	DataDir              string // "" = jobs in memory only
	TLS                  *tls.Config
	Token                string        // client API bearer token ("" = none)
	Tenants              *auth.Tenants // tenants' client tokens (nil: none)
	WorkerSecret         string        // cluster port shared bearer secret ("" = none)
	// Workers are per-worker secrets (--workers-file), each binding the
	// worker id it may register as (nil: none).
	Workers *auth.Workers
	// Keepalive are both ports' keepalive times (zero: rpc's defaults).
	Keepalive        rpc.Keepalive
	Kinds            map[string]Kind
	Keys             rpc.KeySource // serves key blobs to workers (nil: none)
	HeartbeatTimeout time.Duration
	MaxTaskAttempts  int
	MaxELF, MaxInput int
	// NoStealing and DuplicateAfter: coordinator.Config's dealing bounded
	// by capacity (off when NoStealing) and duplication of stragglers.
	NoStealing     bool
	DuplicateAfter time.Duration
	// RetainAge and RetainJobs: coordinator.Config's retention of a
	// terminal job's input, output and proof (0: the defaults).
	RetainAge   time.Duration
	RetainJobs  int
	MaxCycles   uint64        // server cycle cap (0: coordinator.DefaultMaxCycles)
	PlanWorkers int           // planning pool size (0: coordinator.DefaultPlanWorkers)
	TaskTimeout time.Duration // per-task deadline (0: coordinator.DefaultTaskTimeout)
	MaxQueued   int           // bound on waiting jobs (0: coordinator.DefaultMaxQueued)
	TickEvery   time.Duration // heartbeat expiry period (0: a third of the timeout)
	Logger      *slog.Logger
	// HTTPAddr and HTTP, when both set, serve an HTTP API on the core (the
	// rollup Core API, say) on a listener of its own, with the same TLS
	// bearer token and tenants as the gRPC client API (auth.HTTPClient).
	HTTPAddr string
	HTTP     func(*coordinator.Coordinator) http.Handler
	// PostProof are the phases jobs may ask for after the proof
	// (attesting, …).
	PostProof []coordinator.PostProof
	// HTTPWorkers are static HTTP workers the coordinator deals to
	// (cluster/httpworker), next to the workers that dial in.
	HTTPWorkers []httpworker.Config
}

// Coordinator is a running coordinator process.
type Coordinator struct {
	Core   *coordinator.Coordinator
	Listen *rpc.Listening
	Store  *store.Store // nil without a data dir
	// HTTPAddr is the HTTP API's address (nil without one).
	HTTPAddr net.Addr
	http     *http.Server
	httpStop context.CancelFunc // ends the HTTP requests' contexts (event streams)
	log      *slog.Logger
	once     sync.Once
	err      error

	// httpWorkers deal to the static HTTP workers.
	httpWorkers []*httpworker.Adapter
}

// StartCoordinator opens the job store, builds the core, starts its ticker
// and serves it.
func StartCoordinator(cfg CoordinatorConfig) (*Coordinator, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.Kinds) == 0 {
		return nil, errors.New("node: a coordinator needs at least one kind")
	}
	n := &Coordinator{log: cfg.Logger}
	var err error
	if cfg.DataDir != "" {
		if n.Store, err = store.Open(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	ccfg := coordinator.Config{Backends: engine.Backends{}, KeySets: map[string]coordinator.KeySet{}, Store: n.Store,
		Logger: cfg.Logger, HeartbeatTimeout: cfg.HeartbeatTimeout, MaxTaskAttempts: cfg.MaxTaskAttempts,
		MaxELF: cfg.MaxELF, MaxInput: cfg.MaxInput, MaxCycles: cfg.MaxCycles, PlanWorkers: cfg.PlanWorkers,
		MaxQueued: cfg.MaxQueued, TaskTimeout: cfg.TaskTimeout, NoStealing: cfg.NoStealing, DuplicateAfter: cfg.DuplicateAfter,
		PostProof: cfg.PostProof, RetainAge: cfg.RetainAge, RetainJobs: cfg.RetainJobs}
	for k, kind := range cfg.Kinds {
		ccfg.Backends[k], ccfg.KeySets[k] = kind.Backend, kind.KeySet
	}
	if n.Core, err = coordinator.New(ccfg); err != nil {
		n.closeStore()
		return nil, err
	}
	n.Core.StartTicker(cfg.TickEvery)
	n.Listen, err = rpc.Listen(n.Core, rpc.ListenConfig{APIAddr: cfg.APIAddr, ClusterAddr: cfg.ClusterAddr,
		MetricsAddr: cfg.MetricsAddr, TLS: cfg.TLS, Token: cfg.Token, Tenants: cfg.Tenants, WorkerSecret: cfg.WorkerSecret,
		Workers: cfg.Workers, Keys: cfg.Keys, Keepalive: cfg.Keepalive}, cfg.Logger)
	if err != nil {
		n.Core.Close(context.Background())
		n.closeStore()
		return nil, err
	}
	if cfg.HTTPAddr != "" && cfg.HTTP != nil {
		if err := n.serveHTTP(cfg); err != nil {
			n.Close(context.Background())
			return nil, err
		}
	}
	for _, hw := range cfg.HTTPWorkers {
		if hw.Logger == nil {
			hw.Logger = cfg.Logger
		}
		a, err := httpworker.Start(n.Core, hw)
		if err != nil {
			n.Close(context.Background())
			return nil, err
		}
		n.httpWorkers = append(n.httpWorkers, a)
	}
	return n, nil
}

func (n *Coordinator) serveHTTP(cfg CoordinatorConfig) error {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http listen %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.TLS != nil {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	n.HTTPAddr = ln.Addr()
	// Requests' contexts end at Close, so long-lived event streams do not
	// hold up the server's shutdown.
	base, stop := context.WithCancel(context.Background())
	n.httpStop = stop
	n.http = &http.Server{Handler: auth.HTTPClient(cfg.Token, cfg.Tenants, cfg.HTTP(n.Core)), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	go func() {
		if err := n.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("http server", "err", err)
		}
	}()
	n.log.Info("coordinator HTTP API listening", "addr", n.HTTPAddr, "tls", cfg.TLS != nil)
	return nil
}

func (n *Coordinator) closeStore() error {
	if n.Store == nil {
		return nil
	}
	return n.Store.Close()
}

// Close stops the listeners (streams are cut, as in a crash: workers
// reconnect to whatever listens next), stops every goroutine of the core
// (waiting until ctx ends) and closes the store.
func (n *Coordinator) Close(ctx context.Context) error {
	n.once.Do(func() {
		for _, a := range n.httpWorkers {
			a.Close()
		}
		var herr error
		if n.http != nil {
			n.httpStop()
			herr = n.http.Shutdown(ctx)
		}
		var lerr error
		if n.Listen != nil {
			lerr = n.Listen.Close()
		}
		n.err = errors.Join(herr, lerr, n.Core.Close(ctx), n.closeStore())
	})
	return n.err
}

// DialOptions are the client side of either port: TLS trusting caFile
// (plaintext when caFile is empty and tlsOn is false), the bearer secret
// when set, and the message size limits.
func DialOptions(secret string, tlsOn bool, caFile string) ([]grpc.DialOption, error) {
	opts, err := auth.DialOptions(secret, tlsOn, caFile)
	if err != nil {
		return nil, err
	}
	return append(opts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(rpc.MaxMessage), grpc.MaxCallSendMsgSize(rpc.MaxMessage)),
		rpc.ClientKeepalive()), nil
}

// WorkerConfig configures a worker process.
type WorkerConfig struct {
	Coordinator string // the coordinator's cluster address
	ID          string
	Capacity    int
	TLS         bool   // TLS with the system roots
	CAFile      string // TLS trusting this CA
	Secret      string // worker secret: the shared one, or this worker's own (--workers-file)
	Kinds       map[string]worker.Prover
	Keys        worker.KeyCache // nil: keys must be present
	MetricsAddr string          // "" = no metrics listener
	Logger      *slog.Logger
	// MinBackoff and MaxBackoff bound reconnection delays (0: defaults).
	MinBackoff, MaxBackoff time.Duration
	// Keepalive are the connection's keepalive times (zero: rpc's
	// defaults; gRPC pings no more often than every ten seconds).
	Keepalive rpc.Keepalive
	// HTTPAddr, when set, also serves the worker HTTP task API
	// (worker.HTTPAPI: /health, /prove, /status, /cancel) with HTTP's
	// secret, over TLS when HTTPTLS is set. With Coordinator "" the
	// worker is HTTP only: it never dials a coordinator.
	HTTPAddr string
	HTTP     worker.HTTPConfig
	HTTPTLS  *tls.Config
}

// Worker is a running worker.
type Worker struct {
	W       *worker.Worker
	Metrics *metrics.Server // nil without MetricsAddr
	cancel  context.CancelFunc
	done    chan struct{}
	err     error

	// HTTPAddr is the worker HTTP task API's address (nil without one).
	HTTPAddr net.Addr
	httpSrv  *http.Server
	httpAPI  *worker.HTTPAPI
}

// StartWorker starts a worker that runs until Close or ctx ends.
func StartWorker(ctx context.Context, cfg WorkerConfig) (*Worker, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dialOpts, err := DialOptions(cfg.Secret, cfg.TLS, cfg.CAFile)
	if err != nil {
		return nil, err
	}
	if cfg.Keepalive != (rpc.Keepalive{}) {
		dialOpts = append(dialOpts, rpc.ClientKeepaliveWith(cfg.Keepalive)) // the last keepalive option wins
	}
	addr := cfg.Coordinator
	w, err := worker.New(worker.Config{ID: cfg.ID, Capacity: cfg.Capacity, Kinds: cfg.Kinds, Keys: cfg.Keys, Logger: cfg.Logger,
		MinBackoff: cfg.MinBackoff, MaxBackoff: cfg.MaxBackoff,
		Dial: func(context.Context) (*grpc.ClientConn, error) { return grpc.NewClient(addr, dialOpts...) }})
	if err != nil {
		return nil, err
	}
	note := ""
	if w.Mock() {
		cfg.Logger.Warn("MOCK PROVER: this worker makes placeholder proofs, not proofs", "worker", cfg.ID)
		note = "mock: true (MOCK prover: placeholder proofs, not proofs)"
	}
	n := &Worker{W: w, done: make(chan struct{})}
	health := w.Health
	if cfg.Coordinator == "" {
		if cfg.HTTPAddr == "" {
			return nil, errors.New("node: a worker needs a coordinator address or an HTTP address")
		}
		health = func() error { return nil } // HTTP only: no stream to be ready on
	}
	if cfg.MetricsAddr != "" {
		// /health is 503 while the worker is not registered with every key cached.
		if n.Metrics, err = metrics.ServeWithNote(cfg.MetricsAddr, w.Metrics().Registry, health, note, cfg.Logger); err != nil {
			return nil, err
		}
	}
	if cfg.HTTPAddr != "" {
		if err := n.serveHTTP(cfg); err != nil {
			if n.Metrics != nil {
				n.Metrics.Close()
			}
			return nil, err
		}
	}
	ctx, n.cancel = context.WithCancel(ctx)
	go func() {
		defer close(n.done)
		if cfg.Coordinator == "" {
			<-ctx.Done()
			return
		}
		if err := w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			n.err = err
		}
	}()
	return n, nil
}

// serveHTTP serves the worker HTTP task API.
func (n *Worker) serveHTTP(cfg WorkerConfig) error {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("worker http listen %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.HTTPTLS != nil {
		ln = tls.NewListener(ln, cfg.HTTPTLS)
	}
	hc := cfg.HTTP
	hc.StreamOff = cfg.Coordinator == ""
	n.HTTPAddr, n.httpAPI = ln.Addr(), n.W.NewHTTPAPI(hc)
	n.httpSrv = &http.Server{Handler: n.httpAPI, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := n.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Logger.Error("worker http server", "err", err)
		}
	}()
	cfg.Logger.Info("worker HTTP task API listening", "addr", n.HTTPAddr, "tls", cfg.HTTPTLS != nil, "secret", cfg.HTTP.Secret != "")
	return nil
}

// Done is closed when the worker stops.
func (n *Worker) Done() <-chan struct{} { return n.done }

// Err is why the worker stopped (nil for Close or a cancelled context);
// valid after Done.
func (n *Worker) Err() error { return n.err }

// Close stops the worker (its tasks are cancelled, its stream closed) and
// waits for it until ctx ends.
func (n *Worker) Close(ctx context.Context) error {
	n.cancel()
	if n.httpSrv != nil {
		n.httpAPI.Close() // cancels its tasks: long polls and synchronous /prove end
		n.httpSrv.Shutdown(ctx)
	}
	select {
	case <-n.done:
	case <-ctx.Done():
		return fmt.Errorf("worker close: %w", ctx.Err())
	}
	if n.Metrics != nil {
		return n.Metrics.Close()
	}
	return nil
}

// DevConfig is a coordinator and in-process workers: zkfleet dev and
// prove --local.
type DevConfig struct {
	Coordinator CoordinatorConfig
	Workers     int // in-process workers (0: none, the coordinator alone)
	// WorkerCapacity is each worker's capacity (default 1).
	WorkerCapacity int
	// WorkerKinds are the workers' provers; they usually share the
	// coordinator's backends (one set of keys in memory).
	WorkerKinds map[string]worker.Prover
	WorkerKeys  worker.KeyCache
	// WorkerCAFile is the CA the workers trust when the coordinator has TLS.
	WorkerCAFile string
}

// Dev is a running development cluster.
type Dev struct {
	*Coordinator
	Workers []*Worker
}

// StartDev starts the coordinator, then the workers over real loopback
// gRPC, exactly as separate worker processes would connect.
func StartDev(ctx context.Context, cfg DevConfig) (*Dev, error) {
	c, err := StartCoordinator(cfg.Coordinator)
	if err != nil {
		return nil, err
	}
	d := &Dev{Coordinator: c}
	for i := range max(0, cfg.Workers) {
		log := cfg.Coordinator.Logger
		if log != nil {
			log = log.With("dev_worker", i+1)
		}
		w, err := StartWorker(ctx, WorkerConfig{Coordinator: c.Listen.Cluster.String(), ID: fmt.Sprintf("dev-%d", i+1),
			Capacity: max(1, cfg.WorkerCapacity), TLS: cfg.Coordinator.TLS != nil, CAFile: cfg.WorkerCAFile,
			Secret: cfg.Coordinator.WorkerSecret, Kinds: cfg.WorkerKinds, Keys: cfg.WorkerKeys, Logger: log})
		if err != nil {
			d.Close(context.Background())
			return nil, err
		}
		d.Workers = append(d.Workers, w)
	}
	return d, nil
}

// Close stops the workers, then the coordinator.
func (d *Dev) Close(ctx context.Context) error {
	var errs []error
	for _, w := range d.Workers {
		errs = append(errs, w.Close(ctx))
	}
	errs = append(errs, d.Coordinator.Close(ctx))
	return errors.Join(errs...)
}
