package mock

import (
	"context"

	"github.com/zkfleet/zkfleet/engine"
)

// Corrupt is a hostile prover for reliability tests: it runs b and then
// damages every commitment, leaf proof and fold it returns (one bit
// flipped), like a worker sending garbage. The coordinator must refuse
// its results and quarantine it.
type Corrupt struct{ engine.Backend }

func flip(r []byte, err error) ([]byte, error) {
	if err != nil || len(r) == 0 {
		return r, err
	}
	out := append([]byte(nil), r...)
	out[len(out)-1] ^= 1
	return out, nil
}

// Contribute implements engine.Backend with a damaged commitment.
func (c Corrupt) Contribute(ctx context.Context, spec engine.Spec, leaf int) ([]byte, error) {
	return flip(c.Backend.Contribute(ctx, spec, leaf))
}

// ProveLeaf implements engine.Backend with a damaged proof.
func (c Corrupt) ProveLeaf(ctx context.Context, spec engine.Spec, leaf int, challenge []byte) ([]byte, error) {
	return flip(c.Backend.ProveLeaf(ctx, spec, leaf, challenge))
}

// Fold implements engine.Backend with a damaged proof.
func (c Corrupt) Fold(ctx context.Context, left, right []byte) ([]byte, error) {
	return flip(c.Backend.Fold(ctx, left, right))
}
