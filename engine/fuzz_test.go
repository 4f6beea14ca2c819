package engine

import (
	"errors"
	"testing"
)

// FuzzProofKind: any bytes, from anyone, get a kind or ErrBadProof, never a
// panic, and a mock file is always recognised as one.
func FuzzProofKind(f *testing.F) {
	f.Add([]byte(RISCVMagic + "x"))
	f.Add([]byte(MockMagic + "kind: riscv\n"))
	f.Add([]byte(MockMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, file []byte) {
		kind, mock, err := ProofKind(file)
		if err != nil && !errors.Is(err, ErrBadProof) {
			t.Fatalf("error %v is not ErrBadProof", err)
		}
		if err == nil && !ValidKind(kind) {
			t.Fatalf("kind %q accepted", kind)
		}
		if IsMockProof(file) != mock {
			t.Fatalf("IsMockProof disagrees with ProofKind")
		}
	})
}

// FuzzCheckTree: CheckTree never panics, and accepts the canonical trees.
func FuzzCheckTree(f *testing.F) {
	f.Add(3, []byte{0, 1, 3, 2})
	f.Fuzz(func(t *testing.T, n int, edits []byte) {
		n = n%64 + 1
		if n < 1 {
			n = -n + 1
		}
		tr := Tree(n)
		if !CheckTree(tr, n) {
			t.Fatalf("canonical tree of %d rejected", n)
		}
		for i := 0; i+1 < len(edits) && len(tr) > 0; i += 2 {
			nd := &tr[int(edits[i])%len(tr)]
			nd.Left = int(int8(edits[i+1]))
		}
		CheckTree(tr, n)
	})
}
