package settle

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// RollupContract is a deployed RollupSettlement reached through a Client.
// It is the Settler of the "rpc" and "sim" modes.
type RollupContract struct {
	c     *Client
	addr  common.Address
	abi   *bindings.RollupSettlement
	bound *bind.BoundContract
}

var _ Settler = (*RollupContract)(nil)

// Rollup binds the RollupSettlement at addr. It checks that code is
// deployed there.
func (c *Client) Rollup(ctx context.Context, addr common.Address) (*RollupContract, error) {
	if err := c.hasCode(ctx, addr); err != nil {
		return nil, err
	}
	r := bindings.NewRollupSettlement()
	return &RollupContract{c: c, addr: addr, abi: r, bound: r.Instance(c.backend, addr)}, nil
}

// Address is the contract's address.
func (r *RollupContract) Address() common.Address { return r.addr }

// Name implements Settler.
func (r *RollupContract) Name() string { return r.c.name }

// Settle implements Settler: it sends settle(statement, withdrawals, proof)
// and returns the accepted settlement, or the contract's reason for
// refusing it.
func (r *RollupContract) Settle(ctx context.Context, s *BatchStatement, withdrawals []Withdrawal, proof []byte) (*Record, error) {
	data, err := r.abi.TryPackSettle(s.Binding(), withdrawalBindings(withdrawals), proof)
	if err != nil {
		return nil, fmt.Errorf("settle: pack settle: %w", err)
	}
	rcpt, err := r.c.transact(ctx, "settle", r.bound, data, nil)
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", s.BatchID, err)
	}
	ev, err := r.settledEvent(rcpt)
	if err != nil {
		return nil, err
	}
	if ev.BatchId != s.BatchID || ev.PostStateRoot != s.PostStateRoot {
		return nil, fmt.Errorf("settle: BatchSettled event (batch %d) does not match batch %d", ev.BatchId, s.BatchID)
	}
	rec := &Record{
		Settler: r.c.name, Contract: r.addr.Hex(), TxHash: rcpt.TxHash, BlockNumber: rcpt.BlockNumber.Uint64(),
		GasUsed: rcpt.GasUsed, BatchID: ev.BatchId, Digest: common.BigToHash(ev.Digest), PostStateRoot: ev.PostStateRoot,
	}
	r.c.log.Info("settle: batch settled", "settler", r.c.name, "batch", s.BatchID, "tx", rcpt.TxHash.Hex(), "gas", rcpt.GasUsed)
	return rec, nil
}

func (r *RollupContract) settledEvent(rcpt *types.Receipt) (*bindings.RollupSettlementBatchSettled, error) {
	for _, l := range rcpt.Logs {
		if l.Address != r.addr {
			continue
		}
		if ev, err := r.abi.UnpackBatchSettledEvent(l); err == nil {
			return ev, nil
		}
	}
	return nil, fmt.Errorf("settle: receipt %s has no BatchSettled event", rcpt.TxHash.Hex())
}

// Settled returns the record of batch id's settlement, read back from the
// contract's BatchSettled event and its transaction's receipt, or nil when
// the contract has not settled batch id. A caller that lost track of a
// settlement (a restart during settling) uses it to tell its own batch,
// already settled, from a refusal.
func (r *RollupContract) Settled(ctx context.Context, id uint64) (*Record, error) {
	parsed, err := bindings.RollupSettlementMetaData.ParseABI()
	if err != nil {
		return nil, fmt.Errorf("settle: %w", err)
	}
	var topic common.Hash
	binary.BigEndian.PutUint64(topic[24:], id)
	logs, err := r.c.backend.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{r.addr},
		Topics: [][]common.Hash{{parsed.Events["BatchSettled"].ID}, {topic}}})
	if err != nil {
		return nil, fmt.Errorf("settle: BatchSettled logs of batch %d: %w", id, err)
	}
	for i := range logs {
		ev, err := r.abi.UnpackBatchSettledEvent(&logs[i])
		if err != nil || ev.BatchId != id || logs[i].Removed {
			continue
		}
		rcpt, err := r.c.backend.TransactionReceipt(ctx, logs[i].TxHash)
		if err != nil {
			return nil, fmt.Errorf("settle: receipt of batch %d's settlement %s: %w", id, logs[i].TxHash.Hex(), err)
		}
		return &Record{Settler: r.c.name, Contract: r.addr.Hex(), TxHash: logs[i].TxHash, BlockNumber: logs[i].BlockNumber,
			GasUsed: rcpt.GasUsed, BatchID: id, Digest: common.BigToHash(ev.Digest), PostStateRoot: ev.PostStateRoot}, nil
	}
	return nil, nil
}

