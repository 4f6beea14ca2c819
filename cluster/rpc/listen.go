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

// ServerKeepalive are the keepalive options of both ports.
func ServerKeepalive() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: KeepaliveTime, Timeout: KeepaliveTimeout}),
		// Clients (workers, the SDK) may ping this often, even between streams.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: KeepaliveTime / 2, PermitWithoutStream: true}),
	}
}

// ClientKeepalive is the keepalive option of a client of either port.
func ClientKeepalive() grpc.DialOption {
	return grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: KeepaliveTime, Timeout: KeepaliveTimeout, PermitWithoutStream: true})
}

// ListenConfig says where and how a coordinator serves.
type ListenConfig struct {
	APIAddr, ClusterAddr, MetricsAddr string // MetricsAddr "" = no metrics listener
	TLS                               *tls.Config
	Token                             string        // client API bearer token
	Tenants                           *auth.Tenants // client tokens of tenants (nil: none)
	WorkerSecret                      string        // cluster port bearer secret
	Keys                              KeySource
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
	base := append([]grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessage), grpc.MaxSendMsgSize(MaxMessage)}, ServerKeepalive()...)
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
	l.cluster = grpc.NewServer(append(append([]grpc.ServerOption{}, base...), auth.ServerOptions(cfg.WorkerSecret)...)...)
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
	log.Info("coordinator listening", "api", l.API, "cluster", l.Cluster, "metrics", l.Metrics, "tls", cfg.TLS != nil)
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
