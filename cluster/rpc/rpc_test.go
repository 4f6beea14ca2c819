package rpc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func TestErrorCodes(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: mock.RISCV(mock.DefaultShape, 0), Mock: true, Quiet: true})
	fib, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
		want codes.Code
	}{
		{"proof of an unknown job", func() error {
			_, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: "j-nope"})
			return err
		}, codes.NotFound},
		{"max cycles above the emulator's limit", func() error {
			_, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: fib, MaxCycles: 1 << 41})
			return err
		}, codes.InvalidArgument},
		{"guest hits its cycle limit (the job fails, off the request path)", func() error {
			r, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: fib, Input: []byte{20, 0, 0, 0}, MaxCycles: 5})
			if err != nil {
				return err
			}
			j, err := c.Client.WaitJob(ctx, &pb.WaitJobRequest{JobId: r.Job.Id, TimeoutMs: 5000})
			if err != nil {
				return err
			}
			if j.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(j.Error, "cycle limit") {
				return status.Errorf(codes.Unknown, "job %v: %s", j.State, j.Error)
			}
			return nil
		}, codes.OK},
		{"not an ELF", func() error {
			_, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: []byte("nope")})
			return err
		}, codes.InvalidArgument},
		{"unknown kind", func() error {
			_, err := c.Client.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: fib, Kind: "rollup"})
			return err
		}, codes.InvalidArgument},
		{"cancel of an unknown job", func() error {
			_, err := c.Client.CancelJob(ctx, &pb.CancelJobRequest{JobId: "j-nope"})
			return err
		}, codes.NotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := status.Code(tc.call()); got != tc.want {
				t.Fatalf("code %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMockClusterEndToEnd runs a RISC-V guest through a cluster whose
// coordinator and workers run the mock prover, over real gRPC.
func TestMockClusterEndToEnd(t *testing.T) {
	be := mock.RISCV(mock.DefaultShape, time.Millisecond)
	c := testcluster.Start(t, testcluster.Options{Backend: be, Mock: true, Quiet: true})
	c.AddWorker("m1", 2)
	c.AddWorker("m2", 1)
	fib, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := c.Submit(ctx, fib, []byte{20, 0, 0, 0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != pb.JobState_JOB_STATE_COMPLETED || !j.Mock || j.KeySet != mock.KeySet || j.Kind != "riscv" {
		t.Fatalf("job %v mock %v key set %q kind %q (%s)", j.State, j.Mock, j.KeySet, j.Kind, j.Error)
	}
	if j.Cycles == 0 || len(j.Output) == 0 || len(j.Statement) < 5 {
		t.Fatalf("mock job lacks the guest's statement: %+v", j)
	}
	p, err := c.Client.GetProof(ctx, &pb.GetProofRequest{JobId: id})
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Proof[:len("ZKFLEET MOCK")]) != "ZKFLEET MOCK" {
		t.Fatalf("proof file does not start with the mock magic: %q", p.Proof[:20])
	}
	ws, err := c.Client.ListWorkers(ctx, &pb.ListWorkersRequest{})
	if err != nil || len(ws.Workers) != 2 || !ws.Workers[0].Mock || len(ws.Workers[0].Kinds) != 1 {
		t.Fatalf("workers: %v %v", ws, err)
	}
}

// TestMockWorkerRefusedByRealCoordinator: a mock worker never joins a
// real cluster (and the reverse): it would hand out placeholder proofs.
func TestMockWorkerRefusedByRealCoordinator(t *testing.T) {
	cases := []struct {
		name      string
		coordMock bool
	}{
		{"mock worker, real coordinator", false},
		{"real worker, mock coordinator", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Mock: tc.coordMock, Quiet: true})
			mockWorker := !tc.coordMock
			odd := c.AddWorkerWith("odd", 1, testcluster.WorkerOptions{Mock: &mockWorker})
			c.AddWorker("good", 1)
			testcluster.WaitFor(t, 5*time.Second, "the odd worker to be refused", func() bool {
				err := odd.W.Health()
				return err != nil && strings.Contains(err.Error(), "no kind in common")
			})
			testcluster.WaitFor(t, 5*time.Second, "the good worker", func() bool { return c.Workers() == 1 })
			ws := c.Coord.Workers()
			if len(ws) != 1 || ws[0].Id != "good" {
				t.Fatalf("workers %v", ws)
			}
		})
	}
}
