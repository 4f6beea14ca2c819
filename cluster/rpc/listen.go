package rpc

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/metrics"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// MaxMessage bounds one gRPC message (ELF plus input, or a proof).
const MaxMessage = 160 << 20

// Keepalive: both ports ping an idle connection every KeepaliveTime and
// drop it when no answer comes within KeepaliveTimeout, so a half-open
// connection (a worker host that vanished) is noticed in seconds, not at
// the heartbeat timeout or the kernel's TCP timeout.
const (
	KeepaliveTime    = 10 * time.Second
	KeepaliveTimeout = 5 * time.Second
)

// Keepalive are a connection's keepalive times; zero fields take
// KeepaliveTime and KeepaliveTimeout. gRPC raises a server's Time below
// one second to one second, and a client's below ten seconds to ten.
type Keepalive struct {
	Time, Timeout time.Duration
}

func (k Keepalive) orDefault() Keepalive {
	if k.Time <= 0 {
		k.Time = KeepaliveTime
	}
	if k.Timeout <= 0 {
		k.Timeout = KeepaliveTimeout
	}
	return k
}

// ServerKeepalive are the keepalive options of both ports, with the
// default times.
func ServerKeepalive() []grpc.ServerOption { return ServerKeepaliveWith(Keepalive{}) }

// ServerKeepaliveWith are the keepalive options of both ports.
func ServerKeepaliveWith(k Keepalive) []grpc.ServerOption {
	k = k.orDefault()
	return []grpc.ServerOption{
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: k.Time, Timeout: k.Timeout}),
		// Clients (workers, the SDK) may ping this often, even between
		// streams. The floor stays at the default's: clients use the
		// default times (gRPC does not let a client ping more often than
		// every ten seconds), and a shorter server Time must not make the
		// server refuse their pings.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: min(k.Time, KeepaliveTime) / 2, PermitWithoutStream: true}),
	}
}

// ClientKeepalive is the keepalive option of a client of either port,
// with the default times.
func ClientKeepalive() grpc.DialOption { return ClientKeepaliveWith(Keepalive{}) }

// ClientKeepaliveWith is the keepalive option of a client of either port.
func ClientKeepaliveWith(k Keepalive) grpc.DialOption {
	k = k.orDefault()
	return grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: k.Time, Timeout: k.Timeout, PermitWithoutStream: true})
}

// ListenConfig says where and how a coordinator serves.
type ListenConfig struct {
	APIAddr, ClusterAddr, MetricsAddr string // MetricsAddr "" = no metrics listener
	TLS                               *tls.Config
	Token                             string        // client API bearer token
	Tenants                           *auth.Tenants // client tokens of tenants (nil: none)
	WorkerSecret                      string        // cluster port shared bearer secret ("" = none)
	// Workers are per-worker secrets (--workers-file): a listed secret
	// authenticates its worker and binds the id it may register as (nil:
	// none; see auth.WorkerServerOptions for how it combines with
	// WorkerSecret).
	Workers   *auth.Workers
	Keys      KeySource
	Keepalive Keepalive // both ports' keepalive times (zero: the defaults)
}

// Listening is a serving coordinator.
type Listening struct {
	API, Cluster, Metrics net.Addr
	api, cluster          *grpc.Server
	metrics               *metrics.Server
	apiLn, clusterLn      net.Listener
	once                  sync.Once

	mu   sync.Mutex
	down error // a gRPC listener that stopped serving on its own
}

// Health is nil while both gRPC listeners serve; /health joins it with
// the coordinator's own health.
func (l *Listening) Health() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.down
}

// serve runs s on ln and records a stop that Close did not ask for.
func (l *Listening) serve(name string, s *grpc.Server, ln net.Listener, log *slog.Logger) {
	err := s.Serve(ln)
	if err == nil || errors.Is(err, grpc.ErrServerStopped) {
		return
	}
	log.Error("listener stopped", "listener", name, "err", err)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = errors.Join(l.down, fmt.Errorf("%s listener stopped: %w", name, err))
}

// Listen serves c: the client API, the cluster port and the metrics
// listener (whose /health reflects c). It does not start c's ticker.
func Listen(c *coordinator.Coordinator, cfg ListenConfig, log *slog.Logger) (*Listening, error) {
	if err := cfg.Workers.CheckShared(cfg.WorkerSecret); err != nil {
		return nil, err
	}
	base := append([]grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessage), grpc.MaxSendMsgSize(MaxMessage)}, ServerKeepaliveWith(cfg.Keepalive)...)
	if cfg.TLS != nil {
		base = append(base, grpc.Creds(credentials.NewTLS(cfg.TLS)))
	}
	apiLn, err := net.Listen("tcp", cfg.APIAddr)
	if err != nil {
		return nil, fmt.Errorf("api listen %s: %w", cfg.APIAddr, err)
	}
	clLn, err := net.Listen("tcp", cfg.ClusterAddr)
	if err != nil {
		apiLn.Close()
		return nil, fmt.Errorf("cluster listen %s: %w", cfg.ClusterAddr, err)
	}
	l := &Listening{API: apiLn.Addr(), Cluster: clLn.Addr(), apiLn: apiLn, clusterLn: clLn}
	l.api = grpc.NewServer(append(append([]grpc.ServerOption{}, base...), auth.ClientServerOptions(cfg.Token, cfg.Tenants)...)...)
	pb.RegisterClientServiceServer(l.api, &ClientServer{C: c})
	l.cluster = grpc.NewServer(append(append([]grpc.ServerOption{}, base...), auth.WorkerServerOptions(cfg.WorkerSecret, cfg.Workers)...)...)
	pb.RegisterWorkerServiceServer(l.cluster, &WorkerServer{C: c, Keys: cfg.Keys})
	go l.serve("api", l.api, apiLn, log)
	go l.serve("cluster", l.cluster, clLn, log)
	if cfg.MetricsAddr != "" {
		health := func() error { return errors.Join(c.Health(), l.Health()) }
		ms, err := metrics.ServeWithNote(cfg.MetricsAddr, c.Metrics().Registry, health, c.HealthNote(), log)
		if err != nil {
			l.Close()
			return nil, err
		}
		l.metrics, l.Metrics = ms, ms.Addr
	}
	log.Info("coordinator listening", "api", l.API, "cluster", l.Cluster, "metrics", l.Metrics, "tls", cfg.TLS != nil,
		"worker_secret", cfg.WorkerSecret != "", "listed_workers", cfg.Workers.Len())
	return l, nil
}

// Close stops every listener at once (streams are cut, as in a crash).
func (l *Listening) Close() error {
	var err error
	l.once.Do(func() {
		l.api.Stop()
		l.cluster.Stop()
		if l.metrics != nil {
			err = errors.Join(err, l.metrics.Close())
		}
	})
	return err
}
