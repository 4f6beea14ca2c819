package agg

import (
	"fmt"

	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/std/recursion"
)

// childVerifier checks a child Groth16/BN254 proof in-circuit against a
// verifying key made of an embedded FixedKey (chosen by the child's kind)
// and witness public-input bases K. It is the check of gnark's native
// verifier, written as two pairing products that must equal one:
//
//	e(D, -σG) · e(PoK, G) = 1                        (BSB22 commitment)
//	e(A, B) · e(L, -γ) · e(Krs, -δ) · e(-α, β) = 1   (Groth16)
//
// with L = K₀ + digest·K₁ + h(D, committed inputs)·K₂ + D. Every G2 point
// except B is a constant with precomputed lines. VerifyConstant uses it
// with one embedded key whose bases K are constants too.
type childVerifier struct {
	api       frontend.API
	pairing   *sw_bn254.Pairing
	curve     algebra.Curve[sw_bn254.ScalarField, sw_bn254.G1Affine]
	fp        *emulated.Field[sw_bn254.BaseField]
	fr        *emulated.Field[sw_bn254.ScalarField]
	keys      *circuitKeys
	committed []int
}

func newChildVerifier(api frontend.API, keys *[NumKinds]FixedKey, committed []int) (*childVerifier, error) {
	pr, err := sw_bn254.NewPairing(api)
	if err != nil {
		return nil, fmt.Errorf("pairing: %w", err)
	}
	cv, err := algebra.GetCurve[sw_bn254.ScalarField, sw_bn254.G1Affine](api)
	if err != nil {
		return nil, fmt.Errorf("curve: %w", err)
	}
	fp, err := emulated.NewField[sw_bn254.BaseField](api)
	if err != nil {
		return nil, fmt.Errorf("base field: %w", err)
	}
	fr, err := emulated.NewField[sw_bn254.ScalarField](api)
	if err != nil {
		return nil, fmt.Errorf("scalar field: %w", err)
	}
	return &childVerifier{api: api, pairing: pr, curve: cv, fp: fp, fr: fr, keys: newCircuitKeys(keys), committed: committed}, nil
}

// kind checks that bits is one-hot and returns the selector it defines.
func (v *childVerifier) kind(bits []frontend.Variable) (*selector, error) {
	if len(bits) != NumKinds {
		return nil, fmt.Errorf("kind vector of %d bits, want %d", len(bits), NumKinds)
	}
	sum := frontend.Variable(0)
	for _, b := range bits {
		v.api.AssertIsBoolean(b)
		sum = v.api.Add(sum, b)
	}
	v.api.AssertIsEqual(sum, 1)
	return &selector{api: v.api, fp: v.fp, kind: bits}, nil
}

// keyPoints picks a verifying key's constant points among the per-kind
// ones: a selector (the fold, by the child's kind) or onlyKey.
type keyPoints interface {
	g1(ps *[NumKinds]sw_bn254.G1Affine) *sw_bn254.G1Affine
	g2(qs *[NumKinds]sw_bn254.G2Affine) *sw_bn254.G2Affine
}

// onlyKey picks the key at index 0, for a verifier that embeds one key.
type onlyKey struct{}

func (onlyKey) g1(ps *[NumKinds]sw_bn254.G1Affine) *sw_bn254.G1Affine {
	p := ps[0]
	return &p
}

func (onlyKey) g2(qs *[NumKinds]sw_bn254.G2Affine) *sw_bn254.G2Affine {
	q := qs[0]
	return &q
}

