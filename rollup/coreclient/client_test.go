package coreclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
)

var testShape = batch.Shape{Depth: 8, Slots: 2}

func startCluster(t *testing.T) *Client {
	t.Helper()
	be := kind.Mock(testShape, 10*time.Millisecond)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	set := coordinator.KeySet{ID: mock.KeySet, Mock: true}
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
			HTTP: httpapi.Handler(httpapi.Config{Logger: quiet}), Token: "tok", Logger: quiet,
			Kinds: map[string]node.Kind{kind.Kind: {Backend: be, KeySet: set}}},
		Workers: 2, WorkerCapacity: 1,
		WorkerKinds: map[string]worker.Prover{kind.Kind: {Mock: true, Open: func(string) (engine.Backend, error) { return be, nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return New("http://"+d.HTTPAddr.String(), "tok", nil)
}

func TestSubmitFollowCheck(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := startCluster(t)
	built, err := sequencer.ExampleBatch(testShape, 7, 11)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.Submit(ctx, built.Request)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	end, err := c.Follow(ctx, acc.JobID, func(ev *Event) { names = append(names, ev.Name) })
	if err != nil {
		t.Fatal(err)
	}
	if end.Name != "completed" || end.Proof == nil || names[0] != "status" || len(names) < 3 {
		t.Fatalf("events %v, end %+v", names, end)
	}
	p, err := c.Proof(ctx, acc.JobID)
	if err != nil {
		t.Fatal(err)
	}
	want := &built.Prepared.Statement
	s, err := Check(p, want)
	if !errors.Is(err, engine.ErrMockProof) || s == nil || s.BatchID != want.BatchID {
		t.Fatalf("Check of a mock proof: %v (statement %v)", err, s)
	}

	other, err := sequencer.ExampleBatch(testShape, 3, 12)
	if err != nil {
		t.Fatal(err)
	}
	tamper := []struct {
		name string
		edit func(p *httpapi.ProofView)
		want *batch.Statement
	}{
		{"other statement expected", func(*httpapi.ProofView) {}, &other.Prepared.Statement},
		{"public input", func(p *httpapi.ProofView) { p.PublicWitnessBytes = strings.Repeat("0", 64) }, want},
		{"batch hash", func(p *httpapi.ProofView) { p.BatchHash = p.Statement["deposit_root"] }, want},
		{"statement bytes", func(p *httpapi.ProofView) { p.Statement["tx_count"] = "99" }, want},
		{"no statement", func(p *httpapi.ProofView) { p.Statement = nil }, want},
		{"batch id", func(p *httpapi.ProofView) { id := *p.BatchID + 1; p.BatchID = &id }, want},
	}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			q := *p
			q.Statement = map[string]string{}
			for k, v := range p.Statement {
				q.Statement[k] = v
			}
			tc.edit(&q)
			if _, err := Check(&q, tc.want); err == nil || errors.Is(err, engine.ErrMockProof) {
				t.Fatalf("tampered answer passed the statement checks: %v", err)
			}
		})
	}

	// An invalid batch: the error names the transaction.
	bad := *built.Request
	bad.Transactions = append([]batch.TxJSON(nil), bad.Transactions...)
	bad.Transactions = bad.Transactions[1:] // drops the first: later nonces or accounts no longer match
	bad.BatchID += 100
	_, err = c.Submit(ctx, &bad)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != httpapi.CodeInvalidBatch || ae.TxIndex == nil || ae.Reason == "" {
		t.Fatalf("invalid batch: %v", err)
	}
}

// TestFollowResumes: when a stream drops, Follow reconnects with the last
// event's id and gets the rest.
func TestFollowResumes(t *testing.T) {
	var conns atomic.Int32
	var gotLast atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		switch conns.Add(1) {
		case 1:
			fmt.Fprint(w, "id: 7\nevent: status\ndata: {\"job_id\":\"j\",\"state\":\"proving\"}\n\n: ping\n\n")
		default:
			gotLast.Store(r.Header.Get("Last-Event-ID"))
			fmt.Fprint(w, "id: 9\nevent: progress\ndata: {\"job_id\":\"j\",\"progress_pct\":50}\n\n")
			fmt.Fprint(w, "id: 12\nevent: cancelled\ndata: {\"job_id\":\"j\",\"state\":\"cancelled\"}\n\n")
		}
	}))
	defer srv.Close()
	c := New(srv.URL, "", nil)
	var ids []string
	end, err := c.Follow(context.Background(), "j", func(ev *Event) { ids = append(ids, ev.ID) })
	if err != nil {
		t.Fatal(err)
	}
	if end.Name != "cancelled" || end.Status == nil || end.Status.State != "cancelled" {
		t.Fatalf("end %+v", end)
	}
	if gotLast.Load() != "7" || strings.Join(ids, ",") != "7,9,12" {
		t.Fatalf("Last-Event-ID %v, ids %v", gotLast.Load(), ids)
	}
}

// TestFollowRefused: a stream the server refuses is an APIError at once.
func TestFollowRefused(t *testing.T) {
	c := startCluster(t)
	_, err := c.Follow(context.Background(), "nope", nil)
	if !IsCode(err, httpapi.CodeNotFound) {
		t.Fatalf("err %v", err)
	}
}

func FuzzReadEvents(f *testing.F) {
	f.Add([]byte("id: 1\nevent: status\ndata: {\"state\":\"pending\"}\n\n: ping\n\n"))
	f.Add([]byte("event: completed\ndata: {\"proof_bytes\":\"00\"}\n\nevent: x\ndata: a\ndata: b\n\n"))
	f.Add([]byte("data: not json\n\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		n := 0
		ReadEvents(strings.NewReader(string(in)), func(ev *Event) error {
			n++
			if ev.Name == "" {
				t.Fatal("event without a name")
			}
			return nil
		})
	})
}
