package agg

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// TagVK separates the hash of one verifying key from every other hash.
const TagVK = 0x766b00 + claim.Version

// kHolder lets us reuse gnark's witness schema to lay the bases K out as
// limbs, in the order the fold circuit reads them.
type kHolder struct{ K [NumK]sw_bn254.G1Affine }

func (*kHolder) Define(frontend.API) error { return nil }

// kLimbs lists the emulated limbs of the bases K in a fixed order. The same
// order is used in-circuit (on variables) and natively (on the witness
// vector of kHolder, whose schema walks fields in declaration order).
func kLimbs(k *[NumK]sw_bn254.G1Affine) []frontend.Variable {
	var out []frontend.Variable
	for i := range k {
		out = append(out, k[i].X.Limbs...)
		out = append(out, k[i].Y.Limbs...)
	}
	return out
}

// VKHash is the hash of a Groth16/BN254 verifying key as the fold circuit
// computes it: Hash(TagVK, digest of its FixedKey, limbs of K).
func VKHash(vk groth16.VerifyingKey) (fr.Element, error) {
	fk, err := FixedKeyOf(vk)
	if err != nil {
		return fr.Element{}, fmt.Errorf("agg: vk hash: %w", err)
	}
	k, err := kOf(vk)
	if err != nil {
		return fr.Element{}, fmt.Errorf("agg: vk hash: %w", err)
	}
	w, err := frontend.NewWitness(&kHolder{K: k}, ecc.BN254.ScalarField())
	if err != nil {
		return fr.Element{}, fmt.Errorf("agg: vk hash: %w", err)
	}
	vec, ok := w.Vector().(fr.Vector)
	if !ok {
		return fr.Element{}, fmt.Errorf("agg: vk hash: unexpected witness vector %T", w.Vector())
	}
	elems := append([]fr.Element{claim.U64(TagVK), fk.Digest()}, vec...)
	return claim.Hash(elems...), nil
}

// kOf returns the public-input bases of a verifying key as circuit values.
func kOf(vk groth16.VerifyingKey) ([NumK]sw_bn254.G1Affine, error) {
	var out [NumK]sw_bn254.G1Affine
	v, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return out, fmt.Errorf("verifying key is %T, not BN254", vk)
	}
	if len(v.G1.K) != NumK {
		return out, fmt.Errorf("verifying key has %d public-input bases, want %d", len(v.G1.K), NumK)
	}
	for i := range out {
		out[i] = sw_bn254.NewG1Affine(v.G1.K[i])
	}
	return out, nil
}

// AssignChild returns the fold-circuit witness of a child: proof p of the
// claim c under vk, of the given kind (index into keys.Kinds).
func AssignChild(p groth16.Proof, vk groth16.VerifyingKey, kind int, c *claim.Claim) (Child, error) {
	var ch Child
	if kind < 0 || kind >= NumKinds {
		return ch, fmt.Errorf("agg: kind %d out of range", kind)
	}
	pr, err := stdgroth16.ValueOfProof[sw_bn254.G1Affine, sw_bn254.G2Affine](p)
	if err != nil {
		return ch, fmt.Errorf("agg: child proof: %w", err)
	}
	k, err := kOf(vk)
	if err != nil {
		return ch, fmt.Errorf("agg: child key: %w", err)
	}
	ch.Proof, ch.K, ch.Claim = pr, k, gadget.AssignClaim(c)
	for i := range ch.Kind {
		ch.Kind[i] = 0
	}
	ch.Kind[kind] = 1
	return ch, nil
}

// NumKinds is the number of circuit kinds whose keys the fold embeds, in
// keys.Kinds order: the zkVM's four leaves, the rollup's chunk, the fold.
const NumKinds = 6

// Indexes of the kinds in keys.Kinds (and in the fold's embedded keys).
const (
	KindCPU = iota
	KindMemory
	KindInput
	KindOutput
	KindChunk
	KindFold
)

var _ [NumKinds - KindFold - 1]struct{} // the fold comes last

// SetSize is the number of VK hashes in a VK set (Fold.Allowed).
const SetSize = 5

// Set is a VK set: the hashes of the verifying keys that the proofs of one
// job kind may be made with (Fold.Allowed). Every claim of a fold tree
// carries the digest of one set (its VKSet global), the fold checks every
// child's key against the set it names, and each kind's final check pins
// its own set's digest: a proof of one kind's circuit can never stand in
// for another's, though one fold key serves both.
type Set [SetSize]fr.Element

// ZKVMSet is the VK set of RISC-V jobs: (cpu, memory, input, output, fold).
func ZKVMSet(hs [NumKinds]fr.Element) Set {
	return Set{hs[KindCPU], hs[KindMemory], hs[KindInput], hs[KindOutput], hs[KindFold]}
}

// RollupSet is the VK set of rollup batches: (chunk, fold, fold, fold,
// fold); repeating the fold's hash fills the fixed width.
func RollupSet(hs [NumKinds]fr.Element) Set {
	return Set{hs[KindChunk], hs[KindFold], hs[KindFold], hs[KindFold], hs[KindFold]}
}

// Digest is the VKSet global of claims under s: Hash(TagVKSet, s...).
func (s Set) Digest() fr.Element {
	return claim.Hash(append([]fr.Element{claim.U64(claim.TagVKSet)}, s[:]...)...)
}

// Has reports whether h is one of the set's hashes.
func (s Set) Has(h fr.Element) bool {
	for i := range s {
		if s[i].Equal(&h) {
			return true
		}
	}
	return false
}

// Strings is s as fold-circuit witness values (Fold.Allowed).
func (s Set) Strings() [SetSize]frontend.Variable {
	var out [SetSize]frontend.Variable
	for i := range s {
		out[i] = s[i].String()
	}
	return out
}

// VKSetDigest is the VKSet global of RISC-V jobs: the digest of
// ZKVMSet(hashes).
func VKSetDigest(hashes [NumKinds]fr.Element) fr.Element {
	s := ZKVMSet(hashes)
	return s.Digest()
}
