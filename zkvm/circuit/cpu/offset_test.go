package cpu

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// Byte addresses of the offset program's accesses; none of them is the
// result of any other adder use in the program (li, auipc), so a hint
// replacement keyed on the adder's input hits exactly one row.
const (
	offData  = dataBase       // data pointer x20
	offSB    = offData + 0x35 // offset 1
	offSH    = offData + 0x42 // offset 2
	offLB    = offData + 0x56 // offset 2
	offLBU   = offData + 0x5b // offset 3
	offLH    = offData + 0x62 // offset 2
	offLHU   = offData + 0x68 // offset 0
	offRead  = offData + 0x101
	offWrite = offData + 0x201
)

// offsetProgram has one row of each kind whose byte offset matters: SB, LB,
// LBU, SH, LH, LHU, a JALR to an odd target (bit 0 cleared), an input read
// and an output write of three bytes each, and exit. The loads read words
// nothing wrote (zero), so every candidate offset loads the same value and
// only the address put on the bus differs: exactly the freedom the attack
// needs, with nothing else (the register bus) to trip over.
func offsetProgram() []uint32 {
	var p []uint32
	emit := func(w ...uint32) { p = append(p, w...) }
	emit(li(20, offData)...)
	emit(li(21, 0xa5c396e1)...)
	emit(encS(offSB-offData, 21, 20, 0))       // sb
	emit(encI(offLB-offData, 20, 0, 5, 0x03))  // lb
	emit(encI(offLBU-offData, 20, 4, 6, 0x03)) // lbu
	emit(encS(offSH-offData, 21, 20, 1))       // sh
	emit(encI(offLH-offData, 20, 1, 7, 0x03))  // lh
	emit(encI(offLHU-offData, 20, 5, 8, 0x03)) // lhu
	// auipc x8, 0; jalr x9, 13(x8) → pc(auipc) + 12, skipping one word.
	emit(encU(0, 8, 0x17), encI(13, 8, 0, 9, 0x67), addi(22, 22, 1))
	sys := func(a7, a0, a1, a2 uint32) {
		emit(li(17, a7)...)
		emit(li(10, a0)...)
		emit(li(11, a1)...)
		emit(li(12, a2)...)
		emit(ecall)
	}
	sys(63, 0, offRead, 3)
	sys(64, 1, offWrite, 3)
	emit(li(17, 93)...)
	emit(li(10, 0)...)
	emit(ecall)
	return p
}

// addrSplit matches the adder's split (rA = l0 + 2·l1 + 4·q, carry) of the
// value v.
func addrSplit(in []*big.Int, v uint32) bool {
	return widthsAre(in, 1, 1, 10, 10, 10, 1) && in[0].IsUint64() && in[0].Uint64() == uint64(v)
}

// offsetLie replaces the adder split of the value addr by one claiming the
// byte offset off. With compensate, the first 10-bit piece of q absorbs the
// difference in the field, so the recomposition still holds and only the
// range checks (lookups) stand against the lie; without, the recomposition
// is what fails. hits counts the replaced calls.
func offsetLie(addr, off uint32, compensate bool, hits *atomic.Int32) test.TestEngineOption {
	return hintLie(splitHint, func(in, out []*big.Int) bool {
		if !addrSplit(in, addr) {
			return true
		}
		hits.Add(1)
		trueOff := out[0].Uint64() + 2*out[1].Uint64()
		out[0].SetUint64(uint64(off & 1))
		out[1].SetUint64(uint64(off >> 1))
		if compensate {
			// piece0' = piece0 + (trueOff − off)/4 in the field.
			p := ecc.BN254.ScalarField()
			d := new(big.Int).Sub(new(big.Int).SetUint64(trueOff), new(big.Int).SetUint64(uint64(off)))
			d.Mul(d, new(big.Int).ModInverse(big.NewInt(4), p))
			out[2].Add(out[2], d)
			out[2].Mod(out[2], p)
		}
		return true
	})
}

// TestByteOffsetFixed is the attack of a prover who knows the bus challenge
// and picks the byte offset of a row (hence which (address, value) pair goes
// on the bus): the committed rows are unchanged and only the hint's output
// differs. The digest check is left out (rowsOnly), so only a row constraint
// can reject it; every offset but the true one must make the row
// unsatisfiable, and the true one (the control) must solve.
func TestByteOffsetFixed(t *testing.T) {
	input := []byte{0x11, 0x92, 0x7f}
	segs := trace(t, offsetProgram(), input, negN)
	g := globals(rand.New(rand.NewPCG(12, 1)), len(input))
	f := &fixture{segs: segs, g: g, input: input}
	isIO := func(kind emu.IOKind) func(st *emu.Step) bool {
		return func(st *emu.Step) bool { return st.IOKind == kind }
	}
	jalrTarget := func() uint32 {
		si, i := f.find(t, 0, isOp(emu.OpJALR))
		return segs[si].Steps[i].Rs1 + 13
	}
	cases := []struct {
		name string
		pred func(st *emu.Step) bool
		k    int    // the k-th step matching pred
		addr uint32 // its adder result rA
	}{
		{"SB", isOp(emu.OpSB), 0, offSB},
		{"LB", isOp(emu.OpLB), 0, offLB},
		{"LBU", isOp(emu.OpLBU), 0, offLBU},
		{"SH", isOp(emu.OpSH), 0, offSH},
		{"LH", isOp(emu.OpLH), 0, offLH},
		{"LHU", isOp(emu.OpLHU), 0, offLHU},
		{"JALR", isOp(emu.OpJALR), 0, jalrTarget()},
		{"IORead", isIO(emu.IORead), 1, offRead + 1},    // second byte: a1 + ioSub
		{"IOWrite", isIO(emu.IOWrite), 1, offWrite + 1}, // second byte
	}
	for _, tc := range cases {
		si, i := f.find(t, tc.k, tc.pred)
		seg := &segs[si]
		if m := seg.Steps[i].Mem; m.Valid && m.Addr != tc.addr&^3 {
			t.Fatalf("%s: step accesses word %#x, want %#x", tc.name, m.Addr, tc.addr&^3)
		}
		for off := uint32(0); off < 4; off++ {
			for _, comp := range []bool{true, false} {
				name := fmt.Sprintf("%s/offset%d/compensated=%v", tc.name, off, comp)
				t.Run(name, func(t *testing.T) {
					var hits atomic.Int32
					err := solveRowsOnly(seg, g, offsetLie(tc.addr, off, comp, &hits))
					if hits.Load() != 1 {
						t.Fatalf("the lie hit %d adder splits, want exactly 1", hits.Load())
					}
					if off == tc.addr&3 {
						if err != nil {
							t.Fatalf("true offset rejected: %v", err)
						}
						return
					}
					mustFail(t, err)
					// The reason: the range check of q's pieces (the lookup
					// argument) when the recomposition holds in the field,
					// else the packed recomposition itself.
					want := "flushEq"
					if comp {
						want = "lookups).check"
					}
					if !strings.Contains(err.Error(), want) {
						t.Fatalf("rejected, but not by %s: %v", want, err)
					}
				})
			}
		}
	}
}
