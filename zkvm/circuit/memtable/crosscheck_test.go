package memtable

import (
	"sort"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/tape"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// cpuBusSum natively recomputes the bus terms a CPU segment circuit puts on
// the bus for a trace (zkvm/claim/bus.go): every step takes −1 fetch
// (pc, instr); a memory access reads −1 (addr, old, oldTs) and writes
// +1 (addr, new, ts) with ts the 1-based global step number; an input byte
// step takes −1 (index, byte); an output byte step puts +1 (index, byte).
// firstTS is the timestamp of steps[0].
func cpuBusSum(steps []emu.Step, firstTS uint64, gamma fr.Element) fr.Element {
	alpha, beta := claim.BusChallenges(gamma)
	var sum fr.Element
	add := func(tag, a, b, c uint64, mult int64) {
		t := claim.Term(beta, claim.Fingerprint(alpha, tag, a, b, c), mult)
		sum.Add(&sum, &t)
	}
	for i, s := range steps {
		ts := firstTS + uint64(i)
		add(claim.TagFetch, uint64(s.PC), uint64(s.Instr), 0, -1)
		if s.Mem.Valid {
			add(claim.TagMem, uint64(s.Mem.Addr), uint64(s.Mem.Old), s.Mem.OldTS, -1)
			add(claim.TagMem, uint64(s.Mem.Addr), uint64(s.Mem.New), ts, 1)
		}
		switch s.IOKind {
		case emu.IORead:
			add(claim.TagInput, uint64(s.IOIndex), uint64(s.IOByte), 0, -1)
		case emu.IOWrite:
			add(claim.TagOutput, uint64(s.IOIndex), uint64(s.IOByte), 0, 1)
		}
	}
	return sum
}

// imageWord is one word of a hand-built program image.
type imageWord struct {
	Addr, Word uint32
	Exec       bool
}

// handMachine is a tiny hand-driven trace builder (independent of the
// emulator): it keeps word memory with last-access timestamps and records
// steps exactly as emu.Step defines them.
type handMachine struct {
	image map[uint32]imageWord
	mem   map[uint32]uint32
	ts    map[uint32]uint64
	steps []emu.Step
	in    []byte
	out   []byte
	inPos uint32
}

func newHandMachine(image []imageWord, input []byte) *handMachine {
	h := &handMachine{image: map[uint32]imageWord{}, mem: map[uint32]uint32{}, ts: map[uint32]uint64{}, in: input}
	for _, w := range image {
		h.image[w.Addr] = w
		h.mem[w.Addr] = w.Word
		h.ts[w.Addr] = 0
	}
	return h
}

// step appends one step at pc; access (optional) maps the old word to the
// new one at addr.
func (h *handMachine) step(pc uint32, addr uint32, access func(old uint32) uint32) *emu.Step {
	ts := uint64(len(h.steps) + 1)
	s := emu.Step{PC: pc, Instr: h.mem[pc]}
	if access != nil {
		old := h.mem[addr]
		s.Mem = emu.MemAccess{Valid: true, Addr: addr, Old: old, New: access(old), OldTS: h.ts[addr]}
		h.mem[addr], h.ts[addr] = s.Mem.New, ts
	}
	h.steps = append(h.steps, s)
	return &h.steps[len(h.steps)-1]
}

// readByte is one input byte step storing the byte at byte address dst.
func (h *handMachine) readByte(pc, dst uint32) {
	b := h.in[h.inPos]
	shift := 8 * (dst % 4)
	s := h.step(pc, dst&^3, func(old uint32) uint32 { return old&^(0xff<<shift) | uint32(b)<<shift })
	s.IOKind, s.IOByte, s.IOIndex = emu.IORead, b, h.inPos
	h.inPos++
}

// writeByte is one output byte step loading the byte at byte address src.
func (h *handMachine) writeByte(pc, src uint32) {
	b := byte(h.mem[src&^3] >> (8 * (src % 4)))
	s := h.step(pc, src&^3, func(old uint32) uint32 { return old })
	s.IOKind, s.IOByte, s.IOIndex = emu.IOWrite, b, uint32(len(h.out))
	h.out = append(h.out, b)
}

// table builds the memory table: image words and every accessed word,
// sorted, with finals, last timestamps and fetch counts.
func (h *handMachine) table() []emu.MemEntry {
	fetch := map[uint32]uint64{}
	for _, s := range h.steps {
		fetch[s.PC]++
	}
	var out []emu.MemEntry
	for addr, v := range h.mem {
		w, in := h.image[addr]
		e := emu.MemEntry{Addr: addr, Final: v, FinalTS: h.ts[addr], InImage: in}
		if in {
			e.Init, e.Exec = w.Word, w.Exec
		}
		if e.Exec {
			e.FetchCount = fetch[addr]
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

// handExecution: a program fetching from five instruction words, loading and
// storing, reading two of three input bytes into memory and writing three
// output bytes from a data word.
func handExecution() (*handMachine, []byte) {
	image := []imageWord{
		{Addr: 0x1000, Word: 0x00002503, Exec: true},
		{Addr: 0x1004, Word: 0x00a02023, Exec: true},
		{Addr: 0x1008, Word: 0x00000073, Exec: true},
		{Addr: 0x100c, Word: 0x00000073, Exec: true},
		{Addr: 0x1010, Word: 0x00000073, Exec: true},
		{Addr: 0x2000, Word: 0xcafebabe},
		{Addr: 0x2004, Word: 0x00216b6f}, // "ok!"
	}
	input := []byte("hey")
	h := newHandMachine(image, input)
	h.step(0x1000, 0x2000, func(o uint32) uint32 { return o })     // load
	h.step(0x1004, 0x3000, func(uint32) uint32 { return 0x55 })    // store
	h.readByte(0x1008, 0x4001)                                     // read 'h'
	h.readByte(0x1008, 0x4002)                                     // read 'e'
	h.writeByte(0x100c, 0x2004)                                    // write 'o'
	h.writeByte(0x100c, 0x2005)                                    // write 'k'
	h.writeByte(0x100c, 0x2006)                                    // write '!'
	h.step(0x1000, 0x3000, func(o uint32) uint32 { return o })     // load back
	h.step(0x1004, 0x3000, func(o uint32) uint32 { return o + 1 }) // store again
	h.step(0x1010, 0, nil)                                         // exit
	return h, input
}

// tableLeavesBusSum assigns every memory, input and output chunk (the same
// Assign the prover uses), checks each witness with the solver and adds
// their bus sums.
func tableLeavesBusSum(t *testing.T, entries []emu.MemEntry, input []byte, consumed uint32, output []byte, g claim.Globals) fr.Element {
	t.Helper()
	var sum fr.Element
	var start claim.State
	start[claim.CPUOutCursor] = claim.U64(uint64(len(output)))
	for i := 0; i < NumChunks(entries, testM); i++ {
		c, cl, err := Assign(entries, testM, i, g, start)
		if err != nil {
			t.Fatal(err)
		}
		if err := solved(t, c); err != nil {
			t.Fatalf("memory chunk %d: %v", i, err)
		}
		sum.Add(&sum, &cl.BusSum)
	}
	const k = 31
	for _, tp := range []struct {
		dir      tape.Dir
		data     []byte
		consumed uint32
	}{{tape.Input, input, consumed}, {tape.Output, output, uint32(len(output))}} {
		for i := 0; i < tape.NumChunks(len(tp.data), k); i++ {
			c, cl, err := tape.Assign(tp.dir, tp.data, tp.consumed, k, i, g, start)
			if err != nil {
				t.Fatal(err)
			}
			if err := test.IsSolved(tape.Placeholder(tp.dir, k), c, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("%s chunk %d: %v", tp.dir, i, err)
			}
			sum.Add(&sum, &cl.BusSum)
		}
	}
	return sum
}

// TestBusCancelsHand: for an honest hand-built execution, the table leaves'
// bus sums plus the CPU terms recomputed from the trace are zero, under a
// challenge derived from the table leaves' commitments; every kind of lie in
// the trace leaves a non-zero total.
func TestBusCancelsHand(t *testing.T) {
	h, input := handExecution()
	entries := h.table()
	if len(entries) < 2*testM-1 {
		t.Fatalf("table too small to span chunks: %d rows", len(entries))
	}
	var coms []fr.Element
	for i := 0; i < NumChunks(entries, testM); i++ {
		c, err := Commit(entries, testM, i)
		if err != nil {
			t.Fatal(err)
		}
		coms = append(coms, c)
	}
	g := claim.Globals{Challenge: claim.ChallengeFromCommitments(coms), InputLen: claim.U64(uint64(len(input)))}
	consumed := h.inPos

	total := func(steps []emu.Step, entries []emu.MemEntry, consumed uint32, out []byte) fr.Element {
		s := tableLeavesBusSum(t, entries, input, consumed, out, g)
		c := cpuBusSum(steps, 1, g.Challenge)
		s.Add(&s, &c)
		return s
	}
	if s := total(h.steps, entries, consumed, h.out); !s.IsZero() {
		t.Fatal("honest execution: bus does not cancel")
	}

	lies := map[string]func(steps []emu.Step, e []emu.MemEntry) (uint32, []byte){
		"load returns a stale value": func(s []emu.Step, _ []emu.MemEntry) (uint32, []byte) {
			s[7].Mem.Old, s[7].Mem.New = 0, 0
			return consumed, h.out
		},
		"access with a wrong old timestamp": func(s []emu.Step, _ []emu.MemEntry) (uint32, []byte) {
			s[7].Mem.OldTS = 1
			return consumed, h.out
		},
		"fetch of a different instruction": func(s []emu.Step, _ []emu.MemEntry) (uint32, []byte) {
			s[0].Instr ^= 4
			return consumed, h.out
		},
		"input byte not the input's": func(s []emu.Step, _ []emu.MemEntry) (uint32, []byte) {
			s[2].IOByte++
			return consumed, h.out
		},
		"input table offers an unread byte": func([]emu.Step, []emu.MemEntry) (uint32, []byte) {
			return consumed + 1, h.out
		},
		"output table differs from writes": func([]emu.Step, []emu.MemEntry) (uint32, []byte) {
			return consumed, []byte("ok?")
		},
		"memory table final value wrong": func(_ []emu.Step, e []emu.MemEntry) (uint32, []byte) {
			e[len(e)-1].Final++
			return consumed, h.out
		},
		"fetch count wrong": func(_ []emu.Step, e []emu.MemEntry) (uint32, []byte) {
			e[0].FetchCount++
			return consumed, h.out
		},
	}
	for name, lie := range lies {
		t.Run(name, func(t *testing.T) {
			steps := append([]emu.Step(nil), h.steps...)
			e := append([]emu.MemEntry(nil), entries...)
			cons, out := lie(steps, e)
			if s := total(steps, e, cons, out); s.IsZero() {
				t.Fatal("lie not detected by the bus")
			}
		})
	}
}
