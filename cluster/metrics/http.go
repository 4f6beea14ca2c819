// Package metrics serves a Prometheus registry on /metrics and a liveness
// probe on /health, on a listener of its own.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server is a running metrics listener.
type Server struct {
	Addr net.Addr
	srv  *http.Server
}

// Serve listens on addr. health, if not nil, turns /health into 503 with
// its error message when it fails.
func Serve(addr string, reg *prometheus.Registry, health func() error, log *slog.Logger) (*Server, error) {
	return ServeWithNote(addr, reg, health, "", log)
}

// ServeWithNote is Serve whose /health adds note (e.g. the mock prover's
// label) on a line after "ok".
func ServeWithNote(addr string, reg *prometheus.Registry, health func() error, note string, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		if health != nil {
			if err := health(); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ok")
		if note != "" {
			fmt.Fprintln(w, note)
		}
	})
	s := &Server{Addr: ln.Addr(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	return s, nil
}

// Close stops the listener.
func (s *Server) Close() error { return s.srv.Shutdown(context.Background()) }
