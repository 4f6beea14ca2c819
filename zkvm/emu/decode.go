package emu

// op is a decoded RV32IM operation. The interpreter switches on it once per
// step; decoding happens once per program word (see Program.exec).
type op uint8

const (
	opIllegal op = iota
	opLUI
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
	opEBREAK
)

// Op is the operation of a decoded instruction word, as the interpreter
// executes it. The legal RV32IM ops are numbered consecutively from OpLUI in
// the order of the constants above (LUI … FENCE, ECALL), followed by EBREAK,
// so circuits can index per-op tables by op − OpLUI.
type Op = op

// The ops, exported for circuits (the order is the numbering above).
const (
	OpIllegal = opIllegal
	OpLUI     = opLUI
	OpAUIPC   = opAUIPC
	OpJAL     = opJAL
	OpJALR    = opJALR
	OpBEQ     = opBEQ
	OpBNE     = opBNE
	OpBLT     = opBLT
	OpBGE     = opBGE
	OpBLTU    = opBLTU
	OpBGEU    = opBGEU
	OpLB      = opLB
	OpLH      = opLH
	OpLW      = opLW
	OpLBU     = opLBU
	OpLHU     = opLHU
	OpSB      = opSB
	OpSH      = opSH
	OpSW      = opSW
	OpADDI    = opADDI
	OpSLTI    = opSLTI
	OpSLTIU   = opSLTIU
	OpXORI    = opXORI
	OpORI     = opORI
	OpANDI    = opANDI
	OpSLLI    = opSLLI
	OpSRLI    = opSRLI
	OpSRAI    = opSRAI
	OpADD     = opADD
	OpSUB     = opSUB
	OpSLL     = opSLL
	OpSLT     = opSLT
	OpSLTU    = opSLTU
	OpXOR     = opXOR
	OpSRL     = opSRL
	OpSRA     = opSRA
	OpOR      = opOR
	OpAND     = opAND
	OpMUL     = opMUL
	OpMULH    = opMULH
	OpMULHSU  = opMULHSU
	OpMULHU   = opMULHU
	OpDIV     = opDIV
	OpDIVU    = opDIVU
	OpREM     = opREM
	OpREMU    = opREMU
	OpFENCE   = opFENCE
	OpECALL   = opECALL
	OpEBREAK  = opEBREAK
)

// DecodeOp returns the op of an instruction word, OpIllegal for an encoding
// the machine does not execute. It is the interpreter's own decoder, so the
// circuits' witness code decodes exactly what the emulator ran.
func DecodeOp(w uint32) Op { return decode(w).op }

// regSink is the register index decoded for "no destination" (rd = x0 or an
// instruction without rd): writes land in a 33rd register nobody reads, so
// the hot loop never tests rd != 0.
const regSink = 32

// inst is one predecoded instruction. rs1/rs2 are 0 when the format does not
// read them, so reading regs[rs1] yields the trace value "0 if unused".
type inst struct {
	op  op
	rd  uint8
	rs1 uint8
	rs2 uint8
	imm uint32
}

func signExtend(v uint32, bits uint) uint32 {
	shift := 32 - bits
	return uint32(int32(v<<shift) >> shift)
}

