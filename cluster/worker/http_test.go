package worker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

const secret = "s3cret-for-tests"

// httpWorker is a worker serving only the HTTP task API (no stream).
func httpWorker(t *testing.T, be engine.Backend, capacity int, cfg worker.HTTPConfig) (*worker.HTTPAPI, *httptest.Server) {
	t.Helper()
	w, err := worker.New(worker.Config{ID: "hw", Capacity: capacity, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Dial:  func(context.Context) (*grpc.ClientConn, error) { return nil, errors.New("HTTP only") },
		Kinds: map[string]worker.Prover{engine.KindRISCV: {Open: func(string) (engine.Backend, error) { return be, nil }}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg.StreamOff = true
	if cfg.Secret == "" {
		cfg.Secret = secret
	}
	api := w.NewHTTPAPI(cfg)
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		api.Close()
		srv.Close()
	})
	return api, srv
}

// taskBody is a /prove body for one contribution of a test job.
func taskBody(t *testing.T, leaf uint32, async bool) []byte {
	t.Helper()
	m := &pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Assign{Assign: &pb.Assign{JobId: "job-1",
		Spec: &pb.JobSpec{Elf: testprover.Program(4), Input: []byte("in")}, Phase: pb.TaskPhase_TASK_PHASE_CONTRIBUTE, Leaves: []uint32{leaf}}}}
	task, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(worker.ProveRequest{Task: task, KeySet: "test-set", Async: async})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func call(t *testing.T, method, url, auth string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestHTTPProveAuth: /prove (and every route) without the bearer secret
// or with a wrong one is 401 and runs nothing; with it, a synchronous
// /prove answers the contribution the stream path would send.
func TestHTTPProveAuth(t *testing.T) {
	be := &testprover.Backend{}
	_, srv := httpWorker(t, be, 1, worker.HTTPConfig{})
	for _, auth := range []string{"", "Bearer wrong", "Basic " + secret, "Bearer " + secret + "x", secret} {
		code, body := call(t, "POST", srv.URL+"/prove", auth, bytes.NewReader(taskBody(t, 0, false)))
		if code != http.StatusUnauthorized || !strings.Contains(string(body), "bearer") {
			t.Errorf("auth %q: %d %s, want 401", auth, code, body)
		}
	}
	if code, _ := call(t, "GET", srv.URL+"/health", "Bearer nope", nil); code != http.StatusUnauthorized {
		t.Errorf("/health with a wrong secret: %d", code)
	}
	if n := be.Contributions.Load(); n != 0 {
		t.Fatalf("unauthenticated requests ran %d tasks", n)
	}
	code, body := call(t, "POST", srv.URL+"/prove", "Bearer "+secret, bytes.NewReader(taskBody(t, 2, false)))
	if code != http.StatusOK {
		t.Fatalf("authenticated /prove: %d %s", code, body)
	}
	var st worker.TaskStatus
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	var res pb.WorkerMessage
	if err := protojson.Unmarshal(st.Result, &res); err != nil {
		t.Fatal(err)
	}
	c := res.GetContribution()
	if st.State != worker.StateSucceeded || c == nil || c.JobId != "job-1" || c.Leaf != 2 || len(c.Commitment) == 0 {
		t.Fatalf("status %+v, result %v", st, &res)
	}
	// The same commitment a check of the job accepts.
	spec := engine.Spec{ELF: testprover.Program(4), Input: []byte("in")}
	if err := be.CheckContribution(context.Background(), spec, 2, c.Commitment); err != nil {
		t.Fatal(err)
	}
}

// TestHTTPProveHostile: malformed, wrong-shaped, oversized and chunked
// oversized bodies are refused with a clear 4xx, and the server stops
// reading an oversized body at the limit.
func TestHTTPProveHostile(t *testing.T) {
	be := &testprover.Backend{}
	_, srv := httpWorker(t, be, 1, worker.HTTPConfig{MaxBody: 4 << 10})
	auth := "Bearer " + secret
	twoLeaves, _ := protojson.Marshal(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Assign{Assign: &pb.Assign{JobId: "j",
		Spec: &pb.JobSpec{Elf: []byte("x")}, Phase: pb.TaskPhase_TASK_PHASE_PROVE, Leaves: []uint32{1, 2}}}})
	cancel, _ := protojson.Marshal(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Cancel{Cancel: &pb.Cancel{JobId: "j"}}})
	otherKind, _ := protojson.Marshal(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_FoldTask{FoldTask: &pb.FoldTask{JobId: "j",
		Node: 5, Left: []byte("l"), Right: []byte("r"), Kind: "rollup"}}})
	for _, c := range []struct {
		name, body string
		code       int
		want       string
	}{
		{"not json", "{{{", 400, "not a ProveRequest"},
		{"empty", "", 400, "not a ProveRequest"},
		{"unknown field", `{"task":{},"key_set":"k","evil":1}`, 400, "unknown field"},
		{"trailing data", string(taskBody(t, 0, false)) + "{}", 400, "after the ProveRequest"},
		{"bad key set", `{"task":{"assign":{}},"key_set":"../../etc"}`, 400, "key_set"},
		{"dot key set", `{"task":{"assign":{}},"key_set":".."}`, 400, "key_set"},
		{"task not proto", `{"task":{"nope":1},"key_set":"k"}`, 400, "CoordinatorMessage"},
		{"task wrong type", `{"task":"x","key_set":"k"}`, 400, "CoordinatorMessage"},
		{"two leaves", `{"task":` + string(twoLeaves) + `,"key_set":"k"}`, 400, "exactly one leaf"},
		{"no spec", `{"task":{"assign":{"jobId":"j","leaves":[1],"phase":"TASK_PHASE_PROVE"}},"key_set":"k"}`, 400, "job spec"},
		{"no phase", `{"task":{"assign":{"jobId":"j","leaves":[1],"spec":{"elf":"eA=="}}},"key_set":"k"}`, 400, "phase"},
		{"no job", `{"task":{"assign":{"leaves":[1],"spec":{"elf":"eA=="},"phase":1}},"key_set":"k"}`, 400, "job_id"},
		{"cancel", `{"task":` + string(cancel) + `,"key_set":"k"}`, 400, "fold_task"},
		{"fold without children", `{"task":{"foldTask":{"jobId":"j","node":3}},"key_set":"k"}`, 400, "both children"},
		{"kind not proved here", `{"task":` + string(otherKind) + `,"key_set":"k"}`, 422, "does not prove kind"},
		{"too large", `{"task":{},"key_set":"` + strings.Repeat("a", 8<<10) + `"}`, 413, "too large"},
	} {
		code, body := call(t, "POST", srv.URL+"/prove", auth, strings.NewReader(c.body))
		if code != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, code, body, c.code, c.want)
		}
		if ct := ""; code >= 400 {
			var e struct{ Error string }
			if json.Unmarshal(body, &e) != nil || e.Error == "" {
				t.Errorf("%s: error body is not JSON {\"error\"}: %s%s", c.name, body, ct)
			}
		}
	}
	// A chunked body (no Content-Length) of 1 GiB: refused at the limit,
	// having read only about the limit.
	var read atomic.Int64
	huge := &countingZeros{left: 1 << 30, read: &read}
	req, _ := http.NewRequest("POST", srv.URL+"/prove", io.NopCloser(huge))
	req.Header.Set("Authorization", auth)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked 1 GiB body: %d %s", resp.StatusCode, b)
		}
	} // else: the server closed the connection mid-upload, also a refusal
	if n := read.Load(); n > 64<<20 {
		t.Fatalf("the client could send %d bytes before the refusal", n)
	}
	if n := be.Contributions.Load() + be.LeafProofs.Load() + be.Folds.Load(); n != 0 {
		t.Fatalf("hostile bodies ran %d tasks", n)
	}
}

