package settle

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Deposit is one deposit queued on the settlement contract: Amount gwei for
// the rollup account To, whose BabyJubjub public key is (PubKeyX, PubKeyY).
type Deposit struct {
	PubKeyX, PubKeyY *big.Int
	To               uint64
	Amount           uint64
}

// Leaf is keccak256(abi.encode(pubKeyX, pubKeyY, to, amount)): four 32-byte
// big-endian words, as RollupSettlement.deposit computes it.
func (d *Deposit) Leaf() (common.Hash, error) {
	if d.PubKeyX == nil || d.PubKeyY == nil || d.PubKeyX.Sign() < 0 || d.PubKeyY.Sign() < 0 ||
		d.PubKeyX.Cmp(fr.Modulus()) >= 0 || d.PubKeyY.Cmp(fr.Modulus()) >= 0 {
		return common.Hash{}, fmt.Errorf("settle: deposit public key is not a pair of field elements")
	}
	var buf [4 * 32]byte
	d.PubKeyX.FillBytes(buf[0:32])
	d.PubKeyY.FillBytes(buf[32:64])
	new(big.Int).SetUint64(d.To).FillBytes(buf[64:96])
	new(big.Int).SetUint64(d.Amount).FillBytes(buf[96:128])
	return crypto.Keccak256Hash(buf[:]), nil
}

// DepositAccumulator chains the leaves of a batch's deposits in order:
// acc₀ = 0, accᵢ = keccak256(accᵢ₋₁ ‖ leafᵢ). It is the DepositRoot of the
// batch's statement and what RollupSettlement.settle recomputes from its
// queue. No deposits give the zero hash.
func DepositAccumulator(deposits []Deposit) (common.Hash, error) {
	var acc common.Hash
	for i := range deposits {
		leaf, err := deposits[i].Leaf()
		if err != nil {
			return common.Hash{}, fmt.Errorf("deposit %d: %w", i, err)
		}
		acc = crypto.Keccak256Hash(acc[:], leaf[:])
	}
	return acc, nil
}
