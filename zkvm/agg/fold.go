// Package agg folds zkfleet proofs: the fold circuit verifies two child
// Groth16/BN254 proofs in-circuit and states their combined claim; the
// verifier checks a root proof and the statement it implies. The fold
// circuit's soundness argument, value by value, is in soundness.go.
package agg

import (
	"fmt"

	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Proof is a child proof as fold-circuit witness.
type Proof = stdgroth16.Proof[sw_bn254.G1Affine, sw_bn254.G2Affine]

// NumK is the number of public-input bases of every foldable verifying key:
// the constant wire, the claim digest and the BSB22 commitment's hash.
const NumK = 3

// Child is one verified child: its proof, its kind (one-hot over the
// allowed kinds: it selects the embedded FixedKey), the public-input bases
// of its verifying key (a witness: the fold's own bases are not known when
// the fold circuit is compiled) and its claim preimage.
type Child struct {
	Proof Proof
	Kind  [NumKinds]frontend.Variable
	K     [NumK]sw_bn254.G1Affine
	Claim gadget.Claim
}

// Fold is the fold circuit. Its single public input is the digest of the
// folded claim. Keys and Committed are compile-time constants: the fixed
// parts of the verifying keys of every kind (the fold's own included) and
// which public inputs each child's commitment covers. Allowed is the VK set
// of the job's kind (ZKVMSet or RollupSet): the claims commit to it, and
// every child's key must be in it, so one fold key folds either kind but
// never mixes them.
type Fold struct {
	Digest    frontend.Variable `gnark:",public"`
	Left      Child
	Right     Child
	Allowed   [SetSize]frontend.Variable // the VK set of the job's kind (Set)
	Keys      [NumKinds]FixedKey         `gnark:"-"`
	Committed []int                      `gnark:"-"`
}

// Placeholder returns a fold circuit shaped for children compiled like
// childShape (every allowed circuit must have the same number of public
// inputs and commitments: one and one) with the fixed keys of every kind.
func Placeholder(childShape constraint.ConstraintSystem, keys [NumKinds]FixedKey) (*Fold, error) {
	cs, ok := childShape.GetCommitments().(constraint.Groth16Commitments)
	if !ok || len(cs) != 1 {
		return nil, fmt.Errorf("agg: children must have exactly one commitment")
	}
	if n := childShape.GetNbPublicVariables() + len(cs); n != NumK {
		return nil, fmt.Errorf("agg: children have %d public-input bases, want %d", n, NumK)
	}
	committed := cs.GetPublicAndCommitmentCommitted(cs.CommitmentIndexes(), childShape.GetNbPublicVariables())
	c := &Fold{Keys: keys, Committed: committed[0]}
	for _, ch := range []*Child{&c.Left, &c.Right} {
		ch.Proof = stdgroth16.PlaceholderProof[sw_bn254.G1Affine, sw_bn254.G2Affine](childShape)
	}
	return c, nil
}

// Define implements frontend.Circuit.
func (c *Fold) Define(api frontend.API) error {
	v, err := newChildVerifier(api, &c.Keys, c.Committed)
	if err != nil {
		return fmt.Errorf("fold: %w", err)
	}
	// The allowed list must be the one the claims commit to.
	setDigest, err := gadget.Hash(api, append([]frontend.Variable{claim.TagVKSet}, c.Allowed[:]...)...)
	if err != nil {
		return err
	}
	api.AssertIsEqual(setDigest, c.Left.Claim.VKSet)

	for _, ch := range []*Child{&c.Left, &c.Right} {
		sel, err := v.kind(ch.Kind[:])
		if err != nil {
			return err
		}
		h, err := gadget.Hash(api, append([]frontend.Variable{TagVK, sel.scalar(v.keys.digest)}, kLimbs(&ch.K)...)...)
		if err != nil {
			return err
		}
		// h ∈ Allowed  ⇔  Π (h − a_i) = 0. h binds the selected fixed key
		// (through its digest) and K together to one allowed key.
		prod := frontend.Variable(1)
		for _, a := range c.Allowed {
			prod = api.Mul(prod, api.Sub(h, a))
		}
		api.AssertIsEqual(prod, 0)

		d, err := ch.Claim.Digest(api)
		if err != nil {
			return err
		}
		if err := v.verify(sel, &ch.K, &ch.Proof, d); err != nil {
			return fmt.Errorf("fold: %w", err)
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
