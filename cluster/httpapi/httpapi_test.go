package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
)

var testShape = batch.Shape{Depth: 8, Slots: 2}

const (
	token       = "secret-token"
	testMaxBody = 1 << 20
)

type cluster struct {
	t    *testing.T
	dev  *node.Dev
	base string
}

// start runs a coordinator with the Core API and n in-process mock
// workers; delay is each placeholder proof's time.
func start(t *testing.T, workers int, delay time.Duration, rollupBackend engine.Backend) *cluster {
	t.Helper()
	return startWith(t, workers, delay, rollupBackend, httpapi.Config{Ping: 30 * time.Millisecond, MaxBody: testMaxBody})
}

func startWith(t *testing.T, workers int, delay time.Duration, rollupBackend engine.Backend, cfg httpapi.Config, opts ...func(*node.CoordinatorConfig)) *cluster {
	t.Helper()
	if rollupBackend == nil {
		rollupBackend = kind.Mock(testShape, delay)
	}
	riscv := mock.RISCV(mock.DefaultShape, delay)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Logger = quiet
	mockSet := coordinator.KeySet{ID: mock.KeySet, Mock: true}
	cc := node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		HTTP: httpapi.Handler(cfg), Token: token, Logger: quiet,
		Kinds: map[string]node.Kind{
			engine.KindRISCV: {Backend: riscv, KeySet: mockSet},
			kind.Kind:        {Backend: rollupBackend, KeySet: mockSet},
		}}
	for _, o := range opts {
		o(&cc)
	}
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: cc,
		Workers:     workers, WorkerCapacity: 2,
		WorkerKinds: map[string]worker.Prover{
			engine.KindRISCV: {Mock: true, Open: func(string) (engine.Backend, error) { return riscv, nil }},
			kind.Kind:        {Mock: true, Open: func(string) (engine.Backend, error) { return rollupBackend, nil }},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d.Close(ctx)
	})
	return &cluster{t: t, dev: d, base: "http://" + d.HTTPAddr.String()}
}

// answer is a decoded wrapper.
type answer struct {
	HTTP    int
	Status  string          `json:"status"`
	Data    json.RawMessage `json:"data"`
	Message string          `json:"message"`
	Code    string          `json:"code"`
	JobID   string          `json:"job_id"`
	TxIndex *int            `json:"tx_index"`
	Reason  string          `json:"reason"`
}

func (c *cluster) do(method, path string, body []byte, hdr ...string) *answer {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := &answer{HTTP: resp.StatusCode}
	if err := json.Unmarshal(raw, a); err != nil {
		c.t.Fatalf("%s %s: %d, not JSON: %q", method, path, resp.StatusCode, raw)
	}
	return a
}

func (a *answer) data(t *testing.T, v any) {
	t.Helper()
	if a.Status != "success" {
		t.Fatalf("answer %d %s %s: %s", a.HTTP, a.Status, a.Code, a.Message)
	}
	if err := json.Unmarshal(a.Data, v); err != nil {
		t.Fatal(err)
	}
}

