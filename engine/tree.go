package engine

import "sort"

// Node is one node of a fold tree. Leaves have Left = Right = -1 and ID
// equal to their leaf index; fold nodes have the ids after the leaves, in
// an order where children come before parents; the last node is the root.
type Node struct {
	ID, Left, Right int
	Level           int // 0 for leaves
}

// Tree is the canonical fold tree over n leaves (the RISC-V kind's
// claim.Tree has the same shape): level by level, adjacent nodes are
// paired left to right and an odd last node is carried up unchanged.
func Tree(n int) []Node {
	if n <= 0 {
		return nil
	}
	nodes := make([]Node, 0, 2*n-1)
	level := make([]int, n)
	for i := range n {
		nodes = append(nodes, Node{ID: i, Left: -1, Right: -1})
		level[i] = i
	}
	for lv := 1; len(level) > 1; lv++ {
		var next []int
		for i := 0; i+1 < len(level); i += 2 {
			id := len(nodes)
			nodes = append(nodes, Node{ID: id, Left: level[i], Right: level[i+1], Level: lv})
			next = append(next, id)
		}
		if len(level)%2 == 1 {
			next = append(next, level[len(level)-1])
		}
		level = next
	}
	return nodes
}

// CheckTree reports whether nodes is a well-formed fold tree over n
// leaves: leaves first, every fold node's children listed before it and
// used once, one root covering everything.
func CheckTree(nodes []Node, n int) bool {
	if n < 1 || len(nodes) != 2*n-1 {
		return false
	}
	used := make([]bool, len(nodes))
	for i, nd := range nodes {
		if nd.ID != i {
			return false
		}
		if i < n {
			if nd.Left != -1 || nd.Right != -1 {
				return false
			}
			continue
		}
		if nd.Left < 0 || nd.Right < 0 || nd.Left >= i || nd.Right >= i || nd.Left == nd.Right || used[nd.Left] || used[nd.Right] {
			return false
		}
		used[nd.Left], used[nd.Right] = true, true
	}
	for i := range len(nodes) - 1 {
		if !used[i] {
			return false
		}
	}
	return true
}

func sortStrings(s []string) { sort.Strings(s) }

// Span is the range of leaves [lo, hi] below node of tree (a leaf's span
// is itself). ok is false for a node outside the tree.
func Span(tree []Node, node int) (lo, hi int, ok bool) {
	if node < 0 || node >= len(tree) {
		return 0, 0, false
	}
	lo, hi = node, node
	for tree[lo].Left >= 0 {
		lo = tree[lo].Left
	}
	for tree[hi].Right >= 0 {
		hi = tree[hi].Right
	}
	return lo, hi, true
}
