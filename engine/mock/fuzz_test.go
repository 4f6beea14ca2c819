package mock

import (
	"context"
	"errors"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
)

// FuzzFold: partial proofs come from workers; any bytes must be refused
// with ErrBadProof or folded, never panic.
func FuzzFold(f *testing.F) {
	b := New("demo", func(context.Context, engine.Spec) (*engine.Plan, error) { return &engine.Plan{Leaves: 2}, nil }, 0)
	spec := engine.Spec{Kind: "demo"}
	l0, _ := b.ProveLeaf(context.Background(), spec, 0, nil)
	l1, _ := b.ProveLeaf(context.Background(), spec, 1, nil)
	f.Add(l0, l1)
	f.Add([]byte("MOCK"), []byte{})
	f.Fuzz(func(t *testing.T, left, right []byte) {
		out, err := b.Fold(context.Background(), left, right)
		if err != nil {
			if !errors.Is(err, engine.ErrBadProof) {
				t.Fatalf("error %v is not ErrBadProof", err)
			}
			return
		}
		if _, err := b.Finalize(context.Background(), spec, out); err != nil && !errors.Is(err, engine.ErrBadProof) {
			t.Fatalf("Finalize: %v", err)
		}
	})
}
