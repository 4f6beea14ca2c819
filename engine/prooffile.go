package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
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

var (
	magicsMu sync.RWMutex
	magics   = map[string]string{RISCVMagic: KindRISCV} // magic → kind
)

// RegisterProofMagic declares that proof files of kind begin with magic
// (a kind's package calls it from init). A magic that is a prefix of
// another kind's, or of MockMagic, is refused.
func RegisterProofMagic(kind, magic string) error {
	if !ValidKind(kind) || len(magic) < 4 {
		return fmt.Errorf("engine: bad proof magic %q for kind %q", magic, kind)
	}
	magicsMu.Lock()
	defer magicsMu.Unlock()
	for m, k := range magics {
		if strings.HasPrefix(m, magic) || strings.HasPrefix(magic, m) {
			if m == magic && k == kind {
				return nil
			}
			return fmt.Errorf("engine: proof magic %q of %s clashes with %q of %s", magic, kind, m, k)
		}
	}
	if strings.HasPrefix(MockMagic, magic) || strings.HasPrefix(magic, MockMagic) {
		return fmt.Errorf("engine: proof magic %q clashes with the mock magic", magic)
	}
	magics[magic] = kind
	return nil
}

// ProofKind names the kind of a proof file from its magic, and whether it
// is a mock file (whose kind line follows the magic).
func ProofKind(file []byte) (kind string, mock bool, err error) {
	if bytes.HasPrefix(file, []byte(MockMagic)) {
		rest := file[len(MockMagic):]
		line, _, _ := bytes.Cut(rest, []byte("\n"))
		k, ok := bytes.CutPrefix(line, []byte("kind: "))
		if !ok || !ValidKind(string(k)) {
			return "", true, fmt.Errorf("%w: mock proof file without a kind line", ErrBadProof)
		}
		return string(k), true, nil
	}
	magicsMu.RLock()
	defer magicsMu.RUnlock()
	for m, k := range magics {
		if bytes.HasPrefix(file, []byte(m)) {
			return k, false, nil
		}
	}
	return "", false, fmt.Errorf("%w: not a zkfleet proof file (unknown magic)", ErrBadProof)
}

// IsMockProof reports whether file is a mock proof file.
func IsMockProof(file []byte) bool { return bytes.HasPrefix(file, []byte(MockMagic)) }
