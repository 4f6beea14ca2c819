package cpu

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// rowValues are the prover-chosen bus values of one row (zero in padding rows).
type rowValues struct {
	instr, old uint32
	oldTS      uint64
	inByte     uint8
}

// regWitness is the register-bus witness of a segment (regbus.go).
type regWitness struct {
	val, ts [][4]uint64 // per row and slot: value read, time of the previous access
	endTS   [32]uint64  // time of the last write to each register
}

// writesRd says whether an op writes x[rd] (if rd ≠ 0).
func writesRd(o op) bool {
	switch o {
	case emu.OpBEQ, emu.OpBNE, emu.OpBLT, emu.OpBGE, emu.OpBLTU, emu.OpBGEU, emu.OpSB, emu.OpSH, emu.OpSW, emu.OpFENCE, emu.OpECALL:
		return false
	}
	return o != emu.OpIllegal
}

// registerWitness replays the register file through the rows the way the
// circuit's four slots access it: rs1, rs2, x0 and rd, or a7, a1, a2 and a0
// in an ecall row; the rd slot writes the step's result.
func registerWitness(seg *emu.Segment, rows []rowValues) regWitness {
	w := regWitness{val: make([][4]uint64, len(rows)), ts: make([][4]uint64, len(rows))}
	regs := seg.Start.Regs
	var last [32]uint64
	for i, r := range rows {
		o := decodeOp(r.instr)
		idx := [4]uint32{r.instr >> 15 & 31, r.instr >> 20 & 31, 0, r.instr >> 7 & 31}
		if o == emu.OpECALL {
			idx = [4]uint32{17, 11, 12, 10}
		}
		for k, x := range idx {
			w.val[i][k] = uint64(regs[x])
			w.ts[i][k] = last[x]
			last[x] = uint64(4*i + k + 1)
		}
		if i >= len(seg.Steps) {
			continue
		}
		st := &seg.Steps[i]
		write := writesRd(o)
		if o == emu.OpECALL {
			// a0 is written when the ecall completes (pc moves on), except by exit.
			nextPC := seg.End.PC
			if i+1 < len(seg.Steps) {
				nextPC = seg.Steps[i+1].PC
			}
			write = nextPC != st.PC && ecallKind(regs[17], regs[10]) != ecExit
		}
		if write && idx[3] != 0 {
			regs[idx[3]] = st.Rd
		}
	}
	w.endTS = last
	return w
}

func segmentRows(seg *emu.Segment, n int) ([]rowValues, error) {
	if n <= 0 {
		return nil, fmt.Errorf("cpu: segment size %d", n)
	}
	if len(seg.Steps) > n {
		return nil, fmt.Errorf("cpu: segment %d has %d steps, circuit holds %d", seg.Index, len(seg.Steps), n)
	}
	rows := make([]rowValues, n)
	for i := range seg.Steps {
		st := &seg.Steps[i]
		rows[i].instr = st.Instr
		if st.Mem.Valid {
			if st.Mem.OldTS >= 1<<40 {
				return nil, fmt.Errorf("cpu: step %d: timestamp %d out of range", i, st.Mem.OldTS)
			}
			rows[i].old, rows[i].oldTS = st.Mem.Old, st.Mem.OldTS
		}
		if st.IOKind == emu.IORead {
			rows[i].inByte = st.IOByte
		}
	}
	return rows, nil
}

// cpuLane is the native CPU lane of a state.
func cpuLane(s *emu.State) [cpuLaneWidth]fr.Element {
	var out [cpuLaneWidth]fr.Element
	out[claim.CPUPC] = claim.U64(uint64(s.PC))
	out[claim.CPUStep] = claim.U64(s.Step)
	out[claim.CPURegs] = claim.RegsDigest(&s.Regs)
	out[claim.CPUInCursor] = claim.U64(uint64(s.InCursor))
	out[claim.CPUOutCursor] = claim.U64(uint64(s.OutCursor))
	out[claim.CPUIOSub] = claim.U64(uint64(s.IOSub))
	if s.Halted {
		out[claim.CPUHalted] = claim.U64(1)
	}
	out[claim.CPUExitCode] = claim.U64(uint64(s.ExitCode))
	return out
}

// packRows mirrors the in-circuit packing: two rows of 112 bits per element.
func packRows(rows []rowValues) []fr.Element {
	var out []fr.Element
	acc := new(big.Int)
	for i, r := range rows {
		v := new(big.Int).SetUint64(uint64(r.inByte))
		v.Lsh(v, 40).Or(v, new(big.Int).SetUint64(r.oldTS))
		v.Lsh(v, 32).Or(v, new(big.Int).SetUint64(uint64(r.old)))
		v.Lsh(v, 32).Or(v, new(big.Int).SetUint64(uint64(r.instr)))
		if i%2 == 0 {
			acc.Set(v)
		} else {
			acc.Or(acc, v.Lsh(v, rowBits))
		}
		if i%2 == 1 || i == len(rows)-1 {
			var e fr.Element
			e.SetBigInt(acc)
			out = append(out, e)
		}
	}
	return out
}

