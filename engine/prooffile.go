package engine

import (
	"bytes"
	"errors"
	"fmt"
)

// Proof files name their kind in their first bytes, so a verifier can
// dispatch on a file before parsing it.
const (
	// RISCVMagic starts a RISC-V proof file (docs/PROOF_FORMAT.md).
	RISCVMagic = "ZKFLEET\x00"
	// MockMagic starts every mock proof file, of any kind. A mock file is
	// text and says what it is; no verifier ever accepts it.
	MockMagic = "ZKFLEET MOCK PROOF: NOT A PROOF\n"
)

// ErrMockProof is the verdict on every mock proof file.
var ErrMockProof = errors.New("mock proof: not a proof")

// ProofKind names the kind of a proof file from its magic, and whether it
// is a mock file (whose kind line follows the magic).
func ProofKind(file []byte) (kind string, mock bool, err error) {
	switch {
	case bytes.HasPrefix(file, []byte(MockMagic)):
		rest := file[len(MockMagic):]
		line, _, _ := bytes.Cut(rest, []byte("\n"))
		k, ok := bytes.CutPrefix(line, []byte("kind: "))
		if !ok || !ValidKind(string(k)) {
			return "", true, fmt.Errorf("%w: mock proof file without a kind line", ErrBadProof)
		}
		return string(k), true, nil
	case bytes.HasPrefix(file, []byte(RISCVMagic)):
		return KindRISCV, false, nil
	}
	return "", false, fmt.Errorf("%w: not a zkfleet proof file (unknown magic)", ErrBadProof)
}

// IsMockProof reports whether file is a mock proof file.
func IsMockProof(file []byte) bool { return bytes.HasPrefix(file, []byte(MockMagic)) }