func exampleBody(t *testing.T, n int, seed uint64) []byte {
	t.Helper()
	b, err := sequencer.ExampleBatch(testShape, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.MarshalIndent(b.Request, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct {
	ID, Name string
	Data     json.RawMessage
}

// readSSE reads events until the server closes the stream, returning
// them and the number of ": ping" comments.
func readSSE(t *testing.T, r io.Reader) (evs []sseEvent, pings int) {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var cur sseEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.Name != "" || len(data) > 0 {
				cur.Data = json.RawMessage(strings.Join(data, "\n"))
				evs = append(evs, cur)
			}
			cur, data = sseEvent{}, nil
		case strings.HasPrefix(line, ":"):
			if strings.TrimSpace(line[1:]) == "ping" {
				pings++
			}
		case strings.HasPrefix(line, "id: "):
			cur.ID = line[4:]
		case strings.HasPrefix(line, "event: "):
			cur.Name = line[7:]
		case strings.HasPrefix(line, "data: "):
			data = append(data, line[6:])
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the stream: %v", err)
	}
	return evs, pings
}

func (c *cluster) stream(path string, hdr ...string) ([]sseEvent, int) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		c.t.Fatalf("GET %s: %d %s %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return readSSE(c.t, resp.Body)
}

func (c *cluster) submit(body []byte) httpapi.Accepted {
	c.t.Helper()
	a := c.do("POST", "/v2/batch/prove", body)
	if a.HTTP != http.StatusAccepted {
		c.t.Fatalf("POST: %d %s %s", a.HTTP, a.Code, a.Message)
	}
	var acc httpapi.Accepted
	a.data(c.t, &acc)
	return acc
}

// TestBatchLifecycle proves a batch through the API with the mock prover:
// the SSE stream opens with a status snapshot, shows progress in order,
// ends with one completed event carrying the proof fields, and closes;
// the proof route answers the same proof, labelled mock.
func TestBatchLifecycle(t *testing.T) {
	c := start(t, 2, 40*time.Millisecond, nil)
	body := exampleBody(t, 9, 1)
	acc := c.submit(body)
	if acc.JobID == "" || acc.BatchID == nil || acc.Kind != kind.Kind || !acc.Mock || acc.Existing ||
		acc.StatusURL != "/v2/batch/"+acc.JobID+"/status" {
		t.Fatalf("accepted: %+v", acc)
	}
	if acc.State != httpapi.StatePreparing && acc.State != httpapi.StateProving {
		t.Fatalf("state after POST: %s", acc.State)
	}
	evs, pings := c.stream(acc.StatusURL)
	if len(evs) < 3 {
		t.Fatalf("%d events: %+v", len(evs), evs)
	}
	if evs[0].Name != "status" {
		t.Fatalf("first event %q, want status", evs[0].Name)
	}
	last := evs[len(evs)-1]
	if last.Name != "completed" {
		t.Fatalf("last event %q: %s", last.Name, last.Data)
	}
	order := map[string]int{"pending": 0, "preparing": 1, "proving": 2, "completed": 3}
	prevState, prevPct, prevID := -1, -1.0, uint64(0)
	progress := 0
	for i, ev := range evs {
		if Terminal := ev.Name == "completed" || ev.Name == "failed" || ev.Name == "cancelled"; Terminal && i != len(evs)-1 {
			t.Fatalf("terminal event %q at %d of %d", ev.Name, i, len(evs))
		}
		var v struct {
			State       string  `json:"state"`
			ProgressPct float64 `json:"progress_pct"`
		}
		json.Unmarshal(ev.Data, &v)
		if ev.Name == "completed" {
			v.State, v.ProgressPct = "completed", 100
		}
		if ev.Name == "progress" {
			progress++
		}
		if order[v.State] < prevState || v.ProgressPct < prevPct {
			t.Fatalf("event %d (%s) goes back: state %s pct %v after %d/%v", i, ev.Name, v.State, v.ProgressPct, prevState, prevPct)
		}
		var id uint64
		if _, err := fmtSscan(ev.ID, &id); err != nil || id < prevID {
			t.Fatalf("event %d id %q after %d", i, ev.ID, prevID)
		}
		prevState, prevPct, prevID = order[v.State], v.ProgressPct, id
	}
	if progress == 0 {
		t.Errorf("no progress events in %d events", len(evs))
	}
	_ = pings // pings depend on timing; TestPing checks them
	var done httpapi.ProofView
	if err := json.Unmarshal(last.Data, &done); err != nil {
		t.Fatal(err)
	}
	if done.Type != "completed" || done.ProofBytes == "" || !done.Mock || done.BatchHash == "" || len(done.PublicWitnessBytes) != 64 ||
		!strings.HasPrefix(done.WithdrawalRoot, "0x") {
		t.Fatalf("completed event: %+v", done)
	}
	var proof httpapi.ProofView
	c.do("GET", "/v2/batch/"+acc.JobID+"/proof", nil).data(t, &proof)
	if proof.ProofBytes != done.ProofBytes || proof.Statement["statement_bytes"] == "" || proof.Statement["prover"] != "MOCK (no proof)" {
		t.Fatalf("proof: %+v", proof)
	}

	// A late subscriber gets the terminal event at once, and the stream closes.
	late, _ := c.stream(acc.StatusURL)
	if len(late) != 1 || late[0].Name != "completed" {
		t.Fatalf("late subscriber: %+v", late)
	}
	// A completed job cannot be cancelled.
	if a := c.do("DELETE", "/v2/batch/"+acc.JobID, nil); a.HTTP != http.StatusConflict || a.Code != httpapi.CodeInvalidState {
		t.Fatalf("DELETE completed: %d %s", a.HTTP, a.Code)
	}
	var h httpapi.Health
	c.do("GET", "/v2/health", nil).data(t, &h)
	if h.Status != "ok" || !h.MockProver || h.CachedProofs != 1 || h.Workers != 2 {
		t.Fatalf("health: %+v", h)
	}
}

func fmtSscan(s string, v *uint64) (int, error) { return fmt.Sscan(s, v) }

// TestResume: a client that reconnects with the id of the last event it
// saw gets no repeat of what it has, then the rest up to the terminal
// event.
func TestResume(t *testing.T) {
	c := start(t, 1, 30*time.Millisecond, nil)
	acc := c.submit(exampleBody(t, 8, 2))
	// Read the first event only, then disconnect.
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+acc.StatusURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	var firstID string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "id: ") {
			firstID = strings.TrimSpace(line[4:])
		}
		if line == "\n" && firstID != "" {
			break
		}
	}
	cancel()
	resp.Body.Close()

	evs, _ := c.stream(acc.StatusURL, "Last-Event-ID", firstID)
	if len(evs) == 0 || evs[len(evs)-1].Name != "completed" {
		t.Fatalf("resumed stream: %+v", evs)
	}
	for _, ev := range evs {
		if ev.ID == firstID && ev.Name != "completed" {
			t.Fatalf("resumed stream repeats event %s (%s)", ev.ID, ev.Name)
		}
	}
	// Resuming after the terminal event gives the terminal event again, so
	// a client always learns how the job ended.
	again, _ := c.stream(acc.StatusURL, "Last-Event-ID", evs[len(evs)-1].ID)
	if len(again) != 1 || again[0].Name != "completed" {
		t.Fatalf("stream after the end: %+v", again)
	}
}

