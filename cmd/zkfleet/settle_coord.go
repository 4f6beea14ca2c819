package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/contracts/solc"
	stages "github.com/zkfleet/zkfleet/internal/progress"
	rollupbackend "github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/settlement"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/wrap"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// settleCoordOptions configure a coordinator's settling phase: with
// --settle, every rollup batch submitted through the Core API settles on
// the chain, in batch order, before it completes.
type settleCoordOptions struct {
	flags      *settleFlags
	genesis    string
	firstBatch uint64
}

func (o *settleCoordOptions) add(cmd *cobra.Command) {
	f := cmd.Flags()
	o.flags = addSettleFlags(f, true, true)
	f.StringVar(&o.genesis, "settle-genesis", "", "state root a sim or mock chain starts at (default: the empty rollup state)")
	f.Uint64Var(&o.firstBatch, "settle-first-batch", 1, "batch id a sim or mock chain expects first")
}

// errMockSim: a chain that verifies proofs gets no mock placeholder.
var errMockSim = errors.New("--settle sim verifies every batch proof on a simulated EVM, and the mock prover makes no proofs: use --settle mock with --prover mock")

// apply adds the settling phase to cfg when --settle (or --settle-rpc) is
// given; the returned function releases the chain.
func (o *settleCoordOptions) apply(ctx context.Context, cfg *node.CoordinatorConfig, ks *coordKinds, log *slog.Logger) (func() error, error) {
	if o.flags == nil {
		return func() error { return nil }, nil // a command without the settle flags (prove --local)
	}
	sc, err := o.flags.config()
	if err != nil || sc.Mode == "" {
		return func() error { return nil }, err
	}
	sc.FirstBatchID = o.firstBatch
	if o.genesis != "" {
		if sc.Genesis, err = parseRoot(o.genesis); err != nil {
			return nil, fmt.Errorf("--settle-genesis: %w", err)
		}
	} else {
		t, err := state.New(batch.DefaultShape.Depth)
		if err != nil {
			return nil, err
		}
		root := t.Root()
		sc.Genesis = root.Bytes()
	}
	var chainProof func([]byte) ([]byte, error)
	if sc.Mode == settle.ModeSim || sc.Mode == settle.ModeRPC {
		if ks.keys == nil {
			if sc.Mode == settle.ModeSim {
				return nil, errMockSim
			}
		} else {
			wp, err := openWrap(ctx, ks.keys, ks.keySet, log)
			if err != nil {
				return nil, err
			}
			chainProof = func(file []byte) ([]byte, error) {
				p, err := wp.Prove(context.Background(), ks.keys, file)
				if err != nil {
					return nil, err
				}
				return settle.MarshalProof(p)
			}
			if sc.Mode == settle.ModeSim {
				c, err := solc.Find("")
				if err != nil {
					return nil, fmt.Errorf("--settle sim compiles the batch proofs' verifier: %w", err)
				}
				if sc.VerifierBytecode, err = settle.CompileVerifier(ctx, wp.VK(), c); err != nil {
					return nil, fmt.Errorf("--settle sim: %w", err)
				}
			}
		}
	}
	s, release, err := settle.Open(ctx, sc, log)
	if err != nil {
		return nil, err
	}
	chain, ok := s.(settlement.Chain)
	if !ok {
		release()
		return nil, fmt.Errorf("settler %s cannot report the chain's state", s.Name())
	}
	shape := batch.DefaultShape
	if ks.keys != nil {
		m, err := ks.keys.Manifest(ks.keySet)
		if err != nil {
			release()
			return nil, err
		}
		shape = rollupbackend.ChunkShape(m.Shape)
	}
	// On the simulated chain nobody else deposits: the phase queues each
	// batch's L1 deposits itself (labelled in the log).
	cfg.PostProof = append(cfg.PostProof, settlement.Phase(chain, settlement.Config{Shape: shape, ChainProof: chainProof,
		PlayL1: sc.Mode == settle.ModeSim, Log: log}))
	log.Info("rollup batches settle before they complete", "settler", s.Name(), "first_batch", sc.FirstBatchID)
	return release, nil
}

// openWrap opens the EVM wrap of the key set's batch proofs, setting its
// keys up first if the set has none or has them for an older circuit (a development setup of ~1.6M
// constraints: minutes, with progress on stderr).
func openWrap(ctx context.Context, store *keys.Store, setID string, log *slog.Logger) (*wrap.Prover, error) {
	if _, err := store.Extra(setID, wrap.ExtraName); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "settlement: generating the EVM wrap keys of key set "+setID[:12]+" (development keys; once per key set)")
	}
	ctx = stages.With(ctx, stages.For(os.Stderr, 30*time.Second))
	if _, err := wrap.Setup(ctx, store, setID, log); err != nil {
		return nil, err
	}
	return wrap.Load(store, setID)
}
