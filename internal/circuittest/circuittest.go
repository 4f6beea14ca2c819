// Package circuittest is the one test helper of the leaf circuits
// (zkvm/circuit/cpu, memtable, tape): a real Groth16 setup, prove and
// verify with the native recursion options the fold circuit needs, the
// check of the leaf verifying key's shape, and golden constraint counts.
// Callers gate real proofs with tier.RequireReal(t) first.
package circuittest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"
)

var field = ecc.BN254.ScalarField()

// Compile compiles placeholder to R1CS over BN254.
func Compile(tb testing.TB, placeholder frontend.Circuit) constraint.ConstraintSystem {
	tb.Helper()
	ccs, err := frontend.Compile(field, r1cs.NewBuilder, placeholder)
	if err != nil {
		tb.Fatal(err)
	}
	return ccs
}

// Keys are a circuit's constraint system and its Groth16 keys.
type Keys struct {
	CCS constraint.ConstraintSystem
	PK  groth16.ProvingKey
	VK  groth16.VerifyingKey
}

// Setup compiles placeholder and runs a Groth16 setup (local randomness:
// for tests only).
func Setup(tb testing.TB, placeholder frontend.Circuit) *Keys {
	tb.Helper()
	ccs := Compile(tb, placeholder)
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		tb.Fatal(err)
	}
	return &Keys{CCS: ccs, PK: pk, VK: vk}
}

// Proof is a proof with its public witness.
type Proof struct {
	Proof  groth16.Proof
	Public witness.Witness
}

// Prove proves assignment under k with the prover options the fold
// circuit needs to verify it recursively, verifies it, and returns it.
func (k *Keys) Prove(tb testing.TB, assignment frontend.Circuit) *Proof {
	tb.Helper()
	w, err := frontend.NewWitness(assignment, field)
	if err != nil {
		tb.Fatal(err)
	}
	proof, err := groth16.Prove(k.CCS, k.PK, w, stdgroth16.GetNativeProverOptions(field, field))
	if err != nil {
		tb.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		tb.Fatal(err)
	}
	if err := k.Verify(proof, pub); err != nil {
		tb.Fatalf("proof does not verify: %v", err)
	}
	return &Proof{Proof: proof, Public: pub}
}

// Verify verifies proof under k with the fold's verifier options.
func (k *Keys) Verify(proof groth16.Proof, pub witness.Witness) error {
	return groth16.Verify(proof, k.VK, pub, stdgroth16.GetNativeVerifierOptions(field, field))
}

// CheckLeafVK checks the shape every leaf verifying key must have for the
// fold circuit: one public input (the claim digest) and one BSB22
// commitment, so K holds the constant wire, the digest and the commitment
// wire; and a public witness of exactly one element.
func (k *Keys) CheckLeafVK(tb testing.TB, p *Proof) {
	tb.Helper()
	bvk, ok := k.VK.(*groth16bn254.VerifyingKey)
	if !ok {
		tb.Fatalf("verifying key is %T, not BN254", k.VK)
	}
	if n := len(bvk.CommitmentKeys); n != 1 {
		tb.Fatalf("VK has %d commitment keys, want 1", n)
	}
	if n := len(bvk.G1.K); n != 3 {
		tb.Fatalf("VK has %d K points, want 3", n)
	}
	if v, ok := p.Public.Vector().(interface{ Len() int }); !ok || v.Len() != 1 {
		tb.Fatal("public witness is not exactly the digest")
	}
}

// ProveLeaf is the whole leaf check: setup, prove, verify, VK shape.
func ProveLeaf(tb testing.TB, placeholder, assignment frontend.Circuit) (*Keys, *Proof) {
	tb.Helper()
	k := Setup(tb, placeholder)
	p := k.Prove(tb, assignment)
	k.CheckLeafVK(tb, p)
	return k, p
}

// Golden compares got with the file at path (testdata/…), or rewrites the
// file when update is set (the caller's -update flag): constraint counts
// change only deliberately.
func Golden(tb testing.TB, path, got string, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if string(want) != got {
		tb.Fatalf("%s changed:\n got %s\nwant %s(run with -update if intended)", path, got, want)
	}
}
