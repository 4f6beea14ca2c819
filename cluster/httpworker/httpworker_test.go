package httpworker_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/httpworker"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

const (
	timeout = 30 * time.Second
	secret  = "http-worker-secret"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// attach deals the cluster's tasks to the HTTP worker at url.
func attach(t *testing.T, c *testcluster.Cluster, url, sec string) {
	t.Helper()
	a, err := httpworker.Start(c.Coord, httpworker.Config{URL: url, Secret: sec, PollEvery: 50 * time.Millisecond,
		StatusWait: 500 * time.Millisecond, Logger: c.Log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
}

// completed waits for the job and checks its statement and proof.
func completed(t *testing.T, c *testcluster.Cluster, id string, input []byte) *pb.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	j, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s: state %s, error %q", id, j.State, j.Error)
	}
	// testprover's statement: the output is the input; Finalize already
	// refused any root that is not the canonical tree of every leaf.
	if !bytes.Equal(j.Output, input) {
		t.Fatalf("output %q, want %q", j.Output, input)
	}
	p, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: id})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(p.Proof, []byte("TESTPROOF")) {
		t.Fatalf("proof %q", p.Proof)
	}
	return j
}

// events collects a job's events until it ends.
func events(t *testing.T, c *testcluster.Cluster, id string) <-chan string {
	t.Helper()
	w, err := c.Coord.Watch(id)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 1)
	go func() {
		defer w.Stop()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var sb strings.Builder
		for {
			evs, ok := w.Next(ctx)
			for _, ev := range evs {
				sb.WriteString(ev.Kind + ": " + ev.Message + "\n")
			}
			if !ok {
				out <- sb.String()
				return
			}
		}
	}()
	return out
}

