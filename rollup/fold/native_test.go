package fold

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// TestVKHash: the hash is stable for a key and differs between setups of
// the same circuit, so a rogue setup cannot pass for an accepted key.
func TestVKHash(t *testing.T) {
	a, b := toySetup(t), toySetup(t)
	ha1, err := VKHash(a.vk)
	if err != nil {
		t.Fatal(err)
	}
	ha2, err := VKHash(a.vk)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := VKHash(b.vk)
	if err != nil {
		t.Fatal(err)
	}
	if !ha1.Equal(&ha2) {
		t.Fatal("VKHash not deterministic")
	}
	if ha1.Equal(&hb) {
		t.Fatal("two setups hash alike")
	}
}

// TestOutputBindsStatementAndKeys: changing the statement or either key
// changes a fold's public input.
func TestOutputBindsStatementAndKeys(t *testing.T) {
	stmts, _ := chunks(2)
	keys := Keys{Chunk: u(11), Fold: u(12)}
	base := Output(&stmts[0], keys)
	for name, got := range map[string]fr.Element{
		"statement": Output(&stmts[1], keys),
		"chunk key": Output(&stmts[0], Keys{Chunk: u(13), Fold: u(12)}),
		"fold key":  Output(&stmts[0], Keys{Chunk: u(11), Fold: u(13)}),
		"swapped":   Output(&stmts[0], Keys{Chunk: u(12), Fold: u(11)}),
	} {
		t.Run(name, func(t *testing.T) {
			if got.Equal(&base) {
				t.Fatal("public input unchanged")
			}
		})
	}
	d := stmts[0].Digest()
	if base.Equal(&d) {
		t.Fatal("a fold's public input equals the chunk digest")
	}
}
