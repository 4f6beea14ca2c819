package coordinator_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

const timeout = 20 * time.Second

func completed(t *testing.T, c *testcluster.Cluster, id string) *pb.Job {
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
	p, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Proof) == 0 {
		t.Fatal("empty proof")
	}
	return j
}

func TestSingleJob(t *testing.T) {
	be := &testprover.Backend{}
	c := testcluster.Start(t, testcluster.Options{Backend: be})
	c.AddWorker("w1", 2)
	c.AddWorker("w2", 1)
	id, err := c.Submit(context.Background(), testprover.Program(13), []byte("in"), 0)
	if err != nil {
		t.Fatal(err)
	}
	j := completed(t, c, id)
	if j.Leaves != 13 || j.LeavesProved != 13 || j.FoldsDone != 12 || j.Contributions != 13 {
		t.Fatalf("counts: %+v", j)
	}
}

func TestSingleLeafJob(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	c.AddWorker("w1", 1)
	id, err := c.Submit(context.Background(), testprover.Program(1), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	completed(t, c, id)
}

func TestQueueSeveralJobs(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	c.AddWorker("w1", 1)
	c.AddWorker("w2", 1)
	var ids []string
	for i := 0; i < 6; i++ {
		id, err := c.Submit(context.Background(), testprover.Program(3+i), []byte{byte(i)}, 2)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		completed(t, c, id)
	}
}

// gate holds tasks of one op until released, counting how many wait.
type gate struct {
	op      string
	waiting atomic.Int64
	release chan struct{}
}

func newGate(op string) *gate { return &gate{op: op, release: make(chan struct{})} }

func (g *gate) hook(ctx context.Context, op string, _ int) error {
	if op != g.op {
		return nil
	}
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestCapacityProportionalDealing: with NoStealing every leaf is dealt at
// once in proportion to capacity; by default a worker is sent only as
// many leaves as it has slots and the rest wait at the coordinator.
func TestCapacityProportionalDealing(t *testing.T) {
	t.Run("no stealing", func(t *testing.T) { testCapacityDealing(t, true, 10, 30) })
	t.Run("bounded", func(t *testing.T) { testCapacityDealing(t, false, 1, 3) })
}

func testCapacityDealing(t *testing.T, noStealing bool, wantA, wantB uint32) {
	g := newGate("contribute")
	be := &testprover.Backend{Hook: g.hook}
	c := testcluster.Start(t, testcluster.Options{Backend: be, NoStealing: noStealing})
	c.AddWorker("a", 1)
	c.AddWorker("b", 3)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(40), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "tasks dealt", func() bool {
		n := 0
		for _, w := range c.Coord.Workers() {
			n += int(w.Tasks)
		}
		return n == int(wantA+wantB) && g.waiting.Load() == 4 // every slot busy
	})
	tasks := map[string]uint32{}
	for _, w := range c.Coord.Workers() {
		tasks[w.Id] = w.Tasks
	}
	if tasks["a"] != wantA || tasks["b"] != wantB {
		t.Fatalf("dealing by capacity 1:3 of 40 leaves: %v, want a %d b %d", tasks, wantA, wantB)
	}
	close(g.release)
	completed(t, c, id)
}

func TestWorkerKilledDuringContributions(t *testing.T) {
	g := newGate("contribute")
	be := &testprover.Backend{Hook: g.hook}
	c := testcluster.Start(t, testcluster.Options{Backend: be})
	c.AddWorker("a", 2)
	c.AddWorker("b", 2)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(8), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "contributions blocked", func() bool { return g.waiting.Load() == 4 })
	c.Kill("a")
	close(g.release)
	j := completed(t, c, id)
	if j.Attempt != 1 {
		t.Fatalf("attempt %d", j.Attempt)
	}
}

func TestWorkerKilledDuringProving(t *testing.T) {
	g := newGate("prove")
	be := &testprover.Backend{Hook: g.hook}
	c := testcluster.Start(t, testcluster.Options{Backend: be})
	c.AddWorker("a", 1)
	c.AddWorker("b", 1)
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	id, err := c.Submit(context.Background(), testprover.Program(6), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "proving blocked", func() bool { return g.waiting.Load() == 2 })
	c.Kill("b")
	close(g.release)
	completed(t, c, id)
}

