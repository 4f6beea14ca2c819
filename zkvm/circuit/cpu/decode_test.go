package cpu

import (
	"math/rand/v2"
	"testing"
)

// matches is the circuit's decode constraint on a word for op k: opcode,
// funct3 and funct7 as the encodings table says, and the exact ECALL word.
func matches(w uint32, k op) bool {
	e := encodings[k]
	if w&0x7f != e.opcode || (e.useF3 && w>>12&7 != e.funct3) || (e.useF7 && w>>25 != e.funct7) {
		return false
	}
	return k != opECALL || w == ecallWord
}

// TestDecodeMatchesEncodings ties zkvm/emu's decoder to the circuit's
// constraints: a word the emulator executes as op k satisfies exactly the
// constraints of op k, and a word it rejects satisfies none.
func TestDecodeMatchesEncodings(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	check := func(w uint32) {
		k := decodeOp(w)
		for j := op(0); j < numOps; j++ {
			if matches(w, j) != (j == k) {
				t.Fatalf("word %#08x: emu decodes op %d, circuit constraints accept op %d: %v", w, k, j, matches(w, j))
			}
		}
	}
	for k := op(0); k < numOps; k++ {
		e := encodings[k]
		for i := 0; i < 2000; i++ {
			w := rng.Uint32()&^0x7f | e.opcode
			if e.useF3 {
				w = w&^(7<<12) | e.funct3<<12
			}
			if e.useF7 {
				w = w&^(0x7f<<25) | e.funct7<<25
			}
			if k == opECALL {
				w = ecallWord
			}
			if decodeOp(w) != k {
				t.Fatalf("word %#08x built for op %d decodes to %d", w, k, decodeOp(w))
			}
			check(w)
		}
	}
	for i := 0; i < 200000; i++ {
		check(rng.Uint32())
	}
	for _, w := range []uint32{0, 0x00100073, 0x0000100f, 0x00000033 | 0x40<<25} {
		check(w)
	}
}