// TestSameBatchID: resubmitting a batch (formatted differently) answers
// the existing job; other content under the same batch_id is a 409; a
// cancelled job frees its batch_id.
func TestSameBatchID(t *testing.T) {
	c := start(t, 0, 0, nil) // no workers: jobs wait in preparing
	body := exampleBody(t, 4, 3)
	acc := c.submit(body)
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		t.Fatal(err)
	}
	a := c.do("POST", "/v2/batch/prove", compact.Bytes())
	var again httpapi.Accepted
	a.data(t, &again)
	if a.HTTP != http.StatusOK || again.JobID != acc.JobID || !again.Existing {
		t.Fatalf("same batch: %d %+v, want job %s existing", a.HTTP, again, acc.JobID)
	}
	other := exampleBody(t, 5, 3) // same demo genesis: batch_id 1 as well
	var req1, req2 struct {
		BatchID uint64 `json:"batch_id"`
	}
	json.Unmarshal(body, &req1)
	json.Unmarshal(other, &req2)
	if req1.BatchID != req2.BatchID {
		t.Fatalf("example batch ids %d and %d differ", req1.BatchID, req2.BatchID)
	}
	a = c.do("POST", "/v2/batch/prove", other)
	if a.HTTP != http.StatusConflict || a.Code != httpapi.CodeBatchConflict || a.JobID != acc.JobID ||
		!strings.Contains(a.Message, "other content") {
		t.Fatalf("other content: %d %s %q", a.HTTP, a.Code, a.Message)
	}
	if a := c.do("DELETE", "/v2/batch/"+acc.JobID, nil); a.HTTP != 200 {
		t.Fatalf("DELETE: %d %s", a.HTTP, a.Message)
	}
	if got := c.submit(other); got.JobID == acc.JobID {
		t.Fatal("a cancelled job kept its batch_id")
	}
}

