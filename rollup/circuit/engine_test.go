package circuit

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
)

// TestTestEngineAgrees runs a valid and a tampered chunk through gnark's
// test engine (which evaluates the circuit directly, with its own range
// checker) as a second opinion beside the compiled R1CS.
func TestTestEngineAgrees(t *testing.T) {
	b := baseCases(t)[0] // transfer
	shape := shape2
	c, err := New(shape)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(c, b.fresh(), ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("valid chunk: %v", err)
	}
	bad := b.fresh()
	bad.Slots[0].Amount = 1001 // overdraft
	reseal(t, bad, key(t, 0), true)
	if err := test.IsSolved(c, bad, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("overdraft accepted by the test engine")
	}
}