// verify asserts that p proves the single public input digest under the key
// (fixed key picked by sel, bases k).
func (v *childVerifier) verify(sel keyPoints, k *[NumK]sw_bn254.G1Affine, p *Proof, digest frontend.Variable) error {
	if len(p.Commitments) != 1 {
		return fmt.Errorf("child proof has %d commitments, want 1", len(p.Commitments))
	}
	d := &p.Commitments[0].G1El
	// BN254's G1 has cofactor 1: on the curve is in the group. The bases K
	// are bound to an allowed key by its hash, B is checked by the pairing.
	for _, q := range []*sw_bn254.G1Affine{&p.Ar, &p.Krs, d, &p.CommitmentPok.G1El} {
		v.pairing.AssertIsOnCurve(q)
	}

	// Native BN254 Fr and the emulated scalar field are the same field, so
	// the bit decomposition carries the value exactly.
	pub := v.fr.FromBits(v.api.ToBinary(digest, 254)...)

	// The commitment's public wire: the hash of D and the public inputs it
	// covers, as gnark's prover computes it (GetNativeProverOptions).
	h, err := recursion.NewHash(v.api, sw_bn254.ScalarField{}.Modulus(), true)
	if err != nil {
		return fmt.Errorf("hash to field: %w", err)
	}
	h.Write(v.curve.MarshalG1(*d)...)
	for _, i := range v.committed {
		if i != 1 {
			return fmt.Errorf("commitment covers public input %d; children have one", i)
		}
		h.Write(v.curve.MarshalScalar(*pub)...)
	}
	com := v.fr.FromBits(v.api.ToBinary(h.Sum())...)

	l, err := v.curve.MultiScalarMul([]*sw_bn254.G1Affine{&k[1], &k[2]}, []*emulated.Element[sw_bn254.ScalarField]{pub, com})
	if err != nil {
		return fmt.Errorf("public inputs: %w", err)
	}
	l = v.curve.Add(l, &k[0])
	l = v.curve.Add(l, d)

	ks := v.keys
	if err := v.pairing.PairingCheck(
		[]*sw_bn254.G1Affine{d, &p.CommitmentPok.G1El},
		[]*sw_bn254.G2Affine{sel.g2(&ks.gSigmaNeg), sel.g2(&ks.g)},
	); err != nil {
		return fmt.Errorf("commitment check: %w", err)
	}
	if err := v.pairing.PairingCheck(
		[]*sw_bn254.G1Affine{&p.Ar, l, &p.Krs, sel.g1(&ks.alphaNeg)},
		[]*sw_bn254.G2Affine{&p.Bs, sel.g2(&ks.gammaNeg), sel.g2(&ks.deltaNeg), sel.g2(&ks.beta)},
	); err != nil {
		return fmt.Errorf("groth16 check: %w", err)
	}
	return nil
}

// VerifyConstant asserts in-circuit that p is a valid proof of the single
// public input digest under vk, a verifying key of the foldable shape (NumK
// public-input bases: one public input and one BSB22 commitment) that the
// calling circuit embeds whole as constants: its G2 points with
// precomputed lines, −α, and the bases K, whose multi-scalar
// multiplication then runs on gnark's fixed-base comb. It is the fold's
// check of a child (the same two pairing products) for a circuit compiled
// once vk exists, such as a wrap of a root fold proof. The proof must have
// been made with gnark's native recursion options
// (std/recursion/groth16.GetNativeProverOptions).
func VerifyConstant(api frontend.API, vk groth16.VerifyingKey, p *Proof, digest frontend.Variable) error {
	fk, err := FixedKeyOf(vk)
	if err != nil {
		return err
	}
	k, err := kOf(vk)
	if err != nil {
		return fmt.Errorf("agg: %w", err)
	}
	pc := vk.(*groth16bn254.VerifyingKey).PublicAndCommitmentCommitted
	if len(pc) != 1 {
		return fmt.Errorf("agg: verifying key lists the inputs of %d commitments, want 1", len(pc))
	}
	committed := pc[0]
	var keys [NumKinds]FixedKey
	for i := range keys {
		keys[i] = fk
	}
	v, err := newChildVerifier(api, &keys, committed)
	if err != nil {
		return fmt.Errorf("agg: %w", err)
	}
	if err := v.verify(onlyKey{}, &k, p, digest); err != nil {
		return fmt.Errorf("agg: %w", err)
	}
	return nil
}
