package claim

import (
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Sponge is the many-element hash of the leaf circuits: a sponge over the
// width-16 Poseidon2 permutation of BN254 (the reference round constants,
// rF = 8, rP = 57). It absorbs 15 elements per permutation for ~560
// constraints, ~37 per element, against ~186 per element for the width-2
// Merkle–Damgård Hash. The capacity is one field element (~127-bit collision
// resistance) and starts at the input length, so zero padding of the last
// block is unambiguous. Its in-circuit twin is gadget.Sponge.
//
// Hash stays the hash of the claim digest, the fold tree and the challenges
// (the fold circuit's constraint system depends on it); Sponge is for what
// only leaf circuits hash: leaf commitments and the register digest.
func Sponge(elems ...fr.Element) fr.Element {
	perm := spongePerm()
	var st [SpongeWidth]fr.Element
	st[SpongeRate].SetUint64(uint64(len(elems)))
	for off := 0; off < len(elems) || off == 0; off += SpongeRate {
		for i := 0; i < SpongeRate && off+i < len(elems); i++ {
			st[i].Add(&st[i], &elems[off+i])
		}
		if err := perm.Permutation(st[:]); err != nil {
			panic(err) // only for a wrong state width
		}
	}
	return st[0]
}

// Parameters of the sponge permutation; gadget.Sponge uses the same.
const (
	SpongeWidth   = 16
	SpongeRate    = SpongeWidth - 1
	SpongeFull    = 8
	SpongePartial = 57
)

var spongePerm = sync.OnceValue(func() *poseidon2.Permutation {
	return poseidon2.NewPermutation(SpongeWidth, SpongeFull, SpongePartial)
})
