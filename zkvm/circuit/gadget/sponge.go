package gadget

import (
	"fmt"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Sponge mirrors claim.Sponge: the width-16 Poseidon2 sponge of the leaf
// commitments and the register digest.
func Sponge(api frontend.API, elems ...frontend.Variable) (frontend.Variable, error) {
	p, err := poseidon2.NewPoseidon2FromParameters(api, claim.SpongeWidth, claim.SpongeFull, claim.SpongePartial)
	if err != nil {
		return nil, fmt.Errorf("gadget: sponge: %w", err)
	}
	st := make([]frontend.Variable, claim.SpongeWidth)
	for i := range st {
		st[i] = 0
	}
	st[claim.SpongeRate] = len(elems)
	for off := 0; off < len(elems) || off == 0; off += claim.SpongeRate {
		for i := 0; i < claim.SpongeRate && off+i < len(elems); i++ {
			st[i] = api.Add(st[i], elems[off+i])
		}
		if err := p.Permutation(st); err != nil {
			return nil, fmt.Errorf("gadget: sponge: %w", err)
		}
	}
	return st[0], nil
}
