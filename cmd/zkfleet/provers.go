package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	rollupbackend "github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/rollup/batch"
	rollupkind "github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// Provers selectable with --prover (env ZKFLEET_PROVER).
const (
	proverGroth16 = "groth16"
	proverMock    = "mock"
)

// mockWarning is printed on stderr by every process that runs the mock prover.
const mockWarning = `WARNING: MOCK PROVER. Jobs run through the whole pipeline, but every
"proof" is a labelled placeholder that proves nothing; zkfleet verify
rejects it. For development and tests only.`

// proverOptions are the --prover flags of coordinator, worker, dev and prove.
type proverOptions struct {
	prover    string
	mockDelay time.Duration
	// mockCorrupt makes a mock worker send damaged results (reliability
	// tests: the coordinator must refuse them and quarantine the worker).
	mockCorrupt bool
}

func (p *proverOptions) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.prover, "prover", proverGroth16, `prover: "groth16" (real proofs) or "mock" (labelled placeholders, no keys; development only)`)
	cmd.Flags().DurationVar(&p.mockDelay, "mock-delay", mock.DefaultDelay, "time each mock placeholder proof takes (with --prover mock)")
	if cmd.Name() == "worker" {
		cmd.Flags().BoolVar(&p.mockCorrupt, "mock-corrupt", false, "send damaged results (with --prover mock; for reliability tests)")
		cmd.Flags().MarkHidden("mock-corrupt")
	}
}

func (p *proverOptions) check(stderr io.Writer) error {
	switch p.prover {
	case proverGroth16:
		return nil
	case proverMock:
		fmt.Fprintln(stderr, mockWarning)
		return nil
	}
	return fmt.Errorf("--prover %q: want %q or %q", p.prover, proverGroth16, proverMock)
}

// coordKinds are the kinds a coordinator serves and the provers its
// in-process workers share with it (dev, prove --local).
type coordKinds struct {
	kinds       map[string]node.Kind
	workerKinds map[string]worker.Prover
	keys        *keys.Store // nil for the mock prover
	keySet      string
	release     func() error // releases the settlement chain (nil: none)
}

// openKinds opens the coordinator's backends: the mock prover (RISC-V
// and rollup batches), or the
// Groth16 prover on the key store (running a development setup when the
// store has no keys and o.autoSetup allows).
func openKinds(ctx context.Context, o coordOptions, log *slog.Logger) (*coordKinds, error) {
	if o.prover.prover == proverMock {
		be := mock.RISCV(mock.DefaultShape, o.prover.mockDelay)
		rb := rollupkind.Mock(batch.DefaultShape, o.prover.mockDelay)
		mockSet := coordinator.KeySet{ID: mock.KeySet, Mock: true}
		return &coordKinds{keySet: mock.KeySet,
			kinds: map[string]node.Kind{engine.KindRISCV: {Backend: be, KeySet: mockSet}, rollupkind.Kind: {Backend: rb, KeySet: mockSet}},
			workerKinds: map[string]worker.Prover{
				engine.KindRISCV: {Mock: true, Open: func(string) (engine.Backend, error) { return be, nil }},
				rollupkind.Kind:  {Mock: true, Open: func(string) (engine.Backend, error) { return rb, nil }},
			},
		}, nil
	}
	ks, err := keys.Open(o.keyDir)
	if err != nil {
		return nil, err
	}
	setID := o.keySet
	if setID != "" && !keys.ValidID(setID) {
		if setID, err = ks.Named(setID); err != nil {
			return nil, fmt.Errorf("key set %q: %w", o.keySet, err)
		}
	}
	be, setID, err := openBackend(ctx, o.keyDir, setID, o.autoSetup, log)
	if err != nil {
		return nil, err
	}
	blobs, err := ks.SetBlobs(setID)
	if err != nil {
		return nil, fmt.Errorf("key set %s: %w", setID, err)
	}
	rb := rollupbackend.Open(be.KeySet)
	cks := coordinator.KeySet{ID: setID, Blobs: blobs}
	// In-process workers share the coordinator's keys (openBackend keeps
	// one backend per set).
	open := func(set string) (*prover.Groth16, error) {
		b, _, err := openBackend(context.Background(), o.keyDir, set, false, log)
		return b, err
	}
	return &coordKinds{keys: ks, keySet: setID,
		kinds:       map[string]node.Kind{engine.KindRISCV: {Backend: be, KeySet: cks}, rollupkind.Kind: {Backend: rb, KeySet: cks}},
		workerKinds: groth16Provers(open, rb, setID),
	}, nil
}

// groth16Provers are the Groth16 provers of both kinds, on key sets opened
// by open (each set once per process: both kinds share it). rb is the
// rollup backend of the coordinator's own set (nil in a worker process).
func groth16Provers(open func(set string) (*prover.Groth16, error), rb *rollupbackend.Groth16, setID string) map[string]worker.Prover {
	return map[string]worker.Prover{
		engine.KindRISCV: {Open: func(set string) (engine.Backend, error) { return open(set) }},
		rollupkind.Kind: {Open: func(set string) (engine.Backend, error) {
			if rb != nil && set == setID {
				return rb, nil
			}
			b, err := open(set)
			if err != nil {
				return nil, err
			}
			return rollupbackend.Open(b.KeySet), nil
		}},
	}
}

// workerProvers are a worker process's provers: the mock prover, or the
// Groth16 prover on keys fetched from the coordinator into cacheDir.
func workerProvers(p proverOptions, cacheDir string, log *slog.Logger) (map[string]worker.Prover, worker.KeyCache, error) {
	if p.prover == proverMock {
		var be engine.Backend = mock.RISCV(mock.DefaultShape, p.mockDelay)
		var rb engine.Backend = rollupkind.Mock(batch.DefaultShape, p.mockDelay)
		if p.mockCorrupt {
			log.Warn("--mock-corrupt: this worker sends damaged results")
			be, rb = mock.Corrupt{Backend: be}, mock.Corrupt{Backend: rb}
		}
		return map[string]worker.Prover{
			engine.KindRISCV: {Mock: true, Open: func(string) (engine.Backend, error) { return be, nil }},
			rollupkind.Kind:  {Mock: true, Open: func(string) (engine.Backend, error) { return rb, nil }},
		}, nil, nil
	}
	cache, err := keys.Open(cacheDir)
	if err != nil {
		return nil, nil, err
	}
	// Keys come from the coordinator, never from a local setup.
	return groth16Provers(func(set string) (*prover.Groth16, error) {
		be, _, err := openBackend(context.Background(), cacheDir, set, false, log)
		return be, err
	}, nil, ""), cache, nil
}
