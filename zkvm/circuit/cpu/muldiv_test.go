package cpu

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestMulDivNative checks the unit's native semantics against the edge cases
// of the RISC-V spec.
func TestMulDivNative(t *testing.T) {
	cases := []struct {
		f3   uint64
		a, b uint32
		want uint32
	}{
		{0, 0xffffffff, 0xffffffff, 1},
		{1, 0xffffffff, 0xffffffff, 0},          // MULH −1·−1
		{1, 0x80000000, 0x80000000, 0x40000000}, // MULH
		{2, 0xffffffff, 0xffffffff, 0xffffffff}, // MULHSU −1·(2^32−1)
		{3, 0xffffffff, 0xffffffff, 0xfffffffe}, // MULHU
		{4, 7, 0, 0xffffffff},                   // DIV by zero
		{4, 0x80000000, 0xffffffff, 0x80000000}, // DIV overflow
		{4, 0xfffffff9, 2, 0xfffffffd},          // −7/2 = −3
		{5, 7, 2, 3},
		{6, 0xfffffff9, 2, 0xffffffff}, // −7 rem 2 = −1
		{6, 0x80000000, 0xffffffff, 0},
		{7, 7, 0, 7},
	}
	for _, c := range cases {
		if got := mulDiv(c.f3, c.a, c.b); got != c.want {
			t.Errorf("f3=%d %#x,%#x: got %#x want %#x", c.f3, c.a, c.b, got, c.want)
		}
	}
}

// TestMulDivBusLies makes the step row's result or the unit rows lie: a
// wrong M result, a unit row taken by no step, a dropped unit row, and a
// unit row with another operand or sign bit must all be rejected.
func TestMulDivBusLies(t *testing.T) {
	f := newFixture(t)
	si, _ := f.find(t, 0, isOp(emu.OpMULH))
	if err := solveRowsOnly(&f.segs[si], f.g); err != nil {
		t.Fatal(err)
	}
	lies := map[string]test.TestEngineOption{
		"result": hintLie(mulDivHint, func(in, out []*big.Int) bool {
			if in[0].Sign() != 0 {
				out[0].Xor(out[0], big.NewInt(1<<20))
			}
			return true
		}),
		"extra row": hintLie(mulDivRowsHint, func(_, out []*big.Int) bool {
			out[mdRowOut*(len(out)/mdRowOut-1)].SetUint64(1) // last (unused) row claims a tuple
			return true
		}),
		"dropped row": hintLie(mulDivRowsHint, func(_, out []*big.Int) bool {
			out[0].SetUint64(0)
			return true
		}),
		"operand": hintLie(mulDivRowsHint, func(_, out []*big.Int) bool {
			out[6].Add(out[6], big.NewInt(1))
			return true
		}),
		"sign": hintLie(mulDivRowsHint, func(_, out []*big.Int) bool {
			out[4].SetUint64(1 - out[4].Uint64())
			return true
		}),
	}
	for name, opt := range lies {
		t.Run(name, func(t *testing.T) { mustFail(t, solveRowsOnly(&f.segs[si], f.g, opt)) })
	}
}

// TestMulDivRowsExhausted: a segment with more M steps than unit rows is
// refused by Assign and Commit with ErrUnitRows, and a circuit shape with too
// few unit rows cannot be solved.
func TestMulDivRowsExhausted(t *testing.T) {
	const n = 32
	rng := rand.New(rand.NewPCG(5, 6))
	var p []uint32
	p = append(p, li(5, rng.Uint32())...)
	p = append(p, li(6, rng.Uint32())...)
	for i := 0; i < 20; i++ {
		p = append(p, encR(1, 6, 5, uint32(i%8), 7, 0x33))
	}
	p = append(p, li(17, 93)...)
	p = append(p, ecall)
	segs := trace(t, p, nil, n)
	g := globals(rng, 0)
	if DefaultMulDivRows(n) >= 20 {
		t.Fatalf("test needs fewer than 20 unit rows at n = %d", n)
	}
	if _, _, err := Assign(&segs[0], n, g); !errors.Is(err, ErrUnitRows) {
		t.Fatalf("Assign: got %v, want ErrUnitRows", err)
	}
	if _, err := Commit(&segs[0], n); !errors.Is(err, ErrUnitRows) {
		t.Fatalf("Commit: got %v, want ErrUnitRows", err)
	}
	// With enough unit rows the same segment solves; with the default it
	// cannot be solved even if the witness is built anyway.
	shape := func(k int) *Circuit { c := Placeholder(n); c.MulDivRows = k; return c }
	w, _, err := assignUnchecked(&segs[0], n, g)
	if err != nil {
		t.Fatal(err)
	}
	w.MulDivRows = n
	if err := test.IsSolved(shape(n), w, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	w.MulDivRows = DefaultMulDivRows(n)
	mustFail(t, test.IsSolved(shape(DefaultMulDivRows(n)), w, ecc.BN254.ScalarField()))
}
