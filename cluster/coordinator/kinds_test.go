package coordinator

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// demoKind is a second kind in these tests: no contribution phase.
const demoKind = "demo"

func newKindsCoordinator(t *testing.T, demoMock bool) (*Coordinator, *testprover.Backend, *testprover.Backend) {
	t.Helper()
	riscv := &testprover.Backend{KeySet: "set-r"}
	demo := &testprover.Backend{KeySet: "set-d", NoContribution: true, Mock: demoMock}
	c, err := New(Config{
		Backends: engine.Backends{engine.KindRISCV: riscv, demoKind: demo},
		KeySets:  map[string]KeySet{engine.KindRISCV: {ID: "set-r", Blobs: []string{"b1"}}, demoKind: {ID: "set-d", Mock: demoMock}},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c, riscv, demo
}

func attachKinds(t *testing.T, c *Coordinator, id string, capacity uint32, be *testprover.Backend, kinds ...WorkerKind) *fakeWorker {
	t.Helper()
	s, err := c.Attach(id, capacity, kinds)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeWorker{t: t, s: s, be: be, specs: map[string]engine.Spec{}}
}

// runUntilDone answers the workers' tasks until every job in ids is
// terminal (finalize runs on its own goroutine, and a finished job lets
// the next one start).
func runUntilDone(t *testing.T, c *Coordinator, ids []string, ws ...*fakeWorker) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, id := range ids {
		for {
			runAll(t, ws...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
			j, err := c.Wait(ctx, id)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if j.State == pb.JobState_JOB_STATE_COMPLETED || j.State == pb.JobState_JOB_STATE_FAILED || j.State == pb.JobState_JOB_STATE_CANCELLED {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("job %s still %v %v", id, j.State, j.Phase)
			}
		}
	}
}

// TestDealingFiltersByKind: each job goes only to workers of its kind; a
// kind without a contribution phase goes straight to PROVE; a job whose
// kind no worker proves waits without blocking the queue.
func TestDealingFiltersByKind(t *testing.T) {
	c, riscvBE, demoBE := newKindsCoordinator(t, false)
	ctx := context.Background()
	// A demo job first, while only a RISC-V worker exists: it must wait
	// without blocking the RISC-V job behind it.
	r := attachKinds(t, c, "r1", 2, riscvBE, WorkerKind{Kind: engine.KindRISCV})
	if ks := r.s.KeySets(); len(ks) != 1 || ks[engine.KindRISCV].ID != "set-r" {
		t.Fatalf("RISC-V worker's key sets: %+v", ks)
	}
	dj, err := c.Submit(ctx, SubmitRequest{Kind: demoKind, ELF: testprover.Program(3)})
	if err != nil {
		t.Fatal(err)
	}
	rj, err := c.Submit(ctx, SubmitRequest{ELF: testprover.Program(4)})
	if err != nil {
		t.Fatal(err)
	}
	runUntilDone(t, c, []string{rj.Id}, r)
	if j, _ := c.Job(rj.Id); j.State != pb.JobState_JOB_STATE_COMPLETED || j.Kind != engine.KindRISCV || j.KeySet != "set-r" {
		t.Fatalf("RISC-V job behind a waiting demo job: %v %v kind %q key set %q (%s) %d/%d proved, folds %d", j.State, j.Phase, j.Kind, j.KeySet, j.Error, j.LeavesProved, j.Leaves, j.FoldsDone)
	}
	if j, _ := c.Job(dj.Id); j.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("demo job with no demo worker: %v", j.State)
	}
	if demoBE.LeafProofs.Load() != 0 || riscvBE.Contributions.Load() != 4 {
		t.Fatalf("wrong backend did the work: demo %d leaves, riscv %d contributions", demoBE.LeafProofs.Load(), riscvBE.Contributions.Load())
	}

	d := attachKinds(t, c, "d1", 1, demoBE, WorkerKind{Kind: demoKind})
	w, err := c.Watch(dj.Id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	runUntilDone(t, c, []string{dj.Id}, r, d)
	j, _ := c.Job(dj.Id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.Kind != demoKind || j.Contributions != 0 || j.LeavesProved != 3 {
		t.Fatalf("demo job: %v kind %q, %d contributions, %d proved (%s)", j.State, j.Kind, j.Contributions, j.LeavesProved, j.Error)
	}
	if len(j.Statement) == 0 || j.Statement[0].Name != "leaves" {
		t.Fatalf("demo job's statement summary: %v", j.Statement)
	}
	var phases []string
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		evs, ok := w.Next(ctx)
		cancel()
		for _, ev := range evs {
			phases = append(phases, ev.Kind)
		}
		if !ok {
			break
		}
	}
	for _, k := range phases {
		if k == "contribute" || k == "contribution" || k == "challenge" {
			t.Fatalf("a kind without contributions went through %q: %v", k, phases)
		}
	}
	if demoBE.Contributions.Load() != 0 || demoBE.Finalized.Load() != 1 {
		t.Fatalf("demo backend: %d contributions, %d finalized", demoBE.Contributions.Load(), demoBE.Finalized.Load())
	}
}

func TestAttachKinds(t *testing.T) {
	c, _, _ := newKindsCoordinator(t, true) // demo served by the mock prover
	cases := []struct {
		name  string
		kinds []WorkerKind
		keep  []string
	}{
		{"real riscv", []WorkerKind{{Kind: engine.KindRISCV}}, []string{engine.KindRISCV}},
		{"mock demo", []WorkerKind{{Kind: demoKind, Mock: true}}, []string{demoKind}},
		{"both, one refused", []WorkerKind{{Kind: engine.KindRISCV}, {Kind: demoKind}}, []string{engine.KindRISCV}},
		{"real demo on a mock demo", []WorkerKind{{Kind: demoKind}}, nil},
		{"mock riscv on a real riscv", []WorkerKind{{Kind: engine.KindRISCV, Mock: true}}, nil},
		{"unknown kind", []WorkerKind{{Kind: "rollup"}}, nil},
		{"no kinds", nil, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := c.Attach(string(rune('a'+i)), 1, tc.kinds)
			if tc.keep == nil {
				if !errors.Is(err, ErrNoKind) {
					t.Fatalf("Attach: %v, want ErrNoKind", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if len(s.KeySets()) != len(tc.keep) {
				t.Fatalf("kept %v, want %v", s.KeySets(), tc.keep)
			}
			for _, k := range tc.keep {
				if _, ok := s.KeySets()[k]; !ok {
					t.Fatalf("kind %s not kept: %v", k, s.KeySets())
				}
			}
		})
	}
}

func TestSubmitUnknownKind(t *testing.T) {
	c, _, _ := newKindsCoordinator(t, false)
	for _, kind := range []string{"rollup", "NOT A KIND"} {
		t.Run(kind, func(t *testing.T) {
			_, err := c.Submit(context.Background(), SubmitRequest{Kind: kind, ELF: testprover.Program(2)})
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, engine.ErrUnknownKind) {
				t.Fatalf("Submit of kind %q: %v", kind, err)
			}
		})
	}
}

// TestMockPlanIsLabelled: a mock plan marks the job view and every event.
func TestMockPlanIsLabelled(t *testing.T) {
	c, _, demoBE := newKindsCoordinator(t, true)
	d := attachKinds(t, c, "d1", 1, demoBE, WorkerKind{Kind: demoKind, Mock: true})
	j := submitPlanned(t, c, SubmitRequest{Kind: demoKind, ELF: testprover.Program(2)})
	if !j.Mock {
		t.Fatal("job view of a mock job lacks mock: true")
	}
	w, err := c.Watch(j.Id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	runUntilDone(t, c, []string{j.Id}, d)
	n := 0
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		evs, ok := w.Next(ctx)
		cancel()
		for _, ev := range evs {
			n++
			if !ev.Mock || !ev.Job.Mock {
				t.Fatalf("event %q of a mock job not labelled", ev.Kind)
			}
		}
		if !ok {
			break
		}
	}
	if n < 3 || !c.Mock() || c.HealthNote() == "" {
		t.Fatalf("%d events; coordinator mock %v, health note %q", n, c.Mock(), c.HealthNote())
	}
}

// TestMockPlanOnRealKeySetRefused: a backend whose plans say mock, under
// a key set not announced as mock, fails the job instead of handing out
// placeholders as proofs.
func TestMockPlanOnRealKeySetRefused(t *testing.T) {
	c, err := New(Config{Backend: &testprover.Backend{Mock: true}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	j := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2)})
	if j.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(j.Error, "mock") {
		t.Fatalf("job %v (%s), want failed: a mock plan on a real key set", j.State, j.Error)
	}
}

// TestQueueIsFIFOPerKind: a RISC-V job waiting for busy RISC-V workers
// does not hold up a demo job whose worker is idle, but a job of another
// kind never takes a worker the waiting job could use.
func TestQueueIsFIFOPerKind(t *testing.T) {
	c, riscvBE, demoBE := newKindsCoordinator(t, false)
	r := attachKinds(t, c, "r1", 1, riscvBE, WorkerKind{Kind: engine.KindRISCV})
	both := attachKinds(t, c, "both", 1, riscvBE, WorkerKind{Kind: engine.KindRISCV}, WorkerKind{Kind: demoKind})
	both.byKind = map[string]*testprover.Backend{demoKind: demoBE}
	// Two RISC-V jobs needing 2 slots each: the first takes r1 and both,
	// the second waits.
	r1 := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(4), RequestedCapacity: 2})
	r2 := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(4), RequestedCapacity: 2})
	d := attachKinds(t, c, "d1", 1, demoBE, WorkerKind{Kind: demoKind})
	dj := submitPlanned(t, c, SubmitRequest{Kind: demoKind, ELF: testprover.Program(2)})
	snap := func(id string) *pb.Job { j, _ := c.Job(id); return j }
	if s := snap(r2.Id); s.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("second RISC-V job: %v", s.State)
	}
	if s := snap(dj.Id); s.State != pb.JobState_JOB_STATE_RUNNING || len(s.Workers) != 1 || s.Workers[0] != "d1" {
		t.Fatalf("demo job behind a waiting RISC-V job: %v on %v", s.State, s.Workers)
	}
	runUntilDone(t, c, []string{r1.Id, r2.Id, dj.Id}, r, both, d)
	for _, id := range []string{r1.Id, r2.Id, dj.Id} {
		if s := snap(id); s.State != pb.JobState_JOB_STATE_COMPLETED {
			t.Fatalf("job %s: %v (%s)", id, s.State, s.Error)
		}
	}
}

