// Package testcluster runs a coordinator and in-process workers over real
// loopback gRPC (ports :0) for tests and benchmarks, assembled by
// cluster/node exactly as the zkfleet binaries are.
package testcluster

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/rpc"
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Options configure a test cluster.
type Options struct {
	// SharedKinds are more job kinds served by Backend under the same key
	// set (as the Groth16 prover's RISC-V and rollup kinds share one),
	// on the coordinator and on every worker.
	SharedKinds      []string
	Backend          engine.Backend // the RISC-V kind's
	Mock             bool           // Backend is a mock prover (announced and labelled as such)
	DataDir          string         // "" = no store
	HeartbeatTimeout time.Duration
	TLS              *tls.Config // server side
	CAFile           string      // client side trust for TLS
	Token            string
	WorkerSecret     string
	Workers          *auth.Workers // per-worker secrets (--workers-file)
	Keepalive        rpc.Keepalive // the ports' keepalive times (zero: defaults)
	KeySetID         string
	KeyBlobs         []string
	Keys             rpc.KeySource
	Quiet            bool // discard logs (benchmarks)
	MaxTaskAttempts  int  // 0 = coordinator default
	// NoStealing and DuplicateAfter: coordinator.Config's.
	NoStealing       bool
	DuplicateAfter   time.Duration
	MaxELF, MaxInput int // 0 = coordinator defaults (64 MiB)
	// PostProof are the phases jobs may ask for after the proof (attesting).
	PostProof []coordinator.PostProof
}

// Cluster is a running test cluster.
type Cluster struct {
	tb     testing.TB
	opts   Options
	Log    *slog.Logger
	Node   *node.Coordinator
	Coord  *coordinator.Coordinator
	Listen *rpc.Listening
	Store  *store.Store
	Client pb.ClientServiceClient
	conn   *grpc.ClientConn

	stopped bool // coordinator stopped (StopCoordinator) and not started again

	mu      sync.Mutex
	workers map[string]*Worker
}

// Worker is one in-process worker.
type Worker struct {
	W *worker.Worker
	n *node.Worker
}

// Start starts a coordinator; add workers with AddWorker. Everything is
// stopped by tb.Cleanup.
func Start(tb testing.TB, opts Options) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb, opts: opts, workers: map[string]*Worker{}}
	if opts.Quiet {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	} else {
		c.Log = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	c.startCoordinator()
	tb.Cleanup(c.Stop)
	return c
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(p[:len(p)-1]))
	return len(p), nil
}

func (c *Cluster) coordKinds() map[string]node.Kind {
	k := node.Kind{Backend: c.opts.Backend, KeySet: coordinator.KeySet{ID: c.opts.KeySetID, Blobs: c.opts.KeyBlobs, Mock: c.opts.Mock}}
	out := map[string]node.Kind{engine.KindRISCV: k}
	for _, kind := range c.opts.SharedKinds {
		out[kind] = k
	}
	return out
}

func (c *Cluster) startCoordinator() {
	tb := c.tb
	clusterAddr := "127.0.0.1:0"
	if c.Listen != nil {
		clusterAddr = c.Listen.Cluster.String() // workers reconnect to the same port
	}
	n, err := node.StartCoordinator(node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: clusterAddr,
		MetricsAddr: "127.0.0.1:0", DataDir: c.opts.DataDir, TLS: c.opts.TLS, Token: c.opts.Token, WorkerSecret: c.opts.WorkerSecret,
		Workers: c.opts.Workers, Keepalive: c.opts.Keepalive,
		Kinds: c.coordKinds(),
		Keys:  c.opts.Keys, HeartbeatTimeout: c.opts.HeartbeatTimeout, MaxTaskAttempts: c.opts.MaxTaskAttempts,
		MaxELF: c.opts.MaxELF, MaxInput: c.opts.MaxInput, TickEvery: 20 * time.Millisecond, Logger: c.Log,
		PostProof: c.opts.PostProof, NoStealing: c.opts.NoStealing, DuplicateAfter: c.opts.DuplicateAfter})
	if err != nil {
		tb.Fatal(err)
	}
	c.Node, c.Coord, c.Listen, c.Store = n, n.Core, n.Listen, n.Store
	c.conn, c.Client = c.Dial(c.opts.Token)
	c.stopped = false
}

// Dial opens a client connection to the API with the given token.
func (c *Cluster) Dial(token string) (*grpc.ClientConn, pb.ClientServiceClient) {
	opts, err := node.DialOptions(token, c.opts.TLS != nil, c.opts.CAFile)
	if err != nil {
		c.tb.Fatal(err)
	}
	conn, err := grpc.NewClient(c.Listen.API.String(), opts...)
	if err != nil {
		c.tb.Fatal(err)
	}
	return conn, pb.NewClientServiceClient(conn)
}