func TestAggregatorKilledDuringAggregation(t *testing.T) {
	// Folds run on both workers: each has its own prover so the test
	// knows the aggregator's fold is the one in flight when it is killed.
	g := newFoldGate("a", "b")
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	c.AddWorkerWith("a", 2, testcluster.WorkerOptions{Backend: g.be["a"]})
	c.AddWorkerWith("b", 2, testcluster.WorkerOptions{Backend: g.be["b"]})
	testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
	defer g.release()
	id, err := c.Submit(context.Background(), testprover.Program(8), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var agg string
	testcluster.WaitFor(t, timeout, "aggregator folding", func() bool {
		j, _ := c.Coord.Job(id)
		agg = j.Aggregator
		return agg != "" && g.started[agg].Load() > 0
	})
	c.Kill(agg)
	g.release()
	j := completed(t, c, id)
	if j.Aggregator == agg {
		t.Fatalf("aggregator not replaced: %s", agg)
	}
	if g.be[agg].Cancelled.Load() == 0 {
		t.Fatal("the killed aggregator's fold was not cancelled")
	}
}

func TestCoordinatorRestartMidJob(t *testing.T) {
	g := newGate("prove")
	var holding atomic.Bool
	be := &testprover.Backend{Hook: func(ctx context.Context, op string, leaf int) error {
		if !holding.Load() {
			return nil
		}
		return g.hook(ctx, op, leaf)
	}}
	c := testcluster.Start(t, testcluster.Options{Backend: be, DataDir: t.TempDir()})
	c.AddWorker("a", 2)
	first, err := c.Submit(context.Background(), testprover.Program(3), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := completed(t, c, first)
	ctx := context.Background()
	proof, _ := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: first})

	holding.Store(true)
	second, err := c.Submit(ctx, testprover.Program(4), []byte("x"), 0)
	if err != nil {
		t.Fatal(err)
	}
	testcluster.WaitFor(t, timeout, "proving blocked", func() bool { return g.waiting.Load() == 2 })
	c.RestartCoordinator()
	testcluster.WaitFor(t, timeout, "job re-run after restart", func() bool {
		j, err := c.Coord.Job(second)
		return err == nil && j.Attempt == 2 && j.State == pb.JobState_JOB_STATE_RUNNING
	})
	close(g.release)
	j := completed(t, c, second)
	if j.Attempt != 2 {
		t.Fatalf("attempt %d", j.Attempt)
	}
	again, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: first})
	if err != nil {
		t.Fatalf("completed proof lost on restart: %v", err)
	}
	if string(again.Proof) != string(proof.Proof) || again.Job.Leaves != want.Leaves {
		t.Fatal("completed proof changed on restart")
	}
}

func TestCancelInEveryPhase(t *testing.T) {
	for _, op := range []string{"contribute", "prove", "fold"} {
		t.Run(op, func(t *testing.T) {
			g := newGate(op)
			be := &testprover.Backend{Hook: g.hook}
			c := testcluster.Start(t, testcluster.Options{Backend: be})
			c.AddWorker("a", 2)
			c.AddWorker("b", 2)
			testcluster.WaitFor(t, timeout, "2 workers", func() bool { return c.Workers() == 2 })
			id, err := c.Submit(context.Background(), testprover.Program(4), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			testcluster.WaitFor(t, timeout, op+" tasks blocked", func() bool { return g.waiting.Load() > 0 })
			j, err := c.Client.CancelJob(context.Background(), &pb.CancelJobRequest{JobId: id})
			if err != nil {
				t.Fatal(err)
			}
			if j.State != pb.JobState_JOB_STATE_CANCELLED {
				t.Fatalf("state %s", j.State)
			}
			testcluster.WaitFor(t, timeout, "worker tasks stopped", func() bool { return g.waiting.Load() == 0 })
			if be.Cancelled.Load() == 0 {
				t.Fatal("no task saw its context cancelled")
			}
			_, err = c.Client.GetProof(context.Background(), &pb.GetProofRequest{JobId: id})
			if status.Code(err) != codes.FailedPrecondition {
				t.Fatalf("proof of cancelled job: %v", err)
			}
			// The workers are free again: a new job completes.
			close(g.release)
			id2, err := c.Submit(context.Background(), testprover.Program(2), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			completed(t, c, id2)
		})
	}
}

func TestCancelQueued(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}})
	id, err := c.Submit(context.Background(), testprover.Program(2), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Client.CancelJob(context.Background(), &pb.CancelJobRequest{JobId: id})
	if err != nil || j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("cancel queued: %v %v", j, err)
	}
	c.AddWorker("a", 1)
	testcluster.WaitFor(t, timeout, "worker", func() bool { return c.Workers() == 1 })
	if j, _ := c.Coord.Job(id); j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("cancelled job started: %s", j.State)
	}
}

