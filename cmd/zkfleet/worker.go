package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/node"
)

func init() { register(newWorkerCmd) }

func defaultWorkerID() string {
	h, err := os.Hostname()
	if err != nil {
		h = "worker"
	}
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

func newWorkerCmd() *cobra.Command {
	var (
		cfg      node.WorkerConfig
		cacheDir string
		p        proverOptions
		hw       workerHTTPOptions
	)
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run a worker: connect to the coordinator, register capacity, prove",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := p.check(cmd.ErrOrStderr()); err != nil {
				return exitWith(2, "%v", err)
			}
			ctx, stop := signalContext(cmd)
			defer stop()
			log := newLogger(cmd)
			if cfg.ID == "" {
				cfg.ID = defaultWorkerID()
			}
			cfg.Logger = log
			if err := hw.apply(&cfg, log); err != nil {
				return exitWith(2, "%v", err)
			}
			var err error
			if cfg.Kinds, cfg.Keys, err = workerProvers(p, cacheDir, log); err != nil {
				return exitWith(1, "%v", err)
			}
			w, err := node.StartWorker(ctx, cfg)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			if w.Metrics != nil {
				log.Info("worker metrics", "addr", w.Metrics.Addr)
			}
			select {
			case <-w.Done():
			case <-ctx.Done():
			}
			closeWithin(w.Close)
			if err := w.Err(); err != nil {
				return exitWith(1, "%v", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Coordinator, "coordinator", defaultClusterAddr, "coordinator cluster address")
	f.IntVar(&cfg.Capacity, "capacity", runtime.NumCPU(), "tasks run in parallel (leaves are dealt in proportion)")
	f.StringVar(&cacheDir, "cache-dir", defaultCacheDir(), "key cache directory (blobs fetched from the coordinator; never trusted by verify)")
	f.StringVar(&cfg.ID, "id", "", "worker id (default host-pid)")
	f.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "Prometheus /metrics and /health (readiness: 503 while disconnected) listen address")
	f.StringVar(&cfg.CAFile, "tls-ca", "", "CA certificate of the coordinator (enables TLS)")
	f.BoolVar(&cfg.TLS, "tls", false, "use TLS with the system roots")
	f.StringVar(&cfg.Secret, "worker-secret", "",
		"secret presented to the coordinator: the shared --worker-secret, or this worker's own from its --workers-file (then --id must be the file's id)")
	p.add(cmd)
	hw.add(cmd)
	return cmd
}
