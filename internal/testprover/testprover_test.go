package testprover

import (
	"context"
	"errors"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
)

// foldAll proves every leaf and folds along the given tree.
func foldAll(t *testing.T, b *Backend, spec engine.Spec, n int, order []int, tree []engine.Node) ([]byte, error) {
	t.Helper()
	ctx := context.Background()
	commits := make([][]byte, n)
	for i := range commits {
		commits[i], _ = b.Contribute(ctx, spec, i)
	}
	ch, err := b.Challenge(commits)
	if err != nil {
		t.Fatal(err)
	}
	proofs := make([][]byte, len(tree))
	for i := 0; i < n; i++ {
		proofs[i], _ = b.ProveLeaf(ctx, spec, order[i], ch)
	}
	for _, nd := range tree[n:] {
		if proofs[nd.ID], err = b.Fold(ctx, proofs[nd.Left], proofs[nd.Right]); err != nil {
			return nil, err
		}
	}
	return b.Finalize(ctx, spec, proofs[len(tree)-1])
}

func TestDoubleBehavesLikeAProver(t *testing.T) {
	b := &Backend{}
	spec := engine.Spec{ELF: Program(5), Input: []byte("x")}
	id := []int{0, 1, 2, 3, 4}
	if _, err := foldAll(t, b, spec, 5, id, engine.Tree(5)); err != nil {
		t.Fatalf("canonical tree rejected: %v", err)
	}
	// Reordered leaves: folds of non-adjacent ranges are refused.
	if _, err := foldAll(t, b, spec, 5, []int{1, 0, 2, 3, 4}, engine.Tree(5)); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("reordered leaves: %v", err)
	}
	// Duplicated leaf.
	if _, err := foldAll(t, b, spec, 5, []int{0, 1, 1, 3, 4}, engine.Tree(5)); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("duplicated leaf: %v", err)
	}
	// A root missing the last leaf.
	if _, err := foldAll(t, b, spec, 4, id, engine.Tree(4)); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("missing leaf: %v", err)
	}
	// A different (left-leaning) tree shape over the right leaves.
	shape := []engine.Node{{ID: 0, Left: -1, Right: -1}, {ID: 1, Left: -1, Right: -1}, {ID: 2, Left: -1, Right: -1},
		{ID: 3, Left: 1, Right: 2}, {ID: 4, Left: 0, Right: 3}}
	if _, err := foldAll(t, b, engine.Spec{ELF: Program(3)}, 3, []int{0, 1, 2}, shape); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("non-canonical tree: %v", err)
	}
	if _, err := b.Plan(context.Background(), engine.Spec{ELF: []byte("junk")}); !errors.Is(err, engine.ErrBadProgram) {
		t.Fatalf("bad program: %v", err)
	}
}

// TestHookReachesFinalize: the hook sees Finalize too, and its error is
// Finalize's; only successful finalizations are counted.
func TestHookReachesFinalize(t *testing.T) {
	boom := errors.New("boom")
	var ops []string
	b := &Backend{Hook: func(_ context.Context, op string, _ int) error {
		ops = append(ops, op)
		if op == "finalize" {
			return boom
		}
		return nil
	}}
	spec := engine.Spec{ELF: Program(2)}
	if _, err := foldAll(t, b, spec, 2, []int{0, 1}, engine.Tree(2)); !errors.Is(err, boom) {
		t.Fatalf("finalize error: %v", err)
	}
	if b.Finalized.Load() != 0 || ops[len(ops)-1] != "finalize" {
		t.Fatalf("ops %v, finalized %d", ops, b.Finalized.Load())
	}
	b.Hook = nil
	if _, err := foldAll(t, b, spec, 2, []int{0, 1}, engine.Tree(2)); err != nil || b.Finalized.Load() != 1 {
		t.Fatalf("finalize: %v, finalized %d", err, b.Finalized.Load())
	}
}