// Commit is the phase-1 commitment of a segment proved with n rows: exactly
// the Commitment of the claim Assign returns, computed without the challenge.
func Commit(seg *emu.Segment, n int) (fr.Element, error) {
	if err := checkUnitRows(seg, n); err != nil {
		return fr.Element{}, err
	}
	rows, err := segmentRows(seg, n)
	if err != nil {
		return fr.Element{}, err
	}
	return commitment(seg, rows), nil
}

func commitment(seg *emu.Segment, rows []rowValues) fr.Element {
	start := cpuLane(&seg.Start)
	in := []fr.Element{claim.U64(claim.TagLeafCommit), claim.U64(uint64(claim.LeafCPU))}
	in = append(in, start[:]...)
	in = append(in, packRows(rows)...)
	return claim.Sponge(in...)
}

// BusSum is the segment's native bus contribution under challenge γ.
func BusSum(seg *emu.Segment, gamma fr.Element) fr.Element {
	alpha, beta := claim.BusChallenges(gamma)
	var sum fr.Element
	add := func(tag, a, b, c uint64, m int64) {
		t := claim.Term(beta, claim.Fingerprint(alpha, tag, a, b, c), m)
		sum.Add(&sum, &t)
	}
	for i := range seg.Steps {
		st := &seg.Steps[i]
		ts := seg.Start.Step + uint64(i) + 1
		add(claim.TagFetch, uint64(st.PC), uint64(st.Instr), 0, -1)
		if st.Mem.Valid {
			add(claim.TagMem, uint64(st.Mem.Addr), uint64(st.Mem.Old), st.Mem.OldTS, -1)
			add(claim.TagMem, uint64(st.Mem.Addr), uint64(st.Mem.New), ts, 1)
		}
		switch st.IOKind {
		case emu.IORead:
			add(claim.TagInput, uint64(st.IOIndex), uint64(st.IOByte), 0, -1)
		case emu.IOWrite:
			add(claim.TagOutput, uint64(st.IOIndex), uint64(st.IOByte), 0, 1)
		}
	}
	return sum
}

// Assign builds the full witness of a segment proved with n rows and the
// claim it proves. The memory, input and output lanes are zero (Start = End):
// CPU leaves come first in the canonical leaf order and those lanes start at
// zero, so every CPU leaf carries them unchanged at zero.
func Assign(seg *emu.Segment, n int, g claim.Globals) (*Circuit, claim.Claim, error) {
	if err := checkUnitRows(seg, n); err != nil {
		return nil, claim.Claim{}, err
	}
	return assignUnchecked(seg, n, g)
}

// checkUnitRows refuses a segment that needs more unit rows than the n-step
// shape has (muldiv.go), so it fails here rather than in the prover.
func checkUnitRows(seg *emu.Segment, n int) error {
	mulDiv := 0
	for i := range seg.Steps {
		if o := decodeOp(seg.Steps[i].Instr); o >= emu.OpMUL && o <= emu.OpREMU {
			mulDiv++
		}
	}
	if k := DefaultMulDivRows(n); mulDiv > k {
		return fmt.Errorf("%w: segment %d has %d M-extension steps, a %d-step circuit has %d mul/div unit rows", ErrUnitRows, seg.Index, mulDiv, n, k)
	}
	return nil
}

// assignUnchecked is Assign without the unit-row check.
func assignUnchecked(seg *emu.Segment, n int, g claim.Globals) (*Circuit, claim.Claim, error) {
	rows, err := segmentRows(seg, n)
	if err != nil {
		return nil, claim.Claim{}, err
	}
	var cl claim.Claim
	cl.Globals = g
	start, end := cpuLane(&seg.Start), cpuLane(&seg.End)
	copy(cl.Start[:], start[:])
	copy(cl.End[:], end[:])
	cl.BusSum = BusSum(seg, g.Challenge)
	cl.Commitment = commitment(seg, rows)

	c := Placeholder(n)
	c.Digest = elem(cl.Digest())
	c.Challenge, c.InputLen, c.VKSet = elem(g.Challenge), elem(g.InputLen), elem(g.VKSet)
	s := &seg.Start
	c.PC, c.Step = s.PC, s.Step
	for i := range c.Regs {
		c.Regs[i] = s.Regs[i+1]
	}
	c.InCursor, c.OutCursor, c.IOSub = s.InCursor, s.OutCursor, s.IOSub
	c.Halted, c.ExitCode = boolInt(s.Halted), s.ExitCode
	for i := range c.Other {
		c.Other[i] = 0
	}
	rw := registerWitness(seg, rows)
	for i, r := range rows {
		c.Rows[i] = Row{Instr: r.instr, MemOld: r.old, MemOldTS: r.oldTS, InByte: r.inByte}
		for k := 0; k < 4; k++ {
			c.Rows[i].Reg[k], c.Rows[i].RegTS[k] = rw.val[i][k], rw.ts[i][k]
		}
	}
	for i := range c.EndRegs {
		c.EndRegs[i] = seg.End.Regs[i+1]
	}
	for i := range c.EndRegTS {
		c.EndRegTS[i] = rw.endTS[i]
	}
	return c, cl, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// elem converts a field element to a witness value.
func elem(e fr.Element) frontend.Variable {
	a := gadget.AssignClaim(&claim.Claim{BusSum: e})
	return a.BusSum
}
