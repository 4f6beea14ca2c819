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
	ks, fixed, _ := toyKinds(b)
	c, err := Placeholder(ks[0].ccs, fixed)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
	}
}
