package cpu

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

const negN = 16

// fixture is one traced program, cut into negN-step segments.
type fixture struct {
	segs  []emu.Segment
	g     claim.Globals
	input []byte
}

func newFixture(t *testing.T) *fixture {
	rng := rand.New(rand.NewPCG(7, 8))
	input := []byte{0x80, 0x7f, 0xff}
	return &fixture{segs: trace(t, genProgram(rng), input, negN), g: globals(rng, len(input)), input: input}
}

// find returns the segment and step index of the k-th step satisfying pred.
func (f *fixture) find(t *testing.T, k int, pred func(st *emu.Step) bool) (int, int) {
	t.Helper()
	for si := range f.segs {
		for i := range f.segs[si].Steps {
			if pred(&f.segs[si].Steps[i]) {
				if k == 0 {
					return si, i
				}
				k--
			}
		}
	}
	t.Fatal("no matching step")
	return 0, 0
}

func isOp(ops ...op) func(st *emu.Step) bool {
	return func(st *emu.Step) bool {
		k := decodeOp(st.Instr)
		for _, o := range ops {
			if k == o {
				return true
			}
		}
		return false
	}
}

// cloneSeg deep-copies a segment so tests can tamper with it.
func cloneSeg(s *emu.Segment) *emu.Segment {
	c := *s
	c.Steps = append([]emu.Step(nil), s.Steps...)
	return &c
}

func solve(seg *emu.Segment, g claim.Globals, opts ...test.TestEngineOption) error {
	c, _, err := Assign(seg, negN, g)
	if err != nil {
		return err
	}
	return test.IsSolved(Placeholder(negN), c, ecc.BN254.ScalarField(), opts...)
}

func mustFail(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("tampered witness was accepted")
	}
	t.Log(firstLine(err.Error()))
}

func TestHonestFixtureSolves(t *testing.T) {
	f := newFixture(t)
	for i := range f.segs {
		if err := solve(&f.segs[i], f.g); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
	}
}

// tamperEnd changes the claimed end state of the segment holding step
// (si, i) and expects the proof to be impossible.
func TestWrongALUResult(t *testing.T) {
	f := newFixture(t)
	for _, o := range []op{emu.OpADD, emu.OpSUB, emu.OpXOR, emu.OpSRA, emu.OpMULH, emu.OpDIV, emu.OpREMU, emu.OpSLTIU, emu.OpSLLI} {
		si, i := f.find(t, 0, isOp(o))
		seg := cloneSeg(&f.segs[si])
		rd := (seg.Steps[i].Instr >> 7) & 31
		seg.End.Regs[rd]++ // claim a different register file at the end
		if i < len(seg.Steps)-1 {
			// later steps may overwrite rd; the claim is simply wrong then too
		}
		mustFail(t, solve(seg, f.g))
	}
}

// hintLie replaces a hint by one that lies when lie returns true.
func hintLie(h solver.Hint, lie func(in, out []*big.Int) bool) test.TestEngineOption {
	return test.WithReplacementHint(solver.GetHintID(h), func(m *big.Int, in, out []*big.Int) error {
		if err := h(m, in, out); err != nil {
			return err
		}
		lie(in, out)
		return nil
	})
}

// rowsOnly is the circuit without the final claim-digest check, so a lie that
// also changes the claim is caught (or not) by the row constraints alone.
type rowsOnly struct{ Circuit }

func (c *rowsOnly) Define(api frontend.API) error { return c.define(api, false) }

func solveRowsOnly(seg *emu.Segment, g claim.Globals, opts ...test.TestEngineOption) error {
	c, _, err := Assign(seg, negN, g)
	if err != nil {
		return err
	}
	return test.IsSolved(&rowsOnly{*Placeholder(negN)}, &rowsOnly{*c}, ecc.BN254.ScalarField(), opts...)
}

func TestDividerLies(t *testing.T) {
	f := newFixture(t)
	si, _ := f.find(t, 0, isOp(emu.OpDIVU))
	// q−1 and r+b still satisfy a = q·b + r; the remainder bound must catch it.
	opt := hintLie(divHint, func(in, out []*big.Int) bool {
		if in[1].Sign() != 0 && out[0].Sign() > 0 {
			out[0].Sub(out[0], big.NewInt(1))
			out[1].Add(out[1], in[1])
		}
		return true
	})
	if err := solveRowsOnly(&f.segs[si], f.g); err != nil {
		t.Fatal(err)
	}
	mustFail(t, solveRowsOnly(&f.segs[si], f.g, opt))
}