// TestCancel cancels a job in each non-terminal state it can be observed
// in; its stream ends with cancelled, its proof answers CANCELLED (never
// NOT_READY), a second DELETE is idempotent.
func TestCancel(t *testing.T) {
	t.Run("preparing", func(t *testing.T) {
		c := start(t, 0, 0, nil)
		acc := c.submit(exampleBody(t, 4, 4))
		if acc.State != httpapi.StatePreparing {
			t.Fatalf("state %s, want preparing (no workers)", acc.State)
		}
		if a := c.do("GET", "/v2/batch/"+acc.JobID+"/proof", nil); a.HTTP != http.StatusConflict || a.Code != httpapi.CodeNotReady {
			t.Fatalf("proof while preparing: %d %s", a.HTTP, a.Code)
		}
		checkCancel(t, c, acc.JobID)
	})
	t.Run("proving", func(t *testing.T) {
		be := kind.Mock(testShape, 2*time.Second)
		c := start(t, 1, 0, be)
		acc := c.submit(exampleBody(t, 6, 5))
		deadline := time.Now().Add(10 * time.Second)
		for {
			var v httpapi.JobView
			c.do("GET", "/v2/batch/"+acc.JobID, nil).data(t, &v)
			if v.State == httpapi.StateProving {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("never proving: %+v", v)
			}
			time.Sleep(10 * time.Millisecond)
		}
		checkCancel(t, c, acc.JobID)
		// The worker's leaf proofs (2 s each) were stopped, not finished.
		time.Sleep(2500 * time.Millisecond)
		if n := be.LeafProofs.Load(); n != 0 {
			t.Fatalf("%d leaf proofs finished after the cancel", n)
		}
	})
	t.Run("pending", func(t *testing.T) {
		// A planner that blocks holds the job in pending while the POST waits.
		release := make(chan struct{})
		be := mock.New(kind.Kind, func(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return kind.Plan(ctx, spec, testShape)
		}, 0)
		c := start(t, 0, 0, be)
		posted := make(chan *answer, 1)
		go func() { posted <- c.do("POST", "/v2/batch/prove", exampleBody(t, 2, 6)) }()
		var id string
		for deadline := time.Now().Add(10 * time.Second); id == ""; {
			for _, j := range c.dev.Core.Jobs() {
				id = j.Id
			}
			if time.Now().After(deadline) {
				t.Fatal("the job never appeared")
			}
			time.Sleep(5 * time.Millisecond)
		}
		var v httpapi.JobView
		c.do("GET", "/v2/jobs/"+id, nil).data(t, &v)
		if v.State != httpapi.StatePending {
			t.Fatalf("state %s, want pending", v.State)
		}
		checkCancel(t, c, id)
		close(release)
		a := <-posted
		var acc httpapi.Accepted
		a.data(t, &acc)
		if a.HTTP != http.StatusAccepted || acc.JobID != id || acc.State != httpapi.StateCancelled {
			t.Fatalf("POST answer: %d %+v", a.HTTP, acc)
		}
	})
}

func checkCancel(t *testing.T, c *cluster, id string) {
	t.Helper()
	a := c.do("DELETE", "/v2/jobs/"+id, nil)
	var got httpapi.Cancelled
	a.data(t, &got)
	if !got.Cancelled || got.State != httpapi.StateCancelled || got.JobID != id {
		t.Fatalf("DELETE: %+v", got)
	}
	if a := c.do("DELETE", "/v2/jobs/"+id, nil); a.HTTP != 200 {
		t.Fatalf("second DELETE: %d %s", a.HTTP, a.Code)
	}
	a = c.do("GET", "/v2/jobs/"+id+"/proof", nil)
	if a.HTTP != http.StatusGone || a.Code != httpapi.CodeCancelled {
		t.Fatalf("proof of a cancelled job: %d %s %s", a.HTTP, a.Code, a.Message)
	}
	evs, _ := c.stream("/v2/jobs/" + id + "/status")
	if len(evs) != 1 || evs[0].Name != "cancelled" {
		t.Fatalf("stream of a cancelled job: %+v", evs)
	}
}

// TestInvalidBatch: a batch that does not execute fails at once, before
// any proving, with the transaction's index and the reason.
func TestInvalidBatch(t *testing.T) {
	c := start(t, 1, time.Second, nil)
	built, err := sequencer.ExampleBatch(testShape, 6, 7)
	if err != nil {
		t.Fatal(err)
	}
	req := *built.Request
	req.Transactions = append([]batch.TxJSON(nil), req.Transactions...)
	bad := -1
	for i, tx := range req.Transactions {
		if tx.Type == "transfer" {
			bad = i
			req.Transactions[i].Amount = 1 << 62 // overdraft
			break
		}
	}
	if bad < 0 {
		t.Fatal("no transfer in the example")
	}
	body, _ := json.Marshal(&req)
	tests := []struct {
		name   string
		body   []byte
		status int
		txIdx  int
	}{
		{"overdraft", body, http.StatusUnprocessableEntity, bad},
		{"not JSON", []byte("{"), http.StatusBadRequest, -1},
		{"no batch_id", []byte(`{"transactions":[]}`), http.StatusBadRequest, -1},
		{"unknown field", []byte(`{"batch_id":9,"nonsense":true}`), http.StatusUnprocessableEntity, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t0 := time.Now()
			a := c.do("POST", "/v2/batch/prove", tc.body)
			if el := time.Since(t0); el > 2*time.Second {
				t.Errorf("rejection took %v", el)
			}
			if a.HTTP != tc.status || a.Code != httpapi.CodeInvalidBatch || a.TxIndex == nil || *a.TxIndex != tc.txIdx || a.Reason == "" {
				t.Fatalf("answer %d %s tx %v reason %q: %s", a.HTTP, a.Code, a.TxIndex, a.Reason, a.Message)
			}
			if a.JobID != "" {
				p := c.do("GET", "/v2/batch/"+a.JobID+"/proof", nil)
				if p.HTTP != http.StatusGone || p.Code != httpapi.CodeProofFailed {
					t.Fatalf("proof of the rejected batch: %d %s", p.HTTP, p.Code)
				}
			}
		})
	}
}

