// Package settlement connects rollup batch jobs to a chain: it turns a
// prepared batch into the statement and withdrawals the settlement
// contract checks (settle.BatchStatement, settle.Withdrawal), and provides
// the coordinator's settling phase, which settles each batch job's final
// proof in batch order before the job completes.
package settlement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/rollup/batch"
	rollupkind "github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/tx"
	"github.com/zkfleet/zkfleet/settle"
)

// JobOption is the submit option that asks for the settling phase.
const JobOption = "settle"

// DefaultPoll is how often a batch waiting for its turn reads the chain.
const DefaultPoll = time.Second

// Statement is what the settlement contract is given for prepared batch
// p: its statement (the same bytes as batch.Statement.Encode) and its
// withdrawals in batch order (whose accumulator is the statement's
// withdrawal root).
func Statement(p *batch.Prepared) (*settle.BatchStatement, []settle.Withdrawal) {
	st := &p.Statement
	s := &settle.BatchStatement{BatchID: st.BatchID,
		PreStateRoot: st.PreStateRoot.Bytes(), PostStateRoot: st.PostStateRoot.Bytes(), BatchHash: st.BatchHash.Bytes(),
		WithdrawalRoot: st.WithdrawalRoot.Bytes(), DepositRoot: st.DepositRoot.Bytes(),
		TxCount: st.TxCount, TransferCount: st.TransferCount, WithdrawalCount: st.WithdrawalCount, DepositCount: st.DepositCount}
	var ws []settle.Withdrawal
	for _, c := range p.Chunks {
		for _, sl := range c.Slots {
			if sl.Tx.Kind == tx.KindWithdrawal {
				ws = append(ws, settle.Withdrawal{Recipient: common.Address(sl.Tx.Recipient), Amount: sl.Tx.Amount})
			}
		}
	}
	return s, ws
}

// Deposits are prepared batch p's deposits in batch order, as the
// settlement contract's deposit queue holds them.
func Deposits(p *batch.Prepared) []settle.Deposit {
	var ds []settle.Deposit
	for _, c := range p.Chunks {
		for _, sl := range c.Slots {
			if sl.Tx.Kind == tx.KindDeposit {
				ds = append(ds, settle.Deposit{PubKeyX: sl.Tx.PubKey.X.BigInt(new(big.Int)), PubKeyY: sl.Tx.PubKey.Y.BigInt(new(big.Int)), Amount: sl.Tx.Amount})
			}
		}
	}
	return ds
}

// Depositor is a chain that takes deposits (settle.RollupContract).
type Depositor interface {
	Deposit(ctx context.Context, d settle.Deposit) (*types.Receipt, error)
}

// queueDeposits queues ds on chain (Config.PlayL1).
func queueDeposits(ctx context.Context, chain Chain, ds []settle.Deposit, cfg Config) error {
	dep, ok := chain.(Depositor)
	if !ok {
		return fmt.Errorf("settlement: %s takes no deposits", chain.Name())
	}
	for i := range ds {
		if _, err := dep.Deposit(ctx, ds[i]); err != nil {
			return fmt.Errorf("settlement: queueing deposit %d of the batch on %s: %w", i, chain.Name(), err)
		}
	}
	cfg.Log.Info("queued the batch's L1 deposits on the development chain", "deposits", len(ds), "chain", chain.Name())
	return nil
}

// Chain is what the settling phase needs of a chain: a Settler that can
// also report the contract's state and the record of a batch it settled
// (settle.RollupContract, settle.MockSettler).
type Chain interface {
	settle.Settler
	State(ctx context.Context) (*settle.State, error)
	// Settled is the record of batch id's settlement, nil when not settled.
	Settled(ctx context.Context, id uint64) (*settle.Record, error)
}

