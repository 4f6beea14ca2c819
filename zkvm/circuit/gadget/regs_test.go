package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

type regsCircuit struct {
	X   [31]frontend.Variable
	Out frontend.Variable
}

func (c *regsCircuit) Define(api frontend.API) error {
	d, err := RegsDigest(api, c.X[:])
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Out)
	return nil
}

func regsWitness(regs *[32]uint32) *regsCircuit {
	d := claim.RegsDigest(regs)
	w := &regsCircuit{Out: d.String()}
	for i := range w.X {
		w.X[i] = regs[i+1]
	}
	return w
}

// TestRegsDigestNativeMatchesCircuit checks the register digest both ways,
// that every register is bound, and that an out-of-range register whose
// packing aliases an honest register file is rejected.
func TestRegsDigestNativeMatchesCircuit(t *testing.T) {
	var regs [32]uint32
	for i := range regs {
		regs[i] = 0x9e3779b9 * uint32(i*i+1)
	}
	regs[0] = 0
	regs[7], regs[8], regs[31] = 0xffffffff, 0, 1
	if err := test.IsSolved(&regsCircuit{}, regsWitness(&regs), ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, i := range []int{1, 7, 8, 14, 28, 29, 31} {
		bad := regs
		bad[i] ^= 1 << (i % 32)
		d := claim.RegsDigest(&bad)
		if seen[d.String()] || d == claim.RegsDigest(&regs) {
			t.Fatalf("x%d: digest collision", i)
		}
		seen[d.String()] = true
		w := regsWitness(&regs)
		w.X[i-1] = bad[i]
		if test.IsSolved(&regsCircuit{}, w, ecc.BN254.ScalarField()) == nil {
			t.Fatalf("x%d changed: accepted", i)
		}
	}
	// (x1 + 2^32, x2 - 1) packs to the same element as (x1, x2):
	// (x1 + 2^32) + (x2 - 1)·2^32 = x1 + x2·2^32, so only the range checks
	// reject it.
	if regs[2] == 0 {
		t.Fatal("test needs x2 > 0")
	}
	w := regsWitness(&regs)
	w.X[0] = new(big.Int).Add(big.NewInt(int64(regs[1])), new(big.Int).Lsh(big.NewInt(1), 32))
	w.X[1] = regs[2] - 1
	if test.IsSolved(&regsCircuit{}, w, ecc.BN254.ScalarField()) == nil {
		t.Fatal("aliased out-of-range register accepted")
	}
}
