package prover

import (
	"bytes"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// partialVersion is the version byte of the partial-proof encoding:
// version(1) ‖ kind(1) ‖ claim elements (claim.NumElements × 32, canonical
// big-endian) ‖ Groth16 proof (gnark compressed encoding with one
// commitment: exactly agg.ProofSize bytes, to the end).
// Version 2: kinds are indexes into keys.Kinds, which gained the rollup
// chunk (a version-1 fold, kind 4, would now read as a chunk).
const partialVersion = 2

// KindFold is the kind byte of a fold partial proof; zkVM leaf kinds use
// their claim.LeafKind value, a rollup chunk agg.KindChunk.
const KindFold = agg.KindFold

// Partial is a decoded partial proof.
type Partial struct {
	Kind  int
	Claim claim.Claim
	Proof groth16.Proof
}

// Marshal encodes the partial proof.
func (p *Partial) Marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte(partialVersion)
	b.WriteByte(byte(p.Kind))
	for _, e := range p.Claim.Elements() {
		x := e.Bytes()
		b.Write(x[:])
	}
	if _, err := p.Proof.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("encode partial proof: %w", err)
	}
	return b.Bytes(), nil
}

// ParsePartial decodes a partial proof strictly (errors wrap ErrBadProof).
// It never allocates more than a fixed amount, whatever data holds.
func ParsePartial(data []byte) (*Partial, error) {
	head := 2 + 32*claim.NumElements
	if len(data) != head+agg.ProofSize {
		return nil, fmt.Errorf("%w: partial proof is %d bytes, want %d", ErrBadProof, len(data), head+agg.ProofSize)
	}
	if data[0] != partialVersion || data[1] > KindFold {
		return nil, fmt.Errorf("%w: malformed partial proof header (version %d, kind %d)", ErrBadProof, data[0], data[1])
	}
	p := &Partial{Kind: int(data[1])}
	elems := make([]fr.Element, claim.NumElements)
	for i := range elems {
		e, err := claim.FromBytes32(data[2+32*i : 2+32*(i+1)])
		if err != nil {
			return nil, fmt.Errorf("%w: claim element %d: %v", ErrBadProof, i, err)
		}
		elems[i] = e
	}
	c, ok := claim.FromElements(elems)
	if !ok {
		return nil, fmt.Errorf("%w: claim tag", ErrBadProof)
	}
	p.Claim = c
	var err error
	// The proof's length and layout are fixed (one commitment): checked
	// before gnark decodes it, so a worker's message cannot make it
	// allocate by a length prefix.
	if p.Proof, err = agg.DecodeProof(data[head:]); err != nil {
		return nil, fmt.Errorf("%w: groth16 proof: %v", ErrBadProof, err)
	}
	return p, nil
}
