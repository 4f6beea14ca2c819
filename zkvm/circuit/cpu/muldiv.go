package cpu

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/multicommit"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// mulDivUnit proves the M extension (MUL, MULH, MULHSU, MULHU, DIV, DIVU,
// REM, REMU) in a fixed number of unit rows per segment instead of in every
// step: a multiplier and a divider cost ~55 constraints, and most programs
// run few M instructions. A step row puts (key, rs1, rs2, result) on a
// segment-local log-derivative bus (Haböck, "Multivariate lookups based on
// logarithmic derivatives") with multiplicity 1 if it is an M op and 0
// otherwise; every used unit row takes one tuple off the bus and proves its
// result. key = funct3 + 8·sign(rs1) + 16·sign(rs2) hands the unit the sign
// bits the step row already has from its nibble lookups.
//
// The fingerprints are key + a·rs1 + a²·rs2 + a³·result and the test is
// Σ_steps m/(b − fp) = Σ_units used/(b − fp), with a, b drawn from the
// circuit's BSB22 commitment (std/multicommit) over the step results and
// every unit-row value; the step rows' rs1, rs2 and instruction words are
// committed by the register bus. Multiplicities are booleans, so the two
// multisets of tuples are equal, and each used unit row is one M step.
//
// A segment with more M steps than unit rows cannot be proved: Assign
// refuses it (ErrUnitRows), and so does the solver's hint.
type mulDivUnit struct {
	rows  int      // unit rows in the segment
	calls []mdCall // one per step row
}

// ErrUnitRows is returned for a segment that needs more unit rows than the
// circuit shape has.
var ErrUnitRows = errors.New("cpu: not enough unit rows")

// mdCall is what one step row puts on the unit bus.
type mdCall struct {
	mult, key, a, b, res frontend.Variable
}

// mdRowOut is the number of hint outputs per unit row: used, f3 bits (3),
// sign bits (2), a, b.
const mdRowOut = 8

// DefaultMulDivRows is the number of M-extension unit rows of a segment of n
// steps: one per eight steps, but at least 16 (all of them for n ≤ 16), so
// small test segments run M-heavy code. The example guests need at most 12
// in a 1024-step segment (fib) and none (sha256).
func DefaultMulDivRows(n int) int {
	return min(n, max(n/8, 16))
}

// call records the step row's bus tuple.
func (u *mulDivUnit) call(mult, key, a, b, res frontend.Variable) {
	u.calls = append(u.calls, mdCall{mult: mult, key: key, a: a, b: b, res: res})
}

// check builds the unit rows and schedules the bus test.
func (u *mulDivUnit) check(c *rowCtx) error {
	api := c.api
	in := []frontend.Variable{u.rows}
	for _, k := range u.calls {
		in = append(in, k.mult, k.key, k.a, k.b)
	}
	out, err := api.Compiler().NewHint(mulDivRowsHint, mdRowOut*u.rows, in...)
	if err != nil {
		return fmt.Errorf("cpu: mul/div unit rows: %w", err)
	}
	type unitRow struct{ used, key, a, b, res frontend.Variable }
	rows := make([]unitRow, u.rows)
	vars := make([]frontend.Variable, 0, len(out)+2*u.rows+len(u.calls))
	for i := range rows {
		o := out[mdRowOut*i : mdRowOut*(i+1)]
		for _, bit := range o[:6] {
			api.AssertIsBoolean(bit)
		}
		key := api.Add(o[1], api.Mul(o[2], 2), api.Mul(o[3], 4), api.Mul(o[4], 8), api.Mul(o[5], 16))
		res := c.mulDivRow(o[1], o[2], o[3], o[4], o[5], o[6], o[7])
		rows[i] = unitRow{used: o[0], key: key, a: o[6], b: o[7], res: res}
		vars = append(vars, o...)
		vars = append(vars, res)
	}
	for _, k := range u.calls {
		vars = append(vars, k.res)
	}
	multicommit.WithCommitment(api, func(api frontend.API, cmt frontend.Variable) error {
		alpha := cmt
		beta, err := gadget.Hash(api, mulDivTag, cmt)
		if err != nil {
			return fmt.Errorf("cpu: mul/div bus challenge: %w", err)
		}
		a2 := api.Mul(alpha, alpha)
		a3 := api.Mul(a2, alpha)
		// β − fp; it is 0 only with negligible probability (every value is
		// committed before the challenge), so the terms need one constraint.
		fp := func(key, a, b, res frontend.Variable) frontend.Variable {
			return api.Sub(beta, api.Add(key, api.Mul(alpha, a), api.Mul(a2, b), api.Mul(a3, res)))
		}
		var sum frontend.Variable = 0
		for _, k := range u.calls {
			sum = api.Add(sum, api.DivUnchecked(k.mult, fp(k.key, k.a, k.b, k.res)))
		}
		for _, r := range rows {
			sum = api.Sub(sum, api.DivUnchecked(r.used, fp(r.key, r.a, r.b, r.res)))
		}
		api.AssertIsEqual(sum, 0)
		return nil
	}, vars...)
	return nil
}

