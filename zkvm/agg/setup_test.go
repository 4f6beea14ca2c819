package agg

import (
	"crypto/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// The fold setup relies on gnark drawing a key's G2 points (and -α) from
// the random stream in an order that does not depend on the circuit: the
// same stream gives the same fixed key for two different circuits with one
// commitment each, and another stream another key.
func TestSeededSetupFixesTheG2Points(t *testing.T) {
	preview, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &previewCircuit{})
	if err != nil {
		t.Fatal(err)
	}
	leaf := toySetup(t).ccs
	fixed := func(seed *[32]byte, ccs constraint.ConstraintSystem) FixedKey {
		t.Helper()
		_, vk, err := seededSetup(seed, ccs)
		if err != nil {
			t.Fatal(err)
		}
		k, err := FixedKeyOf(vk)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var s1, s2 [32]byte
	rand.Read(s1[:])
	rand.Read(s2[:])
	a, b, c := fixed(&s1, preview), fixed(&s1, leaf), fixed(&s2, leaf)
	if !a.Equal(&b) {
		t.Fatal("same stream, different circuits: different fixed keys")
	}
	if a.Equal(&c) {
		t.Fatal("different streams gave the same fixed key")
	}
	if a.Digest() == c.Digest() {
		t.Fatal("different fixed keys have the same digest")
	}
}
