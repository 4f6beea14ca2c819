package settle

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
)

// Settler settles rollup batches. Settle returns the record of the
// settlement once the chain has included it, or an error: a *RevertError
// carrying the chain's reason when the contract refused the batch (wrong
// batch id, wrong pre-state root, deposits, invalid proof, …). A caller
// must treat any error as a failed settlement, never as a completed batch.
// Settle waits for the transaction to be mined until ctx is done: callers
// give it a deadline. It does not wait for confirmations beyond inclusion.
type Settler interface {
	// Settle settles the batch with statement s, whose withdrawals (in
	// batch order, as the statement's WithdrawalRoot accumulates them) are
	// credited to their recipients, with the batch's final proof encoded by
	// MarshalProof.
	Settle(ctx context.Context, s *BatchStatement, withdrawals []Withdrawal, proof []byte) (*Record, error)
	// Name says which settler this is ("rpc", "sim" or "MOCK").
	Name() string
}

// Record is a settlement that the chain accepted.
type Record struct {
	// Mock is true for MockSettler's records: nothing was settled.
	Mock        bool        `json:"mock,omitempty"`
	Settler     string      `json:"settler"`
	Contract    string      `json:"contract,omitempty"`
	TxHash      common.Hash `json:"tx_hash"`
	BlockNumber uint64      `json:"block_number"`
	GasUsed     uint64      `json:"gas_used"`
	BatchID     uint64      `json:"batch_id"`
	// Digest is the statement digest the contract recomputed and verified
	// the proof against (from its BatchSettled event), 32 bytes big-endian.
	Digest        common.Hash `json:"digest"`
	PostStateRoot common.Hash `json:"post_state_root"`
}
