package wrap

import (
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/toyfold"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// The toy fold (internal/toyfold) stands for the fold circuit.
type toyKey = toyfold.Key

func toySetup(t testing.TB) toyKey { return toyfold.Setup(t) }

// vkHashes are the tests' stand-ins for the hashes of a key set's
// verifying keys.
func vkHashes() [agg.NumKinds]fr.Element {
	var hs [agg.NumKinds]fr.Element
	for i := range hs {
		hs[i] = claim.U64(uint64(1000 + i))
	}
	return hs
}

// zkvmSet is the VK-set digest the tests' wrap embeds.
func zkvmSet() fr.Element { return agg.VKSetDigest(vkHashes()) }

// job is a RISC-V job as a proof file states it: the program, its input,
// and what the run printed, exited with and took.
type job struct {
	prog          *emu.Program
	input, output []byte
	exitCode      uint32
	cycles        uint64
	leaves        uint32
}

func testJob(t testing.TB) job {
	t.Helper()
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := emu.LoadELF(elf)
	if err != nil {
		t.Fatal(err)
	}
	// 37 input bytes (two tape blocks), of which the program reads 4.
	input := append([]byte{10, 0, 0, 0}, []byte("and thirty-three more bytes of input")[:33]...)
	return job{prog: prog, input: input, output: []byte("55\n"), exitCode: 7, cycles: 1000, leaves: 9}
}

// root is the root claim of a tree of j.leaves leaves proving j under the
// VK set vkSet, as agg.CheckStatement accepts it. The lanes
// agg.CheckStatement leaves free (the end pc and registers, the memory
// table's next address) hold arbitrary values.
func (j *job) root(vkSet fr.Element) claim.Claim {
	var c claim.Claim
	c.Commitment = claim.U64(777) // a fold's combination of its leaves': free
	c.Challenge = claim.DeriveChallenge(c.Commitment, int(j.leaves))
	c.InputLen = claim.U64(uint64(len(j.input)))
	c.VKSet = vkSet
	init := emu.InitialState(j.prog)
	c.Start[claim.CPUPC] = claim.U64(uint64(init.PC))
	c.Start[claim.CPURegs] = claim.RegsDigest(&init.Regs)
	e := &c.End
	e[claim.CPUPC] = claim.U64(0x1234)
	e[claim.CPUStep] = claim.U64(j.cycles)
	e[claim.CPURegs] = claim.U64(0xabcdef)
	e[claim.CPUInCursor] = claim.U64(4)
	e[claim.CPUOutCursor] = claim.U64(uint64(len(j.output)))
	e[claim.CPUHalted] = claim.U64(1)
	e[claim.CPUExitCode] = claim.U64(uint64(j.exitCode))
	e[claim.MemNextAddr] = claim.U64(0x80000000)
	e[claim.MemImageHash] = j.prog.ImageHash()
	e[claim.InCursor] = claim.U64(uint64(len(j.input)))
	e[claim.InHash] = claim.TapeRunningHash(j.input)
	e[claim.OutCursor] = claim.U64(uint64(len(j.output)))
	e[claim.OutHash] = claim.TapeRunningHash(j.output)
	return c
}

// statement is the proof file's statement of j.
func (j *job) statement() agg.Statement {
	return agg.Statement{
		ProgramID: claim.Bytes32(j.prog.ID()),
		InputHash: claim.Bytes32(claim.TapeHash(j.input)), OutputHash: claim.Bytes32(claim.TapeHash(j.output)),
		ExitCode: j.exitCode, Cycles: j.cycles, Output: j.output, Leaves: j.leaves,
	}
}

func big2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

func TestWrapSolver(t *testing.T) {
	key := toySetup(t)
	set := zkvmSet()
	j := testJob(t)
	root := j.root(set)
	full := j.statement()
	if err := agg.CheckStatement(&root, &full, set, j.prog, j.input); err != nil {
		t.Fatalf("the fixture is not a valid root: %v", err)
	}
	stmt := StatementOf(&full)
	if err := CheckRoot(&root, &stmt, j.leaves, set); err != nil {
		t.Fatalf("CheckRoot refuses what agg.CheckStatement accepts: %v", err)
	}
	proof := key.Prove(t, &root)
	f := ecc.BN254.ScalarField()
	// The test engine writes the witness into the circuit it is given:
	// each solve gets a fresh placeholder.
	solve := func(a *Wrap, opts ...test.TestEngineOption) error {
		t.Helper()
		ph, err := Placeholder(key.VK, set)
		if err != nil {
			t.Fatal(err)
		}
		return test.IsSolved(ph, a, f, opts...)
	}
	build := func(p groth16.Proof, cl *claim.Claim, s *settle.ProgramStatement, leaves uint32) *Wrap {
		t.Helper()
		a, err := assign(p, cl, s, leaves)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	t.Run("valid", func(t *testing.T) {
		a, err := Assign(proof, key.VK, &root, &stmt, j.leaves)
		if err != nil {
			t.Fatal(err)
		}
		if err := solve(a); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("free lanes", func(t *testing.T) {
		// What agg.CheckStatement does not look at, the wrap does not
		// either: the end pc and registers, the memory table's next
		// address; and the CPU may leave input unread.
		cl := root
		cl.End[claim.CPUPC] = claim.U64(8)
		cl.End[claim.CPURegs] = claim.U64(9)
		cl.End[claim.MemNextAddr] = claim.U64(10)
		cl.End[claim.CPUInCursor] = claim.U64(0)
		if err := agg.CheckStatement(&cl, &full, set, j.prog, j.input); err != nil {
			t.Fatalf("agg.CheckStatement: %v", err)
		}
		if err := solve(build(key.Prove(t, &cl), &cl, &stmt, j.leaves)); err != nil {
			t.Fatal(err)
		}
		cl.End[claim.CPUInCursor] = cl.InputLen // every byte read
		if err := solve(build(key.Prove(t, &cl), &cl, &stmt, j.leaves)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong public input", func(t *testing.T) {
		a := build(proof, &root, &stmt, j.leaves)
		a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		expectRefused(t, solve(a))
	})

	// Each statement field changed, the public input recomputed for the
	// changed statement: only the link to the proved claim can refuse it.
	other := claim.Bytes32(claim.U64(1))
	for _, c := range []struct {
		name string
		edit func(*settle.ProgramStatement)
	}{
		{"program id", func(s *settle.ProgramStatement) { s.ProgramID = other }},
		{"input hash", func(s *settle.ProgramStatement) { s.InputHash = other }},
		{"output hash", func(s *settle.ProgramStatement) { s.OutputHash = other }},
		{"input hash of the input one byte shorter", func(s *settle.ProgramStatement) {
			s.InputHash = claim.Bytes32(claim.TapeHash(j.input[:len(j.input)-1]))
		}},
		{"output hash of the output with a zero byte more", func(s *settle.ProgramStatement) {
			// The same running hash (zero padding), another length.
			s.OutputHash = claim.Bytes32(claim.TapeHash(append(append([]byte(nil), j.output...), 0)))
		}},
		{"exit code", func(s *settle.ProgramStatement) { s.ExitCode++ }},
		{"cycles", func(s *settle.ProgramStatement) { s.Cycles++ }},
	} {
		t.Run("statement: "+c.name, func(t *testing.T) {
			s := stmt
			c.edit(&s)
			if CheckRoot(&root, &s, j.leaves, set) == nil {
				t.Fatal("CheckRoot accepted")
			}
			expectRefused(t, solve(build(proof, &root, &s, j.leaves)))
		})
	}
	t.Run("leaf count", func(t *testing.T) {
		if CheckRoot(&root, &stmt, j.leaves+1, set) == nil {
			t.Fatal("CheckRoot accepted")
		}
		expectRefused(t, solve(build(proof, &root, &stmt, j.leaves+1)))
	})

	// Claims proved for real that the wrap must refuse, with the
	// statement of the fixture or (stmt set) one made to agree with the
	// claim everywhere but the check under test. agg.CheckStatement and
	// CheckRoot must refuse them too (natively: false).
	pid := func(img fr.Element, pc *big.Int) [32]byte {
		var e fr.Element
		e.SetBigInt(pc)
		return claim.Bytes32(claim.Hash(claim.U64(claim.TagProgram), img, e))
	}
	cases := []claimCase{
		{name: "claim under the rollup's VK set", edit: func(cl *claim.Claim) { cl.VKSet = agg.RollupSet(vkHashes()).Digest() }},
		{name: "nonzero bus sum", edit: func(cl *claim.Claim) { cl.BusSum = claim.U64(1) }},
		{name: "challenge not derived", edit: func(cl *claim.Claim) { cl.Challenge = claim.U64(43) }},
		{name: "challenge from another commitment", edit: func(cl *claim.Claim) {
			cl.Challenge = claim.DeriveChallenge(claim.U64(778), int(j.leaves))
		}},
		{name: "challenge without the leaf count", edit: func(cl *claim.Claim) {
			cl.Challenge = claim.Hash(claim.U64(claim.TagChallenge), cl.Commitment)
		}},
		{name: "zero leaves", edit: func(cl *claim.Claim) { cl.Challenge = claim.DeriveChallenge(cl.Commitment, 0) }, leaves: big.NewInt(0)},
		{name: "2^32 leaves", edit: func(cl *claim.Claim) {
			var n fr.Element
			n.SetBigInt(big2(32))
			cl.Challenge = claim.Hash(claim.U64(claim.TagChallenge), cl.Commitment, n)
		}, leaves: big2(32)},
		{name: "start pc another entry", edit: func(cl *claim.Claim) { cl.Start[claim.CPUPC] = claim.U64(uint64(j.prog.Entry) + 4) }},
		{name: "start pc entry + 2^32", edit: func(cl *claim.Claim) {
			cl.Start[claim.CPUPC].SetBigInt(new(big.Int).Add(big2(32), big.NewInt(int64(j.prog.Entry))))
		}, stmt: func(cl *claim.Claim, s *settle.ProgramStatement) {
			s.ProgramID = pid(cl.End[claim.MemImageHash], new(big.Int).Add(big2(32), big.NewInt(int64(j.prog.Entry))))
		}},
		{name: "start registers all zero", edit: func(cl *claim.Claim) {
			var regs [32]uint32
			cl.Start[claim.CPURegs] = claim.RegsDigest(&regs)
		}},
		{name: "another image hash", edit: func(cl *claim.Claim) { cl.End[claim.MemImageHash] = claim.U64(5) }},
		{name: "not halted", edit: func(cl *claim.Claim) { cl.End[claim.CPUHalted] = claim.U64(0) }},
		{name: "halted 2", edit: func(cl *claim.Claim) { cl.End[claim.CPUHalted] = claim.U64(2) }},
		{name: "ecall in progress", edit: func(cl *claim.Claim) { cl.End[claim.CPUIOSub] = claim.U64(1) }},
		{name: "another exit code", edit: func(cl *claim.Claim) { cl.End[claim.CPUExitCode] = claim.U64(uint64(j.exitCode) + 1) }},
		{name: "another step count", edit: func(cl *claim.Claim) { cl.End[claim.CPUStep] = claim.U64(j.cycles - 1) }},
		{name: "CPU output cursor short of the output tape", edit: func(cl *claim.Claim) {
			cl.End[claim.CPUOutCursor] = claim.U64(uint64(len(j.output)) - 1)
		}},
		{name: "output cursors one more", edit: func(cl *claim.Claim) {
			cl.End[claim.CPUOutCursor] = claim.U64(uint64(len(j.output)) + 1)
			cl.End[claim.OutCursor] = claim.U64(uint64(len(j.output)) + 1)
		}},
		{name: "another output running hash", edit: func(cl *claim.Claim) { cl.End[claim.OutHash] = claim.TapeRunningHash([]byte("56\n")) }},
		{name: "input tape short of the input length", edit: func(cl *claim.Claim) {
			cl.End[claim.InCursor] = claim.U64(uint64(len(j.input)) - 1)
		}},
		{name: "input length short of the input tape, input hash of that length", edit: func(cl *claim.Claim) {
			cl.InputLen = claim.U64(uint64(len(j.input)) - 1)
		}, stmt: func(cl *claim.Claim, s *settle.ProgramStatement) {
			s.InputHash = claim.Bytes32(claim.TapeDigest(cl.End[claim.InHash], uint64(len(j.input))-1))
		}},
		{name: "input length one more", edit: func(cl *claim.Claim) {
			cl.InputLen = claim.U64(uint64(len(j.input)) + 1)
			cl.End[claim.InCursor] = cl.InputLen
		}},
		{name: "another input running hash", edit: func(cl *claim.Claim) { cl.End[claim.InHash] = claim.TapeRunningHash([]byte("x")) }},
		{name: "CPU input cursor beyond the input", edit: func(cl *claim.Claim) {
			cl.End[claim.CPUInCursor] = claim.U64(uint64(len(j.input)) + 1)
		}},
		{name: "CPU input cursor −1", edit: func(cl *claim.Claim) { cl.End[claim.CPUInCursor].SetInt64(-1) }},
		{name: "input length 2^64", edit: func(cl *claim.Claim) {
			cl.InputLen.SetBigInt(big2(64))
			cl.End[claim.InCursor] = cl.InputLen
			cl.End[claim.CPUInCursor] = claim.U64(0)
		}, stmt: func(cl *claim.Claim, s *settle.ProgramStatement) {
			s.InputHash = claim.Bytes32(tapeDigest(cl.End[claim.InHash], cl.InputLen))
		}},
	}
	for i := range claim.StateWidth {
		if i == claim.CPUPC || i == claim.CPURegs {
			continue
		}
		cases = append(cases, claimCase{name: "nonzero start lane " + laneName(i), edit: func(cl *claim.Claim) { cl.Start[i] = claim.U64(1) }})
	}
	for _, c := range cases {
		t.Run("claim: "+c.name, func(t *testing.T) {
			cl := root
			c.edit(&cl)
			s := stmt
			if c.stmt != nil {
				c.stmt(&cl, &s)
			}
			leaves := big.NewInt(int64(j.leaves))
			if c.leaves != nil {
				leaves = c.leaves
			}
			if leaves.IsUint64() && leaves.Uint64() <= 1<<32-1 {
				n := uint32(leaves.Uint64())
				if CheckRoot(&cl, &s, n, set) == nil {
					t.Fatal("CheckRoot accepted")
				}
				fs := full
				fs.ProgramID, fs.InputHash, fs.Leaves = s.ProgramID, s.InputHash, n
				if agg.CheckStatement(&cl, &fs, set, j.prog, j.input) == nil {
					t.Fatal("agg.CheckStatement accepted: the case shows nothing")
				}
			}
			a := build(key.Prove(t, &cl), &cl, &s, 0)
			a.Leaves = leaves
			expectRefused(t, solve(a))
		})
	}

	t.Run("proof of another claim", func(t *testing.T) {
		other := root
		other.Commitment = claim.U64(778)
		expectRefused(t, solve(build(key.Prove(t, &other), &root, &stmt, j.leaves)))
	})
	t.Run("proof under another key", func(t *testing.T) {
		rogue := toySetup(t)
		expectRefused(t, solve(build(rogue.Prove(t, &root), &root, &stmt, j.leaves)))
	})
	t.Run("Assign checks natively", func(t *testing.T) {
		s := stmt
		s.Cycles++
		if _, err := Assign(proof, key.VK, &root, &s, j.leaves); err == nil {
			t.Fatal("Assign accepted a statement the root does not prove")
		}
		other := root
		other.Commitment = claim.U64(778)
		if _, err := Assign(proof, key.VK, &other, &stmt, j.leaves); err == nil {
			t.Fatal("Assign accepted a proof of another claim")
		}
		s = stmt
		s.OutputHash = [32]byte{0xff} // not below r
		if _, err := assign(proof, &root, &s, j.leaves); err == nil {
			t.Fatal("a non-canonical output hash was assigned")
		}
	})
}

// claimCase is a claim the wrap must refuse: the fixture's root edited,
// with the statement edited too if stmt is set and the leaf count leaves
// (the fixture's if nil).
type claimCase struct {
	name   string
	edit   func(*claim.Claim)
	stmt   func(*claim.Claim, *settle.ProgramStatement)
	leaves *big.Int
}

func laneName(i int) string {
	return [...]string{"pc", "step", "regs", "cpu-in-cursor", "cpu-out-cursor", "io-sub", "halted", "exit-code",
		"mem-next-addr", "mem-image-hash", "in-cursor", "in-hash", "out-cursor", "out-hash"}[i]
}

var _ [claim.StateWidth - 14]struct{} // laneName names every lane

// expectRefused requires a refusal and logs the failed check.
func expectRefused(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	t.Logf("refused: %.160s", msg)
}