// TestWaitingJobKeepsItsWorkers: a job of another kind does not take an
// idle worker that the waiting head job can use (it would starve it).
func TestWaitingJobKeepsItsWorkers(t *testing.T) {
	c, riscvBE, demoBE := newKindsCoordinator(t, false)
	r := attachKinds(t, c, "r1", 1, riscvBE, WorkerKind{Kind: engine.KindRISCV})
	x := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(2), RequestedCapacity: 1}) // takes r1
	both := attachKinds(t, c, "both", 1, riscvBE, WorkerKind{Kind: engine.KindRISCV}, WorkerKind{Kind: demoKind})
	both.byKind = map[string]*testprover.Backend{demoKind: demoBE}
	a := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(4), RequestedCapacity: 2}) // needs r1 and both
	d := submitPlanned(t, c, SubmitRequest{Kind: demoKind, ELF: testprover.Program(2)})
	snap := func(id string) *pb.Job { j, _ := c.Job(id); return j }
	if s := snap(d.Id); s.State != pb.JobState_JOB_STATE_QUEUED {
		t.Fatalf("demo job took the worker the waiting RISC-V job needs: %v on %v", s.State, s.Workers)
	}
	runUntilDone(t, c, []string{x.Id, a.Id, d.Id}, r, both)
	for _, id := range []string{x.Id, a.Id, d.Id} {
		if s := snap(id); s.State != pb.JobState_JOB_STATE_COMPLETED {
			t.Fatalf("job %s: %v (%s)", id, s.State, s.Error)
		}
	}
}
