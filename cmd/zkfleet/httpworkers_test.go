package main

import (
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/node"
)

// TestHTTPWorkerFlagsRefuseExposure: the coordinator refuses dealing in
// clear to another machine or without a secret, and the worker refuses
// an HTTP task API beyond loopback without a secret (unless --insecure on
// the coordinator).
func TestHTTPWorkerFlagsRefuseExposure(t *testing.T) {
	for _, c := range []struct {
		o        httpWorkerOptions
		insecure bool
		exposed  bool
		bad      bool
	}{
		{o: httpWorkerOptions{urls: []string{"http://127.0.0.1:9000"}, secret: "s"}},
		{o: httpWorkerOptions{urls: []string{"https://gpu1.example:9000", "http://localhost:1"}, secret: "s"}},
		{o: httpWorkerOptions{urls: []string{"http://127.0.0.1:9000"}}, exposed: true},
		{o: httpWorkerOptions{urls: []string{"http://10.0.0.5:9000"}, secret: "s"}, exposed: true},
		{o: httpWorkerOptions{urls: []string{"http://10.0.0.5:9000"}}, insecure: true},
		{o: httpWorkerOptions{urls: []string{"10.0.0.5:9000"}, secret: "s"}, bad: true},
	} {
		var cfg node.CoordinatorConfig
		err := c.o.apply(&cfg, c.insecure)
		switch {
		case c.exposed && !errors.Is(err, auth.ErrExposed), c.bad && err == nil:
			t.Errorf("%+v: err %v", c.o, err)
		case !c.exposed && !c.bad && (err != nil || len(cfg.HTTPWorkers) != len(c.o.urls)):
			t.Errorf("%+v: err %v, %d workers", c.o, err, len(cfg.HTTPWorkers))
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wc node.WorkerConfig
	if err := (&workerHTTPOptions{addr: ":9000"}).apply(&wc, log); !errors.Is(err, auth.ErrExposed) {
		t.Errorf("worker API on every interface without a secret: %v", err)
	}
	if err := (&workerHTTPOptions{addr: "127.0.0.1:9000"}).apply(&wc, log); err != nil || wc.HTTPAddr != "127.0.0.1:9000" {
		t.Errorf("loopback worker API: %v", err)
	}
	if err := (&workerHTTPOptions{}).apply(&node.WorkerConfig{}, log); err == nil {
		t.Error("a worker with neither a coordinator nor an HTTP address")
	}
}
