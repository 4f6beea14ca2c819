package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
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

// TestCompiledHintsBound is the same audit with gnark's real solver on the
// compiled circuit, which adds the builder's own hints (the BSB22
// commitment and its mask, documented don't-cares: the verifier, not the
// solver, checks the commitment).
func TestCompiledHintsBound(t *testing.T) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, Placeholder(testM))
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := Assign(sampleEntries(), testM, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	solve := func(opts ...solver.Option) error { return ccs.IsSolved(w, opts...) }
	t.Logf("hints called: %v", hintaudit.AuditCompiled(t, solve, nil, hintaudit.BuilderDontCare))
}
