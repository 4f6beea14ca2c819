package prover

import (
	"context"
	"testing"
)

// BenchmarkFoldProve proves one fold of two real leaves of fib with the
// shared development key set (internal/testkeys; generated on first use).
func BenchmarkFoldProve(b *testing.B) {
	store, setID := devKeys(b)
	be, err := NewGroth16(store, setID)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	spec := fibSpec(b, 12)
	plan, err := be.Plan(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	coms := make([][]byte, plan.Leaves)
	for i := range coms {
		if coms[i], err = be.Contribute(ctx, spec, i); err != nil {
			b.Fatal(err)
		}
	}
	gamma, _ := be.Challenge(coms)
	l, err := be.ProveLeaf(ctx, spec, 0, gamma)
	if err != nil {
		b.Fatal(err)
	}
	r, err := be.ProveLeaf(ctx, spec, 1, gamma)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := be.Fold(ctx, l, r); err != nil { // loads the fold key outside the timing
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := be.Fold(ctx, l, r); err != nil {
			b.Fatal(err)
		}
	}
}
