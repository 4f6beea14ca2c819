package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/httpworker"
	"github.com/zkfleet/zkfleet/cluster/node"
)

// HTTP workers (issue 14 §3): a worker serving the worker HTTP task API
// (zkfleet worker --http-addr) and a coordinator dealing to such workers
// (zkfleet coordinator --http-worker URL). See docs/PROTOCOL.md.

// workerHTTPOptions are the worker's HTTP task API flags.
type workerHTTPOptions struct {
	addr, secret, tlsCert, tlsKey string
}

func (o *workerHTTPOptions) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.addr, "http-addr", "",
		"also serve the worker HTTP task API here (/health, /prove, /status, /cancel) for a coordinator's --http-worker; with --coordinator \"\" the worker is HTTP only")
	f.StringVar(&o.secret, "http-secret", "", "bearer secret the HTTP task API requires (required beyond loopback)")
	f.StringVar(&o.tlsCert, "http-tls-cert", "", "TLS certificate of the HTTP task API (with --http-tls-key)")
	f.StringVar(&o.tlsKey, "http-tls-key", "", "TLS private key of the HTTP task API")
}

// apply puts the HTTP task API into cfg; it refuses an API reachable
// from other machines without a secret.
func (o *workerHTTPOptions) apply(cfg *node.WorkerConfig, log *slog.Logger) error {
	if o.addr == "" {
		if cfg.Coordinator == "" {
			return fmt.Errorf("--coordinator is empty and there is no --http-addr: nothing to serve")
		}
		return nil
	}
	if o.secret == "" && !auth.Loopback(o.addr) {
		return fmt.Errorf("%w: the worker HTTP task API on %s is reachable from other machines: set --http-secret", auth.ErrExposed, o.addr)
	}
	cfg.HTTPAddr, cfg.HTTP.Secret = o.addr, o.secret
	if o.tlsCert != "" || o.tlsKey != "" {
		t, err := auth.ServerTLS(o.tlsCert, o.tlsKey)
		if err != nil {
			return err
		}
		cfg.HTTPTLS = t
	} else if !auth.Loopback(o.addr) {
		log.Warn("worker HTTP task API without TLS: the secret, jobs' inputs and proofs travel in clear", "addr", o.addr)
	}
	return nil
}

// httpWorkerOptions are the coordinator's static HTTP workers.
type httpWorkerOptions struct {
	urls         []string
	secret, ca   string
	pollInterval time.Duration
}

func (o *httpWorkerOptions) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&o.urls, "http-worker", nil,
		"base URL of a worker serving the HTTP task API (zkfleet worker --http-addr) to deal tasks to; repeatable")
	f.StringVar(&o.secret, "http-worker-secret", "", "bearer secret presented to the --http-worker workers")
	f.StringVar(&o.ca, "http-worker-ca", "", "CA certificate the https:// --http-worker workers are checked against (default: system roots)")
	f.DurationVar(&o.pollInterval, "http-worker-poll", 0, "/health poll period of the HTTP workers, also their heartbeat (default: a third of --heartbeat-timeout)")
}

// apply puts the HTTP workers into cfg. Unless insecure, it refuses
// sending jobs' ELFs and inputs to another machine in clear, or to a
// worker without a secret.
func (o *httpWorkerOptions) apply(cfg *node.CoordinatorConfig, insecure bool) error {
	if len(o.urls) == 0 {
		return nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.ca != "" {
		pem, err := os.ReadFile(o.ca)
		if err != nil {
			return fmt.Errorf("--http-worker-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("--http-worker-ca %s: no certificate found", o.ca)
		}
		tc.RootCAs = pool
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	client := &http.Client{Transport: tr}
	for _, raw := range o.urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--http-worker %q: want an http:// or https:// URL", raw)
		}
		if !insecure {
			if o.secret == "" {
				return fmt.Errorf("%w: --http-worker %s without --http-worker-secret (or --insecure)", auth.ErrExposed, u.Redacted())
			}
			if u.Scheme == "http" && !auth.Loopback(u.Host) {
				return fmt.Errorf("%w: --http-worker %s is http:// on another machine: jobs' inputs and the secret would travel in clear (use https:// or --insecure)",
					auth.ErrExposed, u.Redacted())
			}
		}
		cfg.HTTPWorkers = append(cfg.HTTPWorkers, httpworker.Config{URL: raw, Secret: o.secret, Client: client, PollEvery: o.pollInterval})
	}
	return nil
}
