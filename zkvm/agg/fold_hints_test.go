package agg

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/hintaudit"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// TestFoldHintsBound is the hint audit of the fold circuit (soundness.go):
// the fold has no hint of its own; every hint it calls is gnark's (the
// emulated field arithmetic, curve and pairing gadgets of the in-circuit
// verifier, bit decompositions, the range checker). For each hint called,
// outputs of picked calls are replaced by a different value, the children's
// proofs, keys and claims unchanged, and the fold must be unsatisfiable.
// Each case is a full solve of the fold (~15 s unloaded): outside -short one
// replacement per hint (15 hints), under -short one in all.
func TestFoldHintsBound(t *testing.T) {
	kinds, fixed, allowed := toyKinds(t)
	good := kinds[0]
	vkset := VKSetDigest(allowed)
	claims := chain(2, vkset)
	p0 := toyProve(t, good, &claims[0])
	p1 := toyProve(t, good, &claims[1])
	folded, ok := claim.Fold(&claims[0], &claims[1])
	if !ok {
		t.Fatal("native fold rejected a valid chain")
	}
	w := &Fold{Digest: folded.Digest()}
	w.Left = assignChild(t, p0, good.vk, 0, &claims[0])
	w.Right = assignChild(t, p1, good.vk, 0, &claims[1])
	w.Allowed = ZKVMSet(allowed).Strings()
	solve := func(opts ...test.TestEngineOption) error {
		ph, err := Placeholder(good.ccs, fixed)
		if err != nil {
			t.Fatal(err)
		}
		return test.IsSolved(ph, w, ecc.BN254.ScalarField(), opts...)
	}
	lim := hintaudit.Limits{PerHint: 1}
	if testing.Short() {
		lim = hintaudit.Limits{Total: 1}
	}
	names := hintaudit.Audit(t, solve, lim)
	if len(names) == 0 {
		t.Fatal("no hint called: the audit watched nothing")
	}
	t.Logf("hints called by the fold: %v", names)
}
