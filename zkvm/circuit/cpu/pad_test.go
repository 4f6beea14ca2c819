package cpu

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// mulHeavyProgram reads up to 3 input bytes to dataBase, then runs a loop
// of sixteen M ops (each of the eight twice), a write of the bytes read to
// fd 1 (one step per byte) and a counter, and exits with an M result: 16 M
// steps in every 22 + (bytes read) steps, more than a 32-step segment's 16
// unit rows.
func mulHeavyProgram(iterations uint32) []uint32 {
	var p []uint32
	emit := func(w ...uint32) { p = append(p, w...) }
	emit(li(10, 0)...)
	emit(li(11, dataBase)...)
	emit(li(12, 3)...)
	emit(li(17, 63)...)
	emit(ecall)
	emit(addi(18, 10, 0)) // bytes read
	emit(li(5, 0x89abcdef)...)
	emit(li(6, 0xfffffff3)...)
	emit(li(7, iterations)...)
	loop := len(p)
	for k := uint32(0); k < 16; k++ {
		emit(encR(1, 6, 5, k%8, 19+k%4, 0x33))
		if k == 11 {
			// write(1, dataBase, bytes read) in the middle of the M ops.
			emit(addi(10, 0, 1), addi(12, 18, 0), addi(17, 0, 64), ecall)
		}
	}
	emit(encR(0, 19, 5, 4, 5, 0x33)) // x5 ^= x19
	emit(addi(7, 7, -1))
	emit(encB(int32(4*(loop-len(p))), 0, 7, 1)) // bne x7, x0, loop
	emit(encR(0, 20, 21, 4, 10, 0x33))          // exit code x21 ^ x20
	emit(li(17, 93)...)
	emit(ecall)
	return p
}

// traceBudget traces words with emu at n steps per segment and the given M
// budget.
func traceBudget(t *testing.T, words []uint32, input []byte, n, budget int) *emu.Execution {
	t.Helper()
	ex, err := emu.Trace(emu.ProgramFromWords(progBase, words), input, emu.Config{SegmentSize: n, MulDivBudget: budget})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// solveN assigns seg to an n-step circuit and solves it.
func solveN(seg *emu.Segment, n int, g claim.Globals) error {
	c, _, err := Assign(seg, n, g)
	if err != nil {
		return err
	}
	return test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField())
}

// solveRowsOnlyN is solveRowsOnly for an n-step circuit.
func solveRowsOnlyN(seg *emu.Segment, n int, g claim.Globals) error {
	c, _, err := Assign(seg, n, g)
	if err != nil {
		return err
	}
	return test.IsSolved(&rowsOnly{*Placeholder(n)}, &rowsOnly{*c}, ecc.BN254.ScalarField())
}

