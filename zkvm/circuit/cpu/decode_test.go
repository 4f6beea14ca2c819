package cpu

import (
	"math/rand/v2"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// numLegalOps is the number of ops the circuit executes (LUI … ECALL).
const numLegalOps = int(emu.OpECALL-emu.OpLUI) + 1

// TestDecodeMatchesClasses ties zkvm/emu's decoder to the circuit's decode
// constraints (mirrored by classAccepts): a word the emulator executes as op
// k satisfies them with exactly k's class and alt bit, and a word it rejects
// satisfies them with none.
func TestDecodeMatchesClasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	check := func(w uint32) {
		k := decodeOp(w)
		want, wantAlt := classOf(k)
		for c := class(0); c < numClasses; c++ {
			for _, alt := range []bool{false, true} {
				if got := classAccepts(w, c, alt); got != (c == want && alt == wantAlt) {
					t.Fatalf("word %#08x: emu decodes op %d (class %d, alt %v); constraints with class %d, alt %v: %v", w, k, want, wantAlt, c, alt, got)
				}
			}
		}
	}
	// Every opcode of a class with every funct3 and the funct7 values that
	// matter (0, 1, 0x20) and random others.
	for c := class(0); c < numClasses; c++ {
		for i := 0; i < 4000; i++ {
			w := rng.Uint32()&^0x7f | classOpcode[c]
			switch i % 4 {
			case 0:
				w &^= 0x7f << 25
			case 1:
				w = w&^(0x7f<<25) | 1<<25
			case 2:
				w = w&^(0x7f<<25) | 0x20<<25
			}
			check(w)
		}
	}
	for i := 0; i < 200000; i++ {
		check(rng.Uint32())
	}
	for _, w := range []uint32{0, ecallWord, 0x00100073, 0x0000100f, 0x00000033 | 0x40<<25, 0x40005013, 0x40001013} {
		check(w)
	}
	// Every op is reached by some word.
	seen := map[op]bool{}
	for i := 0; i < 400000 && len(seen) < numLegalOps; i++ {
		w := rng.Uint32()&^0x7f | classOpcode[rng.IntN(int(numClasses))]
		if rng.IntN(2) == 0 {
			w = w&^(0x7f<<25) | []uint32{0, 1, 0x20}[rng.IntN(3)]<<25
		}
		if k := decodeOp(w); k != emu.OpIllegal {
			seen[k] = true
		}
	}
	seen[emu.OpECALL] = decodeOp(ecallWord) == emu.OpECALL
	if len(seen) != numLegalOps {
		t.Fatalf("only %d of %d ops reached", len(seen), numLegalOps)
	}
}
