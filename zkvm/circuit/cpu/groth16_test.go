package cpu

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"
)

var update = flag.Bool("update", false, "rewrite testdata/constraints.golden")

func compile(t testing.TB, n int) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, Placeholder(n))
	if err != nil {
		t.Fatal(err)
	}
	return ccs
}

// TestConstraintGolden pins the constraint counts (N = 16 and 64) so changes
// in circuit size are deliberate; run with -update to rewrite.
func TestConstraintGolden(t *testing.T) {
	var b strings.Builder
	counts := map[int]int{}
	for _, n := range []int{16, 64} {
		ccs := compile(t, n)
		counts[n] = ccs.GetNbConstraints()
		fmt.Fprintf(&b, "N=%d constraints=%d commitments=%d\n", n, ccs.GetNbConstraints(), len(ccs.GetCommitments().CommitmentIndexes()))
	}
	perStep := float64(counts[64]-counts[16]) / 48
	fmt.Fprintf(&b, "marginal constraints/step=%.1f\n", perStep)
	t.Log(b.String())
	path := filepath.Join("testdata", "constraints.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Fatalf("constraint counts changed:\n got %s\nwant %s(run with -update if intended)", b.String(), want)
	}
}

// TestGroth16 proves and verifies one N = 16 segment with the options the
// fold circuit needs to verify it recursively.
func TestGroth16(t *testing.T) {
	if testing.Short() {
		t.Skip("full Groth16 setup/prove skipped under -short")
	}
	const n = 16
	rng := rand.New(rand.NewPCG(3, 4))
	input := []byte{1, 2, 3}
	segs := trace(t, genProgram(rng), input, n)
	c, cl, err := Assign(&segs[len(segs)/2], n, globals(rng, len(input)))
	if err != nil {
		t.Fatal(err)
	}
	ccs := compile(t, n)
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	field := ecc.BN254.ScalarField()
	proof, err := groth16.Prove(ccs, pk, w, stdgroth16.GetNativeProverOptions(field, field))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, pub, stdgroth16.GetNativeVerifierOptions(field, field)); err != nil {
		t.Fatal(err)
	}
	// The public input is exactly the claim digest.
	d := cl.Digest()
	if got := fmt.Sprint(c.Digest); got != d.String() {
		t.Fatalf("public input %s != digest %s", got, d.String())
	}
}

// BenchmarkProve measures one segment proof (setup excluded) for N = 1024.
func BenchmarkProve(b *testing.B) {
	for _, n := range []int{1024} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			// A loop of ALU, M, load and store steps (8 per iteration).
			var words []uint32
			words = append(words, li(5, uint32(n/8))...)
			words = append(words, li(20, dataBase)...)
			words = append(words,
				encR(0, 5, 6, 0, 6, 0x33), encR(1, 5, 6, 0, 7, 0x33), encR(0, 6, 7, 4, 8, 0x33),
				encS(0, 8, 20, 2), encI(0, 20, 2, 9, 0x03), encR(1, 5, 9, 5, 10, 0x33),
				addi(5, 5, -1), encB(-28, 0, 5, 1))
			words = append(words, li(17, 93)...)
			words = append(words, ecall)
			var input []byte
			m := newRef(progBase, words, input)
			segs, err := m.run(n, 1<<22)
			if err != nil {
				b.Fatal(err)
			}
			c, _, err := Assign(&segs[0], n, globals(rng, len(input)))
			if err != nil {
				b.Fatal(err)
			}
			ccs := compile(b, n)
			b.Logf("N=%d: %d constraints (%.1f/step)", n, ccs.GetNbConstraints(), float64(ccs.GetNbConstraints())/float64(n))
			pk, _, err := groth16.Setup(ccs)
			if err != nil {
				b.Fatal(err)
			}
			field := ecc.BN254.ScalarField()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, err := frontend.NewWitness(c, field)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := groth16.Prove(ccs, pk, w, stdgroth16.GetNativeProverOptions(field, field)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
