package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/settlement"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/settle"
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

// errNoRollupVerifier: the rollup kind has no real final key yet, so a
// chain that verifies proofs cannot be given a verifier for it.
var errNoRollupVerifier = errors.New("--settle sim needs batch proofs an EVM can verify (public input: the statement's SHA-256), and this build's batch proofs are not wrapped for the EVM yet: use --settle mock, or --settle rpc with a deployed contract")

// apply adds the settling phase to cfg when --settle (or --settle-rpc) is
// given; the returned function releases the chain.
func (o *settleCoordOptions) apply(ctx context.Context, cfg *node.CoordinatorConfig, log *slog.Logger) (func() error, error) {
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
	if sc.Mode == settle.ModeSim {
		return nil, errNoRollupVerifier
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
	cfg.PostProof = append(cfg.PostProof, settlement.Phase(chain, settlement.Config{Shape: batch.DefaultShape, Log: log}))
	log.Info("rollup batches settle before they complete", "settler", s.Name(), "first_batch", sc.FirstBatchID)
	return release, nil
}
