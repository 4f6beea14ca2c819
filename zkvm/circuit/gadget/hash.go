package gadget

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Compress mirrors claim.Compress: one width-2 Poseidon2 compression.
func Compress(api frontend.API, h, x frontend.Variable) (frontend.Variable, error) {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return nil, fmt.Errorf("gadget: compress: %w", err)
	}
	return p.Compress(h, x), nil
}

// ImageWord mirrors claim.ImageWord. It is injective only if the caller
// constrains addr and word below 2^32 and exec to a bit.
func ImageWord(api frontend.API, addr, word, exec frontend.Variable) frontend.Variable {
	tag := new(big.Int).Lsh(new(big.Int).SetUint64(claim.TagImage), 65)
	return api.Add(addr, api.Mul(word, pow2(32)), api.Mul(exec, pow2(64)), tag)
}

// ImageStep mirrors claim.ImageStep (same range preconditions as ImageWord).
func ImageStep(api frontend.API, h, addr, word, exec frontend.Variable) (frontend.Variable, error) {
	return Compress(api, h, ImageWord(api, addr, word, exec))
}

// TapeStep mirrors claim.TapeStep.
func TapeStep(api frontend.API, h, block frontend.Variable) (frontend.Variable, error) {
	return Compress(api, h, block)
}

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
