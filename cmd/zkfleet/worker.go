package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/metrics"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

func init() { register(newWorkerCmd) }

// workerOptions are a worker's flags, shared with dev.
type workerOptions struct {
	coordinator, id, cacheDir, metricsAddr string
	capacity                               int
	tlsCA, workerSecret                    string
	tls                                    bool
	// shared, if set, is used for key set sharedSet instead of opening a
	// second backend (in-process workers share the coordinator's keys).
	shared    prover.Backend
	sharedSet string
}

// newWorker builds a worker that dials addr and opens the backend from
// its cache dir for whatever key set the coordinator announces.
func newWorker(o workerOptions, log *slog.Logger) (*worker.Worker, error) {
	cache, err := keys.Open(o.cacheDir)
	if err != nil {
		return nil, err
	}
	dialOpts, err := auth.DialOptions(o.workerSecret, o.tls, o.tlsCA)
	if err != nil {
		return nil, err
	}
	dialOpts = append(dialOpts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(coordinator.MaxMessage), grpc.MaxCallSendMsgSize(coordinator.MaxMessage)))
	return worker.New(worker.Config{
		ID: o.id, Capacity: o.capacity, Keys: cache, Logger: log,
		Dial: func(context.Context) (*grpc.ClientConn, error) { return grpc.NewClient(o.coordinator, dialOpts...) },
		Backend: func(setID string) (prover.Backend, error) {
			if o.shared != nil && setID == o.sharedSet {
				return o.shared, nil
			}
			// Keys come from the coordinator, never from a local setup.
			be, _, err := openBackend(context.Background(), o.cacheDir, setID, false, log)
			return be, err
		},
	})
}

func defaultWorkerID() string {
	h, err := os.Hostname()
	if err != nil {
		h = "worker"
	}
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

func newWorkerCmd() *cobra.Command {
	var o workerOptions
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run a worker: connect to the coordinator, register capacity, prove",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext(cmd)
			defer stop()
			log := newLogger(cmd)
			if o.id == "" {
				o.id = defaultWorkerID()
			}
			w, err := newWorker(o, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			if o.metricsAddr != "" {
				// /health is 503 while the worker is not registered with every key cached.
				ms, err := metrics.Serve(o.metricsAddr, w.Metrics().Registry, w.Health, log)
				if err != nil {
					return exitWith(1, "%v", err)
				}
				defer ms.Close()
				log.Info("worker metrics", "addr", ms.Addr)
			}
			if err := w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				return exitWith(1, "%v", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.coordinator, "coordinator", defaultClusterAddr, "coordinator cluster address")
	f.IntVar(&o.capacity, "capacity", runtime.NumCPU(), "tasks run in parallel (leaves are dealt in proportion)")
	f.StringVar(&o.cacheDir, "cache-dir", defaultCacheDir(), "key cache directory (blobs fetched from the coordinator; never trusted by verify)")
	f.StringVar(&o.id, "id", "", "worker id (default host-pid)")
	f.StringVar(&o.metricsAddr, "metrics-addr", "", "Prometheus /metrics and /health (readiness: 503 while disconnected) listen address")
	f.StringVar(&o.tlsCA, "tls-ca", "", "CA certificate of the coordinator (enables TLS)")
	f.BoolVar(&o.tls, "tls", false, "use TLS with the system roots")
	f.StringVar(&o.workerSecret, "worker-secret", "", "secret presented to the coordinator")
	return cmd
}
