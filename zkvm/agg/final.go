package agg

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/commitments/pedersen"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/math/uints"
)

// The parts shared by the wraps of final proofs (rollup/wrap, zkvm/wrap):
// circuits that verify a root fold proof against the embedded fold key
// (VerifyConstant) and publish the SHA-256 of a packed statement mod r,
// the single public input an EVM contract recomputes.

// CheckFoldVK checks that vk has the fold's shape: BN254, one public
// input, one BSB22 commitment covering no public input or that one.
func CheckFoldVK(vk groth16.VerifyingKey) error {
	v, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return fmt.Errorf("agg: fold verifying key is %T, not BN254", vk)
	}
	if len(v.CommitmentKeys) != 1 || len(v.PublicAndCommitmentCommitted) != 1 {
		return fmt.Errorf("agg: fold verifying key has %d commitments, want 1", len(v.PublicAndCommitmentCommitted))
	}
	if len(v.G1.K) != NumK {
		return fmt.Errorf("agg: fold verifying key has %d public-input bases, want %d", len(v.G1.K), NumK)
	}
	for _, i := range v.PublicAndCommitmentCommitted[0] {
		if i != 1 {
			return fmt.Errorf("agg: the fold's commitment covers public input %d; it has one", i)
		}
	}
	return nil
}

// PlaceholderFoldProof is a fold proof witness to compile a wrap with.
func PlaceholderFoldProof() Proof {
	return Proof{Commitments: make([]pedersen.Commitment[sw_bn254.G1Affine], 1)}
}

// CompileFinal compiles a wrap circuit and checks that it has the shape
// of a final proof an EVM verifies: one public input and one BSB22
// commitment.
func CompileFinal(c frontend.Circuit) (constraint.ConstraintSystem, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("compile: %w", err)
	}
	if n := ccs.GetNbPublicVariables() - 1; n != 1 {
		return nil, fmt.Errorf("compiled with %d public inputs, want 1", n)
	}
	if cm, ok := ccs.GetCommitments().(constraint.Groth16Commitments); !ok || len(cm) != 1 {
		return nil, fmt.Errorf("compiled with %d commitments, want 1", len(ccs.GetCommitments().CommitmentIndexes()))
	}
	return ccs, nil
}

// Packer builds, in-circuit, the bytes of a Solidity abi.encodePacked
// statement, and its SHA-256 digest reduced mod r.
type Packer struct {
	api  frontend.API
	u32  *uints.BinaryField[uints.U32]
	u64  *uints.BinaryField[uints.U64]
	bapi *uints.Bytes
	enc  []uints.U8
}

// NewPacker starts an empty packing.
func NewPacker(api frontend.API) (*Packer, error) {
	u32, err := uints.New[uints.U32](api)
	if err != nil {
		return nil, fmt.Errorf("uint32: %w", err)
	}
	u64, err := uints.New[uints.U64](api)
	if err != nil {
		return nil, fmt.Errorf("uint64: %w", err)
	}
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return nil, fmt.Errorf("bytes: %w", err)
	}
	return &Packer{api: api, u32: u32, u64: u64, bapi: bapi}, nil
}

// Const appends constant bytes (a magic, a version).
func (p *Packer) Const(b ...byte) { p.enc = append(p.enc, uints.NewU8Array(b)...) }

// U32 appends v as 4 big-endian bytes, asserting v < 2^32 (ValueOf splits
// into range-checked bytes and asserts they recompose v).
func (p *Packer) U32(v frontend.Variable) {
	p.enc = append(p.enc, p.u32.UnpackMSB(p.u32.ValueOf(v))...)
}

// U64 appends v as 8 big-endian bytes, asserting v < 2^64.
func (p *Packer) U64(v frontend.Variable) {
	p.enc = append(p.enc, p.u64.UnpackMSB(p.u64.ValueOf(v))...)
}

// Field appends the canonical 32-byte big-endian encoding of v. With as
// many digits as the field has bits, bits.ToBinary also asserts that the
// digits are at most r − 1: the decomposition of the canonical value,
// never of value + r.
func (p *Packer) Field(v frontend.Variable) {
	b := bits.ToBinary(p.api, v, bits.WithNbDigits(p.api.Compiler().FieldBitLen()))
	for k := 0; k < 32; k++ { // byte k holds bits 8(31−k) … 8(31−k)+7
		acc := frontend.Variable(0)
		for j := 7; j >= 0; j-- {
			acc = p.api.Add(acc, acc)
			if i := 8*(31-k) + j; i < len(b) {
				acc = p.api.Add(acc, b[i])
			}
		}
		p.enc = append(p.enc, p.bapi.ValueOf(acc))
	}
}

// Len is the number of bytes packed so far.
func (p *Packer) Len() int { return len(p.enc) }

// DigestModR is SHA-256 of the packed bytes as a big-endian integer in
// the native field, i.e. reduced mod r (every digest byte is
// range-checked to 8 bits).
func (p *Packer) DigestModR() (frontend.Variable, error) {
	h, err := sha2.New(p.api)
	if err != nil {
		return nil, fmt.Errorf("sha2: %w", err)
	}
	h.Write(p.enc)
	acc := frontend.Variable(0)
	for _, b := range h.Sum() {
		acc = p.api.Add(p.api.Mul(acc, 256), p.bapi.Value(b))
	}
	return acc, nil
}