// Config configures the settling phase.
type Config struct {
	// Shape is the rollup kind's shape (the batch is prepared again from
	// the job's input, natively, in milliseconds).
	Shape batch.Shape
	// ChainProof turns a job's final proof file into the proof the
	// contract's verifier takes (settle.MarshalProof form). Nil: only mock
	// jobs can be settled, and only on a mock chain.
	ChainProof func(proofFile []byte) ([]byte, error)
	// PlayL1 makes the phase queue each batch's L1 deposits on the chain
	// itself (from its own account) right before settling it, when fewer
	// are pending than the batch consumes: the part of the L1 users on a
	// simulated development chain, where nobody else deposits. Never for
	// a real chain, whose deposits come from its users.
	PlayL1 bool
	// Poll is how often a batch waiting for its predecessors reads the
	// chain (0: DefaultPoll).
	Poll time.Duration
	Log  *slog.Logger
}

// ErrMockProof refuses to send a mock prover's placeholder to a real chain.
var ErrMockProof = errors.New("settlement: a mock prover's placeholder is not a proof and is never sent to a chain (settle with --settle mock)")

// Phase is the coordinator's settling phase (job option JobOption) on
// chain: it prepares the job's batch again, waits until the chain's next
// batch id is this batch's (earlier batches settle first, whatever order
// their proofs finished in), then settles it and keeps the chain's record
// (JSON) as the phase's result. A refusal by the chain fails the job with
// the chain's reason; the job never completes unsettled.
func Phase(chain Chain, cfg Config) coordinator.PostProof {
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	_, mockChain := chain.(*settle.MockSettler)
	return coordinator.PostProof{Name: JobOption, Phase: pb.JobPhase_JOB_PHASE_SETTLING,
		Run: func(ctx context.Context, j coordinator.PostProofJob) ([]byte, error) {
			if k := j.Spec.KindOrDefault(); k != rollupkind.Kind {
				return nil, fmt.Errorf("settlement: jobs of kind %q are not rollup batches", k)
			}
			var proof []byte
			switch {
			case j.Mock && !mockChain:
				return nil, ErrMockProof
			case j.Mock:
				proof = j.Proof // the mock chain checks no proof
			case cfg.ChainProof == nil:
				return nil, errors.New("settlement: this coordinator cannot encode its rollup proofs for a chain")
			default:
				var err error
				if proof, err = cfg.ChainProof(j.Proof); err != nil {
					return nil, fmt.Errorf("settlement: %w", err)
				}
			}
			p, err := rollupkind.Prepare(ctx, j.Spec, cfg.Shape)
			if err != nil {
				return nil, fmt.Errorf("settlement: %w", err)
			}
			s, ws := Statement(p)
			rec, err := settleInTurn(ctx, chain, s, ws, Deposits(p), proof, cfg)
			if err != nil {
				return nil, err
			}
			return json.Marshal(rec)
		}}
}

// settleInTurn waits for s's turn on chain, then settles it.
func settleInTurn(ctx context.Context, chain Chain, s *settle.BatchStatement, ws []settle.Withdrawal, ds []settle.Deposit, proof []byte, cfg Config) (*settle.Record, error) {
	logged := false
	for {
		st, err := chain.State(ctx)
		if err != nil {
			return nil, fmt.Errorf("settlement: reading the chain: %w", err)
		}
		switch {
		case st.NextBatchID == s.BatchID:
			if cfg.PlayL1 && st.PendingDeposits < uint64(len(ds)) {
				if err := queueDeposits(ctx, chain, ds, cfg); err != nil {
					return nil, err
				}
			}
			return chain.Settle(ctx, s, ws, proof)
		case st.NextBatchID > s.BatchID:
			rec, err := chain.Settled(ctx, s.BatchID)
			if err != nil {
				return nil, fmt.Errorf("settlement: batch %d is behind the chain (next %d) and its settlement cannot be read: %w", s.BatchID, st.NextBatchID, err)
			}
			if rec != nil && rec.Digest == common.BigToHash(s.DigestBig()) {
				return rec, nil // this very statement, settled before a restart
			}
			why := "with another statement"
			if rec == nil {
				why = "but the chain has no record of it"
			}
			return nil, &settle.RevertError{Op: chain.Name() + " settle",
				Reason: fmt.Sprintf("batch %d is already settled %s (the chain's next batch is %d)", s.BatchID, why, st.NextBatchID)}
		}
		if !logged {
			cfg.Log.Info("batch waits for earlier batches to settle", "batch", s.BatchID, "chain_next", st.NextBatchID)
			logged = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(cfg.Poll):
		}
	}
}
