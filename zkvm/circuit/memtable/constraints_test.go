package memtable

import (
	"flag"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/internal/circuittest"
)

var update = flag.Bool("update", false, "rewrite testdata/constraints.golden")

// goldenM is the production chunk size the golden counts are locked for.
const goldenM = 64

// TestConstraintsGolden locks the R1CS size and BSB22 commitment count of
// the m = 64 circuit: a change in either changes keys and leaf VK shape, so
// it must be deliberate (go test -run TestConstraintsGolden -update).
func TestConstraintsGolden(t *testing.T) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, Placeholder(goldenM))
	if err != nil {
		t.Fatal(err)
	}
	got := describe(ccs)
	circuittest.Golden(t, filepath.Join("testdata", "constraints.golden"), got, *update)
}

func describe(ccs constraint.ConstraintSystem) string {
	nbCommit := len(ccs.GetCommitments().CommitmentIndexes())
	return fmt.Sprintf("memtable m=%d constraints=%d public=%d secret=%d commitments=%d\n",
		goldenM, ccs.GetNbConstraints(), ccs.GetNbPublicVariables(), ccs.GetNbSecretVariables(), nbCommit)
}
