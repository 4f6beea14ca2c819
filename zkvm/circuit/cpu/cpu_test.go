package cpu

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

const (
	progBase = 0x1000
	dataBase = 0x2000
)

// genProgram builds a program exercising every instruction with operands
// drawn from rng (edge values included), IO ecalls and exit.
func genProgram(rng *rand.Rand) []uint32 {
	edge := []uint32{0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 7, 0xfffffff9}
	val := func() uint32 {
		if rng.IntN(3) == 0 {
			return edge[rng.IntN(len(edge))]
		}
		return rng.Uint32()
	}
	var p []uint32
	emit := func(w ...uint32) { p = append(p, w...) }
	emit(li(5, val())...)
	emit(li(6, val())...)
	// ALU register ops: (f7, f3)
	rops := [][2]uint32{{0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0x20, 5}, {0, 6}, {0, 7},
		{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6}, {1, 7}}
	for i, o := range rops {
		rd := uint32(7 + i%20)
		emit(encR(o[0], 6, 5, o[1], rd, 0x33))
		if i%6 == 5 {
			emit(li(5, val())...)
			emit(li(6, val())...)
		}
	}
	// Division edge cases.
	emit(li(5, 0x80000000)...)
	emit(li(6, 0xffffffff)...)
	emit(encR(1, 6, 5, 4, 7, 0x33), encR(1, 6, 5, 6, 8, 0x33))
	emit(encR(1, 0, 5, 4, 7, 0x33), encR(1, 0, 5, 5, 8, 0x33), encR(1, 0, 5, 6, 9, 0x33), encR(1, 0, 5, 7, 10, 0x33))
	// ALU immediate ops.
	for f3 := uint32(0); f3 < 8; f3++ {
		imm := int32(rng.IntN(4096)) - 2048
		switch f3 {
		case 1:
			emit(encI(int32(rng.IntN(32)), 5, 1, 11, 0x13))
		case 5:
			emit(encI(int32(rng.IntN(32)), 5, 5, 12, 0x13), encI(0x400|int32(rng.IntN(32)), 5, 5, 13, 0x13))
		default:
			emit(encI(imm, 5, f3, 14, 0x13))
		}
	}
	emit(addi(0, 5, 123))              // write to x0: ignored
	emit(encR(0, 6, 0, 0, 15, 0x33))   // x15 = x0 + x6
	emit(encU(rng.Uint32(), 16, 0x37)) // lui
	emit(encU(rng.Uint32(), 16, 0x17)) // auipc
	emit(li(20, dataBase)...)          // data pointer
	emit(li(21, val())...)
	emit(encS(0, 21, 20, 2), encS(4, 21, 20, 2)) // sw
	emit(encS(5, 21, 20, 0), encS(10, 21, 20, 1), encS(7, 6, 20, 0))
	for _, f3 := range []uint32{0, 1, 2, 4, 5} {
		off := int32(4)
		if f3 == 0 || f3 == 4 {
			off += int32(rng.IntN(4))
		} else if f3 == 1 || f3 == 5 {
			off += int32(2 * rng.IntN(2))
		}
		emit(encI(off, 20, f3, 23+f3, 0x03))
	}
	emit(0x0000000f) // fence
	// Branches: each jumps over one instruction when taken.
	for _, f3 := range []uint32{0, 1, 4, 5, 6, 7} {
		emit(encB(8, 6, 5, f3), addi(22, 22, 1))
		emit(encB(8, 5, 5, f3), addi(22, 22, 1))
	}
	emit(encJ(8, 1), addi(22, 22, 100))                                 // jal over one instr
	emit(encU(0, 8, 0x17), encI(13, 8, 0, 9, 0x67), addi(22, 22, 1000)) // auipc; jalr to +12 (bit 0 cleared)
	// read(0, data+0x101, 5), read again, write(1, data+0x101, 4), write(2), bad fds, zero-length.
	sys := func(a7, a0, a1, a2 uint32) {
		emit(li(17, a7)...)
		emit(li(10, a0)...)
		emit(li(11, a1)...)
		emit(li(12, a2)...)
		emit(ecall)
	}
	sys(63, 0, dataBase+0x101, 5)
	sys(63, 0, dataBase+0x101, 5)
	sys(64, 1, dataBase+0x101, 4)
	sys(64, 1, dataBase+0x101, 0)
	sys(64, 2, dataBase, 3)
	sys(64, 7, dataBase, 3)
	sys(63, 3, dataBase, 3)
	emit(li(17, 93)...)
	emit(li(10, 42)...)
	emit(ecall)
	return p
}

func trace(t *testing.T, words []uint32, input []byte, n int) []emu.Segment {
	t.Helper()
	m := newRef(progBase, words, input)
	segs, err := m.run(n, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

func globals(rng *rand.Rand, inputLen int) claim.Globals {
	return claim.Globals{Challenge: claim.U64(rng.Uint64()), InputLen: claim.U64(uint64(inputLen)), VKSet: claim.U64(rng.Uint64())}
}

func TestSolveRandomPrograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	programs := 3
	if testing.Short() {
		programs = 1
	}
	for p := 0; p < programs; p++ {
		n := []int{16, 32}[p%2]
		input := []byte{0x80, 0x7f, 0xff}
		segs := trace(t, genProgram(rng), input, n)
		g := globals(rng, len(input))
		t.Logf("program %d: %d segments, %d steps", p, len(segs), segs[len(segs)-1].End.Step)
		for i := range segs {
			c, cl, err := Assign(&segs[i], n, g)
			if err != nil {
				t.Fatal(err)
			}
			if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("program %d segment %d: %v", p, i, err)
			}
			com, err := Commit(&segs[i], n)
			if err != nil || !com.Equal(&cl.Commitment) {
				t.Fatalf("Commit disagrees with Assign: %v", err)
			}
		}
	}
}