// RestartCoordinator stops the coordinator as if it crashed (streams
// cut, store closed) and starts a new one on the same data dir and
// cluster port; workers reconnect by themselves.
func (c *Cluster) RestartCoordinator() {
	c.StopCoordinator()
	c.StartCoordinator()
}

// StopCoordinator stops the coordinator as if it crashed; workers keep
// trying to reconnect until StartCoordinator.
func (c *Cluster) StopCoordinator() {
	if c.stopped {
		return
	}
	c.stopped = true
	c.conn.Close()
	if err := c.Node.Close(context.Background()); err != nil {
		c.tb.Errorf("close coordinator: %v", err)
	}
}

// StartCoordinator starts a stopped coordinator again on the same data
// dir and cluster port.
func (c *Cluster) StartCoordinator() {
	if !c.stopped {
		c.tb.Fatal("testcluster: coordinator is running")
	}
	c.startCoordinator()
}

// WorkerOptions tune one worker.
type WorkerOptions struct {
	Backend engine.Backend // default: the cluster's
	Secret  *string        // default: the cluster's worker secret
	Mock    *bool          // default: the cluster's Mock
	Keys    worker.KeyCache
	// Coordinator is the address dialled (default: the cluster port; a
	// proxy in front of it, say).
	Coordinator string
	Keepalive   rpc.Keepalive // the connection's keepalive times (zero: defaults)
}

// AddWorker starts an in-process worker.
func (c *Cluster) AddWorker(id string, capacity int) *Worker {
	return c.AddWorkerWith(id, capacity, WorkerOptions{})
}

// AddWorkerWith starts an in-process worker with options.
func (c *Cluster) AddWorkerWith(id string, capacity int, o WorkerOptions) *Worker {
	be := o.Backend
	if be == nil {
		be = c.opts.Backend
	}
	secret := c.opts.WorkerSecret
	if o.Secret != nil {
		secret = *o.Secret
	}
	mockWorker := c.opts.Mock
	if o.Mock != nil {
		mockWorker = *o.Mock
	}
	addr := c.Listen.Cluster.String() // stable across RestartCoordinator
	if o.Coordinator != "" {
		addr = o.Coordinator
	}
	kinds := map[string]worker.Prover{engine.KindRISCV: {Mock: mockWorker,
		Open: func(string) (engine.Backend, error) { return be, nil }}}
	for _, kind := range c.opts.SharedKinds {
		kinds[kind] = kinds[engine.KindRISCV]
	}
	n, err := node.StartWorker(context.Background(), node.WorkerConfig{Coordinator: addr,
		ID: id, Capacity: capacity, TLS: c.opts.TLS != nil, CAFile: c.opts.CAFile, Secret: secret, Kinds: kinds, Keys: o.Keys,
		Logger: c.Log, MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Keepalive: o.Keepalive})
	if err != nil {
		c.tb.Fatal(err)
	}
	tw := &Worker{W: n.W, n: n}
	c.mu.Lock()
	c.workers[id] = tw
	c.mu.Unlock()
	return tw
}

// Kill stops a worker abruptly (its stream breaks, its tasks are cancelled).
func (c *Cluster) Kill(id string) {
	c.mu.Lock()
	w := c.workers[id]
	delete(c.workers, id)
	c.mu.Unlock()
	if w == nil {
		c.tb.Fatalf("no worker %s", id)
	}
	w.n.Close(context.Background())
}

// Stop stops workers and the coordinator.
func (c *Cluster) Stop() {
	c.mu.Lock()
	ws := c.workers
	c.workers = map[string]*Worker{}
	c.mu.Unlock()
	for _, w := range ws {
		w.n.Close(context.Background())
	}
	c.StopCoordinator()
}

// WaitFor polls cond every few milliseconds until it holds, failing the
// test after timeout. It is the only way tests wait: no bare sleeps.
func WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Workers returns the number of workers the coordinator sees ready to
// take tasks (registered, with their keys).
func (c *Cluster) Workers() int {
	n := 0
	for _, w := range c.Coord.Workers() {
		if w.Ready {
			n++
		}
	}
	return n
}

// Submit submits a job and returns its id.
func (c *Cluster) Submit(ctx context.Context, elf, input []byte, capacity uint32) (string, error) {
	r, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: elf, Input: input, RequestedCapacity: capacity})
	if err != nil {
		return "", err
	}
	return r.Job.Id, nil
}

// Wait waits for a terminal job state.
func (c *Cluster) Wait(ctx context.Context, id string) (*pb.Job, error) {
	j, err := c.Client.WaitJob(ctx, &pb.WaitJobRequest{JobId: id, TimeoutMs: 60000})
	if err != nil {
		return nil, fmt.Errorf("wait %s: %w", id, err)
	}
	return j, nil
}
