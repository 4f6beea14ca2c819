// Package toyfold is a stand-in for the fold circuit in the tests of the
// wraps of final proofs (rollup/wrap, zkvm/wrap): a tiny circuit whose
// single public input is a claim digest and whose verifying key has the
// fold's shape (three bases K, one BSB22 commitment covering no public
// input), so that a wrap can verify its proofs without the fold's setup.
package toyfold

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Circuit proves knowledge of a claim with the public digest. Its one
// commitment comes from the range checker, on a value of its own, so any
// claim can be proved.
type Circuit struct {
	Digest frontend.Variable `gnark:",public"`
	Claim  gadget.Claim
	Small  frontend.Variable
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	d, err := c.Claim.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	rangecheck.New(api).Check(c.Small, 32)
	return nil
}

// Key is a development setup of Circuit.
type Key struct {
	CCS constraint.ConstraintSystem
	PK  groth16.ProvingKey
	VK  groth16.VerifyingKey
}

// Setup compiles Circuit and runs a Groth16 setup of it (milliseconds).
func Setup(tb testing.TB) Key {
	tb.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &Circuit{})
	if err != nil {
		tb.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		tb.Fatal(err)
	}
	return Key{ccs, pk, vk}
}

// Prove proves c with gnark's native recursion options, as the real fold
// proves the root.
func (k *Key) Prove(tb testing.TB, c *claim.Claim) groth16.Proof {
	tb.Helper()
	w, err := frontend.NewWitness(&Circuit{Digest: c.Digest(), Claim: gadget.AssignClaim(c), Small: 1}, ecc.BN254.ScalarField())
	if err != nil {
		tb.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	p, err := groth16.Prove(k.CCS, k.PK, w, stdgroth16.GetNativeProverOptions(f, f))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// ShapedVK is the verifying key a Groth16 setup of ccs would have, but
// for its points: one base K per public variable and per commitment, and
// the public inputs each commitment covers, as gnark's setup lays them
// out. It is what settle.CheckVerifyingKey looks at, without a setup.
func ShapedVK(ccs constraint.ConstraintSystem) *groth16bn254.VerifyingKey {
	cm := ccs.GetCommitments().(constraint.Groth16Commitments)
	vk := &groth16bn254.VerifyingKey{}
	vk.G1.K = make([]bn254.G1Affine, ccs.GetNbPublicVariables()+len(cm))
	vk.PublicAndCommitmentCommitted = cm.GetPublicAndCommitmentCommitted(cm.CommitmentIndexes(), ccs.GetNbPublicVariables())
	return vk
}