// decode turns one instruction word into an inst. Unknown encodings decode
// to opIllegal (reported only if executed).
func decode(w uint32) inst {
	opcode := w & 0x7f
	rd := uint8(w >> 7 & 0x1f)
	f3 := w >> 12 & 7
	rs1 := uint8(w >> 15 & 0x1f)
	rs2 := uint8(w >> 20 & 0x1f)
	f7 := w >> 25
	immI := signExtend(w>>20, 12)
	immS := signExtend(w>>25<<5|w>>7&0x1f, 12)
	immB := signExtend(w>>31<<12|(w>>7&1)<<11|(w>>25&0x3f)<<5|(w>>8&0xf)<<1, 13)
	immU := w &^ 0xfff
	immJ := signExtend(w>>31<<20|(w>>12&0xff)<<12|(w>>20&1)<<11|(w>>21&0x3ff)<<1, 21)
	if rd == 0 {
		rd = regSink
	}
	illegal := inst{op: opIllegal, rd: regSink}
	switch opcode {
	case 0x37:
		return inst{op: opLUI, rd: rd, imm: immU}
	case 0x17:
		return inst{op: opAUIPC, rd: rd, imm: immU}
	case 0x6f:
		return inst{op: opJAL, rd: rd, imm: immJ}
	case 0x67:
		if f3 != 0 {
			return illegal
		}
		return inst{op: opJALR, rd: rd, rs1: rs1, imm: immI}
	case 0x63:
		ops := [8]op{opBEQ, opBNE, opIllegal, opIllegal, opBLT, opBGE, opBLTU, opBGEU}
		if ops[f3] == opIllegal {
			return illegal
		}
		return inst{op: ops[f3], rd: regSink, rs1: rs1, rs2: rs2, imm: immB}
	case 0x03:
		ops := [8]op{opLB, opLH, opLW, opIllegal, opLBU, opLHU, opIllegal, opIllegal}
		if ops[f3] == opIllegal {
			return illegal
		}
		return inst{op: ops[f3], rd: rd, rs1: rs1, imm: immI}
	case 0x23:
		ops := [8]op{opSB, opSH, opSW, opIllegal, opIllegal, opIllegal, opIllegal, opIllegal}
		if ops[f3] == opIllegal {
			return illegal
		}
		return inst{op: ops[f3], rd: regSink, rs1: rs1, rs2: rs2, imm: immS}
	case 0x13:
		switch f3 {
		case 0:
			return inst{op: opADDI, rd: rd, rs1: rs1, imm: immI}
		case 2:
			return inst{op: opSLTI, rd: rd, rs1: rs1, imm: immI}
		case 3:
			return inst{op: opSLTIU, rd: rd, rs1: rs1, imm: immI}
		case 4:
			return inst{op: opXORI, rd: rd, rs1: rs1, imm: immI}
		case 6:
			return inst{op: opORI, rd: rd, rs1: rs1, imm: immI}
		case 7:
			return inst{op: opANDI, rd: rd, rs1: rs1, imm: immI}
		case 1:
			if f7 != 0 {
				return illegal
			}
			return inst{op: opSLLI, rd: rd, rs1: rs1, imm: uint32(rs2)}
		case 5:
			switch f7 {
			case 0:
				return inst{op: opSRLI, rd: rd, rs1: rs1, imm: uint32(rs2)}
			case 0x20:
				return inst{op: opSRAI, rd: rd, rs1: rs1, imm: uint32(rs2)}
			}
		}
		return illegal
	case 0x33:
		var o op
		switch f7 {
		case 0:
			o = [8]op{opADD, opSLL, opSLT, opSLTU, opXOR, opSRL, opOR, opAND}[f3]
		case 0x20:
			o = [8]op{opSUB, opIllegal, opIllegal, opIllegal, opIllegal, opSRA, opIllegal, opIllegal}[f3]
		case 1:
			o = [8]op{opMUL, opMULH, opMULHSU, opMULHU, opDIV, opDIVU, opREM, opREMU}[f3]
		}
		if o == opIllegal {
			return illegal
		}
		return inst{op: o, rd: rd, rs1: rs1, rs2: rs2}
	case 0x0f:
		// FENCE is a no-op on a single-hart machine; FENCE.I (Zifencei,
		// f3 = 1) is not part of RV32IM.
		if f3 != 0 {
			return illegal
		}
		return inst{op: opFENCE, rd: regSink}
	case 0x73:
		switch w {
		case 0x00000073:
			return inst{op: opECALL, rd: regSink}
		case 0x00100073:
			return inst{op: opEBREAK, rd: regSink}
		}
		return illegal
	}
	return illegal
}