// TestGenericJob runs a RISC-V guest over the same API: POST /v2/jobs,
// the SSE stream, the proof; the batch routes refuse a job that is no batch.
func TestGenericJob(t *testing.T) {
	c := start(t, 1, 0, nil)
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(httpapi.JobRequest{ELF: elf, Input: []byte{10, 0, 0, 0}})
	a := c.do("POST", "/v2/jobs", body)
	var acc httpapi.Accepted
	a.data(t, &acc)
	if a.HTTP != http.StatusAccepted || acc.Kind != engine.KindRISCV || acc.BatchID != nil || acc.StatusURL != "/v2/jobs/"+acc.JobID+"/status" {
		t.Fatalf("accepted: %d %+v", a.HTTP, acc)
	}
	evs, _ := c.stream(acc.StatusURL)
	// The job may have ended before the stream opened: then the terminal
	// event is the only one.
	if last := evs[len(evs)-1]; (len(evs) > 1 && evs[0].Name != "status") || last.Name != "completed" {
		t.Fatalf("events %+v", evs)
	}
	var p httpapi.ProofView
	c.do("GET", "/v2/jobs/"+acc.JobID+"/proof", nil).data(t, &p)
	if p.ProofBytes == "" || !p.Mock || p.Statement["program_id"] == "" {
		t.Fatalf("proof %+v", p)
	}
	if a := c.do("GET", "/v2/batch/"+acc.JobID+"/proof", nil); a.HTTP != http.StatusNotFound || a.Code != httpapi.CodeNotFound {
		t.Fatalf("batch route on a RISC-V job: %d %s", a.HTTP, a.Code)
	}

	bad := []struct {
		name, body string
		status     int
		code       string
	}{
		{"not an ELF", `{"elf":"AAAA"}`, http.StatusBadRequest, httpapi.CodeInvalidRequest},
		{"unknown field", `{"elf":"AAAA","x":1}`, http.StatusBadRequest, httpapi.CodeInvalidRequest},
		{"unknown kind", `{"kind":"nope","input":"AAAA"}`, http.StatusBadRequest, httpapi.CodeInvalidRequest},
		{"batch kind", `{"kind":"rollup","input":"AAAA"}`, http.StatusBadRequest, httpapi.CodeInvalidRequest},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			a := c.do("POST", "/v2/jobs", []byte(tc.body))
			if a.HTTP != tc.status || a.Code != tc.code || a.Status != "error" {
				t.Fatalf("%d %s %s", a.HTTP, a.Code, a.Message)
			}
		})
	}
}

