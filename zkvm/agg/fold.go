// Package agg folds zkfleet proofs: the fold circuit verifies two child
// Groth16/BN254 proofs in-circuit and states their combined claim; the
// verifier checks a root proof and the statement it implies.
package agg

import (
	"fmt"

	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/math/emulated"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Proof is a child proof as fold-circuit witness.
type Proof = stdgroth16.Proof[sw_bn254.G1Affine, sw_bn254.G2Affine]

// Child is one verified child: its proof, its verifying key (a witness, so
// one fold circuit accepts any allowed kind) and its claim preimage.
type Child struct {
	Proof Proof
	VK    VK
	Claim gadget.Claim
}

// Fold is the fold circuit. Its single public input is the digest of the
// folded claim.
type Fold struct {
	Digest  frontend.Variable `gnark:",public"`
	Left    Child
	Right   Child
	Allowed [NumKinds]frontend.Variable // VK hashes of cpu, memory, input, output, fold
}

// Placeholder returns a fold circuit shaped for children compiled like
// childShape (every allowed circuit must have the same number of public
// inputs and commitments: one and one).
func Placeholder(childShape constraint.ConstraintSystem) *Fold {
	c := &Fold{}
	for _, ch := range []*Child{&c.Left, &c.Right} {
		ch.Proof = stdgroth16.PlaceholderProof[sw_bn254.G1Affine, sw_bn254.G2Affine](childShape)
		ch.VK = stdgroth16.PlaceholderVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](childShape)
	}
	return c
}

// Define implements frontend.Circuit.
func (c *Fold) Define(api frontend.API) error {
	verifier, err := stdgroth16.NewVerifier[sw_bn254.ScalarField, sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](api)
	if err != nil {
		return fmt.Errorf("fold: verifier: %w", err)
	}
	scalar, err := emulated.NewField[sw_bn254.ScalarField](api)
	if err != nil {
		return fmt.Errorf("fold: scalar field: %w", err)
	}
	// The allowed list must be the one the claims commit to.
	setDigest, err := gadget.Hash(api, append([]frontend.Variable{claim.TagVKSet}, c.Allowed[:]...)...)
	if err != nil {
		return err
	}
	api.AssertIsEqual(setDigest, c.Left.Claim.VKSet)

	for _, ch := range []*Child{&c.Left, &c.Right} {
		h, err := vkHashCircuit(api, &ch.VK)
		if err != nil {
			return err
		}
		// h ∈ Allowed  ⇔  Π (h − a_i) = 0.
		prod := frontend.Variable(1)
		for _, a := range c.Allowed {
			prod = api.Mul(prod, api.Sub(h, a))
		}
		api.AssertIsEqual(prod, 0)

		d, err := ch.Claim.Digest(api)
		if err != nil {
			return err
		}
		// Native BN254 Fr and the emulated scalar field are the same field,
		// so the bit decomposition carries the value exactly.
		pub := scalar.FromBits(api.ToBinary(d, 254)...)
		w := stdgroth16.Witness[sw_bn254.ScalarField]{Public: []emulated.Element[sw_bn254.ScalarField]{*pub}}
		// Scalar multiplication is complete by default in gnark v0.16.
		if err := verifier.AssertProof(ch.VK, ch.Proof, w); err != nil {
			return fmt.Errorf("fold: assert proof: %w", err)
		}
	}

	l, r := &c.Left.Claim, &c.Right.Claim
	api.AssertIsEqual(l.Challenge, r.Challenge)
	api.AssertIsEqual(l.InputLen, r.InputLen)
	api.AssertIsEqual(l.VKSet, r.VKSet)
	for i := range l.End {
		api.AssertIsEqual(l.End[i], r.Start[i])
	}
	out := gadget.Claim{
		Challenge: l.Challenge, InputLen: l.InputLen, VKSet: l.VKSet,
		Start: l.Start, End: r.End,
		BusSum: api.Add(l.BusSum, r.BusSum),
	}
	if out.Commitment, err = gadget.Hash(api, claim.TagFoldCommit, l.Commitment, r.Commitment); err != nil {
		return err
	}
	d, err := out.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	return nil
}
