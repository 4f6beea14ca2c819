package circuit

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
)

// BenchmarkSolveChunk measures witness solving (all constraints, hints
// included; no proving) of one production-depth chunk of the example
// batch: go test -run '^$' -bench SolveChunk -benchtime 3x ./rollup/circuit
func BenchmarkSolveChunk(b *testing.B) {
	shape := batch.Shape{Depth: 32, Slots: 8}
	ex, err := sequencer.ExampleBatch(shape, shape.Slots, 1)
	if err != nil {
		b.Fatal(err)
	}
	ccs := compileShape(b, shape)
	c, err := Assign(shape, &ex.Prepared.Chunks[0], testVKSet)
	if err != nil {
		b.Fatal(err)
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if err := ccs.IsSolved(w); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*shape.Slots), "ms/tx")
	b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
}
