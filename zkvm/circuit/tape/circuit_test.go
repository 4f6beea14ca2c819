package tape

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

const testK = 62

func sampleData(n int) []byte {
	d := make([]byte, n)
	for i := range d {
		d[i] = byte(i*37 + 11)
	}
	return d
}

// leafStart is a table-leaf start state: the CPU lane at its end (output
// cursor = output length), memory lane done, tape lanes canonical.
func leafStart(outLen int) claim.State {
	var s claim.State
	for i := claim.CPUPC; i <= claim.MemImageHash; i++ {
		s[i] = claim.U64(uint64(500 + i))
	}
	s[claim.CPUOutCursor] = claim.U64(uint64(outLen))
	return s
}

func globals(inLen int) claim.Globals {
	return claim.Globals{Challenge: claim.U64(4242), InputLen: claim.U64(uint64(inLen)), VKSet: claim.U64(7)}
}

func solved(dir Dir, c *Circuit) error {
	return test.IsSolved(Placeholder(dir, len(c.Bytes)), c, ecc.BN254.ScalarField())
}

// runTape assigns and solves every chunk, folds their claims and returns the
// folded claim.
func runTape(t *testing.T, dir Dir, data []byte, consumed uint32, g claim.Globals, start claim.State) claim.Claim {
	t.Helper()
	var acc claim.Claim
	n := NumChunks(len(data), testK)
	for i := 0; i < n; i++ {
		c, cl, err := Assign(dir, data, consumed, testK, i, g, start)
		if err != nil {
			t.Fatal(err)
		}
		if err := solved(dir, c); err != nil {
			t.Fatalf("%s chunk %d rejected: %v", dir, i, err)
		}
		com, err := Commit(dir, data, consumed, testK, i)
		if err != nil {
			t.Fatal(err)
		}
		if !com.Equal(&cl.Commitment) {
			t.Fatalf("%s chunk %d: Commit differs from the circuit commitment", dir, i)
		}
		if i == 0 {
			acc = cl
			continue
		}
		var ok bool
		if acc, ok = claim.Fold(&acc, &cl); !ok {
			t.Fatalf("%s chunk %d does not chain", dir, i)
		}
	}
	return acc
}

// TestHonestTapes: input and output tapes of several lengths (block- and
// chunk-aligned or not) are accepted chunk by chunk, chain, and end at
// (len, TapeRunningHash(data)).
func TestHonestTapes(t *testing.T) {
	for _, n := range []int{1, 30, 31, 62, 70, 125} {
		data := sampleData(n)
		for _, dir := range []Dir{Input, Output} {
			consumed := uint32(n)
			if dir == Input {
				consumed = uint32(n / 2) // the CPU read only part of its input
			}
			acc := runTape(t, dir, data, consumed, globals(n), leafStart(n))
			cur, hl, _, _ := dir.lanes()
			wantH := claim.TapeRunningHash(data)
			if acc.End[cur].Uint64() != uint64(n) || !acc.End[hl].Equal(&wantH) {
				t.Fatalf("%s n=%d: lane ends at (%d, ·), want (%d, TapeRunningHash)", dir, n, acc.End[cur].Uint64(), n)
			}
			if !acc.Start[cur].IsZero() || !acc.Start[hl].IsZero() {
				t.Fatalf("%s n=%d: lane does not start canonical", dir, n)
			}
		}
	}
	if NumChunks(0, testK) != 0 || NumChunks(62, testK) != 1 || NumChunks(63, testK) != 2 {
		t.Fatal("NumChunks")
	}
}

// chunkOf returns the honest witness and start of chunk `chunk` of a tape.
func chunkOf(dir Dir, data []byte, consumed uint32, chunk int) (chunkWitness, claim.State) {
	start := leafStart(len(data))
	cur, hl, _, _ := dir.lanes()
	start[cur], start[hl] = StartLane(data, testK, chunk)
	return makeChunk(dir, data, consumed, testK, chunk), start
}

func mustReject(t *testing.T, dir Dir, w chunkWitness, g claim.Globals, start claim.State) {
	t.Helper()
	c, _, err := assignFrom(dir, w, g, start)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(dir, c); err == nil {
		t.Fatalf("tampered %s chunk accepted", dir)
	}
}

// TestRejects: each rule, with a claim computed consistently from the
// tampered witness so only the rule under test can fail. The untampered
// witness is checked first.
func TestRejects(t *testing.T) {
	data := sampleData(70) // chunk 1 holds 8 real bytes
	cases := []struct {
		name  string
		dirs  []Dir
		chunk int
		bad   func(w *chunkWitness, s *claim.State)
	}{
		{"m=2", []Dir{Input}, 0, func(w *chunkWitness, _ *claim.State) { w.mult[3] = 2 }},
		{"m on padding", []Dir{Input}, 1, func(w *chunkWitness, _ *claim.State) { w.mult[20] = 1 }},
		{"byte 256", []Dir{Input, Output}, 0, func(w *chunkWitness, _ *claim.State) { w.bytes[5] = 256 }},
		{"padding byte", []Dir{Input, Output}, 1, func(w *chunkWitness, _ *claim.State) { w.bytes[40] = 9 }},
		{"real not boolean", []Dir{Output}, 1, func(w *chunkWitness, _ *claim.State) { w.real[7] = 2; w.real[6] = 0 }},
		{"gap in real", []Dir{Input, Output}, 1, func(w *chunkWitness, _ *claim.State) { w.real[8] = 1; w.real[7] = 0 }},
		{"too few bytes", []Dir{Input, Output}, 1, func(w *chunkWitness, _ *claim.State) { w.real[7], w.bytes[7], w.mult[7] = 0, 0, 0 }},
		{"too many bytes", []Dir{Input, Output}, 1, func(w *chunkWitness, _ *claim.State) { w.real[8] = 1 }},
		{"short full chunk", []Dir{Input, Output}, 0, func(w *chunkWitness, _ *claim.State) { w.real[61], w.bytes[61], w.mult[61] = 0, 0, 0 }},
		{"wrong start cursor", []Dir{Input, Output}, 1, func(_ *chunkWitness, s *claim.State) {
			s[claim.InCursor], s[claim.OutCursor] = claim.U64(61), claim.U64(61)
		}},
		{"output length", []Dir{Output}, 1, func(_ *chunkWitness, s *claim.State) { s[claim.CPUOutCursor] = claim.U64(71) }},
	}
	for _, tc := range cases {
		for _, dir := range tc.dirs {
			t.Run(tc.name+"/"+dir.String(), func(t *testing.T) {
				consumed := uint32(len(data))
				if dir == Input {
					consumed = 65
				}
				w, start := chunkOf(dir, data, consumed, tc.chunk)
				c, _, _ := assignFrom(dir, w, globals(len(data)), start)
				if err := solved(dir, c); err != nil {
					t.Fatalf("honest chunk rejected: %v", err)
				}
				tc.bad(&w, &start)
				mustReject(t, dir, w, globals(len(data)), start)
			})
		}
	}
}

