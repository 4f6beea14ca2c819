package state

import (
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// MaxOpenings bounds the leaves one multiproof may open (a batch touches at
// most two accounts per transaction).
const MaxOpenings = 1 << 16

// Opening is one opened leaf: the account stored there, or nil for an empty
// leaf (which proves the index is free).
type Opening struct {
	Index   uint64
	Account *Account
}

// MultiProof opens several leaves against one root. Leaves are sorted by
// strictly increasing index. Nodes are the sibling nodes that cannot be
// computed from the opened leaves, in the order the verifier needs them:
// level by level from the leaves up, and within a level by increasing
// index. Nothing else is carried; the verifier recomputes every other node.
type MultiProof struct {
	Depth  int
	Leaves []Opening
	Nodes  []fr.Element
}

// MultiProof opens the leaves at the given indices (any order, duplicates
// allowed) at the current root.
func (t *Tree) MultiProof(indices []uint64) (*MultiProof, error) {
	if t.partial {
		return nil, errors.New("state: multiproof of a partial tree")
	}
	idx := uniqueSorted(indices)
	if len(idx) == 0 || len(idx) > MaxOpenings {
		return nil, fmt.Errorf("state: multiproof of %d leaves (want 1..%d)", len(idx), MaxOpenings)
	}
	mp := &MultiProof{Depth: t.depth}
	for _, i := range idx {
		if i >= t.Capacity() {
			return nil, fmt.Errorf("state: index %d outside a depth-%d tree", i, t.depth)
		}
		op := Opening{Index: i}
		if a, ok := t.accounts[i]; ok {
			a := a
			op.Account = &a
		}
		mp.Leaves = append(mp.Leaves, op)
	}
	level := idx
	for l := 0; l < t.depth; l++ {
		level = walkLevel(level, func(sib uint64) bool {
			v, _ := t.node(l, sib)
			mp.Nodes = append(mp.Nodes, v)
			return true
		}, nil)
	}
	return mp, nil
}

// walkLevel visits the sorted known indices of one level: for an index
// whose sibling is not itself known it calls need(sibling) (which returns
// false to stop); for every pair it calls pair(left index) if non-nil. It
// returns the sorted parent indices, or nil if need stopped it.
func walkLevel(level []uint64, need func(sib uint64) bool, pair func(left uint64)) []uint64 {
	parents := make([]uint64, 0, len(level))
	for k := 0; k < len(level); k++ {
		i := level[k]
		if i&1 == 0 && k+1 < len(level) && level[k+1] == i|1 {
			k++ // both children known
		} else if !need(i ^ 1) {
			return nil
		}
		if pair != nil {
			pair(i &^ 1)
		}
		parents = append(parents, i>>1)
	}
	return parents
}

// VerifyMultiProof checks mp against root and returns the partial tree it
// reveals: the opened leaves can then be read, updated and given paths.
// It rejects unsorted or duplicate leaves, indices outside the tree, too
// many or too few nodes, and a root mismatch.
func VerifyMultiProof(root fr.Element, mp *MultiProof) (*Tree, error) {
	if mp == nil {
		return nil, errors.New("state: no multiproof")
	}
	t, err := New(mp.Depth)
	if err != nil {
		return nil, err
	}
	if len(mp.Leaves) == 0 || len(mp.Leaves) > MaxOpenings {
		return nil, fmt.Errorf("state: multiproof opens %d leaves (want 1..%d)", len(mp.Leaves), MaxOpenings)
	}
	if maxNodes := len(mp.Leaves) * mp.Depth; len(mp.Nodes) > maxNodes {
		return nil, fmt.Errorf("state: multiproof has %d nodes, at most %d possible", len(mp.Nodes), maxNodes)
	}
	t.partial = true
	t.opened = make(map[uint64]bool, len(mp.Leaves))
	level := make([]uint64, 0, len(mp.Leaves))
	for k, op := range mp.Leaves {
		if op.Index >= t.Capacity() {
			return nil, fmt.Errorf("state: opened index %d outside a depth-%d tree", op.Index, mp.Depth)
		}
		if k > 0 && op.Index <= mp.Leaves[k-1].Index {
			return nil, fmt.Errorf("state: opened leaves not strictly increasing at %d", op.Index)
		}
		var leaf fr.Element
		if op.Account != nil {
			leaf = op.Account.Leaf()
			t.accounts[op.Index] = *op.Account
		}
		t.nodes[0][op.Index] = leaf
		t.opened[op.Index] = true
		level = append(level, op.Index)
	}
	next := 0
	for l := 0; l < mp.Depth; l++ {
		nodes := t.nodes[l]
		level = walkLevel(level, func(sib uint64) bool {
			if next >= len(mp.Nodes) {
				return false
			}
			nodes[sib] = mp.Nodes[next]
			next++
			return true
		}, func(left uint64) {
			t.nodes[l+1][left>>1] = Compress(nodes[left], nodes[left|1])
		})
		if level == nil {
			return nil, fmt.Errorf("state: multiproof too short (%d nodes)", len(mp.Nodes))
		}
	}
	if next != len(mp.Nodes) {
		return nil, fmt.Errorf("state: multiproof has %d unused nodes", len(mp.Nodes)-next)
	}
	if got := t.nodes[mp.Depth][0]; !got.Equal(&root) {
		return nil, fmt.Errorf("state: multiproof root %s does not match the pre-state root %s", hexElem(got), hexElem(root))
	}
	return t, nil
}

func uniqueSorted(in []uint64) []uint64 {
	set := make(map[uint64]struct{}, len(in))
	out := make([]uint64, 0, len(in))
	for _, i := range in {
		if _, ok := set[i]; !ok {
			set[i] = struct{}{}
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

func hexElem(e fr.Element) string {
	b := e.Bytes()
	return fmt.Sprintf("0x%x", b[:])
}
