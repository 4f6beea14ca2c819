package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
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
	}
	f.StringVar(&o.keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.StringVar(&o.keySet, "key-set", "", "key set id or name (empty: the default set)")
	f.BoolVar(&o.autoSetup, "auto-setup", true, "generate development keys when the key store has none")
}

func defaultDataDir() string {
	if d, err := os.UserHomeDir(); err == nil {
		return filepath.Join(d, ".zkfleet", "coordinator")
	}
	return "zkfleet-coordinator"
}

// runningCoordinator is a coordinator with its listeners and store.
type runningCoordinator struct {
	C      *coordinator.Coordinator
	L      *coordinator.Listening
	st     *store.Store
	keySet string
	be     prover.Backend // shared with in-process workers (dev, prove --local)
}

func (r *runningCoordinator) Close() {
	r.L.Close()
	if r.st != nil {
		r.st.Close()
	}
}

// startCoordinator opens the backend and key store, the job store (when
// dataDir is set) and the listeners.
func startCoordinator(ctx context.Context, o coordOptions, log *slog.Logger) (*runningCoordinator, error) {
	ks, err := keys.Open(o.keyDir)
	if err != nil {
		return nil, err
	}
	setID := o.keySet
	if setID != "" && !keys.ValidID(setID) {
		if setID, err = ks.Named(setID); err != nil {
			return nil, fmt.Errorf("key set %q: %w", o.keySet, err)
		}
	}
	be, setID, err := openBackend(ctx, o.keyDir, setID, o.autoSetup, log)
	if err != nil {
		return nil, err
	}
	blobs, err := ks.SetBlobs(setID)
	if err != nil {
		return nil, fmt.Errorf("key set %s: %w", setID, err)
	}
	r := &runningCoordinator{keySet: setID, be: be}
	if o.dataDir != "" {
		if r.st, err = store.Open(o.dataDir); err != nil {
			return nil, err
		}
	}
	r.C, err = coordinator.New(coordinator.Config{Backend: be, Store: r.st, Logger: log, KeySetID: setID, KeyBlobs: blobs,
		HeartbeatTimeout: o.heartbeatTimeout, MaxTaskAttempts: o.maxTaskAttempts})
	if err != nil {
		r.Close()
		return nil, err
	}
	lc := coordinator.ListenConfig{APIAddr: o.apiAddr, ClusterAddr: o.clusterAddr, MetricsAddr: o.metricsAddr,
		Token: o.token, WorkerSecret: o.workerSecret, Keys: ks}
	if o.tlsCert != "" || o.tlsKey != "" {
		if lc.TLS, err = auth.ServerTLS(o.tlsCert, o.tlsKey); err != nil {
			return nil, err
		}
	}
	if r.L, err = r.C.Listen(lc); err != nil {
		if r.st != nil {
			r.st.Close()
		}
		return nil, err
	}
	return r, nil
}

func newLogger(cmd *cobra.Command) *slog.Logger {
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func signalContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
}

func newCoordinatorCmd() *cobra.Command {
	var o coordOptions
	cmd := &cobra.Command{
		Use:   "coordinator",
		Short: "Run the coordinator: job table, queue, worker pool, program registry, key server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext(cmd)
			defer stop()
			log := newLogger(cmd)
			r, err := startCoordinator(ctx, o, log)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer r.Close()
			log.Info("coordinator ready", "api", r.L.API, "cluster", r.L.Cluster, "metrics", r.L.Metrics, "key_set", r.keySet, "data_dir", o.dataDir)
			<-ctx.Done()
			log.Info("shutting down")
			return nil
		},
	}
	o.add(cmd, true, defaultDataDir())
	return cmd
}

// newQuietLogger logs warnings and errors only (prove --local keeps the
// terminal for its progress bar).
func newQuietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