// TestMixedStreamAndHTTPWorkers: one job proved by a stream worker and an
// HTTP-only worker (assembled by node.StartWorker as zkfleet worker
// --http-addr without --coordinator): both prove leaves, and the job
// completes with its statement.
func TestMixedStreamAndHTTPWorkers(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	streamBE, httpBE := &testprover.Backend{}, &testprover.Backend{}
	c.AddWorkerWith("stream", 2, testcluster.WorkerOptions{Backend: streamBE})
	hw, err := node.StartWorker(context.Background(), node.WorkerConfig{ID: "hw", Capacity: 2, Logger: quiet(),
		Kinds:    map[string]worker.Prover{engine.KindRISCV: {Open: func(string) (engine.Backend, error) { return httpBE, nil }}},
		HTTPAddr: "127.0.0.1:0", HTTP: worker.HTTPConfig{Secret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hw.Close(context.Background()) })
	attach(t, c, "http://"+hw.HTTPAddr.String(), secret)
	testcluster.WaitFor(t, timeout, "both workers ready", func() bool { return c.Workers() == 2 })

	input := []byte("mixed input")
	id, err := c.Submit(context.Background(), testprover.Program(24), input, 0)
	if err != nil {
		t.Fatal(err)
	}
	j := completed(t, c, id, input)
	if j.Leaves != 24 || j.LeavesProved != 24 || j.Contributions != 24 || j.FoldsDone != 23 {
		t.Fatalf("counts: %+v", j)
	}
	sc, hc := streamBE.Contributions.Load()+streamBE.LeafProofs.Load(), httpBE.Contributions.Load()+httpBE.LeafProofs.Load()
	if sc == 0 || hc == 0 {
		t.Fatalf("leaf tasks: stream worker %d, HTTP worker %d; want both > 0", sc, hc)
	}
	t.Logf("leaf tasks: stream %d, http %d; folds: stream %d, http %d", sc, hc, streamBE.Folds.Load(), httpBE.Folds.Load())
	var seen bool
	for _, w := range c.Coord.Workers() {
		seen = seen || w.Id == "http-hw"
	}
	if !seen {
		t.Fatalf("the HTTP worker is not listed: %v", c.Coord.Workers())
	}
}

// TestHTTPWorkerKilledMidTask: the only worker is an HTTP worker whose
// tasks hang; its server is killed (connections cut, /health gone), a
// stream worker joins, and the core re-deals the lost tasks to it as for
// a lost stream worker: the job completes. Duplicated stragglers are off
// here: they would rescue the job before the loss is noticed, and this
// test is about the loss.
func TestHTTPWorkerKilledMidTask(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, MaxTaskAttempts: 5, DuplicateAfter: -1})
	hanging := make(chan struct{}, 64)
	httpBE := &testprover.Backend{Hook: func(ctx context.Context, op string, _ int) error {
		select {
		case hanging <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return ctx.Err()
	}}
	w, err := worker.New(worker.Config{ID: "doomed", Capacity: 2, Logger: quiet(),
		Dial:  func(context.Context) (*grpc.ClientConn, error) { return nil, errors.New("HTTP only") },
		Kinds: map[string]worker.Prover{engine.KindRISCV: {Open: func(string) (engine.Backend, error) { return httpBE, nil }}}})
	if err != nil {
		t.Fatal(err)
	}
	api := w.NewHTTPAPI(worker.HTTPConfig{Secret: secret, StreamOff: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); api.Close() })
	attach(t, c, "http://"+ln.Addr().String(), secret)
	testcluster.WaitFor(t, timeout, "HTTP worker ready", func() bool { return c.Workers() == 1 })

	input := []byte("survives")
	id, err := c.Submit(context.Background(), testprover.Program(6), input, 0)
	if err != nil {
		t.Fatal(err)
	}
	evs := events(t, c, id)
	select {
	case <-hanging:
	case <-time.After(timeout):
		t.Fatal("no task reached the HTTP worker")
	}
	killed := time.Now()
	srv.Close() // killed: listener and connections gone, tasks still "running" there
	c.AddWorker("rescuer", 2)
	completed(t, c, id, input)
	// Lost by the health polls and re-dealt after the reconnect grace,
	// well before the heartbeat timeout would have dropped it.
	if d := time.Since(killed); d > coordinator.DefaultReconnectGrace+5*time.Second {
		t.Fatalf("the job took %v after the kill", d)
	}
	if n := httpBE.Contributions.Load() + httpBE.LeafProofs.Load() + httpBE.Folds.Load(); n != 0 {
		t.Fatalf("the killed worker delivered %d tasks", n)
	}
	if ev := <-evs; !strings.Contains(ev, "http-doomed lost") {
		t.Fatalf("no worker_lost event for the HTTP worker:\n%s", ev)
	}
}

// TestHTTPWorkerWrongSecret: an adapter presenting a wrong secret never
// attaches (the worker answers 401); the job waits for a real worker.
func TestHTTPWorkerWrongSecret(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	httpBE := &testprover.Backend{}
	hw, err := node.StartWorker(context.Background(), node.WorkerConfig{ID: "hw", Capacity: 1, Logger: quiet(),
		Kinds:    map[string]worker.Prover{engine.KindRISCV: {Open: func(string) (engine.Backend, error) { return httpBE, nil }}},
		HTTPAddr: "127.0.0.1:0", HTTP: worker.HTTPConfig{Secret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hw.Close(context.Background()) })
	attach(t, c, "http://"+hw.HTTPAddr.String(), "not-the-secret")
	input := []byte("x")
	id, err := c.Submit(context.Background(), testprover.Program(3), input, 0)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // several polls
	if n := len(c.Coord.Workers()); n != 0 {
		t.Fatalf("%d workers attached with a wrong secret", n)
	}
	c.AddWorker("real", 1)
	completed(t, c, id, input)
	if n := httpBE.Contributions.Load(); n != 0 {
		t.Fatalf("the HTTP worker ran %d tasks for a wrong secret", n)
	}
}

// TestStartRefusesBadURL: only http(s) URLs with a host.
func TestStartRefusesBadURL(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	for _, u := range []string{"", "ftp://x", "localhost:8080", "http://"} {
		if _, err := httpworker.Start(c.Coord, httpworker.Config{URL: u}); err == nil {
			t.Errorf("URL %q accepted", u)
		}
	}
}
