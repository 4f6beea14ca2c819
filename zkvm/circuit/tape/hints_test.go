package tape

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/hintaudit"
)

// TestEveryHintOutputBound is the hint audit of the package doc's Soundness
// table: the circuit's only hints are the range checker's (limb
// decomposition, lookup counts); each output, replaced by a different value
// with every byte, flag and start value unchanged, must make the chunk
// unsatisfiable. Both directions, on a chunk with real bytes and padding.
func TestEveryHintOutputBound(t *testing.T) {
	data := sampleData(70) // chunk 1 holds 8 real bytes, then padding
	for _, dir := range []Dir{Input, Output} {
		t.Run(dir.String(), func(t *testing.T) {
			w, start := chunkOf(dir, data, 40, 1)
			c, _, err := assignFrom(dir, w, globals(len(data)), start)
			if err != nil {
				t.Fatal(err)
			}
			solve := func(opts ...test.TestEngineOption) error {
				return test.IsSolved(Placeholder(dir, testK), c, ecc.BN254.ScalarField(), opts...)
			}
			names := hintaudit.Audit(t, solve, hintaudit.Limits{})
			if len(names) == 0 {
				t.Fatal("no hint called: the audit watched nothing")
			}
			t.Logf("hints %v", names)
		})
	}
}
