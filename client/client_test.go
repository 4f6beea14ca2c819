package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/client"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func TestClient(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: mock.RISCV(mock.DefaultShape, time.Millisecond), Mock: true,
		Token: "tok", DataDir: t.TempDir(), Quiet: true})
	c.AddWorker("w1", 2)
	addr := c.Listen.API.String()
	fib, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cl, err := client.Dial(addr, client.WithToken("tok"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	t.Run("no token", func(t *testing.T) {
		bad, err := client.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer bad.Close()
		if _, err := bad.Jobs(ctx); status.Code(err) != codes.Unauthenticated {
			t.Fatalf("Jobs without a token: %v", err)
		}
	})
	t.Run("register then prove by id", func(t *testing.T) {
		id, existed, err := cl.RegisterProgram(ctx, fib)
		if err != nil || existed || len(id) != 64 {
			t.Fatalf("RegisterProgram: %q %v %v", id, existed, err)
		}
		var events int
		proof, job, err := cl.Prove(ctx, client.Request{ProgramID: id, Input: []byte{12, 0, 0, 0}}, func(*pb.JobEvent) error {
			events++
			return nil
		})
		if err != nil || job.State != pb.JobState_JOB_STATE_COMPLETED || string(job.Output) != "144\n" || events < 3 {
			t.Fatalf("Prove: %v, %v output %q, %d events", err, job.GetState(), job.GetOutput(), events)
		}
		if _, err := client.Verify(t.TempDir(), "", proof, fib, []byte{12, 0, 0, 0}); !errors.Is(err, engine.ErrMockProof) {
			t.Fatalf("Verify of a mock proof: %v", err)
		}
		jobs, err := cl.Jobs(ctx)
		if err != nil || len(jobs) == 0 {
			t.Fatalf("Jobs: %v %v", jobs, err)
		}
		ws, err := cl.Workers(ctx)
		if err != nil || len(ws) != 1 {
			t.Fatalf("Workers: %v %v", ws, err)
		}
	})
	t.Run("failing guest", func(t *testing.T) {
		// Planning runs after SubmitJob returns: the job fails, naming
		// the cycle limit.
		_, _, err := cl.Prove(ctx, client.Request{ELF: fib, Input: []byte{30, 0, 0, 0}, MaxCycles: 10}, nil)
		var je *client.JobError
		if !errors.As(err, &je) || je.Job.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(je.Job.Error, "cycle limit") {
			t.Fatalf("Prove of a guest over its cycle limit: %v", err)
		}
	})
	t.Run("unknown job", func(t *testing.T) {
		if _, _, err := cl.Proof(ctx, "j-nope"); status.Code(err) != codes.NotFound {
			t.Fatalf("Proof of an unknown job: %v", err)
		}
	})
	t.Run("cancelled by the job's owner", func(t *testing.T) {
		job, err := cl.Submit(ctx, client.Request{ELF: fib, Input: []byte{200, 0, 0, 0}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Cancel(ctx, job.Id); err != nil {
			t.Fatal(err)
		}
		last, err := cl.Watch(ctx, job.Id, nil)
		if err != nil || last.State != pb.JobState_JOB_STATE_CANCELLED {
			t.Fatalf("Watch of a cancelled job: %v %v", last.GetState(), err)
		}
	})
	t.Run("interrupted prove cancels the job", func(t *testing.T) {
		pctx, cancel := context.WithCancel(ctx)
		var id string
		_, _, err := cl.Prove(pctx, client.Request{ELF: fib, Input: []byte{250, 0, 0, 0}}, func(ev *pb.JobEvent) error {
			id = ev.Job.Id
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Prove with a cancelled context: %v", err)
		}
		testcluster.WaitFor(t, 5*time.Second, "the job to be cancelled", func() bool {
			j, err := cl.Job(ctx, id)
			return err == nil && j.State == pb.JobState_JOB_STATE_CANCELLED
		})
	})
	t.Run("verify garbage", func(t *testing.T) {
		if _, err := client.Verify(t.TempDir(), "", []byte("garbage"), fib, nil); !errors.Is(err, engine.ErrBadProof) {
			t.Fatalf("Verify of garbage: %v", err)
		}
	})
}
