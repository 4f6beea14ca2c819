package tape

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

// TestCompiledHintsBound is the same audit with gnark's real solver on the
// compiled circuits, which adds the builder's own hints (the BSB22
// commitment and its mask, documented don't-cares: the verifier, not the
// solver, checks the commitment).
func TestCompiledHintsBound(t *testing.T) {
	data := sampleData(70)
	for _, dir := range []Dir{Input, Output} {
		t.Run(dir.String(), func(t *testing.T) {
			ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, Placeholder(dir, testK))
			if err != nil {
				t.Fatal(err)
			}
			w0, start := chunkOf(dir, data, 40, 1)
			c, _, err := assignFrom(dir, w0, globals(len(data)), start)
			if err != nil {
				t.Fatal(err)
			}
			w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
			if err != nil {
				t.Fatal(err)
			}
			solve := func(opts ...solver.Option) error { return ccs.IsSolved(w, opts...) }
			t.Logf("hints called: %v", hintaudit.AuditCompiled(t, solve, nil, hintaudit.BuilderDontCare))
		})
	}
}
