package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/zkfleet/zkfleet/client"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
)

// startMockCluster starts an in-process cluster with the mock prover and
// returns its client API address (a real deployment runs zkfleet
// coordinator and zkfleet worker instead).
func startMockCluster() (addr string, stop func()) {
	be := mock.RISCV(mock.DefaultShape, 0)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", Logger: quiet,
			Kinds: map[string]node.Kind{engine.KindRISCV: {Backend: be, KeySet: coordinator.KeySet{ID: mock.KeySet, Mock: true}}}},
		Workers: 2, WorkerCapacity: 1,
		WorkerKinds: map[string]worker.Prover{engine.KindRISCV: {Mock: true,
			Open: func(string) (engine.Backend, error) { return be, nil }}},
	})
	if err != nil {
		panic(err)
	}
	return d.Listen.API.String(), func() { d.Close(context.Background()) }
}

// Prove the embedded fib guest on a cluster, follow it, fetch the proof
// and verify it. The cluster here runs the mock prover, so the "proof" is
// a labelled placeholder and Verify rejects it; with a real cluster
// Verify returns the proven statement.
func Example() {
	addr, stop := startMockCluster()
	defer stop()

	c, err := client.Dial(addr) // client.WithToken(…), client.WithTLS(caFile) for a secured coordinator
	if err != nil {
		panic(err)
	}
	defer c.Close()
	elf, _ := guest.Example("fib")
	input := []byte{10, 0, 0, 0} // fib(10)

	ctx := context.Background()
	proof, job, err := c.Prove(ctx, client.Request{ELF: elf, Input: input}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("job %s: %d cycles, exit code %d, output %q, mock %v\n", job.State, job.Cycles, job.ExitCode, job.Output, job.Mock)

	_, err = client.Verify("/nonexistent-keys", "", proof, elf, input)
	fmt.Println("verify:", err, errors.Is(err, engine.ErrMockProof))
	// Output:
	// job JOB_STATE_COMPLETED: 172 cycles, exit code 0, output "55\n", mock true
	// verify: mock proof: not a proof true
}
