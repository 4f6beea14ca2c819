package main

import (
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/spf13/cobra"
)

func init() { register(newDevCmd) }

// startDevWorkers runs n in-process workers against r over real loopback
// gRPC, exactly as separate worker processes would.
func startDevWorkers(cmd *cobra.Command, r *runningCoordinator, o coordOptions, n, capacity int, log *slog.Logger) (wait func(), err error) {
	ctx := cmd.Context()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		w, err := newWorker(workerOptions{coordinator: r.L.Cluster.String(), id: fmt.Sprintf("dev-%d", i+1),
			cacheDir: o.keyDir, capacity: capacity, tlsCA: o.tlsCert, workerSecret: o.workerSecret,
			shared: r.be, sharedSet: r.keySet}, log.With("dev_worker", i+1))
		if err != nil {
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.Run(ctx)
		}()
	}
	return wg.Wait, nil
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
			ctx, stop := signalContext(cmd)
			defer stop()
			cmd.SetContext(ctx)
			log := newLogger(cmd)
			r, err := startCoordinator(ctx, o, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer r.Close()
			if capacity < 1 {
				capacity = max(1, runtime.NumCPU()/max(1, workers))
			}
			wait, err := startDevWorkers(cmd, r, o, workers, capacity, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			log.Info("dev cluster ready", "api", r.L.API, "cluster", r.L.Cluster, "metrics", r.L.Metrics, "workers", workers, "capacity", capacity)
			<-ctx.Done()
			wait()
			return nil
		},
	}
	o.add(cmd, true, "")
	cmd.Flags().IntVar(&workers, "workers", 2, "number of in-process workers")
	cmd.Flags().IntVar(&capacity, "worker-capacity", 0, "capacity of each worker (default: CPUs / workers)")
	return cmd
}
