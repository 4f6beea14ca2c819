package emu

import (
	"fmt"
	"math"
)

// Linux RISC-V syscall numbers the guest ABI supports (docs/GUEST_ABI.md).
const (
	sysRead      = 63
	sysWrite     = 64
	sysExit      = 93
	sysExitGroup = 94

	errBadFD = 0xfffffff7 // -EBADF

	// maxDebug bounds the debug log kept per run; the debug log is not part
	// of the statement, so dropping the excess changes nothing proven.
	maxDebug = 16 << 20
)

// machine is one execution of a program. The same interpreter loop serves
// the fast path (Run: no timestamps, no recording) and tracing (timestamps
// per word, fetch counts and, for recorded segments, one Step per step), so
// both paths share one definition of every instruction.
type machine struct {
	regs      [33]uint32 // regs[regSink] absorbs writes to x0
	pc        uint32
	step      uint64
	inCursor  uint32
	outCursor uint32
	ioSub     uint32
	halted    bool
	exitCode  uint32

	prog   *Program
	mem    *memory
	input  []byte
	output []byte
	debug  []byte

	// M-extension budget of the segment being run (0: none) and what is
	// left of it: exec stops before an M step when mdLeft is 0.
	mdBudget, mdLeft uint64

	// track enables per-word timestamps and fetch counts (tracing).
	track       bool
	fetchCounts [][]uint64 // per Program.exec range, when track

	// Fetch cache: the executable range that served the last fetch.
	curLo     uint32
	curBytes  uint32
	curCode   []inst
	curWords  []uint32
	curCounts []uint64
}

func newMachine(p *Program, input []byte, track bool) *machine {
	m := &machine{prog: p, input: input, track: track, mem: newMemory(track)}
	m.pc = p.Entry
	m.regs[2] = StackTop
	for _, w := range p.Image {
		m.mem.pageFor(w.Addr).w[w.Addr>>2&(pageWords-1)] = w.Word
	}
	if track {
		m.fetchCounts = make([][]uint64, len(p.exec))
		for i := range p.exec {
			m.fetchCounts[i] = make([]uint64, len(p.exec[i].words))
		}
	}
	return m
}

// state snapshots the machine state between steps.
func (m *machine) state() State {
	s := State{
		PC: m.pc, Step: m.step, InCursor: m.inCursor, OutCursor: m.outCursor,
		IOSub: m.ioSub, Halted: m.halted, ExitCode: m.exitCode,
	}
	copy(s.Regs[:], m.regs[:32])
	return s
}

func execErr(pc uint32, format string, args ...any) error {
	return fmt.Errorf("%w: %s at pc 0x%08x", ErrExec, fmt.Sprintf(format, args...), pc)
}

// setFetch points the fetch cache at the range holding pc.
func (m *machine) setFetch(pc uint32) error {
	if pc&3 != 0 {
		return execErr(pc, "misaligned pc")
	}
	i := m.prog.execIndex(pc)
	if i < 0 {
		return execErr(pc, "pc outside executable memory")
	}
	r := &m.prog.exec[i]
	m.curLo, m.curBytes, m.curCode, m.curWords = r.lo, uint32(4*len(r.words)), r.code, r.words
	if m.track {
		m.curCounts = m.fetchCounts[i]
	}
	return nil
}

