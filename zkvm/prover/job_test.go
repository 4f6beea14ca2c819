package prover

import (
	"errors"
	"os"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

var testShape = keys.Shape{CPUSteps: 256, MemRows: 256, TapeBytes: 62}

func fibSpec(t testing.TB, n byte) JobSpec {
	t.Helper()
	elf, err := os.ReadFile("../../guest/bin/fib.elf")
	if err != nil {
		t.Skipf("guest ELF not built: %v", err)
	}
	return JobSpec{ELF: elf, Input: []byte{n, 0, 0, 0}}
}

// nativeRoot derives every leaf claim natively (commitments → challenge →
// claims) and folds them along the canonical tree.
func nativeRoot(t testing.TB, j *Job, vkset fr.Element) claim.Claim {
	t.Helper()
	coms := make([]fr.Element, j.Leaves())
	for i := range coms {
		c, err := j.Commit(i)
		if err != nil {
			t.Fatal(err)
		}
		coms[i] = c
	}
	g := claim.Globals{Challenge: claim.ChallengeFromCommitments(coms), InputLen: claim.U64(uint64(len(j.Input))), VKSet: vkset}
	nodes := claim.Tree(j.Leaves())
	cl := make([]claim.Claim, len(nodes))
	for _, nd := range nodes {
		if nd.Left < 0 {
			_, c, err := j.Assign(nd.ID, g)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Commitment.Equal(&coms[nd.ID]) {
				t.Fatalf("leaf %d: claim commitment differs from phase 1", nd.ID)
			}
			cl[nd.ID] = c
			continue
		}
		f, ok := claim.Fold(&cl[nd.Left], &cl[nd.Right])
		if !ok {
			t.Fatalf("node %d: children do not chain", nd.ID)
		}
		cl[nd.ID] = f
	}
	return cl[len(cl)-1]
}

func TestJobFinalChecks(t *testing.T) {
	spec := fibSpec(t, 20)
	j, err := NewJob(spec, testShape)
	if err != nil {
		t.Fatal(err)
	}
	if j.Leaves() < 3 {
		t.Fatalf("only %d leaves", j.Leaves())
	}
	vkset := claim.U64(4242)
	root := nativeRoot(t, j, vkset)
	plan := j.Plan("00")
	st := &agg.Statement{ProgramID: plan.ProgramID, InputHash: plan.InputHash, OutputHash: plan.OutputHash,
		ExitCode: plan.ExitCode, Cycles: plan.Cycles, Output: plan.Output, Leaves: uint32(plan.Leaves)}
	if err := agg.CheckStatement(&root, st, vkset, j.Program, spec.Input); err != nil {
		t.Fatalf("honest root rejected: %v", err)
	}
	if string(plan.Output) != "6765\n" {
		t.Fatalf("fib(20) output %q", plan.Output)
	}

	reject := func(name string, r claim.Claim, s agg.Statement, vk fr.Element, p *emu.Program, in []byte) {
		t.Helper()
		if err := agg.CheckStatement(&r, &s, vk, p, in); !errors.Is(err, agg.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	reject("other input", root, *st, vkset, j.Program, []byte{21, 0, 0, 0})
	reject("other vk set", root, *st, claim.U64(1), j.Program, spec.Input)
	s2 := *st
	s2.ExitCode = 1
	reject("exit code", root, s2, vkset, j.Program, spec.Input)
	s3 := *st
	s3.Output = []byte("6766\n")
	reject("output", root, s3, vkset, j.Program, spec.Input)
	s4 := *st
	s4.Cycles++
	reject("cycles", root, s4, vkset, j.Program, spec.Input)
	s5 := *st
	s5.Leaves++
	reject("leaf count", root, s5, vkset, j.Program, spec.Input)
	other := emu.ProgramFromWords(j.Program.Entry, []uint32{0x00000073})
	reject("other program", root, *st, vkset, other, spec.Input)
	r2 := root
	r2.BusSum.SetUint64(1)
	reject("bus sum", r2, *st, vkset, j.Program, spec.Input)
}

func TestNewJobErrors(t *testing.T) {
	if _, err := NewJob(JobSpec{ELF: []byte("not an elf")}, testShape); !errors.Is(err, ErrBadProgram) {
		t.Fatalf("bad ELF: %v", err)
	}
	spec := fibSpec(t, 20)
	spec.MaxCycles = 10
	if _, err := NewJob(spec, testShape); !errors.Is(err, ErrExecution) {
		t.Fatalf("cycle limit: %v", err)
	}
}

// Jobs of one ELF share its decoded program (and so its program id) through
// the backend's cache; another ELF gets its own.
func TestJobsShareTheProgramByELFHash(t *testing.T) {
	progs := emu.NewPrograms(4)
	a, err := newJob(fibSpec(t, 5), testShape, progs.Load)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newJob(fibSpec(t, 7), testShape, progs.Load)
	if err != nil {
		t.Fatal(err)
	}
	if a.Program != b.Program {
		t.Fatal("two jobs of one ELF decoded it twice")
	}
	if a.Exec.Result.Cycles == b.Exec.Result.Cycles {
		t.Fatal("different inputs ran the same execution")
	}
	sortELF, err := os.ReadFile("../../guest/bin/sort.elf")
	if err != nil {
		t.Skip(err)
	}
	c, err := newJob(JobSpec{ELF: sortELF, Input: []byte{0, 0, 0, 0}}, testShape, progs.Load)
	if err != nil {
		t.Fatal(err)
	}
	if c.Program == a.Program || c.Program.ID() == a.Program.ID() {
		t.Fatal("another ELF shares the cached program")
	}
	if _, err := newJob(JobSpec{ELF: []byte("not an elf")}, testShape, progs.Load); !errors.Is(err, ErrBadProgram) {
		t.Fatalf("malformed ELF through the cache: %v", err)
	}
}
