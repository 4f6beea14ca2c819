package cpu

import (
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

const two32 = uint64(1) << 32

// state is the CPU lane carried from row to row. The registers are not in
// it: they live on the segment-local register bus (regbus.go).
type state struct {
	pc, step             frontend.Variable
	inCur, outCur, ioSub frontend.Variable
	halted, exitCode     frontend.Variable
}

// rowCtx holds what every row shares.
type rowCtx struct {
	api         frontend.API
	alpha, beta frontend.Variable
	inputLen    frontend.Variable
	regs        *regBus
	nib         *lookups
	md          *mulDivUnit

	// α², α³ and α³·(start step): with them a fingerprint costs one product
	// per non-constant slot, and α³·ts of row i is linear
	// (α³·step₀ + α³·(i+1)).
	alpha2, alpha3, alpha3Step0 frontend.Variable
	row                         int // index of the row being built

	// padPrev is 1 − active of the previous row (0 before the first row):
	// padding rows must be a suffix.
	padPrev frontend.Variable

	// Products that must all be zero and are non-negative integers far
	// below the field size (booleans times small ranged values): one
	// constraint asserts that their sum is zero (see step).
	zero []frontend.Variable

	// Linear expressions that must be zero and are bounded integers in
	// every assignment the other constraints allow: flushEq asserts them
	// several at a time (see there).
	eqs []boundedEq
}

// boundedEq is an expression that must be zero and lies in (−2^bits, 2^bits).
type boundedEq struct {
	v    frontend.Variable
	bits int
}

// assertEq schedules a − b = 0 where |a − b| < 2^bits whatever the witness
// (given the range checks, booleans and lookups of the circuit).
func (c *rowCtx) assertEq(a, b frontend.Variable, bits int) {
	c.eqs = append(c.eqs, boundedEq{v: c.api.Sub(a, b), bits: bits})
}

// flushEq asserts the scheduled equalities, packed as Σ 2^o_i·e_i = 0 with
// o_{i+1} = o_i + bits_i + 1 and the total below 2^250: the lowest e_i is
// ≡ 0 modulo 2^(bits_i+1) and smaller than that in absolute value, so it is
// 0, and so on upwards; the sum cannot wrap around the ~2^254 field. One
// constraint for several equalities instead of one each.
func (c *rowCtx) flushEq() {
	var acc frontend.Variable = 0
	off, n := 0, 0
	for _, e := range c.eqs {
		if off+e.bits+1 > 250 {
			c.api.AssertIsEqual(acc, 0)
			acc, off, n = 0, 0, 0
		}
		acc = c.api.Add(acc, c.api.Mul(e.v, pow2(off)))
		off += e.bits + 1
		n++
	}
	if n > 0 {
		c.api.AssertIsEqual(acc, 0)
	}
	c.eqs = c.eqs[:0]
}

// assertZero schedules a product known to be a small non-negative integer
// for the row's sum-is-zero check.
func (c *rowCtx) assertZero(v frontend.Variable) { c.zero = append(c.zero, v) }

// term is the bus term mult/(β − fp) with one constraint ((β − fp)·t =
// mult): every tuple is committed before the challenge, so β = fp happens
// only with negligible probability (the argument gadget.Term makes).
func term(api frontend.API, beta, fp, mult frontend.Variable) frontend.Variable {
	return api.DivUnchecked(mult, api.Sub(beta, fp))
}

// hint runs a registered hint and returns its outputs.
func (c *rowCtx) hint(f solver.Hint, n int, in ...frontend.Variable) []frontend.Variable {
	out, err := c.api.Compiler().NewHint(f, n, in...)
	if err != nil {
		panic(err)
	}
	return out
}

// split decomposes v into range-checked limbs of the given widths, constrains
// the recomposition and returns the limbs. Width-1 limbs are booleans.
func (c *rowCtx) split(v frontend.Variable, widths ...int) []frontend.Variable {
	return c.splitFrom(0, 0, v, widths...)
}

// splitBounded is split for a v known to lie in (−2^bound, 2^bound) whatever
// the witness: its recomposition joins the packed equalities (flushEq).
func (c *rowCtx) splitBounded(bound int, v frontend.Variable, widths ...int) []frontend.Variable {
	return c.splitFrom(0, bound, v, widths...)
}

// splitFrom is split whose limbs before index first are not range checked
// (the caller constrains them otherwise); bound > 0 is as in splitBounded.
// A limb wider than smallMax is itself cut into lookup-checked pieces of at
// most smallMax bits and returned as their linear combination, so a wide
// limb costs one lookup per piece and no equality of its own.
func (c *rowCtx) splitFrom(first, bound int, v frontend.Variable, widths ...int) []frontend.Variable {
	in := []frontend.Variable{v}
	var pieces [][]int // widths of the hint outputs making up each limb
	for i, w := range widths {
		p := []int{w}
		if i >= first && w > smallMax {
			p = pieceWidths(w)
		}
		pieces = append(pieces, p)
		for _, pw := range p {
			in = append(in, pw)
		}
	}
	out := c.hint(splitHint, len(in)-1, in...)
	limbs := make([]frontend.Variable, len(widths))
	var acc frontend.Variable = 0
	shift, k := 0, 0
	for i, p := range pieces {
		var limb frontend.Variable = 0
		off := 0
		for _, pw := range p {
			x := out[k]
			k++
			switch {
			case i < first: // constrained by the caller
			case pw == 1:
				c.api.AssertIsBoolean(x)
			default:
				c.nib.small(c, x, pw)
			}
			limb = c.api.Add(limb, c.api.Mul(x, pow2(off)))
			off += pw
		}
		limbs[i] = limb
		acc = c.api.Add(acc, c.api.Mul(limb, pow2(shift)))
		shift += widths[i]
	}
	if bound > 0 {
		c.assertEq(acc, v, max(bound, shift)+1)
	} else {
		c.api.AssertIsEqual(acc, v)
	}
	return limbs
}

// pieceWidths cuts a width into the fewest nearly equal pieces of at most
// smallMax bits.
func pieceWidths(w int) []int {
	n := (w + smallMax - 1) / smallMax
	p := make([]int, n)
	for i := range p {
		p[i] = w / n
		if i < w%n {
			p[i]++
		}
	}
	return p
}

// Check implements frontend.Rangechecker with the lookup tables: 0 ≤ v <
// 2^bits, one lookup for bits ≤ smallMax, else one per piece and an equality.
func (c *rowCtx) Check(v frontend.Variable, bits int) {
	switch {
	case bits == 1:
		c.api.AssertIsBoolean(v)
	case bits <= smallMax:
		c.nib.small(c, v, max(bits, smallMin))
	default:
		c.split(v, bits)
	}
}

// step constrains one row and returns the next state and the row's bus sum
// contribution.
func (c *rowCtx) step(s state, r *Row) (state, frontend.Variable) {
	api := c.api
	ts := api.Add(s.step, 1)

	// ---- decode ----
	// Instruction fields as range-checked limbs: opcode, rd[0], rd[4:1],
	// funct3 as three bits, rs1, rs2[0], rs2[4:1], funct7[5:0], sign.
	// Register indices need no bits (the register bus takes them as values);
	// the limbs are where immediates cut the word.
	// The opcode limb is not range checked: opcode = Σ class·opcode below
	// pins it to a 7-bit value (0 in padding rows).
	fl := c.splitFrom(1, 0, r.Instr, 7, 1, 4, 1, 1, 1, 5, 1, 4, 6, 1)
	opcode, rd0, rdHi, rs1, rs20, rs2Hi, f7lo, sign := fl[0], fl[1], fl[2], fl[6], fl[7], fl[8], fl[9], fl[10]
	b0, b1, b2 := fl[3], fl[4], fl[5]
	f3 := api.Add(b0, api.Mul(b1, 2), api.Mul(b2, 4))
	rdF := api.Add(rd0, api.Mul(rdHi, 2))
	rs2F := api.Add(rs20, api.Mul(rs2Hi, 2))
	f7 := api.Add(f7lo, api.Mul(sign, 64))
	hi12 := api.Add(rs2F, api.Mul(f7lo, 32))                            // instr[30:20]
	immI := api.Add(hi12, api.Mul(sign, two32-1<<11))                   // instr[31:20] sign-extended
	immS := api.Add(rdF, api.Mul(f7lo, 32), api.Mul(sign, two32-1<<11)) // instr[31:25]|instr[11:7]
	immB := api.Add(api.Mul(rdHi, 2), api.Mul(f7lo, 32), api.Mul(rd0, 1<<11), api.Mul(sign, two32-1<<12))
	immU := api.Add(api.Mul(f3, 1<<12), api.Mul(rs1, 1<<15), api.Mul(rs2F, 1<<20), api.Mul(f7, 1<<25))
	immJ := api.Add(api.Mul(rs2Hi, 2), api.Mul(f7lo, 1<<5), api.Mul(rs20, 1<<11), api.Mul(f3, 1<<12), api.Mul(rs1, 1<<15), api.Mul(sign, two32-1<<20))

	// At most one class flag (decode.go): one in an active row, none in a
	// padding row; the opcode is the class's, and (class, funct3, funct7
	// where it is not an immediate) must be a row of the decode table, which
	// also gives alt (classAccepts is the native mirror of these
	// constraints).
	cl := c.hint(decodeHint, int(numClasses), r.Instr)
	var clSum, opcSum, clIdx frontend.Variable = 0, 0, 0
	for k := range cl {
		api.AssertIsBoolean(cl[k])
		clSum = api.Add(clSum, cl[k])
		opcSum = api.Add(opcSum, api.Mul(cl[k], classOpcode[k]))
		clIdx = api.Add(clIdx, api.Mul(cl[k], k+1))
	}
	// The row is active iff it has a class (active = Σ class). Padding rows
	// form a suffix of the segment (so the active rows' timestamps are
	// step₀ + row + 1, see the bus below) and every row after halt is
	// padding. One product says all of it:
	//   active·(1 − active + 16·(padPrev + halted)) = 0
	// with padPrev = 1 − active of the previous row (0 before the first)
	// and halted boolean by induction: if padPrev + halted = 0 then active
	// ∈ {0, 1}; otherwise active = 0 or active = 1 + 16·(padPrev + halted)
	// ≥ 17, more than the numClasses booleans can sum to. The product lies
	// in (−2^10, 2^10), so it joins the packed equalities.
	// A padding row changes no state (next pc, step, ioSub below; every
	// other update and every bus multiplicity is a class flag).
	active := clSum
	pad := api.Sub(1, active)
	c.assertEq(api.Mul(active, api.Add(pad, api.Mul(api.Add(c.padPrev, s.halted), 16))), 0, 10)
	c.padPrev = pad
	const _ = uint(16 - numClasses) // the argument above needs numClasses < 17
	api.AssertIsEqual(opcode, opcSum)
	// funct3 one-hot h[j] = [f3 = j], linear in the bits and their products.
	b01, b02, b12 := api.Mul(b0, b1), api.Mul(b0, b2), api.Mul(b1, b2)
	b012 := api.Mul(b01, b2)
	h := [8]frontend.Variable{
		api.Sub(api.Add(1, b01, b02, b12), api.Add(b0, b1, b2, b012)),
		api.Sub(api.Add(b0, b012), api.Add(b01, b02)),
		api.Sub(api.Add(b1, b012), api.Add(b01, b12)),
		api.Sub(b01, b012),
		api.Sub(api.Add(b2, b012), api.Add(b02, b12)),
		api.Sub(b02, b012),
		api.Sub(b12, b012),
		b012,
	}
	// In an ecall row opcode = 0x73, so instr − 0x73 ∈ [0, 2^32).
	c.assertZero(api.Mul(cl[clEcall], api.Sub(r.Instr, ecallWord)))
	// key = class index (0: padding) | funct3<<4 | f7m<<7, f7m = funct7 for
	// OP, M and the immediate shifts and 0 otherwise; every part is range
	// bound (class one-hot, funct3 bits, funct7 limbs), so the key is
	// injective, and the table holds exactly the legal triples.
	shiftI := api.Mul(cl[clOpImm], api.Add(h[1], h[5]))
	f7m := api.Mul(f7, api.Add(shiftI, cl[clOp], cl[clMulDiv]))
	decKey := api.Add(clIdx, api.Mul(f3, 16), api.Mul(f7m, 128))
	alt := c.nib.decodeAlt(c, decKey) // looked up below with the address offset

	isLoad, isStore, isBr := cl[clLoad], cl[clStore], cl[clBranch]
	aluI := cl[clOpImm]
	aluR := api.Add(cl[clOp], cl[clMulDiv])
	alu := api.Add(cl[clOp], cl[clOpImm]) // the ALU ops selected by funct3
	isSub := api.Mul(alt, h[0])           // SUB (alt with funct3 = 0 only in OP)
	isSra := api.Mul(alt, h[5])           // SRA, SRAI
	aluAdd := api.Mul(alu, h[0])          // ADD, ADDI, SUB

	// ---- operands ----
	// Four register-bus slots. An ecall word has all fields zero, so its
	// slots read a7, a1, a2 and a0 instead of rs1, rs2, x0 and rd.
	isE := cl[clEcall]
	rs1v := c.regs.read(api, r, 0, api.Add(rs1, api.Mul(isE, 17)))
	rs2v := c.regs.read(api, r, 1, api.Add(rs2F, api.Mul(isE, 11)))
	a2 := c.regs.read(api, r, 2, api.Mul(isE, 12))
	rdIdx := api.Add(rdF, api.Mul(isE, 10))
	rdOld := c.regs.read(api, r, 3, rdIdx)
	imm := api.Add(
		api.Mul(immI, api.Add(aluI, cl[clJALR], isLoad)),
		api.Mul(immS, isStore),
		api.Mul(immB, isBr),
		api.Mul(immU, cl[clAUIPC]),
		api.Mul(immJ, cl[clJAL]))
	opB := api.Add(api.Mul(rs2v, api.Add(aluR, isBr, isStore)), api.Mul(immI, aluI))
	// Nibbles of both operands (lookup.go): sign bits, shift amount and
	// the low bytes of rs2 for stores come from their lookups.
	nA := c.nib.word(c, rs1v)
	nB := c.nib.word(c, opB)
	sA := c.nib.msbNib(c, nA[7])
	sB := c.nib.msbNib(c, nB[7])
	low8 := api.Add(nB[0], api.Mul(nB[1], 16))
	pw := c.nib.shiftPow(c, low8) // 2^shamt
	low16 := api.Add(low8, api.Mul(nB[2], 256), api.Mul(nB[3], 4096))

	// ---- ecall sub-kinds and IO byte steps ----
	a0, a1, a7 := rdOld, rs2v, rs1v // meaningful in ecall rows only
	// The syscall (read, write, exit, exit_group) is one-hot in an ecall
	// row, zero otherwise, and must match a7; any other a7 is unsatisfiable.
	sc := c.hint(ecallHint, 4, isE, a7)
	for _, x := range sc {
		api.AssertIsBoolean(x)
	}
	c.assertEq(api.Add(sc[0], sc[1], sc[2], sc[3]), isE, 4)
	c.assertEq(api.Mul(isE, a7), api.Add(api.Mul(sc[0], sysRead), api.Mul(sc[1], sysWrite), api.Mul(sc[2], sysExit), api.Mul(sc[3], sysExitGroup)), 34)
	// The fd (a0) picks the sub-kind: read(0), write(1), write(2), or a bad fd.
	var e [numEcall]frontend.Variable
	e[ecRead] = api.Mul(sc[0], api.IsZero(a0))
	e[ecBadRead] = api.Sub(sc[0], e[ecRead])
	// a0 ∈ {1, 2} by one test; then a0 − 1 tells them apart.
	w12 := api.Mul(sc[1], api.IsZero(api.Mul(api.Sub(a0, 1), api.Sub(a0, 2))))
	e[ecWrite2] = api.Mul(w12, api.Sub(a0, 1))
	e[ecWrite1] = api.Sub(w12, e[ecWrite2])
	e[ecBadWrite] = api.Sub(sc[1], api.Add(e[ecWrite1], e[ecWrite2]))
	e[ecExit] = api.Add(sc[2], sc[3])

	sub1 := api.Add(s.ioSub, 1)
	avail := api.Sub(c.inputLen, s.inCur)
	zLen := api.IsZero(a2)
	zAvail := api.IsZero(avail)
	zeroRead := api.Sub(api.Add(zLen, zAvail), api.Mul(zLen, zAvail))
	ioR := api.Sub(e[ecRead], api.Mul(e[ecRead], zeroRead))
	ioW := api.Sub(e[ecWrite1], api.Mul(e[ecWrite1], zLen))
	ioAny := api.Add(ioR, ioW)
	lastLen := api.IsZero(api.Sub(a2, sub1))
	lastAvail := api.IsZero(api.Sub(avail, 1))
	lastR := api.Sub(api.Add(lastLen, lastAvail), api.Mul(lastLen, lastAvail))
	endR := api.Mul(ioR, lastR)
	endW := api.Mul(ioW, lastLen)
	ioEnd := api.Add(endR, endW)
	nonLast := api.Sub(ioAny, ioEnd)
	// a0 results of an ecall: 0 for a zero-length read/write, n for the last
	// byte step, len for write(2), −EBADF for a bad fd.
	zeroIO := api.Sub(api.Add(e[ecRead], e[ecWrite1]), ioAny)
	badFD := api.Add(e[ecBadRead], e[ecBadWrite])
	weEcall := api.Add(zeroIO, ioEnd, e[ecWrite2], badFD)
	ecallVal := api.Add(api.Mul(ioEnd, sub1), api.Mul(e[ecWrite2], a2), api.Mul(badFD, errBadFD))

	// ---- adder: rs1+opB, rs1−rs2, pc+imm, rs1+imm (addresses), a1+ioSub ----
	xA := api.Add(
		api.Mul(rs1v, api.Add(aluAdd, cl[clJALR], isLoad, isStore)),
		api.Mul(s.pc, api.Add(cl[clAUIPC], cl[clJAL], isBr)),
		api.Mul(a1, ioAny))
	yA := api.Add(
		api.Mul(opB, api.Sub(aluAdd, isSub)),
		api.Mul(api.Sub(two32, rs2v), isSub),
		api.Mul(imm, api.Add(cl[clJALR], isLoad, isStore, cl[clAUIPC], cl[clJAL], isBr)),
		api.Mul(s.ioSub, ioAny))
	// The 32-bit sum rA is split with its two low bits as limbs of their
	// own: rA = l0 + 2·l1 + 4·q, q < 2^30 (three 10-bit lookups), so the byte
	// offset l0 + 2·l1 of a memory access and JALR's low bit are the unique
	// binary digits of a value fixed by committed ones, never a choice of
	// the prover (see the memory section below).
	ad := c.splitBounded(35, api.Add(xA, yA), 1, 1, 30, 1)
	l0, l1, q := ad[0], ad[1], ad[2]
	wordAddr := api.Mul(q, 4)
	rA := api.Add(l0, api.Mul(l1, 2), wordAddr)
	// pc < 2^32 by induction (start state, and every next pc below is a
	// 32-bit value), so pc+4 wraps only at pc = 2^32−4.
	pc4 := api.Sub(api.Add(s.pc, 4), api.Mul(api.IsZero(api.Sub(s.pc, two32-4)), two32))

	// ---- comparator (signed by flipping the sign bits) and equality ----
	signed := api.Add(api.Mul(alu, h[2]), api.Mul(isBr, api.Add(h[4], h[5]))) // SLT, SLTI, BLT, BGE
	xC := api.Sub(api.Add(rs1v, api.Mul(signed, 1<<31)), api.Mul(api.Mul(signed, sA), two32))
	yC := api.Sub(api.Add(opB, api.Mul(signed, 1<<31)), api.Mul(api.Mul(signed, sB), two32))
	cmp := c.splitBounded(35, api.Add(api.Sub(xC, yC), two32), 32, 1)
	lt := api.Sub(1, cmp[1])
	eq := api.IsZero(api.Sub(rs1v, opB))

	// ---- bitwise ----
	var andv frontend.Variable = 0
	for k := 0; k < 8; k++ {
		andv = api.Add(andv, api.Mul(c.nib.andNib(c, nA[k], nB[k]), pow2(4*k)))
	}
	// x XOR y = x + y − 2·(x AND y), x OR y = x + y − (x AND y).

	// ---- shifts: one product x·m split into 32-bit halves; m = 2^s puts SLL in the low half, m = 2^32/2^s puts SRL in the high half (s = 0 too) ----
	neg := api.Mul(isSra, sA)
	// Arithmetic right shift of a negative x is ¬((¬x) >> s).
	xS := api.Add(rs1v, api.Mul(neg, api.Sub(two32-1, api.Mul(rs1v, 2))))
	isSR := api.Mul(alu, h[5])
	isSL := api.Mul(alu, h[1])
	mS := api.Add(api.Mul(isSL, pw), api.Mul(isSR, api.DivUnchecked(two32, pw))) // pw = 2^shamt ≠ 0
	sh := c.splitBounded(66, api.Mul(xS, mS), 32, 32)
	sll := sh[0]
	srx := api.Add(sh[1], api.Mul(neg, api.Sub(two32-1, api.Mul(sh[1], 2))))

	// ---- M extension: proved by the unit rows (muldiv.go) ----
	isM := cl[clMulDiv]
	mdRes := c.hint(mulDivHint, 1, isM, f3, rs1v, rs2v)[0]
	c.md.call(isM, api.Add(f3, api.Mul(sA, 8), api.Mul(sB, 16)), rs1v, rs2v, mdRes)

	// ---- memory: one word access on the bus ----
	// The byte offset l0 + 2·l1 and wordAddr = 4·q come from the adder's
	// split above: l0, l1 booleans, q < 2^30 by lookups, and the sum
	// l0 + 2·l1 + 4·q + 2^32·carry equal to an integer below 2^35 fixed by
	// the committed row values and the state, so the offset is the unique
	// remainder of rA mod 4. Offsets are never prover choices: four
	// candidate (address, value) pairs per byte row would let a prover who
	// knows the bus challenge steer the bus sum (one of four known deltas
	// per row, a generalized-birthday search over many rows).
	// The decode table also holds the offsets a class and funct3 may access
	// (decode.go: aligned: LW/SW offset 0, LH/LHU/SH even), so the decode
	// lookup of the key with the offset checks alignment.
	c.nib.decode(c, api.Add(decKey, api.Mul(api.Add(l0, api.Mul(l1, 2)), 1<<14)), alt)
	by := c.split(r.MemOld, 8, 8, 8, 8)
	// The half-word at l1 and, inside it, the byte at l0.
	loB := api.Select(l1, by[2], by[0])
	hiB := api.Select(l1, by[3], by[1])
	half := api.Add(loB, api.Mul(hiB, 256))
	selB := api.Select(l0, hiB, loB)
	sbit := c.nib.msbByte(c, selB)
	shit := c.nib.msbByte(c, hiB)
	// LB 0, LH 1, LW 2, LBU 4, LHU 5: bit 0 picks the half-word, bit 1 the
	// word, and only funct3 ∈ {0, 1} (1 − b1 − b2 = 1) sign-extends.
	sub := api.Add(selB, api.Mul(b0, api.Sub(half, selB)))
	ext := api.Add(api.Mul(sbit, two32-1<<8), api.Mul(b0, api.Sub(api.Mul(shit, two32-1<<16), api.Mul(sbit, two32-1<<8))))
	sub = api.Add(sub, api.Mul(api.Sub(1, api.Add(b1, b2)), ext))
	loadVal := api.Mul(isLoad, api.Add(sub, api.Mul(b1, api.Sub(r.MemOld, sub))))
	c.nib.small(c, r.InByte, 8)
	// pos = 2^(8·offset); a half-word store has l0 = 0 and a word store
	// offset 0, so one scale serves all three widths.
	pos := api.Add(1, api.Mul(l0, 255), api.Mul(l1, 65535), api.Mul(api.Mul(l0, l1), (1<<24)-65791))
	// opB = 0 in an ecall row, so low8 is the byte of a store and 0 in a read.
	valB := api.Add(low8, api.Mul(r.InByte, ioR))
	// SB 0, SH 1, SW 2; an IO read stores a byte (its funct3 bits are 0).
	dB := api.Sub(valB, selB)
	diff := api.Add(dB, api.Mul(b0, api.Sub(api.Sub(low16, half), dB)), api.Mul(b1, api.Sub(api.Sub(rs2v, r.MemOld), dB)))
	newVal := api.Add(r.MemOld, api.Mul(api.Mul(pos, diff), api.Add(isStore, ioR)))
	memOn := api.Add(isLoad, isStore, ioAny)
	// oldTs < ts in a memory row (oldTs ∈ [ts − 2^40, ts − 1]), oldTs < 2^40
	// otherwise. A window of 2^40 values keeps the row packing of the
	// commitment injective without a separate 40-bit check of oldTs, and an
	// oldTs outside the job's timestamps matches no write on the bus.
	c.Check(api.Add(r.MemOldTS, api.Mul(memOn, api.Sub(api.Sub(ts, 1), api.Mul(r.MemOldTS, 2)))), 40)

	// ---- rd ----
	rdVal := api.Add(
		api.Mul(immU, cl[clLUI]),
		api.Mul(rA, api.Add(cl[clAUIPC], aluAdd)),
		api.Mul(pc4, api.Add(cl[clJAL], cl[clJALR])),
		loadVal,
		// SLT[I][U] 2, 3; XOR[I] 4; OR[I] 6; AND[I] 7 (AND, OR and XOR
		// are linear in andv and rs1 + opB).
		api.Mul(alu, api.Add(
			api.Mul(lt, api.Add(h[2], h[3])),
			api.Mul(andv, api.Sub(h[7], api.Add(h[6], api.Mul(h[4], 2)))),
			api.Mul(api.Add(rs1v, opB), api.Add(h[4], h[6])))),
		api.Mul(sll, isSL),
		api.Mul(srx, isSR),
		api.Mul(mdRes, isM),
		ecallVal)
	// The rd slot writes rdVal if the row writes a register other than x0,
	// and writes back the old value otherwise (writes to x0 have no effect).
	we := api.Add(cl[clLUI], cl[clAUIPC], cl[clJAL], cl[clJALR], isLoad, aluI, aluR, weEcall)
	wEff := api.Mul(we, api.Sub(1, api.IsZero(rdIdx)))
	c.regs.write(api.Add(rdOld, api.Mul(wEff, api.Sub(rdVal, rdOld))))
	var next state

	// ---- next pc ----
	// BEQ 0, BNE 1, BLT 4, BGE 5, BLTU 6, BGEU 7: bit 2 compares, bit 0 negates.
	cond := api.Add(eq, api.Mul(b2, api.Sub(lt, eq)))
	taken := api.Mul(isBr, api.Sub(api.Add(cond, b0), api.Mul(api.Mul(b0, cond), 2)))
	seq := api.Add(cl[clLUI], cl[clAUIPC], aluI, aluR, isLoad, isStore, isBr, cl[clFence], api.Sub(isE, nonLast))
	next.pc = api.Add(
		api.Mul(s.pc, api.Add(pad, nonLast)),
		api.Mul(pc4, api.Sub(seq, taken)),
		api.Mul(rA, api.Add(cl[clJAL], cl[clJALR], taken)),
		api.Neg(api.Mul(l0, cl[clJALR])))
	next.step = api.Add(s.step, active)
	next.halted = api.Add(s.halted, e[ecExit])
	next.exitCode = api.Add(s.exitCode, api.Mul(e[ecExit], a0))
	next.inCur = api.Add(s.inCur, ioR)
	next.outCur = api.Add(s.outCur, ioW)
	// nonLast·(ioSub+1) + pad·ioSub in one product: a padding row keeps
	// ioSub (an honest cut never falls inside an ecall before padding, but
	// a padding row must not be able to reset one).
	next.ioSub = api.Add(api.Mul(api.Add(nonLast, pad), s.ioSub), nonLast)

	// ---- bus ----
	// Fingerprints tag + α·a + α²·b + α³·c (claim.Fingerprint) with the
	// powers of α precomputed; the read and the write share α·addr.
	var bus frontend.Variable
	fetch := api.Add(claim.TagFetch, api.Mul(c.alpha, s.pc), api.Mul(c.alpha2, r.Instr))
	bus = term(api, c.beta, fetch, api.Neg(active))
	aAddr := api.Mul(c.alpha, wordAddr)
	rd := api.Add(claim.TagMem, aAddr, api.Mul(c.alpha2, r.MemOld), api.Mul(c.alpha3, r.MemOldTS))
	bus = api.Add(bus, term(api, c.beta, rd, api.Neg(memOn)))
	// α³·ts is linear: ts = step₀ + row + 1 in every active row (the
	// active rows are a prefix), and a padding row has no memory access
	// (multiplicity 0).
	a3ts := api.Add(c.alpha3Step0, api.Mul(c.alpha3, c.row+1))
	wr := api.Add(claim.TagMem, aAddr, api.Mul(c.alpha2, newVal), a3ts)
	bus = api.Add(bus, term(api, c.beta, wr, memOn))
	// Tape: (TagInput, inCursor, byte) in a read step, (TagOutput,
	// outCursor, loaded byte) in a write step; the tuple of other rows has
	// multiplicity 0.
	ioTag := api.Add(api.Mul(ioR, claim.TagInput), api.Mul(ioW, claim.TagOutput))
	ioIdx := api.Add(s.inCur, api.Mul(ioW, api.Sub(s.outCur, s.inCur)))
	ioByte := api.Add(r.InByte, api.Mul(ioW, api.Sub(selB, r.InByte)))
	tape := api.Add(ioTag, api.Mul(c.alpha, ioIdx), api.Mul(c.alpha2, ioByte))
	bus = api.Add(bus, term(api, c.beta, tape, api.Sub(ioW, ioR)))

	// The scheduled products are each ≥ 0 and their sum is far below the
	// field size, so a zero sum means every one is zero.
	var zsum frontend.Variable = 0
	for _, z := range c.zero {
		zsum = api.Add(zsum, z)
	}
	c.assertEq(zsum, 0, 34)
	c.zero = c.zero[:0]
	c.flushEq()
	return next, bus
}

// pow2 is 2^k as a constant.
func pow2(k int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(k)) }
