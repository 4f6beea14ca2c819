package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/node"
)

func init() { register(newCoordinatorCmd) }

// coordOptions are the coordinator's flags, shared with dev and prove --local.
type coordOptions struct {
	apiAddr, clusterAddr, metricsAddr string
	dataDir, keyDir, keySet           string
	autoSetup                         bool
	tlsCert, tlsKey                   string
	token, workerSecret               string
	heartbeatTimeout                  time.Duration
	maxTaskAttempts                   int
	maxCycles                         uint64
	planWorkers                       int
	maxQueued                         int
	taskTimeout                       time.Duration
	prover                            proverOptions
}

func (o *coordOptions) add(cmd *cobra.Command, withAddrs bool, dataDir string) {
	f := cmd.Flags()
	if withAddrs {
		f.StringVar(&o.apiAddr, "api-addr", defaultAPIAddr, "client API listen address")
		f.StringVar(&o.clusterAddr, "cluster-addr", defaultClusterAddr, "worker (cluster) listen address")
		f.StringVar(&o.metricsAddr, "metrics-addr", defaultMetricsAddr, "Prometheus /metrics and /health listen address (empty: off)")
		f.StringVar(&o.dataDir, "data-dir", dataDir, "directory of the coordinator's job store (empty: in memory)")
		f.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate for both gRPC ports (with --tls-key)")
		f.StringVar(&o.tlsKey, "tls-key", "", "TLS private key")
		f.StringVar(&o.token, "token", "", "bearer token required on the client API")
		f.StringVar(&o.workerSecret, "worker-secret", "", "secret workers must present on the cluster port")
		f.DurationVar(&o.heartbeatTimeout, "heartbeat-timeout", coordinator.DefaultHeartbeatTimeout, "drop workers silent for this long")
		f.IntVar(&o.maxTaskAttempts, "max-task-attempts", coordinator.DefaultMaxTaskAttempts,
			"times one leaf or fold is sent before a transient failure (worker error or loss) fails its job")
		f.Uint64Var(&o.maxCycles, "max-cycles", coordinator.DefaultMaxCycles,
			"largest cycle limit a job may ask for (a request above it is refused; a job without one gets this)")
		f.IntVar(&o.planWorkers, "plan-workers", coordinator.DefaultPlanWorkers, "jobs planned (guests executed) at once")
		f.DurationVar(&o.taskTimeout, "task-timeout", coordinator.DefaultTaskTimeout,
			"time one leaf or fold may take before it is sent to another worker (a worker's k-th queued task gets k/capacity+1 of it)")
		f.IntVar(&o.maxQueued, "max-queued", coordinator.DefaultMaxQueued, "jobs that may wait (planning or queued); a submission beyond is refused")
	}
	f.StringVar(&o.keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.StringVar(&o.keySet, "key-set", "", "key set id or name (empty: the default set)")
	f.BoolVar(&o.autoSetup, "auto-setup", true, "generate development keys when the key store has none")
	o.prover.add(cmd)
}

func defaultDataDir() string {
	if d, err := os.UserHomeDir(); err == nil {
		return filepath.Join(d, ".zkfleet", "coordinator")
	}
	return "zkfleet-coordinator"
}

// coordinatorConfig opens the kinds' backends and key store and returns
// the assembly's configuration with them.
func coordinatorConfig(ctx context.Context, o coordOptions, log *slog.Logger) (node.CoordinatorConfig, *coordKinds, error) {
	ks, err := openKinds(ctx, o, log)
	if err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	cfg := node.CoordinatorConfig{APIAddr: o.apiAddr, ClusterAddr: o.clusterAddr, MetricsAddr: o.metricsAddr,
		DataDir: o.dataDir, Token: o.token, WorkerSecret: o.workerSecret, Kinds: ks.kinds,
		HeartbeatTimeout: o.heartbeatTimeout, MaxTaskAttempts: o.maxTaskAttempts, Logger: log,
		MaxCycles: o.maxCycles, PlanWorkers: o.planWorkers, MaxQueued: o.maxQueued,
		TaskTimeout: o.taskTimeout}
	if ks.keys != nil {
		cfg.Keys = ks.keys
	}
	if o.tlsCert != "" || o.tlsKey != "" {
		if cfg.TLS, err = auth.ServerTLS(o.tlsCert, o.tlsKey); err != nil {
			return node.CoordinatorConfig{}, nil, err
		}
	}
	return cfg, ks, nil
}

func newLogger(cmd *cobra.Command) *slog.Logger {
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func signalContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
}

// closeTimeout bounds a graceful shutdown.
const closeTimeout = 10 * time.Second

func newCoordinatorCmd() *cobra.Command {
	var o coordOptions
	cmd := &cobra.Command{
		Use:   "coordinator",
		Short: "Run the coordinator: job table, queue, worker pool, program registry, key server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.prover.check(cmd.ErrOrStderr()); err != nil {
				return exitWith(2, "%v", err)
			}
			ctx, stop := signalContext(cmd)
			defer stop()
			log := newLogger(cmd)
			cfg, ks, err := coordinatorConfig(ctx, o, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			n, err := node.StartCoordinator(cfg)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer closeWithin(n.Close)
			log.Info("coordinator ready", "api", n.Listen.API, "cluster", n.Listen.Cluster, "metrics", n.Listen.Metrics,
				"key_set", ks.keySet, "data_dir", o.dataDir, "prover", o.prover.prover)
			<-ctx.Done()
			log.Info("shutting down")
			return nil
		},
	}
	o.add(cmd, true, defaultDataDir())
	return cmd
}

// closeWithin calls a Close(ctx) with closeTimeout.
func closeWithin(close func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := close(ctx); err != nil {
		slog.Default().Warn("shutdown", "err", err)
	}
}

// newQuietLogger logs warnings and errors only (prove --local keeps the
// terminal for its progress bar).
func newQuietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
