package prover

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// The cluster folds along engine.Tree; the RISC-V circuits chain claims
// along claim.Tree. They must be the same tree.
func TestEngineTreeIsClaimTree(t *testing.T) {
	for n := 1; n <= 100; n++ {
		var got []claim.Node
		for _, nd := range engine.Tree(n) {
			got = append(got, claim.Node{ID: nd.ID, Left: nd.Left, Right: nd.Right, Level: nd.Level})
		}
		if want := claim.Tree(n); !reflect.DeepEqual(got, want) {
			t.Fatalf("n=%d: engine.Tree differs from claim.Tree", n)
		}
	}
}

func TestRISCVMagicIsTheProofFileMagic(t *testing.T) {
	if engine.RISCVMagic != agg.Magic {
		t.Fatalf("engine.RISCVMagic %q != agg.Magic %q", engine.RISCVMagic, agg.Magic)
	}
}

func TestNewJobCycleLimitAboveTheEmulatorsIsALimitError(t *testing.T) {
	elf, err := guest.Example("sort")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewJob(JobSpec{ELF: elf, Input: []byte{0, 0, 0, 0}, MaxCycles: 1 << 41}, DefaultShape)
	if !errors.Is(err, engine.ErrLimit) {
		t.Fatalf("NewJob with max cycles 2^41: %v, want ErrLimit", err)
	}
}

func TestGroth16RefusesOtherKinds(t *testing.T) {
	b := &Groth16{}
	if _, err := b.Plan(context.Background(), JobSpec{Kind: "rollup"}); !errors.Is(err, engine.ErrUnknownKind) {
		t.Fatalf("Plan of a rollup spec: %v", err)
	}
}
