package settle

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/contracts/bindings"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Withdrawal is one withdrawal of a batch: Amount gwei credited to
// Recipient on L1 when the batch is settled.
type Withdrawal struct {
	Recipient common.Address
	Amount    uint64
}

// Entry is the withdrawal's entry in the withdrawal root, the rollup's
// WithdrawalEntry: recipient | amount<<160 | TagWithdrawal<<240.
func (w *Withdrawal) Entry() fr.Element {
	v := new(big.Int).Lsh(big.NewInt(TagWithdrawal), TagShift)
	v.Or(v, new(big.Int).Lsh(new(big.Int).SetUint64(w.Amount), 160))
	v.Or(v, new(big.Int).SetBytes(w.Recipient[:]))
	var e fr.Element
	e.SetBigInt(v)
	return e
}

// WithdrawalAccumulator chains the entries of a batch's withdrawals in
// order (acc₀ = 0, accᵢ = C(accᵢ₋₁, entryᵢ)): the WithdrawalRoot of the
// batch's statement, which RollupSettlement.settle recomputes from the
// withdrawals it is given.
func WithdrawalAccumulator(ws []Withdrawal) common.Hash {
	var acc fr.Element
	for i := range ws {
		acc = claim.Compress(acc, ws[i].Entry())
	}
	return acc.Bytes()
}

func withdrawalBindings(ws []Withdrawal) []bindings.RollupSettlementWithdrawal {
	out := make([]bindings.RollupSettlementWithdrawal, len(ws))
	for i, w := range ws {
		out[i] = bindings.RollupSettlementWithdrawal{Recipient: w.Recipient, Amount: w.Amount}
	}
	return out
}
