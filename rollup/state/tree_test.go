package state

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

func testAccount(i uint64) Account {
	var a Account
	a.PubKey.ScalarMultiplicationBase(new(big.Int).SetUint64(1000 + i))
	a.Balance = 100 * (i + 1)
	a.Nonce = i
	return a
}

func filledTree(t *testing.T, depth int, idx ...uint64) *Tree {
	t.Helper()
	tr, err := New(depth)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range idx {
		if err := tr.Set(i, testAccount(i)); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func TestEmptyTreeRoot(t *testing.T) {
	tr := filledTree(t, 8)
	want := EmptyRoot(8)
	if got := tr.Root(); !got.Equal(&want) {
		t.Fatalf("empty root %v, want %v", got, want)
	}
}

func TestPathLeadsToRoot(t *testing.T) {
	tr := filledTree(t, 10, 0, 1, 7, 300, 1023)
	for _, i := range []uint64{0, 1, 2, 7, 300, 512, 1023} {
		p, err := tr.Path(i)
		if err != nil {
			t.Fatal(err)
		}
		var leaf fr.Element
		if a, ok, _ := tr.Account(i); ok {
			leaf = a.Leaf()
		}
		root := tr.Root()
		if got := p.Root(leaf); !got.Equal(&root) {
			t.Fatalf("path of %d leads to %v, want %v", i, got, root)
		}
	}
	if _, err := tr.Path(1024); err == nil {
		t.Fatal("path outside the tree accepted")
	}
}

func TestMultiProofPartialTreeFollowsFullTree(t *testing.T) {
	full := filledTree(t, 12, 0, 3, 4, 5, 100, 2000, 4095)
	touched := []uint64{5, 3, 4, 2000, 77, 5} // 77 is empty
	mp, err := full.MultiProof(touched)
	if err != nil {
		t.Fatal(err)
	}
	part, err := VerifyMultiProof(full.Root(), mp)
	if err != nil {
		t.Fatal(err)
	}
	// Apply the same updates to both; roots and paths must agree.
	for step, i := range []uint64{77, 3, 2000, 4, 77} {
		a := testAccount(i + uint64(step)*11)
		if err := full.Set(i, a); err != nil {
			t.Fatal(err)
		}
		if err := part.Set(i, a); err != nil {
			t.Fatal(err)
		}
		fr1, fr2 := full.Root(), part.Root()
		if !fr1.Equal(&fr2) {
			t.Fatalf("step %d: partial root differs", step)
		}
		for _, j := range []uint64{3, 4, 5, 77, 2000} {
			p1, _ := full.Path(j)
			p2, err := part.Path(j)
			if err != nil {
				t.Fatal(err)
			}
			for l := range p1.Siblings {
				if !p1.Siblings[l].Equal(&p2.Siblings[l]) {
					t.Fatalf("step %d leaf %d level %d: sibling differs", step, j, l)
				}
			}
		}
	}
	if err := part.Set(6, testAccount(6)); !errors.Is(err, ErrUnknownNode) {
		t.Fatalf("update of an unopened leaf: %v", err)
	}
	if _, _, err := part.Account(0); !errors.Is(err, ErrUnknownNode) {
		t.Fatalf("read of an unopened leaf: %v", err)
	}
}

func TestVerifyMultiProofRejects(t *testing.T) {
	full := filledTree(t, 8, 1, 2, 9, 200)
	good, err := full.MultiProof([]uint64{2, 9, 200})
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *MultiProof {
		c := &MultiProof{Depth: good.Depth, Leaves: append([]Opening(nil), good.Leaves...), Nodes: append([]fr.Element(nil), good.Nodes...)}
		return c
	}
	tests := []struct {
		name string
		mut  func(*MultiProof)
	}{
		{"wrong sibling", func(m *MultiProof) { m.Nodes[3].SetUint64(42) }},
		{"missing node", func(m *MultiProof) { m.Nodes = m.Nodes[:len(m.Nodes)-1] }},
		{"extra node", func(m *MultiProof) { m.Nodes = append(m.Nodes, fr.Element{}) }},
		{"balance changed", func(m *MultiProof) {
			a := *m.Leaves[0].Account
			a.Balance++
			m.Leaves[0].Account = &a
		}},
		{"account claimed empty", func(m *MultiProof) { m.Leaves[1].Account = nil }},
		{"unsorted", func(m *MultiProof) { m.Leaves[0], m.Leaves[1] = m.Leaves[1], m.Leaves[0] }},
		{"duplicate", func(m *MultiProof) { m.Leaves[1] = m.Leaves[0] }},
		{"index outside", func(m *MultiProof) { m.Leaves[2].Index = 256 }},
		{"other index", func(m *MultiProof) { m.Leaves[2].Index = 201 }},
		{"other depth", func(m *MultiProof) { m.Depth = 9 }},
		{"no leaves", func(m *MultiProof) { m.Leaves = nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := clone()
			tc.mut(m)
			if _, err := VerifyMultiProof(full.Root(), m); err == nil {
				t.Fatal("tampered multiproof accepted")
			}
		})
	}
	var wrongRoot fr.Element
	wrongRoot.SetUint64(7)
	if _, err := VerifyMultiProof(wrongRoot, good); err == nil {
		t.Fatal("multiproof accepted against another root")
	}
}

func TestPackingsAreTagged(t *testing.T) {
	var pk tedwards.PointAffine
	pk.ScalarMultiplicationBase(big.NewInt(5))
	a := LeafHash(PKHash(&pk), 1, 0)
	b := LeafHash(PKHash(&pk), 0, 1)
	if a.Equal(&b) {
		t.Fatal("balance and nonce not separated")
	}
	p := PackLeaf(^uint64(0), ^uint64(0))
	bi := p.BigInt(new(big.Int))
	if bi.Rsh(bi, TagShift).Uint64() != TagLeaf {
		t.Fatal("tag not at bit 240")
	}
}

// TestMultiProofRandom: for random trees and random sets of opened
// indices (siblings, neighbours, far apart, empty leaves), the multiproof
// verifies, carries no more nodes than needed, and the partial tree
// follows the full tree through updates of every opened leaf.
func TestMultiProofRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		depth := 1 + rng.IntN(10)
		capacity := uint64(1) << depth
		full, err := New(depth)
		if err != nil {
			t.Fatal(err)
		}
		for range rng.IntN(20) {
			i := rng.Uint64N(capacity)
			if err := full.Set(i, testAccount(i+uint64(round))); err != nil {
				t.Fatal(err)
			}
		}
		var idx []uint64
		for range 1 + rng.IntN(8) {
			idx = append(idx, rng.Uint64N(capacity))
		}
		mp, err := full.MultiProof(idx)
		if err != nil {
			t.Fatal(err)
		}
		if len(mp.Nodes) > len(mp.Leaves)*depth {
			t.Fatalf("round %d: %d nodes for %d leaves", round, len(mp.Nodes), len(mp.Leaves))
		}
		part, err := VerifyMultiProof(full.Root(), mp)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for k, i := range idx {
			a := testAccount(uint64(1000 + k))
			if err := full.Set(i, a); err != nil {
				t.Fatal(err)
			}
			if err := part.Set(i, a); err != nil {
				t.Fatal(err)
			}
			r1, r2 := full.Root(), part.Root()
			if !r1.Equal(&r2) {
				t.Fatalf("round %d: roots diverge after updating %d", round, i)
			}
		}
	}
}
