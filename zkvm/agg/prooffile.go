package agg

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Magic starts every proof file.
const Magic = "ZKFLEET\x00"

// FileVersion is the proof-file layout version (docs/PROOF_FORMAT.md).
const FileVersion = 1

// Limits keep a hostile file from making the parser allocate without bound.
const (
	MaxOutputBytes = 64 << 20
)

// ErrFormat marks a proof file that does not parse.
var ErrFormat = errors.New("agg: malformed proof file")

// Statement is what a proof file asserts about a run.
type Statement struct {
	KeySet     string // hex key-set id
	ProgramID  [32]byte
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
	Output     []byte
	Leaves     uint32
}

// File is a parsed proof file.
type File struct {
	Statement
	Root  claim.Claim
	Proof groth16.Proof
}

// Marshal encodes the file (see docs/PROOF_FORMAT.md).
func (f *File) Marshal() ([]byte, error) {
	set, err := hex.DecodeString(f.KeySet)
	if err != nil || len(set) != 32 {
		return nil, fmt.Errorf("agg: key set id %q is not 32 hex bytes", f.KeySet)
	}
	if len(f.Output) > MaxOutputBytes {
		return nil, fmt.Errorf("agg: output of %d bytes exceeds %d", len(f.Output), MaxOutputBytes)
	}
	proof, err := EncodeProof(f.Proof)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(Magic)
	binary.Write(&b, binary.BigEndian, uint16(FileVersion))
	b.Write(set)
	b.Write(f.ProgramID[:])
	b.Write(f.InputHash[:])
	b.Write(f.OutputHash[:])
	binary.Write(&b, binary.BigEndian, f.ExitCode)
	binary.Write(&b, binary.BigEndian, f.Cycles)
	binary.Write(&b, binary.BigEndian, uint32(len(f.Output)))
	b.Write(f.Output)
	binary.Write(&b, binary.BigEndian, f.Leaves)
	for _, e := range f.Root.Elements() {
		x := e.Bytes()
		b.Write(x[:])
	}
	binary.Write(&b, binary.BigEndian, uint32(len(proof)))
	b.Write(proof)
	return b.Bytes(), nil
}

// EncodeProof encodes a proof with exactly one commitment: ProofSize bytes
// (gnark's compressed encoding), what DecodeProof reads back.
func EncodeProof(p groth16.Proof) ([]byte, error) {
	var pb bytes.Buffer
	if _, err := p.WriteTo(&pb); err != nil {
		return nil, fmt.Errorf("agg: encode proof: %w", err)
	}
	if pb.Len() != ProofSize {
		return nil, fmt.Errorf("agg: encoded proof is %d bytes, want %d (one commitment)", pb.Len(), ProofSize)
	}
	return pb.Bytes(), nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("%w: truncated", ErrFormat)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

// ParseFile decodes a proof file strictly: wrong magic or version,
// non-canonical field elements, a claim without its tag, a proof that is
// not exactly one compressed Groth16 proof with one commitment (checked
// before gnark decodes it) or whose encoding is not canonical, or trailing
// bytes are all errors. Memory use is bounded by the length of data.
func ParseFile(data []byte) (*File, error) {
	r := &reader{b: data}
	if string(r.take(len(Magic))) != Magic {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	if v := r.take(2); r.err == nil && binary.BigEndian.Uint16(v) != FileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, binary.BigEndian.Uint16(v), FileVersion)
	}
	var f File
	f.KeySet = hex.EncodeToString(r.take(32))
	copy(f.ProgramID[:], r.take(32))
	copy(f.InputHash[:], r.take(32))
	copy(f.OutputHash[:], r.take(32))
	if b := r.take(4); b != nil {
		f.ExitCode = binary.BigEndian.Uint32(b)
	}
	if b := r.take(8); b != nil {
		f.Cycles = binary.BigEndian.Uint64(b)
	}
	n := r.u32()
	if n > MaxOutputBytes {
		return nil, fmt.Errorf("%w: output length %d", ErrFormat, n)
	}
	f.Output = append([]byte{}, r.take(int(n))...)
	f.Leaves = r.u32()
	elems := make([]fr.Element, claim.NumElements)
	for i := range elems {
		b := r.take(32)
		if r.err != nil {
			break
		}
		e, err := claim.FromBytes32(b)
		if err != nil {
			return nil, fmt.Errorf("%w: root claim element %d: %v", ErrFormat, i, err)
		}
		elems[i] = e
	}
	// The proof's length is fixed: checking it here, and its layout in
	// DecodeProof, keeps gnark's decoder from trusting a length prefix.
	if pn := r.u32(); r.err == nil && pn != ProofSize {
		return nil, fmt.Errorf("%w: proof length %d, want %d", ErrFormat, pn, ProofSize)
	}
	pb := r.take(ProofSize)
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(r.b))
	}
	for _, h := range [][32]byte{f.ProgramID, f.InputHash, f.OutputHash} {
		if _, err := claim.FromBytes32(h[:]); err != nil {
			return nil, fmt.Errorf("%w: statement hash not a field element", ErrFormat)
		}
	}
	root, ok := claim.FromElements(elems)
	if !ok {
		return nil, fmt.Errorf("%w: root claim tag", ErrFormat)
	}
	f.Root = root
	p, err := DecodeProof(pb)
	if err != nil {
		return nil, fmt.Errorf("%w: groth16 proof: %v", ErrFormat, err)
	}
	f.Proof = p
	return &f, nil
}