// TestMulDivHeavySegments is the M-heavy guest the unit rows alone could not
// prove: cut by steps only, a segment needs more unit rows than the shape
// has (ErrUnitRows); cut at the budget the prover uses
// (DefaultMulDivRows), every segment solves, short non-final segments are
// padded, and the claims chain from the start to halt.
func TestMulDivHeavySegments(t *testing.T) {
	const n = 32
	rng := rand.New(rand.NewPCG(41, 42))
	input := []byte("xyz")
	words := mulHeavyProgram(12)
	g := globals(rng, len(input))

	plain := traceBudget(t, words, input, n, 0)
	refused := false
	for i := range plain.Segments {
		if _, _, err := Assign(&plain.Segments[i], n, g); errors.Is(err, ErrUnitRows) {
			refused = true
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if !refused {
		t.Fatal("the program does not exceed the unit rows without the budget")
	}

	ex := traceBudget(t, words, input, n, DefaultMulDivRows(n))
	res, err := emu.Run(emu.ProgramFromWords(progBase, words), input, emu.Config{})
	if err != nil {
		t.Fatal(err)
	}
	early, midIO := 0, 0
	var total claim.Claim
	for i := range ex.Segments {
		seg := &ex.Segments[i]
		last := i == len(ex.Segments)-1
		if !last && len(seg.Steps) < n {
			early++
			if seg.Start.IOSub != 0 {
				midIO++
			}
		}
		c, cl, err := Assign(seg, n, g)
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		// Under -short: every segment cut early (padding with halted = 0),
		// the first and the last.
		if !testing.Short() || i == 0 || last || len(seg.Steps) < n {
			if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("segment %d (%d steps): %v", i, len(seg.Steps), err)
			}
		}
		com, err := Commit(seg, n)
		if err != nil || !com.Equal(&cl.Commitment) {
			t.Fatalf("segment %d: Commit disagrees with Assign: %v", i, err)
		}
		if i == 0 {
			if !startsInitial(&cl, words) {
				t.Fatal("first segment does not start at the initial state")
			}
			total = cl
			continue
		}
		var ok bool
		if total, ok = claim.Fold(&total, &cl); !ok {
			t.Fatalf("segment %d does not start where %d ended", i, i-1)
		}
	}
	t.Logf("%d steps, %d segments, %d cut at the budget (%d starting inside a write)", res.Cycles, len(ex.Segments), early, midIO)
	if early == 0 {
		t.Fatal("no segment was cut at the budget")
	}
	if !total.End[claim.CPUHalted].Equal(ptr(claim.U64(1))) || !total.End[claim.CPUExitCode].Equal(ptr(claim.U64(uint64(res.ExitCode)))) ||
		!total.End[claim.CPUStep].Equal(ptr(claim.U64(res.Cycles))) || !total.End[claim.CPUOutCursor].Equal(ptr(claim.U64(uint64(len(res.Output))))) {
		t.Fatal("the folded claim does not end at the execution's halt")
	}
}

// startsInitial says whether a claim's CPU lane starts at the initial state
// of words.
func startsInitial(cl *claim.Claim, words []uint32) bool {
	s := emu.InitialState(emu.ProgramFromWords(progBase, words))
	l := cpuLane(&s)
	for i := range l {
		if !cl.Start[i].Equal(&l[i]) {
			return false
		}
	}
	return true
}

// TestShortSegmentsMidIO: any cut into at most n steps and at most the
// unit rows is provable. Segments of up to 6 steps with one M step each,
// proved in 16-step circuits, include segments that start inside a write
// ecall and end early (padding with ioSub = 0 after it) and segments that
// end inside it (padding keeps ioSub); all solve and chain.
func TestShortSegmentsMidIO(t *testing.T) {
	const n = 16
	rng := rand.New(rand.NewPCG(43, 44))
	input := []byte("abc")
	ex := traceBudget(t, mulHeavyProgram(1), input, 6, 1)
	g := globals(rng, len(input))
	startMid, endMid := 0, 0
	var total claim.Claim
	for i := range ex.Segments {
		seg := &ex.Segments[i]
		if seg.Start.IOSub != 0 && len(seg.Steps) < 6 && !seg.End.Halted {
			startMid++
		}
		if seg.End.IOSub != 0 {
			endMid++
		}
		c, cl, err := Assign(seg, n, g)
		if err != nil {
			t.Fatal(err)
		}
		if !testing.Short() || seg.Start.IOSub != 0 || seg.End.IOSub != 0 {
			if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("segment %d: %v", i, err)
			}
		}
		if i == 0 {
			total = cl
			continue
		}
		var ok bool
		if total, ok = claim.Fold(&total, &cl); !ok {
			t.Fatalf("segment %d does not chain", i)
		}
	}
	t.Logf("%d segments: %d start inside an ecall and end early, %d end inside one", len(ex.Segments), startMid, endMid)
	if startMid == 0 || endMid == 0 {
		t.Fatalf("%d short segments start and %d end inside an ecall", startMid, endMid)
	}
	if !total.End[claim.CPUHalted].Equal(ptr(claim.U64(1))) {
		t.Fatal("the folded claim does not end halted")
	}
}