// TestRoutes covers authentication, unknown jobs and routes, body
// limits, keep-alives and the OpenAPI document.
func TestRoutes(t *testing.T) {
	c := start(t, 0, 0, nil)
	t.Run("no token", func(t *testing.T) {
		resp, err := http.Get(c.base + "/v2/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	for _, path := range []string{"/v2/batch/nope/status", "/v2/batch/nope/proof", "/v2/jobs/nope", "/v3/other"} {
		t.Run("404 "+path, func(t *testing.T) {
			if a := c.do("GET", path, nil); a.HTTP != http.StatusNotFound || a.Code != httpapi.CodeNotFound {
				t.Fatalf("%d %s", a.HTTP, a.Code)
			}
		})
	}
	t.Run("DELETE unknown", func(t *testing.T) {
		if a := c.do("DELETE", "/v2/batch/nope", nil); a.HTTP != http.StatusNotFound || a.Code != httpapi.CodeNotFound {
			t.Fatalf("%d %s", a.HTTP, a.Code)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		big := bytes.Repeat([]byte(" "), testMaxBody+1)
		if a := c.do("POST", "/v2/batch/prove", big); a.HTTP != http.StatusRequestEntityTooLarge {
			t.Fatalf("%d %s", a.HTTP, a.Code)
		}
	})
	t.Run("pings", func(t *testing.T) {
		acc := c.submit(exampleBody(t, 2, 8)) // no workers: the job waits
		go func() {
			time.Sleep(200 * time.Millisecond)
			c.do("DELETE", "/v2/batch/"+acc.JobID, nil)
		}()
		evs, pings := c.stream(acc.StatusURL)
		if pings < 2 || evs[len(evs)-1].Name != "cancelled" {
			t.Fatalf("%d pings, events %+v", pings, evs)
		}
	})
	t.Run("openapi", func(t *testing.T) {
		req, _ := http.NewRequest("GET", c.base+"/v2/openapi.json", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var doc struct {
			OpenAPI string         `json:"openapi"`
			Paths   map[string]any `json:"paths"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/v2/batch/prove", "/v2/batch/{job_id}/status", "/v2/batch/{job_id}/proof", "/v2/batch/{job_id}", "/v2/jobs", "/v2/health",
			"/batch/submit", "/batch/{batch_id}/status", "/workers", "/health"} {
			if doc.Paths[p] == nil {
				t.Errorf("openapi.json has no path %s", p)
			}
		}
		if !strings.HasPrefix(doc.OpenAPI, "3.") {
			t.Errorf("openapi version %q", doc.OpenAPI)
		}
	})
}

// TestOpenAPIInDocs keeps docs/openapi.json and the served copy equal.
func TestOpenAPIInDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, httpapi.OpenAPI) {
		t.Fatal("docs/openapi.json differs from cluster/httpapi/openapi.json: copy one over the other")
	}
}

// TestMaxStreams: status streams beyond the limit answer 503 at once;
// one that ends frees its place.
func TestMaxStreams(t *testing.T) {
	c := startWith(t, 0, 0, nil, httpapi.Config{Ping: time.Second, MaxStreams: 1})
	acc := c.submit(exampleBody(t, 2, 9))
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+acc.StatusURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if a := c.do("GET", acc.StatusURL, nil); a.HTTP != http.StatusServiceUnavailable || a.Code != httpapi.CodeUnavailable {
		t.Fatalf("second stream: %d %s", a.HTTP, a.Code)
	}
	cancel()
	resp.Body.Close()
	// The job ends, so the next stream closes after its terminal event.
	if a := c.do("DELETE", "/v2/batch/"+acc.JobID, nil); a.HTTP != 200 {
		t.Fatalf("DELETE: %d %s", a.HTTP, a.Code)
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		req, _ := http.NewRequest("GET", c.base+acc.StatusURL, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the closed stream never freed its place: %d", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMaxPreparing: beyond MaxPreparing, submissions wait for a slot
// before the core sees them.
func TestMaxPreparing(t *testing.T) {
	release := make(chan struct{})
	be := mock.New(kind.Kind, func(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return kind.Plan(ctx, spec, testShape)
	}, 0)
	c := startWith(t, 0, 0, be, httpapi.Config{MaxPreparing: 1})
	done := make(chan *answer, 2)
	go func() { done <- c.do("POST", "/v2/batch/prove", exampleBody(t, 2, 10)) }()
	for deadline := time.Now().Add(10 * time.Second); len(c.dev.Core.Jobs()) == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			select {
			case a := <-done:
				t.Fatalf("the first submission never reached the core: %d %s %s", a.HTTP, a.Code, a.Message)
			default:
				t.Fatal("the first submission never reached the core")
			}
		}
	}
	other := exampleBody(t, 3, 10)
	other = bytes.Replace(other, []byte(`"batch_id": 2`), []byte(`"batch_id": 77`), 1)
	go func() { done <- c.do("POST", "/v2/batch/prove", other) }()
	time.Sleep(200 * time.Millisecond)
	if n := len(c.dev.Core.Jobs()); n != 1 {
		t.Fatalf("%d jobs in the core while one preparation slot is taken", n)
	}
	close(release)
	for range 2 {
		if a := <-done; a.HTTP != http.StatusAccepted && a.Code != httpapi.CodeInvalidBatch {
			t.Fatalf("POST: %d %s %s", a.HTTP, a.Code, a.Message)
		}
	}
	if n := len(c.dev.Core.Jobs()); n != 2 {
		t.Fatalf("%d jobs after both submissions", n)
	}
}
