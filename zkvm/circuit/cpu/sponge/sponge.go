// Package sponge is the commitment hash of the leaf circuits: a sponge over
// the width-16 Poseidon2 permutation of BN254, natively and in-circuit.
package sponge

import (
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	nativep2 "github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// A leaf commitment hashes one or more field elements per row, so its cost
// per element matters. A sponge over the width-16 Poseidon2
// permutation (the BN254 instance with the reference round constants,
// rF = 8, rP = 57) absorbs 15 elements per permutation for ~560 constraints,
// ~37 per element, against ~186 per element for the width-2 Merkle–Damgård
// claim.Hash. The capacity is one field element (~127-bit collision
// resistance) and starts at the input length, so zero padding of the last
// block is unambiguous.
const (
	spongeWidth   = 16
	spongeRate    = spongeWidth - 1
	spongeFull    = 8
	spongePartial = 57
)

var (
	spongeOnce sync.Once
	spongePerm *nativep2.Permutation
)

// Hash is the native commitment hash.
func Hash(elems ...fr.Element) fr.Element {
	spongeOnce.Do(func() { spongePerm = nativep2.NewPermutation(spongeWidth, spongeFull, spongePartial) })
	var st [spongeWidth]fr.Element
	st[spongeRate].SetUint64(uint64(len(elems)))
	for off := 0; off < len(elems) || off == 0; off += spongeRate {
		for i := 0; i < spongeRate && off+i < len(elems); i++ {
			st[i].Add(&st[i], &elems[off+i])
		}
		if err := spongePerm.Permutation(st[:]); err != nil {
			panic(err) // only for a wrong state width
		}
	}
	return st[0]
}

// HashCircuit is Hash in-circuit.
func HashCircuit(api frontend.API, elems ...frontend.Variable) (frontend.Variable, error) {
	p, err := poseidon2.NewPoseidon2FromParameters(api, spongeWidth, spongeFull, spongePartial)
	if err != nil {
		return nil, fmt.Errorf("sponge: %w", err)
	}
	st := make([]frontend.Variable, spongeWidth)
	for i := range st {
		st[i] = 0
	}
	st[spongeRate] = len(elems)
	for off := 0; off < len(elems) || off == 0; off += spongeRate {
		for i := 0; i < spongeRate && off+i < len(elems); i++ {
			st[i] = api.Add(st[i], elems[off+i])
		}
		if err := p.Permutation(st); err != nil {
			return nil, fmt.Errorf("sponge: %w", err)
		}
	}
	return st[0], nil
}