// TestPaddingChangesNothing: a segment cut inside a write ecall (steps
// only) and padded proves exactly the state after its active rows; an End
// that differs in pc, step, a register, a cursor, ioSub (padding must not
// reset it), halted or the exit code cannot be proved.
func TestPaddingChangesNothing(t *testing.T) {
	const n = 16
	rng := rand.New(rand.NewPCG(45, 46))
	input := []byte("abc")
	ex := traceBudget(t, mulHeavyProgram(2), input, 5, 0)
	g := globals(rng, len(input))
	si := -1
	for i := range ex.Segments {
		if ex.Segments[i].End.IOSub != 0 && ex.Segments[i].End.OutCursor > 0 {
			si = i
			break
		}
	}
	if si < 0 {
		t.Fatal("no segment ends inside a write")
	}
	honest := &ex.Segments[si]
	if err := solveN(honest, n, g); err != nil {
		t.Fatalf("honest padded segment: %v", err)
	}
	tamper := map[string]func(s *emu.State){
		"pc":        func(s *emu.State) { s.PC += 4 },
		"step":      func(s *emu.State) { s.Step++ },
		"register":  func(s *emu.State) { s.Regs[5]++ },
		"a0":        func(s *emu.State) { s.Regs[10] = s.IOSub },
		"inCursor":  func(s *emu.State) { s.InCursor++ },
		"outCursor": func(s *emu.State) { s.OutCursor++ },
		"ioSub":     func(s *emu.State) { s.IOSub = 0 },
		"halted":    func(s *emu.State) { s.Halted = true },
		"exitCode":  func(s *emu.State) { s.ExitCode = 1 },
	}
	for name, f := range tamper {
		t.Run(name, func(t *testing.T) {
			seg := cloneSeg(honest)
			f(&seg.End)
			mustFail(t, solveN(seg, n, g))
		})
	}
}

// TestHaltedNeedsExit: a segment cut before its exit step, padded, cannot
// claim the halted end state (halted, exit code, pc past the ecall), and a
// segment cut early at the budget cannot claim to have halted.
func TestHaltedNeedsExit(t *testing.T) {
	const n = 32
	rng := rand.New(rand.NewPCG(47, 48))
	input := []byte("q")
	ex := traceBudget(t, mulHeavyProgram(4), input, n, DefaultMulDivRows(n))
	g := globals(rng, len(input))
	last := &ex.Segments[len(ex.Segments)-1]
	if err := solveN(last, n, g); err != nil {
		t.Fatal(err)
	}
	seg := cloneSeg(last)
	seg.Steps = seg.Steps[:len(seg.Steps)-1] // the exit step becomes padding
	mustFail(t, solveN(seg, n, g))
	seg.End.Step-- // the step count of the active rows, still halted
	mustFail(t, solveN(seg, n, g))
	for i := range ex.Segments[:len(ex.Segments)-1] {
		if s := &ex.Segments[i]; len(s.Steps) < n {
			seg := cloneSeg(s)
			seg.End.Halted, seg.End.ExitCode = true, seg.End.Regs[10]
			mustFail(t, solveN(seg, n, g))
			return
		}
	}
	t.Fatal("no segment cut at the budget")
}

// TestNoActiveRowAfterPadding: padding rows must be a suffix. The same rows
// with one padding row (instruction word 0, no access) moved from the end
// into the middle satisfy every row constraint but that one (the claim is
// not checked here: the middle padding row would also shift the memory
// timestamps of the rows after it).
func TestNoActiveRowAfterPadding(t *testing.T) {
	const n = 16
	rng := rand.New(rand.NewPCG(49, 50))
	input := []byte("ab")
	ex := traceBudget(t, mulHeavyProgram(3), input, n, 4)
	g := globals(rng, len(input))
	var base *emu.Segment
	for i := range ex.Segments {
		if s := &ex.Segments[i]; len(s.Steps) <= n-2 && len(s.Steps) >= 4 {
			base = s
			break
		}
	}
	if base == nil {
		t.Fatal("no short segment")
	}
	// A gap after step 1 (not an ecall: the witness builder reads the next
	// step's pc to see whether an ecall completed).
	at := 2
	for k := 1; k < len(base.Steps)-1; k++ {
		if decodeOp(base.Steps[k-1].Instr) != emu.OpECALL {
			at = k
			break
		}
	}
	withPad := func(pos int) *emu.Segment {
		s := cloneSeg(base)
		s.Steps = append(append(append([]emu.Step(nil), base.Steps[:pos]...), emu.Step{}), base.Steps[pos:]...)
		return s
	}
	if err := solveRowsOnlyN(withPad(len(base.Steps)), n, g); err != nil {
		t.Fatalf("padding at the end: %v", err)
	}
	mustFail(t, solveRowsOnlyN(withPad(at), n, g))
	// A segment starting halted has no active row.
	seg := cloneSeg(base)
	seg.Start.Halted, seg.End.Halted = true, true
	mustFail(t, solveN(seg, n, g))
}