// mulDivRow constrains one unit row: funct3 bits b0..b2 and the sign bits
// sA, sB of the 32-bit operands a, b (both given by the bus tuple), and
// returns the op's result.
func (c *rowCtx) mulDivRow(b0, b1, b2, sA, sB, a, b frontend.Variable) frontend.Variable {
	api := c.api
	b01 := api.Mul(b0, b1)
	b02 := api.Mul(b0, b2)
	notB2 := api.Sub(1, b2)

	// ---- multiplier: one signed 64-bit product serves all four ----
	// MULH (f3 = 1) takes both operands signed, MULHSU (2) only a.
	mulh := api.Mul(api.Sub(b0, b01), notB2)   // f3 = 1
	mulhsu := api.Mul(api.Sub(b1, b01), notB2) // f3 = 2
	mA := api.Sub(a, api.Mul(api.Mul(api.Add(mulh, mulhsu), sA), two32))
	mB := api.Sub(b, api.Mul(api.Mul(mulh, sB), two32))
	mul := c.splitBounded(66, api.Add(api.Mul(mA, mB), pow2(64)), 32, 32, 1)

	// ---- divider: a = q·b + r (integers), |r| < |b|, sign(r) ∈ {0, sign(a)} ----
	// DIV (f3 = 4) and REM (6) are signed.
	sg := api.Sub(b2, b02)
	bz := api.IsZero(b)
	qrD := c.hint(divHint, 2, a, b, sg)
	q, rem := qrD[0], qrD[1]
	sq := c.split(q, 31, 1)[1]
	sr := c.split(rem, 31, 1)[1]
	aS := api.Sub(a, api.Mul(api.Mul(sg, sA), two32))
	sgB := api.Mul(sg, sB)
	bS := api.Sub(b, api.Mul(sgB, two32))
	qS := api.Sub(q, api.Mul(api.Mul(sg, sq), two32))
	sgR := api.Mul(sg, sr)
	rS := api.Sub(rem, api.Mul(sgR, two32))
	ovf := api.Mul(api.Mul(sg, api.IsZero(api.Sub(a, 1<<31))), api.IsZero(api.Sub(b, two32-1)))
	// q, r, a, b are 32-bit, so these are bounded (flushEq).
	c.assertEq(aS, api.Sub(api.Add(api.Mul(qS, bS), rS), api.Mul(ovf, two32)), 67)
	c.assertEq(api.Mul(bz, api.Sub(q, two32-1)), 0, 33)
	absR := api.Sub(rS, api.Mul(api.Mul(sgR, rS), 2))
	absB := api.Sub(bS, api.Mul(api.Mul(sgB, bS), 2))
	c.Check(api.Mul(api.Sub(1, bz), api.Sub(api.Sub(absB, absR), 1)), 32)
	c.assertEq(api.Mul(sgR, api.Sub(1, sA)), 0, 2)
	c.assertEq(api.Mul(api.Mul(api.Mul(sg, sA), api.Sub(1, sr)), rem), 0, 33)

	// ---- result: MUL lo; MULH* hi; DIV[U] q; REM[U] r ----
	mulRes := api.Add(mul[0], api.Mul(api.Sub(api.Add(b0, b1), b01), api.Sub(mul[1], mul[0])))
	divRes := api.Add(q, api.Mul(b1, api.Sub(rem, q)))
	c.flushEq()
	return api.Add(mulRes, api.Mul(b2, api.Sub(divRes, mulRes)))
}

// mulDivTag separates the mul/div bus challenge from other hash uses.
const mulDivTag = 0x6d756c64697601 // "muldiv" | 1

// mulDivRowsHint: (rows, then per step row (mult, key, a, b)) → per unit row
// (used, f3 bits, sA, sB, a, b): the M steps in order, then unused rows of
// zeros. It fails if the segment has more M steps than unit rows.
func mulDivRowsHint(_ *big.Int, in, out []*big.Int) error {
	rows := int(in[0].Uint64())
	for i := range out {
		out[i].SetUint64(0)
	}
	k := 0
	for j := 1; j+3 < len(in); j += 4 {
		if in[j].Sign() == 0 {
			continue
		}
		if k == rows {
			return fmt.Errorf("%w: the segment has more M-extension steps than its %d unit rows", ErrUnitRows, rows)
		}
		key := in[j+1].Uint64()
		o := out[mdRowOut*k:]
		o[0].SetUint64(1)
		for bit := 0; bit < 5; bit++ {
			o[1+bit].SetUint64(key >> bit & 1)
		}
		o[6].Set(in[j+2])
		o[7].Set(in[j+3])
		k++
	}
	return nil
}

// mulDivHint: (isM, f3, a, b) → the M op's result (0 if isM = 0).
func mulDivHint(_ *big.Int, in, out []*big.Int) error {
	out[0].SetUint64(0)
	if in[0].Sign() == 0 {
		return nil
	}
	f3, a, b := in[1].Uint64(), uint32(in[2].Uint64()), uint32(in[3].Uint64())
	out[0].SetUint64(uint64(mulDiv(f3, a, b)))
	return nil
}

// mulDiv is the RISC-V M extension on funct3 (0 MUL … 7 REMU).
func mulDiv(f3 uint64, a, b uint32) uint32 {
	sa, sb := int64(int32(a)), int64(int32(b))
	switch f3 {
	case 0:
		return a * b
	case 1:
		return uint32(uint64(sa*sb) >> 32)
	case 2:
		return uint32(uint64(sa*int64(b)) >> 32)
	case 3:
		return uint32(uint64(a) * uint64(b) >> 32)
	}
	var qr [2]*big.Int
	qr[0], qr[1] = new(big.Int), new(big.Int)
	var sg int64
	if f3 == 4 || f3 == 6 {
		sg = 1
	}
	_ = divHint(nil, []*big.Int{big.NewInt(int64(a)), big.NewInt(int64(b)), big.NewInt(sg)}, qr[:])
	if f3 <= 5 {
		return uint32(qr[0].Uint64())
	}
	return uint32(qr[1].Uint64())
}
