package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/internal/tier"
)

// TestGroth16 runs one real Groth16 prove/verify of a small chunk with the
// native recursion options the fold circuit needs, and checks the VK shape
// (one public input, one BSB22 commitment).
func TestGroth16(t *testing.T) {
	tier.RequireReal(t)
	const m = 8
	field := ecc.BN254.ScalarField()
	ccs, err := frontend.Compile(field, r1cs.NewBuilder, Placeholder(m))
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := Assign(sampleEntries(), m, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(c, field)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, w, stdgroth16.GetNativeProverOptions(field, field))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, pub, stdgroth16.GetNativeVerifierOptions(field, field)); err != nil {
		t.Fatal(err)
	}
	bvk := vk.(*groth16bn254.VerifyingKey)
	if n := len(bvk.CommitmentKeys); n != 1 {
		t.Fatalf("VK has %d commitment keys, want 1", n)
	}
	// K holds the constant wire, the digest and the commitment wire.
	if n := len(bvk.G1.K); n != 3 {
		t.Fatalf("VK has %d K points, want 3", n)
	}
	if v, ok := pub.Vector().(interface{ Len() int }); !ok || v.Len() != 1 {
		t.Fatal("public witness is not exactly the digest")
	}
}
