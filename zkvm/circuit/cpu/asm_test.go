package cpu

import "math/big"

type bigInt = big.Int

func newInt(v uint32) *big.Int { return new(big.Int).SetUint64(uint64(v)) }

// Tiny RV32IM encoder for hand-written test programs.
func encR(f7, rs2, rs1, f3, rd, opc uint32) uint32 {
	return f7<<25 | rs2<<20 | rs1<<15 | f3<<12 | rd<<7 | opc
}
func encI(imm int32, rs1, f3, rd, opc uint32) uint32 {
	return uint32(imm)<<20 | rs1<<15 | f3<<12 | rd<<7 | opc
}
func encS(imm int32, rs2, rs1, f3 uint32) uint32 {
	u := uint32(imm)
	return (u>>5&127)<<25 | rs2<<20 | rs1<<15 | f3<<12 | (u&31)<<7 | 0x23
}
func encB(imm int32, rs2, rs1, f3 uint32) uint32 {
	u := uint32(imm)
	return (u>>12&1)<<31 | (u>>5&63)<<25 | rs2<<20 | rs1<<15 | f3<<12 | (u>>1&15)<<8 | (u>>11&1)<<7 | 0x63
}
func encU(imm uint32, rd, opc uint32) uint32 { return imm&^0xfff | rd<<7 | opc }
func encJ(imm int32, rd uint32) uint32 {
	u := uint32(imm)
	return (u>>20&1)<<31 | (u>>1&1023)<<21 | (u>>11&1)<<20 | (u>>12&255)<<12 | rd<<7 | 0x6f
}

func addi(rd, rs1 uint32, imm int32) uint32 { return encI(imm, rs1, 0, rd, 0x13) }
func li(rd uint32, v uint32) []uint32 {
	lo := int32(v<<20) >> 20
	hi := v - uint32(lo)
	return []uint32{encU(hi, rd, 0x37), addi(rd, rd, lo)}
}

const ecall = 0x73