func TestErrors(t *testing.T) {
	// Small size limits: 64 MiB messages take seconds under -race.
	const limit = 1 << 20
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, MaxELF: limit, MaxInput: limit})
	ctx := context.Background()
	for _, call := range []func() error{
		func() error { _, err := c.Client.WaitJob(ctx, &pb.WaitJobRequest{JobId: "nope"}); return err },
		func() error { _, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: "nope"}); return err },
		func() error { _, err := c.Client.CancelJob(ctx, &pb.CancelJobRequest{JobId: "nope"}); return err },
		func() error {
			s, err := c.Client.WatchJob(ctx, &pb.WatchJobRequest{JobId: "nope"})
			if err != nil {
				return err
			}
			_, err = s.Recv()
			return err
		},
		func() error { _, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{ProgramId: "nope"}); return err },
	} {
		if err := call(); status.Code(err) != codes.NotFound {
			t.Errorf("unknown id: got %v, want NotFound", err)
		}
	}
	// A malformed program is refused at once (validated before it is
	// stored); a program that faults is accepted and its job fails in
	// planning, off the request path.
	_, err := c.Submit(ctx, []byte("\x7fELF garbage"), nil, 0)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "bad program") {
		t.Errorf("bad ELF: %v", err)
	}
	if _, err := c.Client.RegisterProgram(ctx, &pb.RegisterProgramRequest{Elf: []byte("\x7fELF garbage")}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("RegisterProgram of a bad ELF: %v", err)
	}
	id, err := c.Submit(ctx, []byte("TESTELF FAULT"), nil, 0)
	if err != nil {
		t.Fatalf("faulting program: %v", err)
	}
	j, err := c.Client.WaitJob(ctx, &pb.WaitJobRequest{JobId: id, TimeoutMs: 5000})
	if err != nil || j.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(j.Error, "illegal instruction") {
		t.Errorf("faulting program's job: %v %v", j, err)
	}
	jobs, err := c.Client.ListJobs(ctx, &pb.ListJobsRequest{})
	if err != nil || len(jobs.Jobs) != 1 {
		t.Fatalf("list: %v %v", jobs, err)
	}
	_, err = c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: make([]byte, limit+1)})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge ELF: %v", err)
	}
	_, err = c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: testprover.Program(1), Input: make([]byte, limit+1)})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge input: %v", err)
	}
}

func TestRegisterProgramAndWatch(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, DataDir: t.TempDir()})
	ctx := context.Background()
	r1, err := c.Client.RegisterProgram(ctx, &pb.RegisterProgramRequest{Elf: testprover.Program(5)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := c.Client.RegisterProgram(ctx, &pb.RegisterProgramRequest{Elf: testprover.Program(5)})
	if err != nil || r2.ProgramId != r1.ProgramId || !r2.Existed || r1.Existed {
		t.Fatalf("not idempotent: %v %v %v", r1, r2, err)
	}
	sub, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{ProgramId: r1.ProgramId})
	if err != nil {
		t.Fatal(err)
	}
	stream, err := c.Client.WatchJob(ctx, &pb.WatchJobRequest{JobId: sub.Job.Id})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil || first.Kind != "snapshot" {
		t.Fatalf("first event: %v %v", first, err)
	}
	c.AddWorker("a", 1)
	kinds := map[string]int{}
	var last *pb.JobEvent
	for {
		ev, err := stream.Recv()
		if err != nil {
			break
		}
		kinds[ev.Kind]++
		last = ev
	}
	if last == nil || last.Kind != "completed" || kinds["leaf_proved"] != 5 || kinds["contribution"] != 5 || kinds["fold"] != 4 {
		t.Fatalf("events %v, last %v", kinds, last)
	}
}