// exec runs steps until m.step reaches limit, the guest halts, a fault, or
// (with m.mdBudget set) an M-extension step with m.mdLeft = 0.
// When rec is non-nil, the step numbered s (0-based) is recorded into
// rec[s-recBase]; rec must be zeroed and cover [m.step, limit).
func (m *machine) exec(limit uint64, rec []Step, recBase uint64) error {
	r := &m.regs
	pc := m.pc
	step := m.step
	mem := m.mem
	track := m.track
	defer func() { m.pc, m.step = pc, step }()
	for step < limit {
		off := pc - m.curLo
		if off >= m.curBytes || off&3 != 0 {
			if err := m.setFetch(pc); err != nil {
				return err
			}
			off = pc - m.curLo
		}
		idx := off >> 2
		in := &m.curCode[idx]
		// One unsigned compare per step: MUL … REMU are consecutive ops.
		if in.op-opMUL <= opREMU-opMUL && m.mdBudget != 0 {
			if m.mdLeft == 0 {
				return nil // the segment ends before this step
			}
			m.mdLeft--
		}
		ts := step + 1 // timestamp of this step
		var st *Step
		if track {
			m.curCounts[idx]++
			if rec != nil {
				st = &rec[step-recBase]
				st.PC, st.Instr = pc, m.curWords[idx]
				st.Rs1, st.Rs2 = r[in.rs1], r[in.rs2]
			}
		}
		npc := pc + 4
		switch in.op {
		case opLUI:
			r[in.rd] = in.imm
		case opAUIPC:
			r[in.rd] = pc + in.imm
		case opJAL:
			r[in.rd] = npc
			npc = pc + in.imm
		case opJALR:
			t := (r[in.rs1] + in.imm) &^ 1
			r[in.rd] = npc
			npc = t
		case opBEQ:
			if r[in.rs1] == r[in.rs2] {
				npc = pc + in.imm
			}
		case opBNE:
			if r[in.rs1] != r[in.rs2] {
				npc = pc + in.imm
			}
		case opBLT:
			if int32(r[in.rs1]) < int32(r[in.rs2]) {
				npc = pc + in.imm
			}
		case opBGE:
			if int32(r[in.rs1]) >= int32(r[in.rs2]) {
				npc = pc + in.imm
			}
		case opBLTU:
			if r[in.rs1] < r[in.rs2] {
				npc = pc + in.imm
			}
		case opBGEU:
			if r[in.rs1] >= r[in.rs2] {
				npc = pc + in.imm
			}
		case opLB, opLH, opLW, opLBU, opLHU:
			addr := r[in.rs1] + in.imm
			if addr&loadAlign[in.op-opLB] != 0 {
				return execErr(pc, "misaligned load from 0x%08x", addr)
			}
			pg := mem.pageFor(addr)
			wi := addr >> 2 & (pageWords - 1)
			w := pg.w[wi]
			if track {
				if st != nil {
					st.Mem = MemAccess{Valid: true, Addr: addr &^ 3, Old: w, New: w, OldTS: pg.ts[wi]}
				}
				pg.ts[wi] = ts
			}
			sh := addr & 3 * 8
			switch in.op {
			case opLB:
				r[in.rd] = uint32(int32(w<<(24-sh)) >> 24)
			case opLH:
				r[in.rd] = uint32(int32(w<<(16-sh)) >> 16)
			case opLW:
				r[in.rd] = w
			case opLBU:
				r[in.rd] = w >> sh & 0xff
			default: // opLHU
				r[in.rd] = w >> sh & 0xffff
			}
		case opSB, opSH, opSW:
			addr := r[in.rs1] + in.imm
			if addr&storeAlign[in.op-opSB] != 0 {
				return execErr(pc, "misaligned store to 0x%08x", addr)
			}
			pg := mem.pageFor(addr)
			wi := addr >> 2 & (pageWords - 1)
			old := pg.w[wi]
			v := r[in.rs2]
			sh := addr & 3 * 8
			var nw uint32
			switch in.op {
			case opSB:
				nw = old&^(0xff<<sh) | (v&0xff)<<sh
			case opSH:
				nw = old&^(0xffff<<sh) | (v&0xffff)<<sh
			default: // opSW
				nw = v
			}
			pg.w[wi] = nw
			if track {
				if st != nil {
					st.Mem = MemAccess{Valid: true, Addr: addr &^ 3, Old: old, New: nw, OldTS: pg.ts[wi]}
				}
				pg.ts[wi] = ts
			}
		case opADDI:
			r[in.rd] = r[in.rs1] + in.imm
		case opSLTI:
			r[in.rd] = b2u(int32(r[in.rs1]) < int32(in.imm))
		case opSLTIU:
			r[in.rd] = b2u(r[in.rs1] < in.imm)
		case opXORI:
			r[in.rd] = r[in.rs1] ^ in.imm
		case opORI:
			r[in.rd] = r[in.rs1] | in.imm
		case opANDI:
			r[in.rd] = r[in.rs1] & in.imm
		case opSLLI:
			r[in.rd] = r[in.rs1] << in.imm
		case opSRLI:
			r[in.rd] = r[in.rs1] >> in.imm
		case opSRAI:
			r[in.rd] = uint32(int32(r[in.rs1]) >> in.imm)
		case opADD:
			r[in.rd] = r[in.rs1] + r[in.rs2]
		case opSUB:
			r[in.rd] = r[in.rs1] - r[in.rs2]
		case opSLL:
			r[in.rd] = r[in.rs1] << (r[in.rs2] & 31)
		case opSLT:
			r[in.rd] = b2u(int32(r[in.rs1]) < int32(r[in.rs2]))
		case opSLTU:
			r[in.rd] = b2u(r[in.rs1] < r[in.rs2])
		case opXOR:
			r[in.rd] = r[in.rs1] ^ r[in.rs2]
		case opSRL:
			r[in.rd] = r[in.rs1] >> (r[in.rs2] & 31)
		case opSRA:
			r[in.rd] = uint32(int32(r[in.rs1]) >> (r[in.rs2] & 31))
		case opOR:
			r[in.rd] = r[in.rs1] | r[in.rs2]
		case opAND:
			r[in.rd] = r[in.rs1] & r[in.rs2]
		case opMUL:
			r[in.rd] = r[in.rs1] * r[in.rs2]
		case opMULH:
			r[in.rd] = uint32(uint64(int64(int32(r[in.rs1]))*int64(int32(r[in.rs2]))) >> 32)
		case opMULHSU:
			r[in.rd] = uint32(uint64(int64(int32(r[in.rs1]))*int64(r[in.rs2])) >> 32)
		case opMULHU:
			r[in.rd] = uint32(uint64(r[in.rs1]) * uint64(r[in.rs2]) >> 32)
		case opDIV:
			r[in.rd] = div(r[in.rs1], r[in.rs2])
		case opDIVU:
			a, b := r[in.rs1], r[in.rs2]
			if b == 0 {
				r[in.rd] = math.MaxUint32
			} else {
				r[in.rd] = a / b
			}
		case opREM:
			r[in.rd] = rem(r[in.rs1], r[in.rs2])
		case opREMU:
			a, b := r[in.rs1], r[in.rs2]
			if b == 0 {
				r[in.rd] = a
			} else {
				r[in.rd] = a % b
			}
		case opFENCE:
		case opECALL:
			m.pc, m.step = pc, step
			if err := m.ecall(st, ts); err != nil {
				return err
			}
			npc = m.pc
		case opEBREAK:
			return execErr(pc, "ebreak")
		default:
			return execErr(pc, "illegal instruction 0x%08x", m.curWords[idx])
		}
		if st != nil && in.rd != regSink {
			st.Rd = r[in.rd]
		}
		pc = npc
		step++
		if m.halted {
			break
		}
	}
	return nil
}

