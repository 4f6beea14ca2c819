package cpu

import (
	"fmt"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// refMachine is a small test-only RV32IM interpreter producing emu.Segment
// traces, so the circuit can be tested independently of zkvm/emu.
type refMachine struct {
	st    emu.State
	mem   map[uint32]uint32 // word address → value
	ts    map[uint32]uint64 // word address → last access timestamp
	input []byte
	out   []byte
}

func newRef(base uint32, words []uint32, input []byte) *refMachine {
	m := &refMachine{mem: map[uint32]uint32{}, ts: map[uint32]uint64{}, input: input}
	for i, w := range words {
		m.mem[base+4*uint32(i)] = w
	}
	m.st.PC = base
	m.st.Regs[2] = 0x80000
	return m
}

func sext(v uint32, bits uint) uint32 { return uint32(int32(v<<(32-bits)) >> (32 - bits)) }

// access records a word access at timestamp ts and returns the old value.
func (m *refMachine) access(st *emu.Step, addr uint32, ts uint64, newv func(old uint32) uint32) uint32 {
	wa := addr &^ 3
	old := m.mem[wa]
	nv := newv(old)
	st.Mem = emu.MemAccess{Valid: true, Addr: wa, Old: old, New: nv, OldTS: m.ts[wa]}
	m.mem[wa], m.ts[wa] = nv, ts
	return old
}

// step executes one step.
func (m *refMachine) step() (emu.Step, error) {
	s := &m.st
	st := emu.Step{PC: s.PC, Instr: m.mem[s.PC]}
	in := st.Instr
	ts := s.Step + 1
	rd, rs1, rs2 := (in>>7)&31, (in>>15)&31, (in>>20)&31
	a, b := s.Regs[rs1], s.Regs[rs2]
	immI := sext(in>>20, 12)
	immS := sext((in>>25)<<5|(in>>7)&31, 12)
	immB := sext((in>>31)<<12|((in>>7)&1)<<11|((in>>25)&63)<<5|((in>>8)&15)<<1, 13)
	immU := in &^ 0xfff
	immJ := sext((in>>31)<<20|((in>>12)&255)<<12|((in>>20)&1)<<11|((in>>21)&1023)<<1, 21)
	next := s.PC + 4
	write := func(v uint32) {
		if rd != 0 {
			s.Regs[rd] = v
		}
	}
	k := decodeOp(in)
	switch k {
	case emu.OpLUI:
		write(immU)
	case emu.OpAUIPC:
		write(s.PC + immU)
	case emu.OpJAL:
		write(next)
		next = s.PC + immJ
	case emu.OpJALR:
		t := (a + immI) &^ 1
		write(next)
		next = t
	case emu.OpBEQ, emu.OpBNE, emu.OpBLT, emu.OpBGE, emu.OpBLTU, emu.OpBGEU:
		c := map[op]bool{emu.OpBEQ: a == b, emu.OpBNE: a != b, emu.OpBLT: int32(a) < int32(b), emu.OpBGE: int32(a) >= int32(b), emu.OpBLTU: a < b, emu.OpBGEU: a >= b}[k]
		if c {
			next = s.PC + immB
		}
	case emu.OpLB, emu.OpLH, emu.OpLW, emu.OpLBU, emu.OpLHU:
		addr := a + immI
		if (k == emu.OpLW && addr&3 != 0) || ((k == emu.OpLH || k == emu.OpLHU) && addr&1 != 0) {
			return st, fmt.Errorf("misaligned load")
		}
		w := m.access(&st, addr, ts, func(o uint32) uint32 { return o })
		sh := (addr & 3) * 8
		v := map[op]uint32{emu.OpLB: sext((w>>sh)&0xff, 8), emu.OpLH: sext((w>>sh)&0xffff, 16), emu.OpLW: w, emu.OpLBU: (w >> sh) & 0xff, emu.OpLHU: (w >> sh) & 0xffff}[k]
		write(v)
	case emu.OpSB, emu.OpSH, emu.OpSW:
		addr := a + immS
		sh := (addr & 3) * 8
		m.access(&st, addr, ts, func(o uint32) uint32 {
			switch k {
			case emu.OpSB:
				return o&^(0xff<<sh) | (b&0xff)<<sh
			case emu.OpSH:
				return o&^(0xffff<<sh) | (b&0xffff)<<sh
			}
			return b
		})
	case emu.OpFENCE:
	case emu.OpECALL:
		if err := m.ecall(&st, ts, &next); err != nil {
			return st, err
		}
	case emu.OpIllegal:
		return st, fmt.Errorf("illegal instruction %#x", in)
	default:
		y := b
		if k >= emu.OpADDI && k <= emu.OpSRAI {
			y = immI
		}
		var v uint32
		switch k {
		case emu.OpADDI, emu.OpADD:
			v = a + y
		case emu.OpSUB:
			v = a - y
		case emu.OpSLTI, emu.OpSLT:
			v = b2u(int32(a) < int32(y))
		case emu.OpSLTIU, emu.OpSLTU:
			v = b2u(a < y)
		case emu.OpXORI, emu.OpXOR:
			v = a ^ y
		case emu.OpORI, emu.OpOR:
			v = a | y
		case emu.OpANDI, emu.OpAND:
			v = a & y
		case emu.OpSLLI, emu.OpSLL:
			v = a << (y & 31)
		case emu.OpSRLI, emu.OpSRL:
			v = a >> (y & 31)
		case emu.OpSRAI, emu.OpSRA:
			v = uint32(int32(a) >> (y & 31))
		case emu.OpMUL:
			v = a * y
		case emu.OpMULH:
			v = uint32(uint64(int64(int32(a))*int64(int32(y))) >> 32)
		case emu.OpMULHSU:
			v = uint32(uint64(int64(int32(a))*int64(y)) >> 32)
		case emu.OpMULHU:
			v = uint32(uint64(a) * uint64(y) >> 32)
		case emu.OpDIV, emu.OpDIVU, emu.OpREM, emu.OpREMU:
			in := []*bigInt{newInt(a), newInt(y), newInt(b2u(k == emu.OpDIV || k == emu.OpREM))}
			out := []*bigInt{newInt(0), newInt(0)}
			_ = divHint(nil, in, out)
			v = uint32(out[0].Uint64())
			if k == emu.OpREM || k == emu.OpREMU {
				v = uint32(out[1].Uint64())
			}
		}
		write(v)
	}
	st.Rs1, st.Rs2 = a, b
	if rd != 0 {
		st.Rd = s.Regs[rd]
	}
	s.PC = next
	s.Step++
	return st, nil
}

func (m *refMachine) ecall(st *emu.Step, ts uint64, next *uint32) error {
	s := &m.st
	a0, a1, a2, a7 := s.Regs[10], s.Regs[11], s.Regs[12], s.Regs[17]
	switch ecallKind(a7, a0) {
	case ecRead:
		n := min(a2, uint32(len(m.input))-s.InCursor+s.IOSub)
		if n == 0 {
			s.Regs[10], st.Rd = 0, 0
			return nil
		}
		by := m.input[s.InCursor]
		addr := a1 + s.IOSub
		sh := (addr & 3) * 8
		m.access(st, addr, ts, func(o uint32) uint32 { return o&^(0xff<<sh) | uint32(by)<<sh })
		st.IOKind, st.IOByte, st.IOIndex = emu.IORead, by, s.InCursor
		s.InCursor++
		s.IOSub++
		if s.IOSub == a2 || int(s.InCursor) == len(m.input) {
			s.Regs[10], st.Rd, s.IOSub = s.IOSub, s.IOSub, 0
		} else {
			*next = s.PC
		}
	case ecWrite1:
		if a2 == 0 {
			s.Regs[10], st.Rd = 0, 0
			return nil
		}
		addr := a1 + s.IOSub
		w := m.access(st, addr, ts, func(o uint32) uint32 { return o })
		by := uint8(w >> ((addr & 3) * 8))
		st.IOKind, st.IOByte, st.IOIndex = emu.IOWrite, by, s.OutCursor
		m.out = append(m.out, by)
		s.OutCursor++
		s.IOSub++
		if s.IOSub == a2 {
			s.Regs[10], st.Rd, s.IOSub = a2, a2, 0
		} else {
			*next = s.PC
		}
	case ecWrite2:
		s.Regs[10], st.Rd = a2, a2
	case ecBadRead, ecBadWrite:
		s.Regs[10], st.Rd = errBadFD, errBadFD
	case ecExit:
		s.Halted, s.ExitCode = true, a0
	default:
		return fmt.Errorf("unsupported syscall %d", a7)
	}
	return nil
}

// run traces up to maxSteps steps into segments of n steps.
func (m *refMachine) run(n, maxSteps int) ([]emu.Segment, error) {
	var segs []emu.Segment
	for !m.st.Halted {
		if int(m.st.Step) >= maxSteps {
			return nil, fmt.Errorf("no halt after %d steps", maxSteps)
		}
		seg := emu.Segment{Index: len(segs), Start: m.st}
		for len(seg.Steps) < n && !m.st.Halted {
			st, err := m.step()
			if err != nil {
				return nil, fmt.Errorf("step %d pc %#x: %w", m.st.Step, m.st.PC, err)
			}
			seg.Steps = append(seg.Steps, st)
		}
		seg.End = m.st
		segs = append(segs, seg)
	}
	return segs, nil
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
