package backend

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Magic starts every rollup batch proof file (engine.RegisterProofMagic).
const Magic = "ZKFLEET-ROLLUP\x00"

// FileVersion is the layout version of a batch proof file.
const FileVersion = 1

// FileSize is the exact size of a batch proof file: magic, version (2),
// key set id (32), chunks (4), statement (batch.StatementSize), root claim
// (claim.NumElements × 32), Groth16 proof (agg.ProofSize).
const FileSize = len(Magic) + 2 + 32 + 4 + batch.StatementSize + 32*claim.NumElements + agg.ProofSize

// ErrFormat marks a batch proof file that does not parse.
var ErrFormat = errors.New("rollup: malformed batch proof file")

// File is a batch proof: the root fold proof of a batch's chunks, the
// claim it proves, and the batch statement that claim implies.
type File struct {
	KeySet    string // hex key-set id
	Chunks    uint32 // chunk proofs folded (padding included)
	Statement batch.Statement
	Root      claim.Claim
	Proof     groth16.Proof
}

// Marshal encodes the file: every field at a fixed offset, big-endian.
func (f *File) Marshal() ([]byte, error) {
	set, err := hex.DecodeString(f.KeySet)
	if err != nil || len(set) != 32 {
		return nil, fmt.Errorf("rollup: key set id %q is not 32 hex bytes", f.KeySet)
	}
	proof, err := agg.EncodeProof(f.Proof)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(FileSize)
	b.WriteString(Magic)
	binary.Write(&b, binary.BigEndian, uint16(FileVersion))
	b.Write(set)
	binary.Write(&b, binary.BigEndian, f.Chunks)
	b.Write(f.Statement.Encode())
	for _, e := range f.Root.Elements() {
		x := e.Bytes()
		b.Write(x[:])
	}
	b.Write(proof)
	if b.Len() != FileSize {
		return nil, fmt.Errorf("rollup: encoded file is %d bytes, want %d", b.Len(), FileSize)
	}
	return b.Bytes(), nil
}

// ParseFile decodes a batch proof file strictly: its size is fixed, so
// nothing in it can make the parser allocate; a wrong magic or version, a
// statement that does not decode, a non-canonical field element, a claim
// without its tag or a proof that is not exactly one compressed Groth16
// proof with one commitment are errors.
func ParseFile(data []byte) (*File, error) {
	if !bytes.HasPrefix(data, []byte(Magic)) {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	if len(data) != FileSize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrFormat, len(data), FileSize)
	}
	r := data[len(Magic):]
	take := func(n int) []byte { out := r[:n]; r = r[n:]; return out }
	if v := binary.BigEndian.Uint16(take(2)); v != FileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, FileVersion)
	}
	f := &File{KeySet: hex.EncodeToString(take(32)), Chunks: binary.BigEndian.Uint32(take(4))}
	st, err := batch.DecodeStatement(take(batch.StatementSize))
	if err != nil {
		return nil, fmt.Errorf("%w: statement: %v", ErrFormat, err)
	}
	f.Statement = *st
	elems := make([]fr.Element, claim.NumElements)
	for i := range elems {
		if elems[i], err = claim.FromBytes32(take(32)); err != nil {
			return nil, fmt.Errorf("%w: claim element %d: %v", ErrFormat, i, err)
		}
	}
	var ok bool
	if f.Root, ok = claim.FromElements(elems); !ok {
		return nil, fmt.Errorf("%w: claim tag", ErrFormat)
	}
	if f.Proof, err = agg.DecodeProof(take(agg.ProofSize)); err != nil {
		return nil, fmt.Errorf("%w: groth16 proof: %v", ErrFormat, err)
	}
	return f, nil
}
