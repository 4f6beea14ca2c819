package cpu

import "github.com/zkfleet/zkfleet/zkvm/emu"

// op is zkvm/emu's decoded operation (emu.OpLUI … emu.OpECALL are the ops
// the circuit executes; emu.OpIllegal and emu.OpEBREAK make a row
// unsatisfiable).
type op = emu.Op

// class is what the circuit decodes an instruction word to: one boolean
// per class (one-hot in an active row, all zero in a padding row), plus
// funct3 as three bits and alt (funct7 = 0x20: SUB, SRA, SRAI). An op is a
// class and its funct3 (and alt), so the 47 ops cost 13 booleans; the row
// selects inside a class with the funct3 bits.
type class int

const (
	clLUI class = iota
	clAUIPC
	clJAL
	clJALR
	clBranch
	clLoad
	clStore
	clOpImm  // ADDI … SRAI
	clOp     // ADD … AND (funct7 0x00 or 0x20)
	clMulDiv // MUL … REMU (funct7 0x01)
	clFence
	clEcall
	numClasses
)

// classOpcode is the opcode of each class.
var classOpcode = [numClasses]uint32{
	clLUI: 0x37, clAUIPC: 0x17, clJAL: 0x6f, clJALR: 0x67, clBranch: 0x63, clLoad: 0x03,
	clStore: 0x23, clOpImm: 0x13, clOp: 0x33, clMulDiv: 0x33, clFence: 0x0f, clEcall: 0x73,
}

// classOf returns the class of an op (-1 for emu.OpIllegal) and whether it
// has funct7 = 0x20.
func classOf(o op) (class, bool) {
	switch {
	case o == emu.OpLUI:
		return clLUI, false
	case o == emu.OpAUIPC:
		return clAUIPC, false
	case o == emu.OpJAL:
		return clJAL, false
	case o == emu.OpJALR:
		return clJALR, false
	case o >= emu.OpBEQ && o <= emu.OpBGEU:
		return clBranch, false
	case o >= emu.OpLB && o <= emu.OpLHU:
		return clLoad, false
	case o >= emu.OpSB && o <= emu.OpSW:
		return clStore, false
	case o >= emu.OpADDI && o <= emu.OpSRAI:
		return clOpImm, o == emu.OpSRAI
	case o >= emu.OpADD && o <= emu.OpAND:
		return clOp, o == emu.OpSUB || o == emu.OpSRA
	case o >= emu.OpMUL && o <= emu.OpREMU:
		return clMulDiv, false
	case o == emu.OpFENCE:
		return clFence, false
	case o == emu.OpECALL:
		return clEcall, false
	}
	return -1, false
}

// usesF7 says whether funct7 is part of the encoding (not of an immediate)
// for class k and funct3 f3.
func usesF7(k class, f3 uint32) bool {
	return k == clOp || k == clMulDiv || k == clOpImm && (f3 == 1 || f3 == 5)
}

// legal says whether (class k, funct3, f7m) is an instruction the circuit
// executes, where f7m is funct7 if usesF7 and 0 otherwise, and whether it
// has alt (funct7 = 0x20: SUB, SRA, SRAI). k = numClasses stands for a
// padding row (no class). The decode lookup table (lookup.go) is exactly
// the legal triples.
func legal(k class, f3, f7m uint32) (ok, alt bool) {
	switch k {
	case clLUI, clAUIPC, clJAL, numClasses:
		return f7m == 0, false
	case clJALR, clFence, clEcall:
		return f3 == 0 && f7m == 0, false
	case clBranch:
		return f3 != 2 && f3 != 3 && f7m == 0, false
	case clLoad:
		return f3 != 3 && f3 != 6 && f3 != 7 && f7m == 0, false
	case clStore:
		return f3 <= 2 && f7m == 0, false
	case clOpImm:
		if f3 == 5 && f7m == 0x20 {
			return true, true
		}
		return f7m == 0, false
	case clOp:
		if (f3 == 0 || f3 == 5) && f7m == 0x20 {
			return true, true
		}
		return f7m == 0, false
	case clMulDiv:
		return f7m == 1, false
	}
	return false, false
}

// aligned says whether a row of class k and funct3 f3 may access the byte
// offset off (0..3) of a word: LW/SW need 0, LH/LHU/SH an even offset; rows
// that access no memory have any offset (their address bits are unused).
func aligned(k class, f3, off uint32) bool {
	if k != clLoad && k != clStore {
		return true
	}
	switch f3 & 3 {
	case 2:
		return off == 0
	case 1:
		return off&1 == 0
	}
	return true
}

// decodeKey packs (class index + 1, or 0 for a padding row; funct3; f7m)
// into the decode table's key.
func decodeKey(k class, f3, f7m uint32) uint64 {
	idx := uint64(k) + 1
	if k == numClasses {
		idx = 0
	}
	return idx | uint64(f3)<<4 | uint64(f7m)<<7
}

// classAccepts mirrors the decode constraints of row.go natively: whether
// word w satisfies them with class k and alt bit alt (decode_test.go checks
// that exactly the class and alt of the op zkvm/emu decodes are accepted).
func classAccepts(w uint32, k class, alt bool) bool {
	f3, f7 := w>>12&7, w>>25
	if w&0x7f != classOpcode[k] || k == clEcall && w != ecallWord {
		return false
	}
	f7m := uint32(0)
	if usesF7(k, f3) {
		f7m = f7
	}
	ok, a := legal(k, f3, f7m)
	return ok && a == alt
}

// ecallWord is the only accepted SYSTEM instruction (EBREAK and CSRs are illegal).
const ecallWord = 0x73

// decodeOp returns the op of an instruction word, emu.OpIllegal if the word
// is not one the circuit executes. It is zkvm/emu's decoder
// (TestDecodeMatchesClasses checks that the class constraints accept exactly
// the words it decodes).
func decodeOp(instr uint32) op {
	o := emu.DecodeOp(instr)
	if o < emu.OpLUI || o > emu.OpECALL {
		return emu.OpIllegal // illegal, or EBREAK (which ends execution with an error)
	}
	return o
}

// Syscall numbers (Linux RISC-V ABI) and the error value for a bad fd.
const (
	sysRead      = 63
	sysWrite     = 64
	sysExit      = 93
	sysExitGroup = 94
	errBadFD     = 1<<32 - 9 // -EBADF as a 32-bit register value
)

// ecall sub-kinds, one-hot in ECALL rows (hint output order).
const (
	ecRead     = iota // read(0, …)
	ecBadRead         // read from an fd other than 0
	ecWrite1          // write(1, …): public output
	ecWrite2          // write(2, …): debug, dropped
	ecBadWrite        // write to an fd other than 1, 2
	ecExit            // exit / exit_group
	numEcall
)

// ecallKind classifies an ecall by a7 and a0; -1 for an unsupported syscall.
func ecallKind(a7, a0 uint32) int {
	switch a7 {
	case sysRead:
		if a0 == 0 {
			return ecRead
		}
		return ecBadRead
	case sysWrite:
		switch a0 {
		case 1:
			return ecWrite1
		case 2:
			return ecWrite2
		}
		return ecBadWrite
	case sysExit, sysExitGroup:
		return ecExit
	}
	return -1
}
