package emu

import (
	"math/rand/v2"
)

const (
	genCode = 0x10000
	genData = 0x20000 // 256 random bytes, then the register dump
	genBase = 3       // x3 holds genData and is never overwritten
)

var edgeValues = []uint32{0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 31, 32, 33, 63, 0xffffffe0, 2, 0xfffffffe}

// genProgram builds a random straight-line RV32IM program (forward
// branches and jumps only, so it always terminates) exercising every
// instruction with edge operands, then dumps x1..x31 after the 256-byte
// data region, writes region and dump to fd 1 and exits with x5's low byte.
// It returns an ELF that runs under both the emulator and qemu-riscv32.
func genProgram(seed uint64, n int) []byte {
	elf, _ := genProgramInput(seed, n)
	return elf
}

// genProgramInput is genProgram plus a random input of up to 10 bytes for
// the program's read.
func genProgramInput(seed uint64, n int) ([]byte, []byte) {
	rng := rand.New(rand.NewPCG(seed, 0x7a6b666c656574))
	var code []uint32
	emit := func(ws ...uint32) { code = append(code, ws...) }
	rd := func() uint32 {
		if rng.IntN(16) == 0 {
			return 0
		}
		for {
			if r := uint32(1 + rng.IntN(31)); r != genBase {
				return r
			}
		}
	}
	rs := func() uint32 { return uint32(rng.IntN(32)) }
	val := func() uint32 {
		if rng.IntN(2) == 0 {
			return edgeValues[rng.IntN(len(edgeValues))]
		}
		return rng.Uint32()
	}
	emit(li(genBase, genData)...)
	for r := uint32(1); r < 32; r++ {
		if r != genBase {
			emit(li(r, val())...)
		}
	}
	for range n {
		switch k := rng.IntN(12); {
		case k == 0:
			emit(li(rd(), val())...)
		case k <= 3: // R-type: base ALU and M extension
			type rop struct{ f7, f3 uint32 }
			ops := []rop{{0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0x20, 5}, {0, 6}, {0, 7},
				{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6}, {1, 7}}
			o := ops[rng.IntN(len(ops))]
			emit(rType(o.f7, rs(), rs(), o.f3, rd(), 0x33))
		case k <= 5: // I-type ALU
			f3 := uint32(rng.IntN(8))
			imm := int32(rng.IntN(4096)) - 2048
			if rng.IntN(3) == 0 {
				imm = []int32{0, 1, -1, -2048, 2047}[rng.IntN(5)]
			}
			switch f3 {
			case 1:
				imm = int32(rng.IntN(32))
			case 5:
				imm = int32(rng.IntN(32))
				if rng.IntN(2) == 0 {
					imm |= 0x400
				}
			}
			emit(iType(imm, rs(), f3, rd(), 0x13))
		case k == 6:
			if rng.IntN(2) == 0 {
				emit(lui(rd(), rng.Uint32()&0xfffff))
			} else {
				emit(auipc(rd(), rng.Uint32()&0xfffff))
			}
		case k == 7: // loads from the data region, naturally aligned
			f3 := []uint32{0, 1, 2, 4, 5}[rng.IntN(5)]
			size := int32(1) << (f3 & 3)
			off := int32(rng.IntN(256)) &^ (size - 1)
			emit(iType(off, genBase, f3, rd(), 0x03))
		case k == 8: // stores
			f3 := uint32(rng.IntN(3))
			size := int32(1) << f3
			off := int32(rng.IntN(256)) &^ (size - 1)
			emit(sType(off, rs(), genBase, f3))
		case k == 9: // conditional branch over one instruction
			f3 := []uint32{0, 1, 4, 5, 6, 7}[rng.IntN(6)]
			emit(bType(8, rs(), rs(), f3), addi(rd(), rs(), 1))
		case k == 10: // jal over one instruction
			emit(jal(rd(), 8), addi(rd(), rs(), 7))
		default: // jalr over one instruction via auipc
			t := rd()
			if t == 0 {
				t = 1
			}
			emit(auipc(t, 0), jalr(rd(), t, 12), addi(rd(), rs(), 3))
		}
	}
	// IO: read(0, data+0x80, k) with a random k, then write and read on a
	// bad fd (both return -EBADF); the results end up in the register dump.
	emit(li(10, 0)...)
	emit(addi(11, genBase, 0x80))
	emit(li(12, uint32(rng.IntN(13)))...)
	emit(li(17, 63)...)
	emit(ecallW)
	emit(addi(6, 10, 0))
	emit(li(10, 77)...)
	emit(li(17, 64)...)
	emit(ecallW)
	emit(addi(7, 10, 0))
	emit(li(10, 77)...)
	emit(li(17, 63)...)
	emit(ecallW)
	// dump registers to genData+256 ..
	for r := uint32(1); r < 32; r++ {
		emit(sType(int32(256+4*(r-1)), r, genBase, 2))
	}
	emit(addi(5, 5, 0))
	emit(li(10, 1)...)
	emit(addi(11, genBase, 0))
	emit(li(12, 256+31*4)...)
	emit(li(17, 64)...)
	emit(ecallW)
	emit(iType(0xff, 5, 7, 10, 0x13)) // andi a0, x5, 0xff
	emit(li(17, 93)...)
	emit(ecallW)
	data := make([]byte, 256)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	input := make([]byte, rng.IntN(11))
	for i := range input {
		input[i] = byte(rng.Uint32())
	}
	return writeELF(genCode, []elfSeg{
		{vaddr: genCode, data: wordsLE(code), flags: 5},
		{vaddr: genData, data: data, memsz: 4096, flags: 6},
	}), input
}