// countingZeros is a reader of left zero bytes counting what was read.
type countingZeros struct {
	left int64
	read *atomic.Int64
}

func (z *countingZeros) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	n = min(n, z.left)
	clear(p[:n])
	z.left -= n
	z.read.Add(n)
	return int(n), nil
}

// TestHTTPAsyncStatusCancel: an asynchronous /prove answers 202 with an
// id at once; /status reports it queued, running and finished; a second
// identical /prove while it runs is the same task; /cancel stops it;
// /health counts it; an unknown id is 404.
func TestHTTPAsyncStatusCancel(t *testing.T) {
	release := make(chan struct{})
	be := &testprover.Backend{Hook: func(ctx context.Context, op string, leaf int) error {
		if leaf == 3 {
			<-ctx.Done() // leaf 3 runs until cancelled
			return ctx.Err()
		}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	_, srv := httpWorker(t, be, 1, worker.HTTPConfig{})
	auth := "Bearer " + secret
	post := func(leaf uint32) worker.TaskStatus {
		code, body := call(t, "POST", srv.URL+"/prove", auth, bytes.NewReader(taskBody(t, leaf, true)))
		if code != http.StatusAccepted {
			t.Fatalf("async /prove: %d %s", code, body)
		}
		var st worker.TaskStatus
		json.Unmarshal(body, &st)
		return st
	}
	status := func(id, wait string) worker.TaskStatus {
		code, body := call(t, "GET", srv.URL+"/status/"+id+wait, auth, nil)
		if code != http.StatusOK {
			t.Fatalf("/status: %d %s", code, body)
		}
		var st worker.TaskStatus
		json.Unmarshal(body, &st)
		return st
	}
	a := post(1)
	if a.ID == "" || a.Finished() {
		t.Fatalf("202 body %+v", a)
	}
	testcluster.WaitFor(t, 5*time.Second, "task running", func() bool { return status(a.ID, "").State == worker.StateRunning })
	b := post(3) // waits for the only slot
	if st := status(b.ID, ""); st.State != worker.StateQueued {
		t.Fatalf("second task: %s, want queued", st.State)
	}
	if again := post(1); again.ID != a.ID {
		t.Fatalf("the same task posted twice while running: ids %s and %s", a.ID, again.ID)
	}
	var h worker.Health
	code, body := call(t, "GET", srv.URL+"/health", auth, nil)
	if code != http.StatusOK || json.Unmarshal(body, &h) != nil || !h.Ready || h.Active != 1 || h.Queued != 1 || h.Capacity != 1 ||
		h.Totals.Accepted != 2 || h.Stream != "off" || len(h.Kinds) != 1 || h.Kinds[0].Kind != engine.KindRISCV {
		t.Fatalf("/health: %d %s", code, body)
	}
	close(release)
	st := status(a.ID, "?wait=5s")
	if st.State != worker.StateSucceeded || len(st.Result) == 0 {
		t.Fatalf("finished task: %+v", st)
	}
	testcluster.WaitFor(t, 5*time.Second, "leaf 3 running", func() bool { return status(b.ID, "").State == worker.StateRunning })
	code, body = call(t, "POST", srv.URL+"/cancel/"+b.ID, auth, nil)
	if code != http.StatusOK || !strings.Contains(string(body), worker.StateCancelled) {
		t.Fatalf("/cancel: %d %s", code, body)
	}
	if code, _ := call(t, "GET", srv.URL+"/status/nope", auth, nil); code != http.StatusNotFound {
		t.Fatalf("unknown task: %d", code)
	}
	if code, _ := call(t, "GET", srv.URL+"/status/"+a.ID+"?wait=forever", auth, nil); code != http.StatusBadRequest {
		t.Fatalf("bad wait: %d", code)
	}
	code, body = call(t, "GET", srv.URL+"/health", auth, nil)
	if json.Unmarshal(body, &h) != nil || h.Totals.Succeeded != 1 || h.Totals.Cancelled != 1 || h.Active != 0 || h.AvgProvingMs <= 0 {
		t.Fatalf("/health after: %d %s", code, body)
	}
}

// TestHTTPBusy: beyond MaxActive tasks queued or running, /prove is 429.
func TestHTTPBusy(t *testing.T) {
	be := &testprover.Backend{Hook: func(ctx context.Context, _ string, _ int) error { <-ctx.Done(); return ctx.Err() }}
	_, srv := httpWorker(t, be, 1, worker.HTTPConfig{MaxActive: 2})
	auth := "Bearer " + secret
	for leaf := range uint32(2) {
		if code, body := call(t, "POST", srv.URL+"/prove", auth, bytes.NewReader(taskBody(t, leaf, true))); code != http.StatusAccepted {
			t.Fatalf("task %d: %d %s", leaf, code, body)
		}
	}
	if code, body := call(t, "POST", srv.URL+"/prove", auth, bytes.NewReader(taskBody(t, 2, true))); code != http.StatusTooManyRequests {
		t.Fatalf("third task: %d %s, want 429", code, body)
	}
}