func TestShiftLies(t *testing.T) {
	f := newFixture(t)
	for _, o := range []op{emu.OpSLL, emu.OpSRL, emu.OpSRAI} {
		si, _ := f.find(t, 0, isOp(o))
		// Halves of the shift product moved by 2^32 keep x·m = lo + 2^32·hi
		// (the top piece of lo grows by 2^10, the bottom piece of hi shrinks
		// by one); the range checks must catch it.
		opt := hintLie(splitHint, func(in, out []*big.Int) bool {
			if widthsAre(in, 11, 11, 10, 11, 11, 10) && out[3].Sign() > 0 {
				out[2].Add(out[2], big.NewInt(1<<10))
				out[3].Sub(out[3], big.NewInt(1))
			}
			return true
		})
		mustFail(t, solveRowsOnly(&f.segs[si], f.g, opt))
		// A wrong shift result in the claimed end registers.
		seg := cloneSeg(&f.segs[si])
		for i := range seg.Steps {
			if decodeOp(seg.Steps[i].Instr) == o {
				seg.End.Regs[seg.Steps[i].Instr>>7&31] ^= 1 << 7
			}
		}
		mustFail(t, solve(seg, f.g))
	}
}

func TestWrongBranchTarget(t *testing.T) {
	f := newFixture(t)
	// A branch in the middle of a segment: decode it as its opposite (BEQ
	// as BNE: funct3 bit 0 moved into rd[4:1], which then overflows its
	// range), or as another class.
	si, _ := f.find(t, 0, isOp(emu.OpBEQ))
	opt := hintLie(splitHint, func(in, out []*big.Int) bool {
		if len(out) == 11 && in[0].Uint64()&0x7f == 0x63 && out[3].Sign() == 0 && out[2].Sign() > 0 {
			out[3].SetUint64(1)
			out[2].Sub(out[2], big.NewInt(16))
		}
		return true
	})
	mustFail(t, solve(&f.segs[si], f.g, opt))
	opt = hintLie(decodeHint, func(in, out []*big.Int) bool {
		if out[clBranch].Sign() != 0 {
			out[clBranch].SetUint64(0)
			out[clOp].SetUint64(1)
		}
		return true
	})
	mustFail(t, solve(&f.segs[si], f.g, opt))
	// A wrong next pc in the claim.
	seg := cloneSeg(&f.segs[si])
	seg.End.PC += 4
	mustFail(t, solve(seg, f.g))
}

func TestWrongLoadValue(t *testing.T) {
	f := newFixture(t)
	for _, o := range []op{emu.OpLB, emu.OpLH, emu.OpLW, emu.OpLBU, emu.OpLHU} {
		si, i := f.find(t, 0, isOp(o))
		seg := cloneSeg(&f.segs[si])
		// The bus read claims a different old word: the loaded value no
		// longer matches what the (honest) end registers say.
		seg.Steps[i].Mem.Old ^= 0xffffffff
		seg.Steps[i].Mem.New = seg.Steps[i].Mem.Old
		mustFail(t, solve(seg, f.g))
	}
}

func TestWriteToX0Ignored(t *testing.T) {
	f := newFixture(t)
	// addi x0, x5, 123 followed by add x15, x0, x6: claim x15 saw x0 = x5+123.
	si, i := f.find(t, 0, func(st *emu.Step) bool { return st.Instr == addi(0, 5, 123) })
	seg := cloneSeg(&f.segs[si])
	if i+1 >= len(seg.Steps) {
		t.Skip("fixture puts the x15 read in the next segment")
	}
	seg.End.Regs[15] += seg.Steps[i].Rs1 + 123
	mustFail(t, solve(seg, f.g))
}

