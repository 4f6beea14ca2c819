package agg

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/math/emulated"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// TagFixedKey separates the digest of a FixedKey from every other hash.
const TagFixedKey = 0x666b657900 + claim.Version

// FixedKey is the part of a foldable verifying key that the fold circuit
// embeds as constants: every G2 point, so that the Miller loop runs on lines
// precomputed at compile time (about half the cost of a pair whose G2 point
// is a witness), and -α. What remains a witness is the public-input bases
// K, which depend on the circuit and so cannot be known before the fold
// circuit itself is compiled (see SetupFold for how the fold's own G2
// points are).
type FixedKey struct {
	AlphaNeg                               bn254.G1Affine
	Beta, GammaNeg, DeltaNeg, G, GSigmaNeg bn254.G2Affine
}

// FixedKeyOf extracts the fixed part of a Groth16/BN254 verifying key with
// exactly one BSB22 commitment (every zkfleet circuit has one).
func FixedKeyOf(vk groth16.VerifyingKey) (FixedKey, error) {
	v, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return FixedKey{}, fmt.Errorf("agg: verifying key is %T, not BN254", vk)
	}
	if len(v.CommitmentKeys) != 1 {
		return FixedKey{}, fmt.Errorf("agg: verifying key has %d commitment keys, want 1", len(v.CommitmentKeys))
	}
	var k FixedKey
	k.AlphaNeg.Neg(&v.G1.Alpha)
	k.Beta = v.G2.Beta
	k.GammaNeg.Neg(&v.G2.Gamma)
	k.DeltaNeg.Neg(&v.G2.Delta)
	k.G = v.CommitmentKeys[0].G
	k.GSigmaNeg = v.CommitmentKeys[0].GSigmaNeg
	for _, q := range k.g2() {
		if !q.IsInSubGroup() {
			return FixedKey{}, errors.New("agg: verifying key has a G2 point outside the subgroup")
		}
	}
	return k, nil
}

func (k *FixedKey) g2() []*bn254.G2Affine {
	return []*bn254.G2Affine{&k.Beta, &k.GammaNeg, &k.DeltaNeg, &k.G, &k.GSigmaNeg}
}

// Equal reports whether two fixed keys are the same points.
func (k *FixedKey) Equal(o *FixedKey) bool {
	if !k.AlphaNeg.Equal(&o.AlphaNeg) {
		return false
	}
	a, b := k.g2(), o.g2()
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Digest hashes the fixed key: every coordinate, split into two 128-bit
// halves so that each is a field element.
func (k *FixedKey) Digest() fr.Element {
	elems := []fr.Element{claim.U64(TagFixedKey)}
	coord := func(x *fp.Element) {
		b := x.Bytes()
		var hi, lo fr.Element
		hi.SetBytes(b[:16])
		lo.SetBytes(b[16:])
		elems = append(elems, hi, lo)
	}
	coord(&k.AlphaNeg.X)
	coord(&k.AlphaNeg.Y)
	for _, q := range k.g2() {
		coord(&q.X.A0)
		coord(&q.X.A1)
		coord(&q.Y.A0)
		coord(&q.Y.A1)
	}
	return claim.Hash(elems...)
}

// circuitKeys is the in-circuit form of the fixed keys of every kind: G2
// points with precomputed lines and G1 points, all constants.
type circuitKeys struct {
	alphaNeg                               [NumKinds]sw_bn254.G1Affine
	beta, gammaNeg, deltaNeg, g, gSigmaNeg [NumKinds]sw_bn254.G2Affine
	digest                                 [NumKinds]*big.Int
}

func newCircuitKeys(keys *[NumKinds]FixedKey) *circuitKeys {
	c := &circuitKeys{}
	for i := range keys {
		k := &keys[i]
		c.alphaNeg[i] = sw_bn254.NewG1Affine(k.AlphaNeg)
		c.beta[i] = sw_bn254.NewG2AffineFixed(k.Beta)
		c.gammaNeg[i] = sw_bn254.NewG2AffineFixed(k.GammaNeg)
		c.deltaNeg[i] = sw_bn254.NewG2AffineFixed(k.DeltaNeg)
		c.g[i] = sw_bn254.NewG2AffineFixed(k.G)
		c.gSigmaNeg[i] = sw_bn254.NewG2AffineFixed(k.GSigmaNeg)
		d := k.Digest()
		c.digest[i] = d.BigInt(new(big.Int))
	}
	return c
}

// selector picks among per-kind constants with a one-hot kind vector. A
// selection is Σ kind_k · const_k, linear in the kind bits: it costs no
// constraint, whatever the number of kinds.
type selector struct {
	api  frontend.API
	fp   *emulated.Field[sw_bn254.BaseField]
	kind []frontend.Variable
}

func (s *selector) scalar(c [NumKinds]*big.Int) frontend.Variable {
	acc := frontend.Variable(0)
	for k := range s.kind {
		acc = s.api.Add(acc, s.api.Mul(s.kind[k], c[k]))
	}
	return acc
}

func (s *selector) base(get func(k int) *emulated.Element[sw_bn254.BaseField]) emulated.Element[sw_bn254.BaseField] {
	zero := s.fp.Zero()
	var acc *emulated.Element[sw_bn254.BaseField]
	for k := range s.kind {
		t := s.fp.Select(s.kind[k], get(k), zero)
		if acc == nil {
			acc = t
		} else {
			acc = s.fp.Add(acc, t)
		}
	}
	return *acc
}

func (s *selector) g1(ps *[NumKinds]sw_bn254.G1Affine) *sw_bn254.G1Affine {
	return &sw_bn254.G1Affine{
		X: s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &ps[k].X }),
		Y: s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &ps[k].Y }),
	}
}

// g2 selects a G2 point together with its precomputed lines.
func (s *selector) g2(qs *[NumKinds]sw_bn254.G2Affine) *sw_bn254.G2Affine {
	out := qs[0] // copies the point; coordinates and lines are replaced below
	out.P.X.A0 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].P.X.A0 })
	out.P.X.A1 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].P.X.A1 })
	out.P.Y.A0 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].P.Y.A0 })
	out.P.Y.A1 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].P.Y.A1 })
	lines := *qs[0].Lines
	for a := range lines {
		for i := range lines[a] {
			if lines[a][i] == nil {
				continue
			}
			le := *lines[a][i]
			le.R0.A0 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].Lines[a][i].R0.A0 })
			le.R0.A1 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].Lines[a][i].R0.A1 })
			le.R1.A0 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].Lines[a][i].R1.A0 })
			le.R1.A1 = s.base(func(k int) *emulated.Element[sw_bn254.BaseField] { return &qs[k].Lines[a][i].R1.A1 })
			lines[a][i] = &le
		}
	}
	out.Lines = &lines
	return &out
}
