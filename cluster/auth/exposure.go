package auth

import (
	"errors"
	"fmt"
	"net"
)

// ErrExposed: a coordinator would serve beyond loopback without TLS and
// authentication, or would take workers without authenticating them.
var ErrExposed = errors.New("refusing an unsafe listen configuration")

// Loopback reports whether a listen address (host:port) is reachable from
// this machine only: a loopback IP or "localhost". An empty host (":7700")
// listens on every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Exposure is a coordinator's listen configuration, checked before it
// starts.
type Exposure struct {
	APIAddr, ClusterAddr, HTTPAddr string
	TLS                            bool
	Token, WorkerSecret            string
	// Tenants: the client API takes tenants' tokens (authentication even
	// without Token).
	Tenants bool
	// Workers: the cluster port takes per-worker secrets (--workers-file;
	// worker authentication even without WorkerSecret).
	Workers bool
	// Insecure accepts any configuration (the operator says the network
	// is trusted, or a proxy terminates TLS and checks identities).
	Insecure bool
}

// Check refuses, unless Insecure:
//   - a client API (gRPC or HTTP) on a non-loopback address without TLS
//     and a token: jobs, inputs and proofs would be open to the network
//     and the token would travel in clear;
//   - a cluster port on a non-loopback address without TLS and worker
//     authentication (a worker secret or a workers file): anyone reaching
//     it would register as a worker and be dealt jobs' ELFs and private
//     inputs;
//   - a token without worker authentication on any address: protecting clients
//     while any local process may register as a worker and receive the
//     inputs the token protects is a mistake, not a setup.
func (e Exposure) Check() error {
	if e.Insecure {
		return nil
	}
	clientAuth := e.Token != "" || e.Tenants
	workerAuth := e.WorkerSecret != "" || e.Workers
	for _, api := range []string{e.APIAddr, e.HTTPAddr} {
		if api != "" && !Loopback(api) && (!e.TLS || !clientAuth) {
			return fmt.Errorf("%w: the client API on %s is reachable from other machines: set --tls-cert, --tls-key and --token (or --insecure)", ErrExposed, api)
		}
	}
	if e.ClusterAddr != "" && !Loopback(e.ClusterAddr) && (!e.TLS || !workerAuth) {
		return fmt.Errorf("%w: the cluster port on %s is reachable from other machines: set --tls-cert, --tls-key and --worker-secret or --workers-file, or any process there registers as a worker and receives jobs' programs and inputs (or --insecure)", ErrExposed, e.ClusterAddr)
	}
	if clientAuth && !workerAuth {
		return fmt.Errorf("%w: --token or --tenants without --worker-secret: unauthenticated workers would be dealt the jobs the token protects; set --worker-secret or --workers-file (or --insecure)", ErrExposed)
	}
	return nil
}
