package agg

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/math/emulated"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// TagVK separates the hash of one verifying key from every other hash.
const TagVK = 0x766b00 + claim.Version

// VK is a child verifying key as fold-circuit witness.
type VK = stdgroth16.VerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl]

// vkHolder lets us reuse gnark's witness schema to lay a VK out as limbs.
type vkHolder struct{ V VK }

func (*vkHolder) Define(frontend.API) error { return nil }

// vkLimbs lists the emulated limbs of a VK in a fixed order. The same order
// is used in-circuit (on variables) and natively (on the witness vector of
// vkHolder, whose schema walks fields in declaration order).
func vkLimbs(v *VK) []frontend.Variable {
	var out []frontend.Variable
	el := func(e *emulated.Element[sw_bn254.BaseField]) { out = append(out, e.Limbs...) }
	e := &v.E
	for _, x := range []*emulated.Element[sw_bn254.BaseField]{&e.A0, &e.A1, &e.A2, &e.A3, &e.A4, &e.A5, &e.A6, &e.A7, &e.A8, &e.A9, &e.A10, &e.A11} {
		el(x)
	}
	for i := range v.G1.K {
		el(&v.G1.K[i].X)
		el(&v.G1.K[i].Y)
	}
	g2 := func(p *sw_bn254.G2Affine) {
		el(&p.P.X.A0)
		el(&p.P.X.A1)
		el(&p.P.Y.A0)
		el(&p.P.Y.A1)
	}
	g2(&v.G2.GammaNeg)
	g2(&v.G2.DeltaNeg)
	for i := range v.CommitmentKeys {
		g2(&v.CommitmentKeys[i].G)
		g2(&v.CommitmentKeys[i].GSigmaNeg)
	}
	return out
}

// vkHashCircuit is the in-circuit VK hash: Hash(TagVK, limbs...).
func vkHashCircuit(api frontend.API, v *VK) (frontend.Variable, error) {
	return gadget.Hash(api, append([]frontend.Variable{TagVK}, vkLimbs(v)...)...)
}

// VKHash is the native hash of a Groth16/BN254 verifying key, equal to what
// the fold circuit computes on the same key given as witness.
func VKHash(vk groth16.VerifyingKey) (fr.Element, error) {
	v, err := stdgroth16.ValueOfVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](vk)
	if err != nil {
		return fr.Element{}, fmt.Errorf("agg: vk hash: %w", err)
	}
	w, err := frontend.NewWitness(&vkHolder{V: v}, ecc.BN254.ScalarField())
	if err != nil {
		return fr.Element{}, fmt.Errorf("agg: vk hash: %w", err)
	}
	vec, ok := w.Vector().(fr.Vector)
	if !ok {
		return fr.Element{}, fmt.Errorf("agg: vk hash: unexpected witness vector %T", w.Vector())
	}
	elems := append([]fr.Element{claim.U64(TagVK)}, vec...)
	return claim.Hash(elems...), nil
}

// VKSetDigest is the VKSet global: Hash(TagVKSet, h_cpu, h_memory, h_input,
// h_output, h_fold), in keys.Kinds order.
func VKSetDigest(hashes [NumKinds]fr.Element) fr.Element {
	return claim.Hash(append([]fr.Element{claim.U64(claim.TagVKSet)}, hashes[:]...)...)
}

// NumKinds is the number of circuit kinds whose keys may be folded.
const NumKinds = 5
