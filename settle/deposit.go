package settle

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Domain tags of the rollup's packed entries (rollup/state, version 1),
// placed at bit TagShift; RollupSettlement uses the same constants.
const (
	TagWithdrawal = 0x401
	TagL1Deposit  = 0x501
	TagShift      = 240
)

// Deposit is one deposit queued on the settlement contract: Amount gwei for
// the rollup account whose BabyJubjub public key is (PubKeyX, PubKeyY).
type Deposit struct {
	PubKeyX, PubKeyY *big.Int
	Amount           uint64
}

// Entry is the deposit's entry in the deposit root, the rollup's
// DepositQueueEntry: C(C(pubKeyX, pubKeyY), amount | TagL1Deposit<<240)
// with C the Poseidon2 compression (claim.Compress).
func (d *Deposit) Entry() (fr.Element, error) {
	if d.PubKeyX == nil || d.PubKeyY == nil || d.PubKeyX.Sign() < 0 || d.PubKeyY.Sign() < 0 ||
		d.PubKeyX.Cmp(fr.Modulus()) >= 0 || d.PubKeyY.Cmp(fr.Modulus()) >= 0 {
		return fr.Element{}, fmt.Errorf("settle: deposit public key is not a pair of field elements")
	}
	var x, y, payload fr.Element
	x.SetBigInt(d.PubKeyX)
	y.SetBigInt(d.PubKeyY)
	p := new(big.Int).Lsh(big.NewInt(TagL1Deposit), TagShift)
	payload.SetBigInt(p.Or(p, new(big.Int).SetUint64(d.Amount)))
	return claim.Compress(claim.Compress(x, y), payload), nil
}

// DepositAccumulator chains the entries of a batch's deposits in order:
// acc₀ = 0, accᵢ = C(accᵢ₋₁, entryᵢ). It is the DepositRoot of the batch's
// statement and what RollupSettlement.settle recomputes from its queue.
func DepositAccumulator(deposits []Deposit) (common.Hash, error) {
	var acc fr.Element
	for i := range deposits {
		e, err := deposits[i].Entry()
		if err != nil {
			return common.Hash{}, fmt.Errorf("deposit %d: %w", i, err)
		}
		acc = claim.Compress(acc, e)
	}
	return acc.Bytes(), nil
}
