package emu

import "encoding/binary"

// A tiny RV32IM assembler and ELF writer for tests: no toolchain needed.

func rType(f7, rs2, rs1, f3, rd, opc uint32) uint32 {
	return f7<<25 | rs2<<20 | rs1<<15 | f3<<12 | rd<<7 | opc
}
func iType(imm int32, rs1, f3, rd, opc uint32) uint32 {
	return uint32(imm)&0xfff<<20 | rs1<<15 | f3<<12 | rd<<7 | opc
}
func sType(imm int32, rs2, rs1, f3 uint32) uint32 {
	u := uint32(imm)
	return u>>5&0x7f<<25 | rs2<<20 | rs1<<15 | f3<<12 | u&0x1f<<7 | 0x23
}
func bType(imm int32, rs2, rs1, f3 uint32) uint32 {
	u := uint32(imm)
	return u>>12&1<<31 | u>>5&0x3f<<25 | rs2<<20 | rs1<<15 | f3<<12 | u>>1&0xf<<8 | u>>11&1<<7 | 0x63
}
func jal(rd uint32, imm int32) uint32 {
	u := uint32(imm)
	return u>>20&1<<31 | u>>1&0x3ff<<21 | u>>11&1<<20 | u>>12&0xff<<12 | rd<<7 | 0x6f
}
func lui(rd, imm20 uint32) uint32   { return imm20<<12 | rd<<7 | 0x37 }
func auipc(rd, imm20 uint32) uint32 { return imm20<<12 | rd<<7 | 0x17 }
func addi(rd, rs1 uint32, imm int32) uint32 {
	return iType(imm, rs1, 0, rd, 0x13)
}
func jalr(rd, rs1 uint32, imm int32) uint32 { return iType(imm, rs1, 0, rd, 0x67) }

const (
	ecallW  = 0x00000073
	ebreakW = 0x00100073
)

// li returns instructions loading v into rd.
func li(rd, v uint32) []uint32 {
	lo := int32(v<<20) >> 20
	hi := (v - uint32(lo)) >> 12
	if hi == 0 {
		return []uint32{addi(rd, 0, lo)}
	}
	return []uint32{lui(rd, hi), addi(rd, rd, lo)}
}

// exitWith returns code for exit(code).
func exitSeq(code uint32) []uint32 {
	return append(append(li(10, code), li(17, 93)...), ecallW)
}

type elfSeg struct {
	vaddr  uint32
	data   []byte
	memsz  uint32
	flags  uint32 // PF_X=1 PF_W=2 PF_R=4
	offset uint32 // 0: placed automatically (page-aligned to vaddr)
}

// writeELF builds an ELF32 RISC-V executable with page-aligned segments
// (so that qemu-riscv32 can map it too).
func writeELF(entry uint32, segs []elfSeg) []byte {
	const page = 0x1000
	hdr := 52 + 32*len(segs)
	off := uint32((hdr + page - 1) / page * page)
	var body []byte
	phdrs := make([]byte, 0, 32*len(segs))
	le := binary.LittleEndian
	for _, s := range segs {
		// keep file offset congruent to vaddr modulo the page size
		for (off+uint32(len(body)))%page != s.vaddr%page {
			body = append(body, 0)
		}
		o := off + uint32(len(body))
		body = append(body, s.data...)
		ph := make([]byte, 32)
		le.PutUint32(ph[0:], 1)
		le.PutUint32(ph[4:], o)
		le.PutUint32(ph[8:], s.vaddr)
		le.PutUint32(ph[12:], s.vaddr)
		le.PutUint32(ph[16:], uint32(len(s.data)))
		memsz := max(s.memsz, uint32(len(s.data)))
		le.PutUint32(ph[20:], memsz)
		le.PutUint32(ph[24:], s.flags)
		le.PutUint32(ph[28:], page)
		phdrs = append(phdrs, ph...)
	}
	h := make([]byte, off)
	copy(h, "\x7fELF\x01\x01\x01")
	le.PutUint16(h[16:], 2)
	le.PutUint16(h[18:], 243)
	le.PutUint32(h[20:], 1)
	le.PutUint32(h[24:], entry)
	le.PutUint32(h[28:], 52)
	le.PutUint16(h[40:], 52)
	le.PutUint16(h[42:], 32)
	le.PutUint16(h[44:], uint16(len(segs)))
	copy(h[52:], phdrs)
	return append(h, body...)
}

func wordsLE(ws []uint32) []byte {
	b := make([]byte, 4*len(ws))
	for i, w := range ws {
		binary.LittleEndian.PutUint32(b[4*i:], w)
	}
	return b
}
