// Package testcluster runs a coordinator and in-process workers over real
// loopback gRPC (ports :0) for tests and benchmarks, with the same code
// paths as the zkfleet binaries.
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
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/cluster/worker"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// Options configure a test cluster.
type Options struct {
	Backend          prover.Backend
	DataDir          string // "" = no store
	HeartbeatTimeout time.Duration
	TLS              *tls.Config // server side
	CAFile           string      // client side trust for TLS
	Token            string
	WorkerSecret     string
	KeySetID         string
	KeyBlobs         []string
	Keys             coordinator.KeySource
	Quiet            bool // discard logs (benchmarks)
	MaxTaskAttempts  int  // 0 = coordinator default
	MaxELF, MaxInput int  // 0 = coordinator defaults (64 MiB)
}

// Cluster is a running test cluster.
type Cluster struct {
	tb     testing.TB
	opts   Options
	Log    *slog.Logger
	Coord  *coordinator.Coordinator
	Listen *coordinator.Listening
	Store  *store.Store
	Client pb.ClientServiceClient
	conn   *grpc.ClientConn

	stopped bool // coordinator stopped (StopCoordinator) and not started again

	mu      sync.Mutex
	workers map[string]*Worker
}

// Worker is one in-process worker.
type Worker struct {
	W      *worker.Worker
	cancel context.CancelFunc
	done   chan struct{}
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

func (c *Cluster) startCoordinator() {
	tb := c.tb
	var err error
	if c.opts.DataDir != "" {
		if c.Store, err = store.Open(c.opts.DataDir); err != nil {
			tb.Fatal(err)
		}
	}
	c.Coord, err = coordinator.New(coordinator.Config{Backend: c.opts.Backend, Store: c.Store, Logger: c.Log,
		HeartbeatTimeout: c.opts.HeartbeatTimeout, KeySetID: c.opts.KeySetID, KeyBlobs: c.opts.KeyBlobs,
		MaxTaskAttempts: c.opts.MaxTaskAttempts, MaxELF: c.opts.MaxELF, MaxInput: c.opts.MaxInput})
	if err != nil {
		tb.Fatal(err)
	}
	clusterAddr := "127.0.0.1:0"
	if c.Listen != nil {
		clusterAddr = c.Listen.Cluster.String() // workers reconnect to the same port
	}
	c.Listen, err = c.Coord.Listen(coordinator.ListenConfig{APIAddr: "127.0.0.1:0", ClusterAddr: clusterAddr,
		MetricsAddr: "127.0.0.1:0", TLS: c.opts.TLS, Token: c.opts.Token, WorkerSecret: c.opts.WorkerSecret,
		Keys: c.opts.Keys, TickEvery: 20 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	c.conn, c.Client = c.Dial(c.opts.Token)
	c.stopped = false
}

// Dial opens a client connection to the API with the given token.
func (c *Cluster) Dial(token string) (*grpc.ClientConn, pb.ClientServiceClient) {
	opts, err := auth.DialOptions(token, c.opts.TLS != nil, c.opts.CAFile)
	if err != nil {
		c.tb.Fatal(err)
	}
	opts = append(opts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(coordinator.MaxMessage), grpc.MaxCallSendMsgSize(coordinator.MaxMessage)))
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
	c.Listen.Close()
	c.conn.Close()
	if c.Store != nil {
		c.Store.Close()
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
	Backend prover.Backend // default: the cluster's
	Secret  *string        // default: the cluster's worker secret
	Keys    worker.KeyCache
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
	dialOpts, err := auth.DialOptions(secret, c.opts.TLS != nil, c.opts.CAFile)
	if err != nil {
		c.tb.Fatal(err)
	}
	dialOpts = append(dialOpts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(coordinator.MaxMessage), grpc.MaxCallSendMsgSize(coordinator.MaxMessage)))
	addr := c.Listen.Cluster.String() // stable across RestartCoordinator
	w, err := worker.New(worker.Config{ID: id, Capacity: capacity, Logger: c.Log, Keys: o.Keys,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Dial: func(context.Context) (*grpc.ClientConn, error) {
			return grpc.NewClient(addr, dialOpts...)
		},
		Backend: func(string) (prover.Backend, error) { return be, nil }})
	if err != nil {
		c.tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tw := &Worker{W: w, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(tw.done)
		w.Run(ctx)
	}()
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
	w.cancel()
	<-w.done
}

// Stop stops workers and the coordinator.
func (c *Cluster) Stop() {
	c.mu.Lock()
	ws := c.workers
	c.workers = map[string]*Worker{}
	c.mu.Unlock()
	for _, w := range ws {
		w.cancel()
		<-w.done
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

// Workers returns the number of workers the coordinator sees.
func (c *Cluster) Workers() int { return len(c.Coord.Workers()) }

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
