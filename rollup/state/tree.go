package state

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

// DefaultDepth is the production tree depth: 2^32 accounts.
const DefaultDepth = 32

// MaxDepth bounds the depth: indices are uint64 and every packing reserves
// 64 bits for an index.
const MaxDepth = 64

// ErrUnknownNode is returned by a partial tree (one rebuilt from a
// multiproof) when an operation needs a node the multiproof did not reveal.
var ErrUnknownNode = errors.New("state: node not covered by the multiproof")

// Account is one leaf of the tree.
type Account struct {
	PubKey  tedwards.PointAffine
	Balance uint64
	Nonce   uint64
}

// Leaf is the account's leaf hash.
func (a *Account) Leaf() fr.Element { return LeafHash(PKHash(&a.PubKey), a.Balance, a.Nonce) }

// Tree is a sparse Merkle tree of accounts. A full tree (New) knows every
// node (absent ones are the empty subtrees); a partial tree
// (VerifyMultiProof) knows only the leaves a multiproof opened, the nodes
// it supplied and the nodes computed from them, which is enough to update
// the opened leaves and to derive every later Merkle path of them.
//
// A Tree is not safe for concurrent use.
type Tree struct {
	depth    int
	partial  bool
	nodes    []map[uint64]fr.Element // nodes[0] are leaves, nodes[depth][0] the root
	accounts map[uint64]Account      // leaves that hold an account
	opened   map[uint64]bool         // partial tree: leaves the multiproof opened
}

// New returns an empty full tree of the given depth.
func New(depth int) (*Tree, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, fmt.Errorf("state: depth %d outside 1..%d", depth, MaxDepth)
	}
	t := &Tree{depth: depth, nodes: make([]map[uint64]fr.Element, depth+1), accounts: map[uint64]Account{}}
	for i := range t.nodes {
		t.nodes[i] = map[uint64]fr.Element{}
	}
	return t, nil
}

// Depth is the number of levels between a leaf and the root.
func (t *Tree) Depth() int { return t.depth }

// Capacity is the number of leaves, 2^depth (saturating at 2^64-1).
func (t *Tree) Capacity() uint64 {
	if t.depth >= 64 {
		return ^uint64(0)
	}
	return uint64(1) << t.depth
}

// Root is the current root.
func (t *Tree) Root() fr.Element {
	r, _ := t.node(t.depth, 0)
	return r
}

// Partial reports whether the tree was rebuilt from a multiproof.
func (t *Tree) Partial() bool { return t.partial }

// Known reports whether the leaf at index can be read and updated.
func (t *Tree) Known(index uint64) bool {
	if index >= t.Capacity() {
		return false
	}
	return !t.partial || t.opened[index]
}

// Account returns the account at index; ok is false for an empty leaf.
// A partial tree answers ErrUnknownNode for a leaf it did not open.
func (t *Tree) Account(index uint64) (acc Account, ok bool, err error) {
	if !t.Known(index) {
		return Account{}, false, fmt.Errorf("leaf %d: %w", index, ErrUnknownNode)
	}
	acc, ok = t.accounts[index]
	return acc, ok, nil
}

// NumAccounts is the number of non-empty leaves the tree knows.
func (t *Tree) NumAccounts() int { return len(t.accounts) }

// Indices returns the indices of the known accounts in increasing order.
func (t *Tree) Indices() []uint64 {
	out := make([]uint64, 0, len(t.accounts))
	for i := range t.accounts {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// Set writes an account at index and updates the path to the root.
func (t *Tree) Set(index uint64, acc Account) error {
	if !t.Known(index) {
		return fmt.Errorf("set leaf %d: %w", index, ErrUnknownNode)
	}
	if err := t.setLeaf(index, acc.Leaf()); err != nil {
		return err
	}
	t.accounts[index] = acc
	return nil
}

func (t *Tree) setLeaf(index uint64, leaf fr.Element) error {
	// Read every sibling first so a failure leaves the tree unchanged.
	sibs := make([]fr.Element, t.depth)
	for l := 0; l < t.depth; l++ {
		s, err := t.node(l, (index>>l)^1)
		if err != nil {
			return fmt.Errorf("set leaf %d: %w", index, err)
		}
		sibs[l] = s
	}
	cur := leaf
	t.nodes[0][index] = cur
	for l := 0; l < t.depth; l++ {
		i := index >> l
		if i&1 == 0 {
			cur = Compress(cur, sibs[l])
		} else {
			cur = Compress(sibs[l], cur)
		}
		t.nodes[l+1][i>>1] = cur
	}
	return nil
}

// Path is the Merkle path of one leaf: Siblings[l] is the sibling at level l
// (0 = next to the leaf); the index's bit l says whether the node on the
// path is the right child at level l.
type Path struct {
	Index    uint64
	Siblings []fr.Element
}

// Path returns the current Merkle path of the leaf at index.
func (t *Tree) Path(index uint64) (Path, error) {
	if !t.Known(index) {
		return Path{}, fmt.Errorf("path of leaf %d: %w", index, ErrUnknownNode)
	}
	p := Path{Index: index, Siblings: make([]fr.Element, t.depth)}
	for l := 0; l < t.depth; l++ {
		s, err := t.node(l, (index>>l)^1)
		if err != nil {
			return Path{}, fmt.Errorf("path of leaf %d: %w", index, err)
		}
		p.Siblings[l] = s
	}
	return p, nil
}

// Root computes the root the path leads to from leaf.
func (p *Path) Root(leaf fr.Element) fr.Element {
	cur := leaf
	for l, s := range p.Siblings {
		if (p.Index>>l)&1 == 0 {
			cur = Compress(cur, s)
		} else {
			cur = Compress(s, cur)
		}
	}
	return cur
}

func (t *Tree) node(level int, index uint64) (fr.Element, error) {
	if v, ok := t.nodes[level][index]; ok {
		return v, nil
	}
	if t.partial {
		return fr.Element{}, fmt.Errorf("level %d index %d: %w", level, index, ErrUnknownNode)
	}
	return EmptyRoot(level), nil
}

// EmptyRoot is the root of an empty subtree of the given height (0 is an
// empty leaf, which is zero).
func EmptyRoot(height int) fr.Element { return emptyRoots()[height] }

var emptyRoots = sync.OnceValue(func() []fr.Element {
	out := make([]fr.Element, MaxDepth+1)
	for h := 1; h <= MaxDepth; h++ {
		out[h] = Compress(out[h-1], out[h-1])
	}
	return out
})
