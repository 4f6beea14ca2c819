package claim

// LeafKind names the four leaf circuits. Leaves of one job are ordered by
// kind in this order, and by index within a kind.
type LeafKind uint8

const (
	LeafCPU    LeafKind = iota // a segment of execution steps
	LeafMemory                 // a chunk of the memory table (sorted addresses)
	LeafInput                  // a chunk of the input tape
	LeafOutput                 // a chunk of the output tape
)

func (k LeafKind) String() string {
	switch k {
	case LeafCPU:
		return "cpu"
	case LeafMemory:
		return "memory"
	case LeafInput:
		return "input"
	case LeafOutput:
		return "output"
	}
	return "unknown"
}

// Leaf identifies one leaf proof of a job.
type Leaf struct {
	Kind  LeafKind
	Index int // index within its kind
}

// Node is one node of the canonical aggregation tree over n leaves. Nodes
// 0..n-1 are the leaves; nodes n.. are folds. A fold node has Left and Right
// children (node ids); a leaf has Left = Right = -1.
type Node struct {
	ID, Left, Right int
	Level           int
}

// Tree returns the canonical binary aggregation tree over n ≥ 1 leaves:
// level by level, adjacent nodes are paired left to right and an odd last
// node is carried up unchanged. Fold nodes are listed in an order where
// children come before parents. The last node is the root. The same shape
// drives RootCommitment, so a fold tree built any other way fails the
// challenge check.
func Tree(n int) []Node {
	if n <= 0 {
		return nil
	}
	nodes := make([]Node, 0, 2*n-1)
	level := make([]int, n)
	for i := 0; i < n; i++ {
		nodes = append(nodes, Node{ID: i, Left: -1, Right: -1})
		level[i] = i
	}
	lv := 0
	for len(level) > 1 {
		lv++
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
