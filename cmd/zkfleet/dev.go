package main

import (
	"context"
	"log/slog"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/node"
)

func init() { register(newDevCmd) }

// startDev starts a coordinator and n in-process workers of the given
// capacity over real loopback gRPC, exactly as separate processes would
// run, sharing the coordinator's backends.
func startDev(ctx context.Context, o coordOptions, n, capacity int, log *slog.Logger) (*node.Dev, error) {
	cfg, ks, err := coordinatorConfig(ctx, o, log)
	if err != nil {
		return nil, err
	}
	dc := node.DevConfig{Coordinator: cfg, Workers: n, WorkerCapacity: capacity, WorkerKinds: ks.workerKinds}
	if ks.keys != nil {
		dc.WorkerKeys = ks.keys
	}
	if cfg.TLS != nil {
		dc.WorkerCAFile = o.tlsCert
	}
	return node.StartDev(ctx, dc)
}

func newDevCmd() *cobra.Command {
	var (
		o        coordOptions
		workers  int
		capacity int
	)
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a coordinator and N in-process workers (same code paths, one process)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.prover.check(cmd.ErrOrStderr()); err != nil {
				return exitWith(2, "%v", err)
			}
			ctx, stop := signalContext(cmd)
			defer stop()
			log := newLogger(cmd)
			if capacity < 1 {
				capacity = max(1, runtime.NumCPU()/max(1, workers))
			}
			d, err := startDev(ctx, o, workers, capacity, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer closeWithin(d.Close)
			log.Info("dev cluster ready", "api", d.Listen.API, "cluster", d.Listen.Cluster, "metrics", d.Listen.Metrics, "http", d.HTTPAddr,
				"workers", workers, "capacity", capacity, "prover", o.prover.prover)
			<-ctx.Done()
			return nil
		},
	}
	o.add(cmd, true, "")
	cmd.Flags().IntVar(&workers, "workers", 2, "number of in-process workers")
	cmd.Flags().IntVar(&capacity, "worker-capacity", 0, "capacity of each worker (default: CPUs / workers)")
	return cmd
}