var (
	loadAlign  = [5]uint32{0, 1, 3, 0, 1} // LB LH LW LBU LHU
	storeAlign = [3]uint32{0, 1, 3}       // SB SH SW
)

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func div(a, b uint32) uint32 {
	switch {
	case b == 0:
		return math.MaxUint32
	case a == 0x80000000 && b == math.MaxUint32:
		return a // INT_MIN / -1 overflows to INT_MIN
	}
	return uint32(int32(a) / int32(b))
}

func rem(a, b uint32) uint32 {
	switch {
	case b == 0:
		return a
	case a == 0x80000000 && b == math.MaxUint32:
		return 0
	}
	return uint32(int32(a) % int32(b))
}

// ecall executes one step of a syscall at m.pc (step timestamp ts). It
// leaves m.pc at the next pc: unchanged for a read/write byte step that is
// not the last one, pc+4 otherwise.
func (m *machine) ecall(st *Step, ts uint64) error {
	pc := m.pc
	a0, a1, a2 := m.regs[10], m.regs[11], m.regs[12]
	switch nr := m.regs[17]; nr {
	case sysRead:
		if a0 != 0 {
			m.finish(st, errBadFD)
			return nil
		}
		if m.ioSub == 0 && (a2 == 0 || int(m.inCursor) == len(m.input)) {
			m.finish(st, 0)
			return nil
		}
		addr := a1 + m.ioSub
		b := m.input[m.inCursor]
		pg := m.mem.pageFor(addr)
		wi := addr >> 2 & (pageWords - 1)
		old := pg.w[wi]
		sh := addr & 3 * 8
		nw := old&^(0xff<<sh) | uint32(b)<<sh
		pg.w[wi] = nw
		if m.track {
			if st != nil {
				st.Mem = MemAccess{Valid: true, Addr: addr &^ 3, Old: old, New: nw, OldTS: pg.ts[wi]}
				st.IOByte, st.IOIndex, st.IOKind = b, m.inCursor, IORead
			}
			pg.ts[wi] = ts
		}
		m.inCursor++
		m.ioSub++
		if m.ioSub == a2 || int(m.inCursor) == len(m.input) {
			n := m.ioSub
			m.ioSub = 0
			m.finish(st, n)
		}
		return nil
	case sysWrite:
		switch a0 {
		case 1:
			if a2 == 0 {
				m.finish(st, 0)
				return nil
			}
			if m.outCursor == math.MaxUint32 {
				return execErr(pc, "public output longer than 4 GiB")
			}
			addr := a1 + m.ioSub
			pg := m.mem.pageFor(addr)
			wi := addr >> 2 & (pageWords - 1)
			w := pg.w[wi]
			b := uint8(w >> (addr & 3 * 8))
			if m.track {
				if st != nil {
					st.Mem = MemAccess{Valid: true, Addr: addr &^ 3, Old: w, New: w, OldTS: pg.ts[wi]}
					st.IOByte, st.IOIndex, st.IOKind = b, m.outCursor, IOWrite
				}
				pg.ts[wi] = ts
			}
			m.output = append(m.output, b)
			m.outCursor++
			m.ioSub++
			if m.ioSub == a2 {
				m.ioSub = 0
				m.finish(st, a2)
			}
		case 2:
			// The debug log is read without memory accesses on the trace: it
			// is not part of the statement.
			for i := uint32(0); i < a2 && len(m.debug) < maxDebug; i++ {
				addr := a1 + i
				m.debug = append(m.debug, uint8(m.mem.peek(addr)>>(addr&3*8)))
			}
			m.finish(st, a2)
		default:
			m.finish(st, errBadFD)
		}
		return nil
	case sysExit, sysExitGroup:
		m.halted = true
		m.exitCode = a0
		m.pc = pc + 4
		return nil
	default:
		return execErr(pc, "unsupported syscall %d", nr)
	}
}

// finish completes a syscall: a0 = ret, pc += 4.
func (m *machine) finish(st *Step, ret uint32) {
	m.regs[10] = ret
	if st != nil {
		st.Rd = ret
	}
	m.pc += 4
}
