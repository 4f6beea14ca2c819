package agg

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra"
	"github.com/consensys/gnark/std/algebra/algopts"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/math/emulated"
)

// The circuits below are the building blocks of the fold's verifier, each
// compiled alone, so BenchmarkFoldComponents can say what a verified child
// costs and what batching would save (docs/PROOF_FORMAT.md, "Cost").

// pairingCheckCost asserts Π e(P_i, Q_i) = 1 with witness G2 points (the
// fold's keys are witnesses, so no line is precomputed).
type pairingCheckCost struct {
	P []sw_bn254.G1Affine
	Q []sw_bn254.G2Affine
}

func (c *pairingCheckCost) Define(api frontend.API) error {
	pr, err := sw_bn254.NewPairing(api)
	if err != nil {
		return err
	}
	ps, qs := pairArgs(c.P, c.Q)
	return pr.PairingCheck(ps, qs)
}

// pairEqualCost computes Π e(P_i, Q_i) with a full final exponentiation and
// compares it with a witness e(α, β): the Groth16 check as
// std/recursion/groth16 does it.
type pairEqualCost struct {
	P []sw_bn254.G1Affine
	Q []sw_bn254.G2Affine
	E sw_bn254.GTEl
}

func (c *pairEqualCost) Define(api frontend.API) error {
	pr, err := sw_bn254.NewPairing(api)
	if err != nil {
		return err
	}
	ps, qs := pairArgs(c.P, c.Q)
	e, err := pr.Pair(ps, qs)
	if err != nil {
		return err
	}
	pr.AssertIsEqual(e, &c.E)
	return nil
}

func pairArgs(p []sw_bn254.G1Affine, q []sw_bn254.G2Affine) ([]*sw_bn254.G1Affine, []*sw_bn254.G2Affine) {
	ps := make([]*sw_bn254.G1Affine, len(p))
	qs := make([]*sw_bn254.G2Affine, len(q))
	for i := range p {
		ps[i], qs[i] = &p[i], &q[i]
	}
	return ps, qs
}

// scalarMulCost sums emulated G1 scalar multiplications, with the scalar
// width Bits (0: the full 254 bits).
type scalarMulCost struct {
	P    []sw_bn254.G1Affine
	S    []emulated.Element[sw_bn254.ScalarField]
	Sum  sw_bn254.G1Affine
	Bits int
}

func (c *scalarMulCost) Define(api frontend.API) error {
	cv, err := algebra.GetCurve[sw_bn254.ScalarField, sw_bn254.G1Affine](api)
	if err != nil {
		return err
	}
	var opts []algopts.AlgebraOption
	if c.Bits > 0 {
		opts = append(opts, algopts.WithNbScalarBits(c.Bits))
	}
	acc := &c.Sum
	for i := range c.P {
		acc = cv.Add(acc, cv.ScalarMul(&c.P[i], &c.S[i], opts...))
	}
	cv.AssertIsEqual(acc, &c.Sum)
	return nil
}

// fixedPairCost is a pairing check whose first NW pairs have witness G2
// points and the others constant G2 points with precomputed lines, each
// chosen among the NumKinds kinds by a one-hot witness (as the fold does).
type fixedPairCost struct {
	P    []sw_bn254.G1Affine
	QW   []sw_bn254.G2Affine
	Kind [NumKinds]frontend.Variable
	Keys [NumKinds]FixedKey `gnark:"-"`
	NF   int                `gnark:"-"`
}

func (c *fixedPairCost) Define(api frontend.API) error {
	v, err := newChildVerifier(api, &c.Keys, nil)
	if err != nil {
		return err
	}
	sel, err := v.kind(c.Kind[:])
	if err != nil {
		return err
	}
	ps, qs := pairArgs(c.P[:len(c.QW)], c.QW)
	fixed := []*[NumKinds]sw_bn254.G2Affine{&v.keys.gammaNeg, &v.keys.deltaNeg, &v.keys.beta, &v.keys.g, &v.keys.gSigmaNeg}
	for i := 0; i < c.NF; i++ {
		ps = append(ps, &c.P[len(c.QW)+i])
		qs = append(qs, sel.g2(fixed[i]))
	}
	return v.pairing.PairingCheck(ps, qs)
}

// childCost verifies one child exactly as the fold does (without the VK
// hash and the claim digest).
type childCost struct {
	C         Child
	D         frontend.Variable
	Keys      [NumKinds]FixedKey `gnark:"-"`
	Committed []int              `gnark:"-"`
}

func (c *childCost) Define(api frontend.API) error {
	v, err := newChildVerifier(api, &c.Keys, c.Committed)
	if err != nil {
		return err
	}
	sel, err := v.kind(c.C.Kind[:])
	if err != nil {
		return err
	}
	return v.verify(sel, &c.C.K, &c.C.Proof, c.D)
}

// BenchmarkFoldComponents reports the constraint count of each building
// block of the fold's verifier. Run with
//
//	go test -run '^$' -bench FoldComponents -benchtime 1x ./zkvm/agg
func BenchmarkFoldComponents(b *testing.B) {
	points := func(n int) ([]sw_bn254.G1Affine, []sw_bn254.G2Affine) {
		return make([]sw_bn254.G1Affine, n), make([]sw_bn254.G2Affine, n)
	}
	type costCase struct {
		name string
		c    frontend.Circuit
	}
	var cases []costCase
	for _, n := range []int{2, 3, 4, 6, 12} {
		p, q := points(n)
		cases = append(cases, costCase{fmt.Sprintf("PairingCheck/pairs=%d", n), &pairingCheckCost{P: p, Q: q}})
	}
	p, q := points(3)
	cases = append(cases, costCase{"PairAndCompare/pairs=3", &pairEqualCost{P: p, Q: q}})
	for _, bits := range []int{128, 0} {
		cases = append(cases, costCase{fmt.Sprintf("ScalarMulG1/bits=%d", bits),
			&scalarMulCost{P: make([]sw_bn254.G1Affine, 1), S: make([]emulated.Element[sw_bn254.ScalarField], 1), Bits: bits}})
	}
	ks, fixed, _ := toyKinds(b)
	for _, n := range [][2]int{{0, 2}, {1, 3}} {
		p, q := points(n[0] + n[1])
		cases = append(cases, costCase{fmt.Sprintf("PairingCheck/witness=%d,fixed=%d", n[0], n[1]),
			&fixedPairCost{P: p, QW: q[:n[0]], Keys: fixed, NF: n[1]}})
	}
	ph, err := Placeholder(ks[0].ccs, fixed)
	if err != nil {
		b.Fatal(err)
	}
	cases = append(cases, costCase{"VerifyChild", &childCost{C: ph.Left, Keys: fixed, Committed: ph.Committed}})
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, tc.c)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
			}
		})
	}
}
