package fold

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/circuit"
)

var update = flag.Bool("update", false, "rewrite testdata/constraints.golden")

// TestConstraintGolden pins the R1CS size of the inner and the root fold
// for children shaped like the chunk circuit (any shape: the fold depends
// only on one public input and one commitment). Each compile takes about a
// minute and several GB, so it is skipped in -short.
func TestConstraintGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles two fold circuits")
	}
	child, err := circuit.Compile(batch.Shape{Depth: 4, Slots: 1})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := Placeholder(child)
	if err != nil {
		t.Fatal(err)
	}
	root, err := RootPlaceholder(child, Keys{Chunk: u(1), Fold: u(2)})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range []struct {
		name string
		c    *Fold
	}{{"inner", inner}, {"root", root}} {
		ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c.c)
		if err != nil {
			t.Fatal(err)
		}
		pub, com := ccs.GetNbPublicVariables()-1, len(ccs.GetCommitments().CommitmentIndexes())
		fmt.Fprintf(&b, "%s constraints=%d public=%d commitments=%d\n", c.name, ccs.GetNbConstraints(), pub, com)
		// The fold verifies fold children with the commitment layout of
		// childShape (PublicAndCommitmentCommitted is compiled in), so its
		// own layout must be the chunk circuit's.
		if got, want := committed(ccs), committed(child); got != want {
			t.Errorf("%s: commitment covers public inputs %s, the chunk circuit's %s", c.name, got, want)
		}
		if pub != 1 || com != 1 {
			t.Errorf("%s: %d public inputs and %d commitments, want 1 and 1 (a fold must be foldable)", c.name, pub, com)
		}
	}
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

func committed(ccs constraint.ConstraintSystem) string {
	cs, ok := ccs.GetCommitments().(constraint.Groth16Commitments)
	if !ok {
		return "(not Groth16 commitments)"
	}
	return fmt.Sprint(cs.GetPublicAndCommitmentCommitted(cs.CommitmentIndexes(), ccs.GetNbPublicVariables()))
}
