package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/httpapi"
)

// TestSwarm drives a batch through the swarm routes: POST /batch/submit
// wraps the same batch, GET /batch/{batch_id}/status names every chunk
// with the worker whose proof was accepted, /workers and /health describe
// the fleet, and bad requests answer clear errors.
func TestSwarm(t *testing.T) {
	c := start(t, 2, 20*time.Millisecond, nil)
	batch := exampleBody(t, 9, 5)
	env, _ := json.Marshal(map[string]json.RawMessage{"batch": batch})
	a := c.do("POST", "/batch/submit", env)
	var sub httpapi.SwarmSubmitted
	a.data(t, &sub)
	if a.HTTP != http.StatusAccepted || sub.JobID == "" || sub.Chunks < 2 || !sub.Mock || sub.Existing ||
		(sub.Status != httpapi.SwarmSlicing && sub.Status != httpapi.SwarmProving) {
		t.Fatalf("submit: %d %+v", a.HTTP, sub)
	}
	// The same batch through /v2 is the same job.
	var again httpapi.Accepted
	if a := c.do("POST", "/v2/batch/prove", batch); a.HTTP != http.StatusOK {
		t.Fatalf("the same batch on /v2: %d %s", a.HTTP, a.Message)
	} else if a.data(t, &again); again.JobID != sub.JobID {
		t.Fatalf("the same batch on /v2: job %s, want %s", again.JobID, sub.JobID)
	}

	path := fmt.Sprintf("/batch/%d/status", sub.BatchID)
	var st httpapi.SwarmStatus
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.do("GET", path, nil).data(t, &st)
		if st.State == httpapi.SwarmCompleted || st.State == httpapi.SwarmFailed || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st.State != httpapi.SwarmCompleted || st.JobID != sub.JobID || st.BatchID != sub.BatchID || st.ChunksTotal != sub.Chunks ||
		st.ChunksProved != st.ChunksTotal || len(st.Chunks) != int(st.ChunksTotal) || st.ProvingStartedAt == "" ||
		st.ProvingCompletedAt == "" || st.FoldsDone != st.FoldsTotal || !st.Mock {
		t.Fatalf("status: %+v", st)
	}
	var workers []httpapi.SwarmWorker
	c.do("GET", "/workers", nil).data(t, &workers)
	known := map[string]bool{}
	for _, w := range workers {
		known[w.WorkerID] = true
		if w.Capacity != 2 || !w.Ready || !w.Mock || w.LastSeenAt == "" {
			t.Fatalf("worker %+v", w)
		}
	}
	if len(workers) != 2 {
		t.Fatalf("workers %+v", workers)
	}
	for i, ch := range st.Chunks {
		if ch.ChunkID != i || !ch.Proved || !known[ch.WorkerID] || ch.ProvedAt == "" || ch.ProvingTimeMs < 0 {
			t.Fatalf("chunk %d: %+v (workers %v)", i, ch, known)
		}
	}
	var h httpapi.SwarmHealth
	if a := c.do("GET", "/health", nil); a.HTTP != http.StatusOK {
		t.Fatalf("health: %d", a.HTTP)
	} else if a.data(t, &h); h.Status != "ok" || h.WorkersAvailable != 2 || h.WorkersReady != 2 || h.PendingBatches != 0 || h.ActiveBatches != 0 || !h.MockProver {
		t.Fatalf("health %+v", h)
	}

	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "/batch/submit", `{"transactions":[]}`, http.StatusBadRequest, httpapi.CodeInvalidBatch},
		{"POST", "/batch/submit", `{"batch":null}`, http.StatusBadRequest, httpapi.CodeInvalidBatch},
		{"POST", "/batch/submit", `{"batch":{"transactions":[]}}`, http.StatusBadRequest, httpapi.CodeInvalidBatch},
		{"GET", "/batch/x/status", "", http.StatusBadRequest, httpapi.CodeInvalidRequest},
		{"GET", "/batch/987654/status", "", http.StatusNotFound, httpapi.CodeNotFound},
	} {
		if a := c.do(tc.method, tc.path, []byte(tc.body)); a.HTTP != tc.status || a.Code != tc.code {
			t.Errorf("%s %s %s: %d %s %q", tc.method, tc.path, tc.body, a.HTTP, a.Code, a.Message)
		}
	}
}
