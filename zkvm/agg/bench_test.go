package agg

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// BenchmarkFoldCompile compiles the fold circuit (for toy children of the
// real shape: one public input, one commitment) and reports its size.
func BenchmarkFoldCompile(b *testing.B) {
	k := toySetup(b)
	for b.Loop() {
		ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, Placeholder(k.ccs))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
	}
}