// TestInputLength: an input chunk is checked against the global InputLen.
func TestInputLength(t *testing.T) {
	data := sampleData(70)
	w, start := chunkOf(Input, data, 70, 1)
	mustReject(t, Input, w, globals(71), start)
}

// TestTamperedByte: a different byte is a different tape: accepted, but its
// hash, bus sum and commitment change.
func TestTamperedByte(t *testing.T) {
	for _, dir := range []Dir{Input, Output} {
		data := sampleData(70)
		_, honest, err := Assign(dir, data, 70, testK, 0, globals(70), leafStart(70))
		if err != nil {
			t.Fatal(err)
		}
		data[10]++
		c, cl, err := Assign(dir, data, 70, testK, 0, globals(70), leafStart(70))
		if err != nil {
			t.Fatal(err)
		}
		if err := solved(dir, c); err != nil {
			t.Fatal(err)
		}
		_, hl, _, _ := dir.lanes()
		if cl.End[hl].Equal(&honest.End[hl]) || cl.BusSum.Equal(&honest.BusSum) || cl.Commitment.Equal(&honest.Commitment) {
			t.Fatalf("%s: hash, bus sum or commitment unchanged by a tampered byte", dir)
		}
	}
}

// TestUnownedLanes: a claim moving any lane the tape leaf does not own does
// not match the circuit's digest.
func TestUnownedLanes(t *testing.T) {
	data := sampleData(40)
	for _, dir := range []Dir{Input, Output} {
		c, cl, err := Assign(dir, data, 40, testK, 0, globals(40), leafStart(40))
		if err != nil {
			t.Fatal(err)
		}
		own, _, _, _ := dir.lanes()
		for lane := 0; lane < claim.StateWidth; lane++ {
			if lane == own || lane == own+1 {
				continue
			}
			bad := cl
			bad.End[lane].Add(&bad.End[lane], new(fr.Element).SetOne())
			d := bad.Digest()
			tc := *c
			tc.Digest = d.String()
			if err := solved(dir, &tc); err == nil {
				t.Fatalf("%s: lane %d changed but accepted", dir, lane)
			}
		}
	}
}

func TestAssignErrors(t *testing.T) {
	data := sampleData(10)
	if _, _, err := Assign(Input, data, 11, testK, 0, globals(10), claim.State{}); err == nil {
		t.Fatal("consumed > len accepted")
	}
	if _, _, err := Assign(Output, data, 9, testK, 0, globals(10), claim.State{}); err == nil {
		t.Fatal("output consumed != len accepted")
	}
	if _, _, err := Assign(Input, data, 10, testK, 0, globals(11), leafStart(10)); err == nil {
		t.Fatal("input length different from InputLen accepted")
	}
	if _, _, err := Assign(Output, data, 10, testK, 0, globals(10), leafStart(9)); err == nil {
		t.Fatal("output length different from the CPU output cursor accepted")
	}
	if _, err := Commit(Input, data, 10, 40, 0); err == nil {
		t.Fatal("k not a multiple of 31 accepted")
	}
	if _, err := Commit(Input, data, 10, testK, 1); err == nil {
		t.Fatal("chunk out of range accepted")
	}
}

// TestCommitmentBinding: the commitment does not depend on the challenge or
// the other lanes, and changes with every prover-chosen value (a byte, a
// multiplicity).
func TestCommitmentBinding(t *testing.T) {
	data := sampleData(70)
	_, a, err := Assign(Input, data, 65, testK, 1, globals(70), leafStart(70))
	if err != nil {
		t.Fatal(err)
	}
	g := globals(70)
	g.Challenge = claim.U64(1)
	other := leafStart(70)
	other[claim.CPUPC] = claim.U64(4)
	_, b, err := Assign(Input, data, 65, testK, 1, g, other)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Commitment.Equal(&b.Commitment) {
		t.Fatal("commitment depends on the challenge or a foreign lane")
	}
	if c, _ := Commit(Input, data, 66, testK, 1); c.Equal(&a.Commitment) {
		t.Fatal("commitment does not bind the multiplicities")
	}
	data[69]++
	if c, _ := Commit(Input, data, 65, testK, 1); c.Equal(&a.Commitment) {
		t.Fatal("commitment does not bind the bytes")
	}
}
