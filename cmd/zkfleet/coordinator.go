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
	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/cluster/node"
)

func init() { register(newCoordinatorCmd) }

// coordOptions are the coordinator's flags, shared with dev and prove --local.
type coordOptions struct {
	apiAddr, clusterAddr, metricsAddr string
	httpAddr                          string // the HTTP Core API ("" = off)
	dataDir, keyDir, keySet           string
	autoSetup                         bool
	tlsCert, tlsKey                   string
	token, workerSecret               string
	heartbeatTimeout                  time.Duration
	maxTaskAttempts                   int
	retainAge                         time.Duration
	retainJobs                        int
	insecure                          bool
	tenantsFile                       string
	workersFile                       string
	maxCycles                         uint64
	planWorkers                       int
	maxQueued                         int
	taskTimeout                       time.Duration
	noStealing                        bool
	duplicateAfter                    time.Duration
	prover                            proverOptions
	attest                            attestCoordOptions
	settle                            settleCoordOptions
	httpWorkers                       httpWorkerOptions // --http-worker: static HTTP workers
}

func (o *coordOptions) add(cmd *cobra.Command, withAddrs bool, dataDir string) {
	f := cmd.Flags()
	if withAddrs {
		f.StringVar(&o.apiAddr, "api-addr", defaultAPIAddr, "client API listen address")
		f.StringVar(&o.clusterAddr, "cluster-addr", defaultClusterAddr, "worker (cluster) listen address")
		f.StringVar(&o.metricsAddr, "metrics-addr", defaultMetricsAddr, "Prometheus /metrics and /health listen address (empty: off)")
		f.StringVar(&o.httpAddr, "http-addr", defaultHTTPAddr, "HTTP Core API listen address (/v2/batch, /v2/jobs; same TLS and token as the client API; empty: off)")
		f.StringVar(&o.dataDir, "data-dir", dataDir, "directory of the coordinator's job store (empty: in memory)")
		f.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate for both gRPC ports (with --tls-key)")
		f.StringVar(&o.tlsKey, "tls-key", "", "TLS private key")
		f.StringVar(&o.token, "token", "", "bearer token required on the client API")
		f.StringVar(&o.workerSecret, "worker-secret", "",
			"shared secret workers may present on the cluster port (any id not listed in --workers-file)")
		f.StringVar(&o.workersFile, "workers-file", "",
			`JSON file of per-worker secrets, {"workers":[{"id":"w1","secret":"…"}]}: a listed secret may register only as its own id`)
		f.StringVar(&o.tenantsFile, "tenants", "",
			`JSON file of tenants, {"tenants":[{"name":"acme","token":"…"}]}: each token sees and cancels only its tenant's jobs (--token sees all)`)
		f.BoolVar(&o.insecure, "insecure", false,
			"allow listening beyond loopback without TLS and authentication, and --token without --worker-secret or --workers-file")
		f.DurationVar(&o.heartbeatTimeout, "heartbeat-timeout", coordinator.DefaultHeartbeatTimeout, "drop workers silent for this long")
		f.IntVar(&o.maxTaskAttempts, "max-task-attempts", coordinator.DefaultMaxTaskAttempts,
			"times one leaf or fold is sent before a transient failure (worker error or loss) fails its job")
		f.DurationVar(&o.retainAge, "retain-age", coordinator.DefaultRetainAge,
			"delete a finished job's input, output and proof this long after it ended (negative: never); its status is kept")
		f.IntVar(&o.retainJobs, "retain-jobs", coordinator.DefaultRetainJobs,
			"keep the input, output and proof of at most this many finished jobs, the newest (negative: no limit)")
		f.Uint64Var(&o.maxCycles, "max-cycles", coordinator.DefaultMaxCycles,
			"largest cycle limit a job may ask for (a request above it is refused; a job without one gets this)")
		f.IntVar(&o.planWorkers, "plan-workers", coordinator.DefaultPlanWorkers, "jobs planned (guests executed) at once")
		f.DurationVar(&o.taskTimeout, "task-timeout", coordinator.DefaultTaskTimeout,
			"time one leaf or fold may take before it is sent to another worker (a worker's k-th queued task gets k/capacity+1 of it)")
		f.BoolVar(&o.noStealing, "no-stealing", false,
			"deal each worker its whole share of leaves at once instead of only what its free slots take (idle workers then cannot take a slow one's unstarted leaves)")
		f.DurationVar(&o.duplicateAfter, "duplicate-after", 0,
			"prove a straggling leaf a second time on an idle worker of its job after this long (0: after the median leaf time of the phase; negative: never); the first valid result wins")
		f.IntVar(&o.maxQueued, "max-queued", coordinator.DefaultMaxQueued, "jobs that may wait (planning or queued); a submission beyond is refused")
		o.httpWorkers.add(cmd)
	}
	f.StringVar(&o.keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.StringVar(&o.keySet, "key-set", "", "key set id or name (empty: the default set)")
	f.BoolVar(&o.autoSetup, "auto-setup", true, "generate development keys when the key store has none")
	o.prover.add(cmd)
	o.attest.add(cmd)
	if withAddrs {
		o.settle.add(cmd)
	}
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
	exp := auth.Exposure{APIAddr: o.apiAddr, ClusterAddr: o.clusterAddr, HTTPAddr: o.httpAddr, TLS: o.tlsCert != "" && o.tlsKey != "",
		Token: o.token, WorkerSecret: o.workerSecret, Insecure: o.insecure, Tenants: o.tenantsFile != "", Workers: o.workersFile != ""}
	if err := exp.Check(); err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	switch {
	case o.insecure:
		log.Warn("--insecure: listen safety checks are off", "api", o.apiAddr, "cluster", o.clusterAddr,
			"tls", exp.TLS, "token", o.token != "", "worker_secret", o.workerSecret != "", "workers_file", o.workersFile != "")
	case o.token == "" && o.apiAddr != "":
		log.Warn("no --token: any process on this machine can submit, read and cancel jobs", "api", o.apiAddr)
	}
	ks, err := openKinds(ctx, o, log)
	if err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	cfg := node.CoordinatorConfig{APIAddr: o.apiAddr, ClusterAddr: o.clusterAddr, MetricsAddr: o.metricsAddr,
		DataDir: o.dataDir, Token: o.token, WorkerSecret: o.workerSecret, Kinds: ks.kinds,
		HeartbeatTimeout: o.heartbeatTimeout, MaxTaskAttempts: o.maxTaskAttempts, Logger: log,
		RetainAge: o.retainAge, RetainJobs: o.retainJobs,
		MaxCycles: o.maxCycles, PlanWorkers: o.planWorkers, MaxQueued: o.maxQueued,
		TaskTimeout: o.taskTimeout, NoStealing: o.noStealing, DuplicateAfter: o.duplicateAfter}
	if o.httpAddr != "" {
		cfg.HTTPAddr, cfg.HTTP = o.httpAddr, httpapi.Handler(httpapi.Config{Logger: log})
	}
	if ks.keys != nil {
		cfg.Keys = ks.keys
	}
	if o.tenantsFile != "" {
		if cfg.Tenants, err = auth.LoadTenants(o.tenantsFile); err != nil {
			return node.CoordinatorConfig{}, nil, err
		}
	}
	if o.workersFile != "" {
		if cfg.Workers, err = auth.LoadWorkers(o.workersFile); err != nil {
			return node.CoordinatorConfig{}, nil, err
		}
		if err := cfg.Workers.CheckShared(o.workerSecret); err != nil {
			return node.CoordinatorConfig{}, nil, err
		}
	}
	if o.tlsCert != "" || o.tlsKey != "" {
		if cfg.TLS, err = auth.ServerTLS(o.tlsCert, o.tlsKey); err != nil {
			return node.CoordinatorConfig{}, nil, err
		}
	}
	if err := o.attest.apply(&cfg, log); err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	if ks.release, err = o.settle.apply(ctx, &cfg, ks, log); err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	if err := o.httpWorkers.apply(&cfg, o.insecure); err != nil {
		return node.CoordinatorConfig{}, nil, err
	}
	return cfg, ks, nil
}

// newLogger logs to stderr in the --log-format (text or json).
func newLogger(cmd *cobra.Command) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if f := cmd.Flag("log-format"); f != nil && f.Value.String() == "json" {
		return slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), opts))
	}
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), opts))
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
			if ks.release != nil {
				defer ks.release()
			}
			n, err := node.StartCoordinator(cfg)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer closeWithin(n.Close)
			log.Info("coordinator ready", "api", n.Listen.API, "cluster", n.Listen.Cluster, "metrics", n.Listen.Metrics, "http", n.HTTPAddr,
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
