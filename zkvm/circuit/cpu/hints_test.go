package cpu

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/hintaudit"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// hintCall is one call of a hint: its inputs and honest outputs.
type hintCall struct{ in, out []*big.Int }

func copyInts(xs []*big.Int) []*big.Int {
	out := make([]*big.Int, len(xs))
	for i, x := range xs {
		out[i] = new(big.Int).Set(x)
	}
	return out
}

// recordCalls solves seg honestly (rows only) and returns every call of h
// in the order the test engine makes them (Define's order, single-threaded).
func recordCalls(t *testing.T, seg *emu.Segment, g claim.Globals, h solver.Hint) []hintCall {
	t.Helper()
	var calls []hintCall
	opt := test.WithReplacementHint(solver.GetHintID(h), func(m *big.Int, in, out []*big.Int) error {
		if err := h(m, in, out); err != nil {
			return err
		}
		calls = append(calls, hintCall{in: copyInts(in), out: copyInts(out)})
		return nil
	})
	if err := solveRowsOnly(seg, g, opt); err != nil {
		t.Fatalf("honest solve: %v", err)
	}
	return calls
}

// replaceOutput makes call k of h return a different value in output j: a
// bit is flipped, anything else incremented. Every other call and output is
// honest, and so are all committed inputs (Row values, start state).
func replaceOutput(h solver.Hint, k, j int, hit *bool) test.TestEngineOption {
	n := 0
	return test.WithReplacementHint(solver.GetHintID(h), func(m *big.Int, in, out []*big.Int) error {
		if err := h(m, in, out); err != nil {
			return err
		}
		if n == k {
			*hit = true
			if x := out[j]; x.Cmp(big.NewInt(1)) <= 0 && x.Sign() >= 0 {
				x.SetUint64(1 - x.Uint64())
			} else {
				x.Add(x, big.NewInt(1))
			}
		}
		n++
		return nil
	})
}

// cpuHint is one registered hint of the package with the signature that
// groups its calls (calls with one signature are constrained alike) and the
// outputs that, by design, reach no constraint (see the package doc,
// "Soundness"): changing them must leave the witness valid.
type cpuHint struct {
	name     string
	h        solver.Hint
	sig      func(k int, c hintCall) string
	outputs  func(c hintCall) []int // outputs to replace (nil: all)
	dontCare func(k, j int, c hintCall) bool
}

func allOutputs(c hintCall) []int {
	js := make([]int, len(c.out))
	for j := range js {
		js[j] = j
	}
	return js
}

var cpuHints = []cpuHint{
	{name: "decode", h: decodeHint},
	{name: "ecall", h: ecallHint, sig: func(_ int, c hintCall) string { return fmt.Sprint(c.in[0].Sign()) }},
	{name: "split", h: splitHint, sig: func(_ int, c hintCall) string { return fmt.Sprint(c.in[1:]) }},
	{name: "div", h: divHint, sig: func(_ int, c hintCall) string { return fmt.Sprint(c.in[2], c.in[1].Sign()) }},
	{name: "nibble", h: nibbleHint, sig: func(_ int, c hintCall) string { return c.in[0].String() }},
	{name: "count", h: countHint, sig: func(_ int, c hintCall) string { return fmt.Sprint(len(c.out)) },
		outputs: func(c hintCall) []int {
			// one row queried, one not
			var js []int
			for _, want := range []bool{true, false} {
				for j, x := range c.out {
					if (x.Sign() > 0) == want {
						js = append(js, j)
						break
					}
				}
			}
			return js
		}},
	{name: "mulDiv", h: mulDivHint, sig: func(_ int, c hintCall) string { return fmt.Sprint(c.in[0].Sign()) },
		// A row that is no M op: its result is multiplied by isM = 0 and its
		// unit-bus tuple has multiplicity 0 (and is BSB22-committed).
		dontCare: func(_, _ int, c hintCall) bool { return c.in[0].Sign() == 0 }},
	{name: "mulDivRows", h: mulDivRowsHint,
		outputs: func(c hintCall) []int {
			// the first unit row (used) whole, and the used flag of the last
			js := []int{}
			for j := 0; j < mdRowOut; j++ {
				js = append(js, j)
			}
			return append(js, len(c.out)-mdRowOut)
		},
		// An unused unit row (used = 0) takes nothing off the unit bus: its
		// operands and bits are BSB22-committed and reach a term of
		// multiplicity 0 only. Its used flag is constrained.
		dontCare: func(_, j int, c hintCall) bool {
			return c.out[j-j%mdRowOut].Sign() == 0 && j%mdRowOut != 0
		}},
	{name: "decodeKey", h: decodeKeyHint, sig: func(k int, _ hintCall) string { return fmt.Sprint(k % 2) },
		// Per row decodeAlt (even calls) uses only the alt bit, the
		// decode lookup (odd calls) only the row index.
		dontCare: func(k, j int, _ hintCall) bool { return k%2 == 0 && j == 1 || k%2 == 1 && j == 0 }},
}