func TestFetchedInstruction(t *testing.T) {
	f := newFixture(t)
	si, i := f.find(t, 0, isOp(emu.OpADD))
	honest, cl, err := Assign(&f.segs[si], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	// A different word on the fetch tuple changes commitment and bus sum.
	seg := cloneSeg(&f.segs[si])
	seg.Steps[i].Instr = encR(0, 0, 0, 0, 0, 0x33) // add x0, x0, x0: same visible effect on rd=x0? no: different rd
	_, cl2, err := Assign(seg, negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	if cl2.Commitment.Equal(&cl.Commitment) || cl2.BusSum.Equal(&cl.BusSum) {
		t.Fatal("instruction word does not move commitment and bus sum")
	}
	c := *honest
	c.Rows = append([]Row(nil), honest.Rows...)
	c.Rows[i].Instr = seg.Steps[i].Instr
	mustFail(t, test.IsSolved(Placeholder(negN), &c, ecc.BN254.ScalarField()))
	// Decoding a SUB word as ADD (flags not matching funct7).
	si, _ = f.find(t, 0, isOp(emu.OpSUB))
	opt := hintLie(decodeKeyHint, func(in, out []*big.Int) bool {
		out[0].SetUint64(0) // alt = 0: SUB decoded as ADD
		return true
	})
	mustFail(t, solve(&f.segs[si], f.g, opt))
}

func TestOldTimestampNotBeforeTS(t *testing.T) {
	f := newFixture(t)
	si, i := f.find(t, 0, isOp(emu.OpSW))
	seg := cloneSeg(&f.segs[si])
	seg.Steps[i].Mem.OldTS = seg.Start.Step + uint64(i) + 1 // = ts
	mustFail(t, solve(seg, f.g))
	seg.Steps[i].Mem.OldTS = seg.Start.Step + uint64(i) // < ts: fine (claim recomputed natively)
	if err := solve(seg, f.g); err != nil {
		t.Fatalf("oldTs = ts-1 rejected: %v", err)
	}
}

func TestIOBytes(t *testing.T) {
	f := newFixture(t)
	si, i := f.find(t, 0, func(st *emu.Step) bool { return st.IOKind == emu.IORead })
	seg := cloneSeg(&f.segs[si])
	seg.Steps[i].IOByte ^= 1 // input byte not the one stored to memory
	mustFail(t, solve(seg, f.g))
	seg = cloneSeg(&f.segs[si])
	seg.Steps[i].IOIndex++ // tape index not the input cursor
	mustFail(t, solve(seg, f.g))
	si, i = f.find(t, 0, func(st *emu.Step) bool { return st.IOKind == emu.IOWrite })
	seg = cloneSeg(&f.segs[si])
	seg.Steps[i].IOByte ^= 1 // output byte not the byte in memory
	mustFail(t, solve(seg, f.g))
	seg = cloneSeg(&f.segs[si])
	seg.Steps[i].IOIndex++
	mustFail(t, solve(seg, f.g))
}

func TestNothingAfterHalt(t *testing.T) {
	f := newFixture(t)
	last := &f.segs[len(f.segs)-1]
	if len(last.Steps) >= negN {
		t.Skip("last segment is full")
	}
	if err := solve(last, f.g); err != nil {
		t.Fatal(err)
	}
	// A row after halt executing an instruction.
	seg := cloneSeg(last)
	st := emu.Step{PC: seg.End.PC, Instr: addi(5, 5, 1)}
	seg.Steps = append(seg.Steps, st)
	seg.End.Regs[5]++
	seg.End.Step++
	seg.End.PC += 4
	mustFail(t, solve(seg, f.g))
	// A padding row changing state.
	seg = cloneSeg(last)
	seg.End.Regs[5]++
	mustFail(t, solve(seg, f.g))
}

func TestWrongChallenge(t *testing.T) {
	f := newFixture(t)
	c, _, err := Assign(&f.segs[0], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	c.Challenge = 12345
	mustFail(t, test.IsSolved(Placeholder(negN), c, ecc.BN254.ScalarField()))
}

func TestMisalignedAccess(t *testing.T) {
	for _, o := range []op{emu.OpLW, emu.OpLH, emu.OpSW, emu.OpSH} {
		f := newFixture(t)
		si, i := f.find(t, 0, isOp(o))
		seg := cloneSeg(&f.segs[si])
		st := &seg.Steps[i]
		// Shift the address by one byte (two for words) by bumping the
		// immediate; the word access itself stays the same.
		st.Instr += 1 << 20
		if o == emu.OpSW || o == emu.OpSH {
			st.Instr = st.Instr - 1<<20 + 1<<7
		}
		mustFail(t, solve(seg, f.g))
	}
}

func TestIllegalInstruction(t *testing.T) {
	f := newFixture(t)
	si, i := f.find(t, 0, isOp(emu.OpFENCE))
	for _, w := range []uint32{0x0000100f, 0x00100073, 0x0000007f, encR(0x40, 1, 1, 0, 1, 0x33), encI(0x401, 1, 1, 1, 0x13)} {
		seg := cloneSeg(&f.segs[si])
		seg.Steps[i].Instr = w // claim consistent (Assign recomputes it), decode must fail
		mustFail(t, solve(seg, f.g))
	}
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

// TestRegisterBusTamper changes register-bus witness values directly (the
// claim stays honest), so only the segment-local register check can reject.
func TestRegisterBusTamper(t *testing.T) {
	f := newFixture(t)
	// A step reading the rd of an earlier ADD of the same segment sees a
	// wrong value (as if the ALU result had been different).
	si, i := f.find(t, 0, isOp(emu.OpADD))
	c, _, err := Assign(&f.segs[si], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(Placeholder(negN), c, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	tamper := func(row, slot int, val, ts func(v, t uint64) uint64) error {
		d := *c
		d.Rows = append([]Row(nil), c.Rows...)
		v, _ := toU64(d.Rows[row].Reg[slot])
		tt, _ := toU64(d.Rows[row].RegTS[slot])
		d.Rows[row].Reg[slot] = val(v, tt)
		d.Rows[row].RegTS[slot] = ts(v, tt)
		return test.IsSolved(Placeholder(negN), &d, ecc.BN254.ScalarField())
	}
	rd := f.segs[si].Steps[i].Instr >> 7 & 31
	for j := i + 1; j < len(f.segs[si].Steps); j++ {
		in := f.segs[si].Steps[j].Instr
		if decodeOp(in) != emu.OpECALL && in>>15&31 == rd {
			mustFail(t, tamper(j, 0, func(v, _ uint64) uint64 { return v ^ 1 }, func(_, t uint64) uint64 { return t }))
			break
		}
	}
	// Any slot: a wrong value, a stale time (value kept), a time not before
	// the access.
	for row := 0; row < negN; row += 5 {
		for slot := 0; slot < 4; slot++ {
			mustFail(t, tamper(row, slot, func(v, _ uint64) uint64 { return v + 1 }, func(_, t uint64) uint64 { return t }))
			if row > 0 {
				mustFail(t, tamper(row, slot, func(v, _ uint64) uint64 { return v }, func(_, t uint64) uint64 { return t + 1 }))
			}
			mustFail(t, tamper(row, slot, func(v, _ uint64) uint64 { return v }, func(_, _ uint64) uint64 { return uint64(4*row + slot + 1) }))
		}
	}
	// A read of x0 (add x15, x0, x6) returning something else than 0.
	si, i = f.find(t, 0, func(st *emu.Step) bool { return st.Instr == encR(0, 6, 0, 0, 15, 0x33) })
	c, _, err = Assign(&f.segs[si], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	mustFail(t, tamper(i, 0, func(_, _ uint64) uint64 { return 123 }, func(_, t uint64) uint64 { return t }))
}

func toU64(v any) (uint64, bool) {
	switch x := v.(type) {
	case uint64:
		return x, true
	case uint32:
		return uint64(x), true
	case int:
		return uint64(x), true
	}
	return 0, false
}

// TestNibbleLookupLies makes the lookup-backed hints lie: a wrong AND of a
// nibble pair, a wrong sign bit or power of two, a non-nibble limb (16 moved
// into the next limb keeps the recomposition), an oversized byte or
// instruction field, and wrong table counts must each be rejected.
func TestNibbleLookupLies(t *testing.T) {
	f := newFixture(t)
	si, _ := f.find(t, 0, isOp(emu.OpAND))
	if err := solveRowsOnly(&f.segs[si], f.g); err != nil {
		t.Fatal(err)
	}
	lies := map[string]test.TestEngineOption{
		"and": hintLie(nibbleHint, func(in, out []*big.Int) bool {
			if in[0].Sign() == 0 {
				out[0].Xor(out[0], big.NewInt(1))
			}
			return true
		}),
		"msb": hintLie(nibbleHint, func(in, out []*big.Int) bool {
			if in[0].Uint64() == 1 {
				out[0].Xor(out[0], big.NewInt(1))
			}
			return true
		}),
		"pow": hintLie(nibbleHint, func(in, out []*big.Int) bool {
			if in[0].Uint64() == 2 {
				out[0].Lsh(out[0], 1)
			}
			return true
		}),
		"limb": hintLie(splitHint, func(in, out []*big.Int) bool {
			if len(out) == 8 && out[1].Sign() > 0 {
				out[0].Add(out[0], big.NewInt(16))
				out[1].Sub(out[1], big.NewInt(1))
			}
			return true
		}),
		"small": hintLie(splitHint, func(in, out []*big.Int) bool {
			// bytes of the old memory word: 256 moved into byte 0
			if len(out) == 4 && in[1].Uint64() == 8 && out[1].Sign() > 0 {
				out[0].Add(out[0], big.NewInt(256))
				out[1].Sub(out[1], big.NewInt(1))
			}
			return true
		}),
		"field": hintLie(splitHint, func(in, out []*big.Int) bool {
			// instruction fields: 16 moved from funct7[5:0] into rs2[4:1]
			if len(out) == 11 && out[9].Sign() > 0 {
				out[8].Add(out[8], big.NewInt(16))
				out[9].Sub(out[9], big.NewInt(1))
			}
			return true
		}),
		"count": hintLie(countHint, func(in, out []*big.Int) bool {
			out[0].Add(out[0], big.NewInt(1))
			return true
		}),
	}
	sLoad, _ := f.find(t, 0, isOp(emu.OpLW)) // a segment loading a nonzero word
	for name, opt := range lies {
		seg := &f.segs[si]
		if name == "small" {
			seg = &f.segs[sLoad]
		}
		t.Run(name, func(t *testing.T) { mustFail(t, solveRowsOnly(seg, f.g, opt)) })
	}
}

// TestEcallKindLies: the syscall flags must match a7, so claiming another
// syscall (or none) for an ecall row is rejected, as is an ecall flag in a
// row that is no ecall.
func TestEcallKindLies(t *testing.T) {
	f := newFixture(t)
	for _, kind := range []emu.IOKind{emu.IORead, emu.IOWrite} {
		si, _ := f.find(t, 0, func(st *emu.Step) bool { return st.IOKind == kind })
		if err := solveRowsOnly(&f.segs[si], f.g); err != nil {
			t.Fatal(err)
		}
		for shift := 1; shift < 4; shift++ {
			opt := hintLie(ecallHint, func(in, out []*big.Int) bool {
				if in[0].Sign() != 0 {
					var v [4]uint64
					for i := range v {
						v[(i+shift)%4] = out[i].Uint64()
					}
					for i := range v {
						out[i].SetUint64(v[i])
					}
				}
				return true
			})
			mustFail(t, solveRowsOnly(&f.segs[si], f.g, opt))
		}
		none := hintLie(ecallHint, func(_, out []*big.Int) bool {
			for i := range out {
				out[i].SetUint64(0)
			}
			return true
		})
		mustFail(t, solveRowsOnly(&f.segs[si], f.g, none))
	}
	si, _ := f.find(t, 0, isOp(emu.OpADD))
	spurious := hintLie(ecallHint, func(in, out []*big.Int) bool {
		if in[0].Sign() == 0 {
			out[2].SetUint64(1)
		}
		return true
	})
	mustFail(t, solveRowsOnly(&f.segs[si], f.g, spurious))
}

// TestOldTimestampPacking: no row carries an old timestamp of 2^40 or more
// (the commitment's packing of a row needs oldTs below 2^40 to be
// injective), not even a row without a memory access.
func TestOldTimestampPacking(t *testing.T) {
	f := newFixture(t)
	si, i := f.find(t, 0, isOp(emu.OpADD))
	c, _, err := Assign(&f.segs[si], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(&rowsOnly{*Placeholder(negN)}, &rowsOnly{*c}, ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("control: %v", err)
	}
	c.Rows[i].MemOldTS = uint64(1) << 40
	mustFail(t, test.IsSolved(&rowsOnly{*Placeholder(negN)}, &rowsOnly{*c}, ecc.BN254.ScalarField()))
}

// TestPackedEqualities: the recompositions packed several per constraint
// (flushEq) still pin every limb: a limb off by one in the adder, the
// comparator, the shifter, a nibble word or the unit's product is rejected.
func TestPackedEqualities(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name  string
		o     op
		match func(in, out []*big.Int) bool
	}{
		{"adder", emu.OpADD, func(in, _ []*big.Int) bool { return widthsAre(in, 1, 1, 10, 10, 10, 1) }},
		{"shifter", emu.OpSLL, func(in, _ []*big.Int) bool { return widthsAre(in, 11, 11, 10, 11, 11, 10) }},
		{"nibbles", emu.OpXOR, func(_, out []*big.Int) bool { return len(out) == 8 }},
		{"product", emu.OpMULHU, func(in, _ []*big.Int) bool { return widthsAre(in, 11, 11, 10, 11, 11, 10, 1) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			si, _ := f.find(t, 0, isOp(tc.o))
			n := 0
			opt := hintLie(splitHint, func(in, out []*big.Int) bool {
				if tc.match(in, out) {
					if n%3 == 1 && out[0].Uint64() < 7 {
						out[0].Add(out[0], big.NewInt(1))
					}
					n++
				}
				return true
			})
			mustFail(t, solveRowsOnly(&f.segs[si], f.g, opt))
		})
	}
}

// widthsAre says whether a splitHint call has exactly these limb widths.
func widthsAre(in []*big.Int, w ...uint64) bool {
	if len(in) != len(w)+1 {
		return false
	}
	for i, x := range w {
		if in[i+1].Uint64() != x {
			return false
		}
	}
	return true
}
