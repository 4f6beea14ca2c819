package rpc

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

func healthOf(t *testing.T, addr string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestHealthReflectsStoreAndListeners: /health is 200 while the
// coordinator serves, and 503 naming the cause once its store writes
// fail or a gRPC listener stops on its own.
func TestHealthReflectsStoreAndListeners(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, cause := range []string{"store", "listener"} {
		t.Run(cause, func(t *testing.T) {
			st, err := store.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			c, err := coordinator.New(coordinator.Config{Backend: &testprover.Backend{}, Store: st, Logger: log})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close(context.Background()); st.Close() })
			l, err := Listen(c, ListenConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0"}, log)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			if code, body := healthOf(t, l.Metrics.String()); code != http.StatusOK {
				t.Fatalf("healthy: %d %q", code, body)
			}
			want := "store writes failing"
			switch cause {
			case "store":
				st.Close()
				if _, err := c.Submit(context.Background(), coordinator.SubmitRequest{ELF: testprover.Program(1)}); err == nil {
					t.Fatal("submit on a closed store succeeded")
				}
			case "listener":
				l.apiLn.Close() // the API listener dies under the server
				want = "api listener stopped"
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				code, body := healthOf(t, l.Metrics.String())
				if code == http.StatusServiceUnavailable && strings.Contains(body, want) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("/health %d %q, want 503 with %q", code, body, want)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}
