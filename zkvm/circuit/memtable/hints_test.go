package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/hintaudit"
)

// TestEveryHintOutputBound is the hint audit of the package doc's Soundness
// table: the circuit's only hints are the range checker's (limb
// decomposition, lookup counts); each output, replaced by a different value
// with every row and start value unchanged, must make the chunk
// unsatisfiable.
func TestEveryHintOutputBound(t *testing.T) {
	for chunk := 0; chunk < 2; chunk++ {
		c, _, err := Assign(sampleEntries(), testM, chunk, sampleGlobals(), cpuEnd())
		if err != nil {
			t.Fatal(err)
		}
		solve := func(opts ...test.TestEngineOption) error {
			return test.IsSolved(Placeholder(testM), c, ecc.BN254.ScalarField(), opts...)
		}
		names := hintaudit.Audit(t, solve, hintaudit.Limits{})
		if len(names) == 0 {
			t.Fatal("no hint called: the audit watched nothing")
		}
		t.Logf("chunk %d: hints %v", chunk, names)
	}
}
