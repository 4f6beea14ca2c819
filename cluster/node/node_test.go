package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/transport"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

// statusAPI is a small HTTP API on the core, the way an HTTP transport
// (the rollup Core API) sits on it: GET /job/{id} answers the job's
// state, or the transport table's status for the core's error.
func statusAPI(c *coordinator.Coordinator) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /job/{id}", func(w http.ResponseWriter, r *http.Request) {
		j, err := c.Job(r.PathValue("id"))
		if err != nil {
			http.Error(w, err.Error(), transport.HTTPStatus(err))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"state": j.State.String(), "kind": j.Kind})
	})
	return mux
}

func TestDevWithHTTPAPI(t *testing.T) {
	be := &testprover.Backend{}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
			HTTP: statusAPI, Token: "tok", Logger: quiet,
			Kinds: map[string]node.Kind{engine.KindRISCV: {Backend: be}}},
		Workers: 2, WorkerCapacity: 1,
		WorkerKinds: map[string]worker.Prover{engine.KindRISCV: {Open: func(string) (engine.Backend, error) { return be, nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	j, err := d.Core.Submit(context.Background(), coordinator.SubmitRequest{ELF: testprover.Program(5)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if done, _ := d.Core.Wait(ctx, j.Id); done.State.String() != "JOB_STATE_COMPLETED" {
		t.Fatalf("job %v (%s)", done.State, done.Error)
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", "http://"+d.HTTPAddr.String()+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	cases := []struct {
		name, path, token string
		code              int
		body              string
	}{
		{"completed job", "/job/" + j.Id, "tok", 200, "JOB_STATE_COMPLETED"},
		{"unknown job", "/job/nope", "tok", 404, "not found"},
		{"no token", "/job/" + j.Id, "", 401, "bearer token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := get(tc.path, tc.token)
			if code != tc.code || !strings.Contains(body, tc.body) {
				t.Fatalf("GET %s: %d %q", tc.path, code, body)
			}
		})
	}
	if err := d.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := d.Core.Health(); !errors.Is(err, coordinator.ErrClosed) {
		t.Fatalf("core after Close: %v", err)
	}
	if _, err := http.Get("http://" + d.HTTPAddr.String() + "/job/x"); err == nil {
		t.Fatal("HTTP API still serving after Close")
	}
}

// TestTwoKindsOverGRPC: workers that prove two kinds get a key set for
// each and run each job on its kind's backend (leaves and folds), over
// real gRPC.
func TestTwoKindsOverGRPC(t *testing.T) {
	riscv := &testprover.Backend{KeySet: "set-r"}
	demo := &testprover.Backend{KeySet: "set-d", NoContribution: true}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", Logger: quiet,
			Kinds: map[string]node.Kind{
				engine.KindRISCV: {Backend: riscv, KeySet: coordinator.KeySet{ID: "set-r"}},
				"demo":           {Backend: demo, KeySet: coordinator.KeySet{ID: "set-d"}},
			}},
		Workers: 2, WorkerCapacity: 2,
		WorkerKinds: map[string]worker.Prover{
			engine.KindRISCV: {Open: func(set string) (engine.Backend, error) {
				if set != "set-r" {
					return nil, errors.New("wrong key set for riscv: " + set)
				}
				return riscv, nil
			}},
			"demo": {Open: func(set string) (engine.Backend, error) {
				if set != "set-d" {
					return nil, errors.New("wrong key set for demo: " + set)
				}
				return demo, nil
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var ids []string
	for i, kind := range []string{"demo", engine.KindRISCV, "demo", engine.KindRISCV} {
		j, err := d.Core.Submit(ctx, coordinator.SubmitRequest{Kind: kind, ELF: testprover.Program(3 + i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.Id)
	}
	for _, id := range ids {
		j, err := d.Core.Wait(ctx, id)
		if err != nil || j.State.String() != "JOB_STATE_COMPLETED" {
			t.Fatalf("job %s: %v %v (%s)", id, j.GetState(), err, j.GetError())
		}
	}
	if demo.Contributions.Load() != 0 || demo.Finalized.Load() != 2 || riscv.Finalized.Load() != 2 {
		t.Fatalf("demo: %d contributions, %d finalized; riscv: %d finalized",
			demo.Contributions.Load(), demo.Finalized.Load(), riscv.Finalized.Load())
	}
	if demo.Folds.Load() != 2+4 || riscv.Folds.Load() != 3+5 {
		t.Fatalf("folds on the wrong backend: demo %d, riscv %d", demo.Folds.Load(), riscv.Folds.Load())
	}
}
