// Package gadget holds the in-circuit counterparts of zkvm/claim: the claim
// digest (the single public input of every proof), the bus challenges and
// fingerprints. Every leaf circuit and the fold circuit use these, so the
// native and in-circuit definitions cannot drift apart (claim_test.go checks
// them against each other).
package gadget

import (
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/poseidon2"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Claim is claim.Claim as circuit variables.
type Claim struct {
	Challenge, InputLen, VKSet frontend.Variable
	Start, End                 [claim.StateWidth]frontend.Variable
	BusSum, Commitment         frontend.Variable
}

// Elements mirrors claim.Claim.Elements.
func (c *Claim) Elements() []frontend.Variable {
	out := make([]frontend.Variable, 0, claim.NumElements)
	out = append(out, claim.TagClaim, c.Challenge, c.InputLen, c.VKSet)
	out = append(out, c.Start[:]...)
	out = append(out, c.End[:]...)
	out = append(out, c.BusSum, c.Commitment)
	return out
}

// Digest mirrors claim.Claim.Digest.
func (c *Claim) Digest(api frontend.API) (frontend.Variable, error) {
	return Hash(api, c.Elements()...)
}

// Hash mirrors claim.Hash (Poseidon2 Merkle–Damgård).
func Hash(api frontend.API, elems ...frontend.Variable) (frontend.Variable, error) {
	h, err := poseidon2.New(api)
	if err != nil {
		return nil, err
	}
	h.Write(elems...)
	return h.Sum(), nil
}

// AssignClaim turns a native claim into a witness assignment.
func AssignClaim(c *claim.Claim) Claim {
	var out Claim
	out.Challenge, out.InputLen, out.VKSet = elem(c.Challenge), elem(c.InputLen), elem(c.VKSet)
	for i := range c.Start {
		out.Start[i] = elem(c.Start[i])
		out.End[i] = elem(c.End[i])
	}
	out.BusSum, out.Commitment = elem(c.BusSum), elem(c.Commitment)
	return out
}

func elem(e fr.Element) frontend.Variable {
	var b = e.Bytes()
	var v fr.Element
	v.SetBytes(b[:])
	return v.String() // decimal string: gnark parses it exactly
}

// BusChallenges mirrors claim.BusChallenges.
func BusChallenges(api frontend.API, gamma frontend.Variable) (alpha, beta frontend.Variable, err error) {
	if alpha, err = Hash(api, claim.TagAlpha, gamma); err != nil {
		return nil, nil, err
	}
	if beta, err = Hash(api, claim.TagBeta, gamma); err != nil {
		return nil, nil, err
	}
	return alpha, beta, nil
}

// Fingerprint mirrors claim.Fingerprint: tag + α·a + α²·b + α³·c, in Horner
// form (3 multiplications).
func Fingerprint(api frontend.API, alpha, tag, a, b, c frontend.Variable) frontend.Variable {
	acc := api.Mul(c, alpha)
	acc = api.Mul(api.Add(acc, b), alpha)
	acc = api.Mul(api.Add(acc, a), alpha)
	return api.Add(acc, tag)
}

// Term mirrors claim.Term: mult/(β − fp). One constraint for the division
// (gnark checks (β − fp)·t == mult); β − fp = 0 happens only with negligible
// probability because every tuple is committed before γ is known.
func Term(api frontend.API, beta, fp, mult frontend.Variable) frontend.Variable {
	return api.Div(mult, api.Sub(beta, fp))
}