// TestEveryHintOutputBound is the hint audit of the package doc's
// Soundness table made executable: for every registered hint of the
// circuit, calls of each kind (per signature, the first call and the first
// with a nonzero output) get one output replaced by a different value, the
// committed values (rows, start state) and every other hint output staying
// honest, and the rows-only circuit (no digest check) must reject it. The
// only outputs allowed to change nothing are the documented don't-cares.
func TestEveryHintOutputBound(t *testing.T) {
	f := newFixture(t)
	var segs []int
	for _, pred := range []func(*emu.Step) bool{
		isOp(emu.OpMULH), isOp(emu.OpSB), func(st *emu.Step) bool { return st.IOKind == emu.IORead },
	} {
		si, _ := f.find(t, 0, pred)
		segs = append(segs, si)
	}
	if testing.Short() {
		segs = segs[:1] // the segment with M rows has every hint
	}
	for _, si := range segs {
		seg := &f.segs[si]
		for _, hc := range cpuHints {
			calls := recordCalls(t, seg, f.g, hc.h)
			if len(calls) == 0 {
				t.Fatalf("segment %d: hint %s never called", si, hc.name)
			}
			seen := map[string]int{} // signature → 1: first call taken, 2: nonzero call taken
			for k, c := range calls {
				sig := ""
				if hc.sig != nil {
					sig = hc.sig(k, c)
				}
				nonzero := false
				for _, x := range c.out {
					nonzero = nonzero || x.Sign() != 0
				}
				switch {
				case seen[sig] == 0:
					seen[sig] = 1
					if nonzero {
						seen[sig] = 2
					}
				case seen[sig] == 1 && nonzero:
					seen[sig] = 2
				default:
					continue
				}
				js := allOutputs(c)
				if hc.outputs != nil {
					js = hc.outputs(c)
				}
				for _, j := range js {
					name := fmt.Sprintf("seg%d/%s/call%d[%s]/out%d", si, hc.name, k, strings.ReplaceAll(sig, " ", ","), j)
					t.Run(name, func(t *testing.T) {
						hit := false
						err := solveRowsOnly(seg, f.g, replaceOutput(hc.h, k, j, &hit))
						if !hit {
							t.Fatal("replacement not applied")
						}
						if hc.dontCare != nil && hc.dontCare(k, j, c) {
							if err != nil {
								t.Fatalf("documented don't-care output is constrained after all: %v", firstLine(err.Error()))
							}
							return
						}
						mustFail(t, err)
					})
				}
			}
		}
	}
}

// TestCompiledHintsBound is the hint audit with gnark's real solver on the
// compiled rows-only circuit: it adds the hints the test engine never calls
// (the builder's IsZero inverse, the BSB22 commitment and its mask) and the
// range checker's (RegsDigest). The package's own hints are audited call by
// call by TestEveryHintOutputBound and only recorded here.
func TestCompiledHintsBound(t *testing.T) {
	f := newFixture(t)
	si, _ := f.find(t, 0, isOp(emu.OpMULH))
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &rowsOnly{*Placeholder(negN)})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := Assign(&f.segs[si], negN, f.g)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(&rowsOnly{*c}, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	solve := func(opts ...solver.Option) error { return ccs.IsSolved(w, opts...) }
	names := hintaudit.AuditCompiled(t, solve, []string{"github.com/zkfleet/zkfleet/zkvm/circuit/cpu."}, hintaudit.BuilderDontCare)
	t.Logf("hints called: %v", names)
}
