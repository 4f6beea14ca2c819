package cpu

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/internal/circuittest"
	"github.com/zkfleet/zkfleet/internal/tier"
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
	circuittest.Golden(t, filepath.Join("testdata", "constraints.golden"), b.String(), *update)
}

// TestConstraintGolden1024 pins the count of the N = 1024 shape (default
// unit rows), the size the per-step goal is stated for: total/N ≤ 300.
// Skipped under -short (the compile takes ~10 s).
func TestConstraintGolden1024(t *testing.T) {
	if testing.Short() {
		t.Skip("N = 1024 compile skipped under -short")
	}
	const n = 1024
	ccs := compile(t, n)
	got := fmt.Sprintf("N=%d mulDivRows=%d constraints=%d commitments=%d\nconstraints/step=%.1f\n", n, DefaultMulDivRows(n),
		ccs.GetNbConstraints(), len(ccs.GetCommitments().CommitmentIndexes()), float64(ccs.GetNbConstraints())/n)
	t.Log(got)
	if per := float64(ccs.GetNbConstraints()) / n; per > 300 {
		t.Errorf("%.1f constraints per step at N = %d, goal ≤ 300", per, n)
	}
	circuittest.Golden(t, filepath.Join("testdata", "constraints1024.golden"), got, *update)
}

// TestGroth16 proves and verifies one N = 16 segment with the options the
// fold circuit needs to verify it recursively.
func TestGroth16(t *testing.T) {
	tier.RequireReal(t)
	const n = 16
	rng := rand.New(rand.NewPCG(3, 4))
	input := []byte{1, 2, 3}
	segs := trace(t, genProgram(rng), input, n)
	c, cl, err := Assign(&segs[len(segs)/2], n, globals(rng, len(input)))
	if err != nil {
		t.Fatal(err)
	}
	circuittest.ProveLeaf(t, Placeholder(n), c)
	// The public input is exactly the claim digest.
	d := cl.Digest()
	if got := fmt.Sprint(c.Digest); got != d.String() {
		t.Fatalf("public input %s != digest %s", got, d.String())
	}
}

// BenchmarkProve measures one Groth16 proof of a full segment of the sha256
// example guest (setup excluded, done once per size), with the prover
// options the fold circuit needs. It reports steps proved per second, per
// second and core (GOMAXPROCS), and the peak resident memory while proving
// (the proving key and constraint system included; the kernel's peak is
// reset after setup). N = 16384 needs ~12 GB: run it alone with
// -bench 'Prove/N=16384'.
func BenchmarkProve(b *testing.B) {
	for _, n := range []int{1024, 4096, 16384} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			ex := traceExample(b, "sha256", make([]byte, 4096), n)
			if len(ex.Segments) < 3 {
				b.Fatalf("sha256 run too short: %d segments", len(ex.Segments))
			}
			c, _, err := Assign(&ex.Segments[1], n, globals(rand.New(rand.NewPCG(5, 6)), 4096))
			if err != nil {
				b.Fatal(err)
			}
			ccs, pk := benchSetup(b, n)
			field := ecc.BN254.ScalarField()
			runtime.GC()
			resetPeakRSS()
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
			b.StopTimer()
			rate := float64(n) * float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "steps/s")
			b.ReportMetric(rate/float64(runtime.GOMAXPROCS(0)), "steps/s/core")
			if mb := peakRSSMB(); mb > 0 {
				b.ReportMetric(mb, "peakRSS-MB")
			}
		})
	}
}

var benchKeys = map[int]struct {
	ccs constraint.ConstraintSystem
	pk  groth16.ProvingKey
}{}

// benchSetup compiles and sets up the N-step circuit once per process.
func benchSetup(b *testing.B, n int) (constraint.ConstraintSystem, groth16.ProvingKey) {
	if k, ok := benchKeys[n]; ok {
		return k.ccs, k.pk
	}
	start := time.Now()
	ccs := compile(b, n)
	pk, _, err := groth16.Setup(ccs)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("N=%d: %d constraints (%.1f/step), compile+setup %s, setup peak RSS %.0f MB",
		n, ccs.GetNbConstraints(), float64(ccs.GetNbConstraints())/float64(n), time.Since(start).Round(time.Second), peakRSSMB())
	benchKeys[n] = struct {
		ccs constraint.ConstraintSystem
		pk  groth16.ProvingKey
	}{ccs, pk}
	return ccs, pk
}

// resetPeakRSS resets the kernel's peak resident set size of this process
// (Linux; a no-op elsewhere).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB is the peak resident set size in MB since start or the last
// reset (0 if unknown).
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
