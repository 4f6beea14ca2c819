package testprover

import "encoding/binary"

// LoopingELF returns an 88-byte RV32IM executable whose only instruction
// is "jal x0, 0": a guest that never halts. It is the hostile guest of the
// reliability tests (planning it must stay bounded in memory, honour
// cancellation and stop at the cycle cap).
func LoopingELF() []byte { return TinyELF(0x0000006f) } // jal x0, 0

// FaultingELF returns an 88-byte executable whose only instruction is
// illegal (all zeros): the guest faults at its first step.
func FaultingELF() []byte { return TinyELF(0) }

// TinyELF returns an 88-byte RV32 executable of one instruction.
func TinyELF(insn uint32) []byte {
	const vaddr, off = 0x10054, 84 // code right after the headers
	b := make([]byte, 88)
	le := binary.LittleEndian
	copy(b, "\x7fELF\x01\x01\x01")
	le.PutUint16(b[16:], 2)   // ET_EXEC
	le.PutUint16(b[18:], 243) // EM_RISCV
	le.PutUint32(b[20:], 1)   // EV_CURRENT
	le.PutUint32(b[24:], vaddr)
	le.PutUint32(b[28:], 52) // e_phoff
	le.PutUint16(b[40:], 52) // e_ehsize
	le.PutUint16(b[42:], 32) // e_phentsize
	le.PutUint16(b[44:], 1)  // e_phnum
	ph := b[52:84]
	le.PutUint32(ph[0:], 1) // PT_LOAD
	le.PutUint32(ph[4:], off)
	le.PutUint32(ph[8:], vaddr)
	le.PutUint32(ph[12:], vaddr)
	le.PutUint32(ph[16:], 4)
	le.PutUint32(ph[20:], 4)
	le.PutUint32(ph[24:], 5) // R+X
	le.PutUint32(ph[28:], 4)
	le.PutUint32(b[84:], insn)
	return b
}
