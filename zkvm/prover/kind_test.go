package prover

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
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

// TestMockPlanMatchesTheRealPlan: the mock prover's plan of a RISC-V job
// carries the same statement as the real one (it runs the same guest), so
// a mock cluster reports what a real one would.
func TestMockPlanMatchesTheRealPlan(t *testing.T) {
	cases := []struct {
		name  string
		input []byte
	}{{"fib", []byte{30, 0, 0, 0}}, {"sha256", []byte("abc")}, {"sort", nil}}
	mb := mock.RISCV(mock.Shape{CPUSteps: DefaultShape.CPUSteps, MemRows: DefaultShape.MemRows, TapeBytes: DefaultShape.TapeBytes}, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			elf, err := guest.Example(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			spec := JobSpec{ELF: elf, Input: tc.input}
			j, err := NewJob(spec, DefaultShape)
			if err != nil {
				t.Fatal(err)
			}
			real := j.Plan("set")
			m, err := mb.Plan(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			if m.ProgramID != real.ProgramID || m.InputHash != real.InputHash || m.OutputHash != real.OutputHash ||
				m.ExitCode != real.ExitCode || m.Cycles != real.Cycles || string(m.Output) != string(real.Output) {
				t.Fatalf("mock statement differs from the real one:\nmock %+v\nreal %+v", m, real)
			}
			if !reflect.DeepEqual(m.Summary[1:], real.Summary) {
				t.Fatalf("summaries differ: %v vs %v", m.Summary, real.Summary)
			}
			t.Logf("%s: %d leaves real, %d mock", tc.name, real.Leaves, m.Leaves)
		})
	}
}