// State is the contract's view of the rollup.
type State struct {
	StateRoot        [32]byte
	NextBatchID      uint64
	PendingDeposits  uint64
	DepositsConsumed uint64
}

// State reads the current root, next batch id and deposit queue.
func (r *RollupContract) State(ctx context.Context) (*State, error) {
	opts := &bind.CallOpts{Context: ctx}
	root, err := bind.Call(r.bound, opts, r.abi.PackStateRoot(), r.abi.UnpackStateRoot)
	if err != nil {
		return nil, fmt.Errorf("settle: stateRoot: %w", err)
	}
	next, err := bind.Call(r.bound, opts, r.abi.PackNextBatchId(), r.abi.UnpackNextBatchId)
	if err != nil {
		return nil, fmt.Errorf("settle: nextBatchId: %w", err)
	}
	pending, err := bind.Call(r.bound, opts, r.abi.PackPendingDeposits(), r.abi.UnpackPendingDeposits)
	if err != nil {
		return nil, fmt.Errorf("settle: pendingDeposits: %w", err)
	}
	consumed, err := bind.Call(r.bound, opts, r.abi.PackDepositsConsumed(), r.abi.UnpackDepositsConsumed)
	if err != nil {
		return nil, fmt.Errorf("settle: depositsConsumed: %w", err)
	}
	return &State{StateRoot: root, NextBatchID: next, PendingDeposits: pending.Uint64(), DepositsConsumed: consumed.Uint64()}, nil
}

// StatementDigest asks the contract for the digest of s (for checking the
// Go twin against the contract).
func (r *RollupContract) StatementDigest(ctx context.Context, s *BatchStatement) (*big.Int, error) {
	return bind.Call(r.bound, &bind.CallOpts{Context: ctx}, r.abi.PackStatementDigest(s.Binding()), r.abi.UnpackStatementDigest)
}

// Deposit queues d, paying d.Amount gwei from the client's account.
func (r *RollupContract) Deposit(ctx context.Context, d Deposit) (*types.Receipt, error) {
	if d.PubKeyX == nil || d.PubKeyY == nil {
		return nil, fmt.Errorf("settle: deposit without a public key")
	}
	data, err := r.abi.TryPackDeposit(d.PubKeyX, d.PubKeyY, d.Amount)
	if err != nil {
		return nil, err
	}
	value := new(big.Int).Mul(new(big.Int).SetUint64(d.Amount), big.NewInt(params.GWei))
	return r.c.transact(ctx, "deposit", r.bound, data, value)
}

// Withdrawable is the wei settled withdrawals credited to recipient and
// not yet paid.
func (r *RollupContract) Withdrawable(ctx context.Context, recipient common.Address) (*big.Int, error) {
	return bind.Call(r.bound, &bind.CallOpts{Context: ctx}, r.abi.PackWithdrawable(recipient), r.abi.UnpackWithdrawable)
}

// Withdraw pays recipient what settled withdrawals credited to it.
func (r *RollupContract) Withdraw(ctx context.Context, recipient common.Address) (*types.Receipt, error) {
	data, err := r.abi.TryPackWithdraw(recipient)
	if err != nil {
		return nil, err
	}
	return r.c.transact(ctx, "withdraw", r.bound, data, nil)
}

// DepositEntry asks the contract for a deposit's entry (for checking the
// Go twin).
func (r *RollupContract) DepositEntry(ctx context.Context, d Deposit) (*big.Int, error) {
	return bind.Call(r.bound, &bind.CallOpts{Context: ctx}, r.abi.PackDepositEntry(d.PubKeyX, d.PubKeyY, d.Amount), r.abi.UnpackDepositEntry)
}

// WithdrawalAccumulator asks the contract for the accumulator of ws.
func (r *RollupContract) WithdrawalAccumulator(ctx context.Context, ws []Withdrawal) ([32]byte, error) {
	return bind.Call(r.bound, &bind.CallOpts{Context: ctx}, r.abi.PackWithdrawalAccumulator(withdrawalBindings(ws)), r.abi.UnpackWithdrawalAccumulator)
}
