package circuit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark/constraint"

	"github.com/zkfleet/zkfleet/rollup/batch"
)

var update = flag.Bool("update", false, "rewrite testdata/constraints.golden")

func compileShape(t testing.TB, shape batch.Shape) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := Compile(shape)
	if err != nil {
		t.Fatal(err)
	}
	return ccs
}

// TestConstraintGolden pins the R1CS size of the production depth (32)
// and of depth 28 with K = 1 and K = 2 slots; the difference is the
// marginal cost of one transaction, signature included. Depth 32 also has
// K = 16, where the per-chunk part (the claim digest) is spread over 16
// transactions. Each small compile takes about half a second, K = 16 about
// three.
func TestConstraintGolden(t *testing.T) {
	var b strings.Builder
	for _, depth := range []int{32, 28} {
		counts := map[int]int{}
		ks := []int{1, 2}
		if depth == 32 {
			ks = append(ks, 16)
		}
		for _, k := range ks {
			ccs := compileShape(t, batch.Shape{Depth: depth, Slots: k})
			counts[k] = ccs.GetNbConstraints()
			fmt.Fprintf(&b, "depth=%d K=%d constraints=%d public=%d commitments=%d\n", depth, k, ccs.GetNbConstraints(),
				ccs.GetNbPublicVariables()-1, len(ccs.GetCommitments().CommitmentIndexes()))
			if ccs.GetNbPublicVariables() != 2 {
				t.Errorf("K=%d: %d public inputs, want exactly 1", k, ccs.GetNbPublicVariables()-1)
			}
			if n := len(ccs.GetCommitments().CommitmentIndexes()); n != 1 {
				t.Errorf("K=%d: %d commitments, want exactly 1", k, n)
			}
		}
		fmt.Fprintf(&b, "depth=%d marginal constraints/tx=%d\n", depth, counts[2]-counts[1])
	}
	t.Log(b.String())
	path := filepath.Join("testdata", "constraints.golden")
	if *update {
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
