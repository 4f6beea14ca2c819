package cpu

import "github.com/zkfleet/zkfleet/zkvm/emu"

// op enumerates the RV32IM instructions the circuit executes. Each row carries
// one boolean flag per op (one-hot, or all zero in a padding row); the decode
// constraints tie the flag to the instruction word's opcode/funct3/funct7.
type op int

const (
	opLUI op = iota
	opAUIPC
	opJAL
	opJALR
	opBEQ
	opBNE
	opBLT
	opBGE
	opBLTU
	opBGEU
	opLB
	opLH
	opLW
	opLBU
	opLHU
	opSB
	opSH
	opSW
	opADDI
	opSLTI
	opSLTIU
	opXORI
	opORI
	opANDI
	opSLLI
	opSRLI
	opSRAI
	opADD
	opSUB
	opSLL
	opSLT
	opSLTU
	opXOR
	opSRL
	opSRA
	opOR
	opAND
	opMUL
	opMULH
	opMULHSU
	opMULHU
	opDIV
	opDIVU
	opREM
	opREMU
	opFENCE
	opECALL
	numOps
)

// encoding is the fixed part of an op's instruction word.
type encoding struct {
	opcode, funct3, funct7 uint32
	useF3, useF7           bool
}

var encodings = [numOps]encoding{
	opLUI:    {opcode: 0x37},
	opAUIPC:  {opcode: 0x17},
	opJAL:    {opcode: 0x6f},
	opJALR:   {opcode: 0x67, useF3: true},
	opBEQ:    {opcode: 0x63, funct3: 0, useF3: true},
	opBNE:    {opcode: 0x63, funct3: 1, useF3: true},
	opBLT:    {opcode: 0x63, funct3: 4, useF3: true},
	opBGE:    {opcode: 0x63, funct3: 5, useF3: true},
	opBLTU:   {opcode: 0x63, funct3: 6, useF3: true},
	opBGEU:   {opcode: 0x63, funct3: 7, useF3: true},
	opLB:     {opcode: 0x03, funct3: 0, useF3: true},
	opLH:     {opcode: 0x03, funct3: 1, useF3: true},
	opLW:     {opcode: 0x03, funct3: 2, useF3: true},
	opLBU:    {opcode: 0x03, funct3: 4, useF3: true},
	opLHU:    {opcode: 0x03, funct3: 5, useF3: true},
	opSB:     {opcode: 0x23, funct3: 0, useF3: true},
	opSH:     {opcode: 0x23, funct3: 1, useF3: true},
	opSW:     {opcode: 0x23, funct3: 2, useF3: true},
	opADDI:   {opcode: 0x13, funct3: 0, useF3: true},
	opSLTI:   {opcode: 0x13, funct3: 2, useF3: true},
	opSLTIU:  {opcode: 0x13, funct3: 3, useF3: true},
	opXORI:   {opcode: 0x13, funct3: 4, useF3: true},
	opORI:    {opcode: 0x13, funct3: 6, useF3: true},
	opANDI:   {opcode: 0x13, funct3: 7, useF3: true},
	opSLLI:   {opcode: 0x13, funct3: 1, funct7: 0x00, useF3: true, useF7: true},
	opSRLI:   {opcode: 0x13, funct3: 5, funct7: 0x00, useF3: true, useF7: true},
	opSRAI:   {opcode: 0x13, funct3: 5, funct7: 0x20, useF3: true, useF7: true},
	opADD:    {opcode: 0x33, funct3: 0, funct7: 0x00, useF3: true, useF7: true},
	opSUB:    {opcode: 0x33, funct3: 0, funct7: 0x20, useF3: true, useF7: true},
	opSLL:    {opcode: 0x33, funct3: 1, funct7: 0x00, useF3: true, useF7: true},
	opSLT:    {opcode: 0x33, funct3: 2, funct7: 0x00, useF3: true, useF7: true},
	opSLTU:   {opcode: 0x33, funct3: 3, funct7: 0x00, useF3: true, useF7: true},
	opXOR:    {opcode: 0x33, funct3: 4, funct7: 0x00, useF3: true, useF7: true},
	opSRL:    {opcode: 0x33, funct3: 5, funct7: 0x00, useF3: true, useF7: true},
	opSRA:    {opcode: 0x33, funct3: 5, funct7: 0x20, useF3: true, useF7: true},
	opOR:     {opcode: 0x33, funct3: 6, funct7: 0x00, useF3: true, useF7: true},
	opAND:    {opcode: 0x33, funct3: 7, funct7: 0x00, useF3: true, useF7: true},
	opMUL:    {opcode: 0x33, funct3: 0, funct7: 0x01, useF3: true, useF7: true},
	opMULH:   {opcode: 0x33, funct3: 1, funct7: 0x01, useF3: true, useF7: true},
	opMULHSU: {opcode: 0x33, funct3: 2, funct7: 0x01, useF3: true, useF7: true},
	opMULHU:  {opcode: 0x33, funct3: 3, funct7: 0x01, useF3: true, useF7: true},
	opDIV:    {opcode: 0x33, funct3: 4, funct7: 0x01, useF3: true, useF7: true},
	opDIVU:   {opcode: 0x33, funct3: 5, funct7: 0x01, useF3: true, useF7: true},
	opREM:    {opcode: 0x33, funct3: 6, funct7: 0x01, useF3: true, useF7: true},
	opREMU:   {opcode: 0x33, funct3: 7, funct7: 0x01, useF3: true, useF7: true},
	opFENCE:  {opcode: 0x0f, funct3: 0, useF3: true},
	opECALL:  {opcode: 0x73, funct3: 0, useF3: true}, // the whole word must be 0x00000073
}

// ecallWord is the only accepted SYSTEM instruction (EBREAK and CSRs are illegal).
const ecallWord = 0x73

// decodeOp returns the circuit op of an instruction word, or -1 if the word
// is not one the circuit executes. It is zkvm/emu's decoder (whose op order
// from LUI to ECALL is the circuit's; TestDecodeMatchesEncodings checks that
// the encodings above accept exactly the words it decodes).
func decodeOp(instr uint32) op {
	o := emu.DecodeOp(instr)
	if o < emu.OpLUI || o > emu.OpECALL {
		return -1 // illegal, or EBREAK (which ends execution with an error)
	}
	return op(o - emu.OpLUI)
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
