package worker_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/metrics"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

// probe returns /health's status code and body.
func probe(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHealthNotReadyWhileDisconnected: /health is 200 while the worker is
// registered, 503 with the reason while the coordinator is down (the
// worker keeps reconnecting), and 200 again once it is back.
func TestHealthNotReadyWhileDisconnected(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	w := c.AddWorker("a", 1)
	ms, err := metrics.Serve("127.0.0.1:0", w.W.Metrics().Registry, w.W.Health, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	url := "http://" + ms.Addr.String() + "/health"
	ready := func() bool { code, _ := probe(t, url); return code == http.StatusOK }

	testcluster.WaitFor(t, 10*time.Second, "worker ready", ready)
	c.StopCoordinator()
	var body string
	testcluster.WaitFor(t, 10*time.Second, "worker not ready", func() bool {
		var code int
		code, body = probe(t, url)
		return code == http.StatusServiceUnavailable
	})
	if !strings.Contains(body, "coordinator") {
		t.Fatalf("503 without a reason: %q", body)
	}
	c.StartCoordinator()
	testcluster.WaitFor(t, 10*time.Second, "worker ready again", ready)
}
