package wrap

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/hintaudit"
)

// TestStatementHintsBound is the hint audit of the statement half of the
// wrap (its packing and SHA-256): the wrap has no hint of its own; for
// every gnark hint it calls (byte splitting, bit decomposition, the
// SHA-256 gadget's byte lookups, the range checker), outputs of picked
// calls are replaced by a different value, the statement and public input
// unchanged, and the circuit must be unsatisfiable.
func TestStatementHintsBound(t *testing.T) {
	s := randomStatement(rand.New(rand.NewPCG(3, 4)))
	a := assignPI(t, &s)
	solve := func(opts ...test.TestEngineOption) error {
		return test.IsSolved(&piCircuit{}, a, ecc.BN254.ScalarField(), opts...)
	}
	names := hintaudit.Audit(t, solve, hintaudit.Limits{})
	if len(names) == 0 {
		t.Fatal("no hint called: the audit watched nothing")
	}
	t.Logf("hints called by the statement half: %v", names)
}
