package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

const testM = 4

// sampleEntries is a 7-row table (two chunks of 4): three executable image
// words, one data image word, and three words only touched at run time.
func sampleEntries() []emu.MemEntry {
	return []emu.MemEntry{
		{Addr: 0x1000, Init: 0x00500093, Final: 0x00500093, InImage: true, Exec: true, FetchCount: 3},
		{Addr: 0x1004, Init: 0x00a08113, Final: 0x00a08113, InImage: true, Exec: true, FetchCount: 1},
		{Addr: 0x1008, Init: 0x00000073, Final: 0x00000073, InImage: true, Exec: true},
		{Addr: 0x2000, Init: 0xdeadbeef, Final: 7, FinalTS: 5, InImage: true},
		{Addr: 0x3000, Final: 0x11223344, FinalTS: 9},
		{Addr: 0x3004, FinalTS: 2},
		{Addr: 0x7ffffffc, Final: 1, FinalTS: 1<<40 - 1},
	}
}

func sampleGlobals() claim.Globals {
	return claim.Globals{Challenge: claim.U64(0xc0ffee), InputLen: claim.U64(3), VKSet: claim.U64(99)}
}

// cpuEnd is a plausible start state for a table leaf: CPU lane at its end,
// tape lanes canonical.
func cpuEnd() claim.State {
	var s claim.State
	for i := claim.CPUPC; i <= claim.CPUExitCode; i++ {
		s[i] = claim.U64(uint64(1000 + i))
	}
	return s
}

func solved(t *testing.T, c *Circuit) error {
	t.Helper()
	return test.IsSolved(Placeholder(len(c.Rows)), c, ecc.BN254.ScalarField())
}

func imageHash(entries []emu.MemEntry) fr.Element {
	var h fr.Element
	for _, e := range entries {
		if e.InImage {
			h = claim.ImageStep(h, e.Addr, e.Init, e.Exec)
		}
	}
	return h
}

// TestHonestChunksChain: every chunk is satisfied, the chunks fold (End of
// one = Start of the next), the memory lane ends at the image hash and the
// last address + 4, and Commit equals the circuit's commitment.
func TestHonestChunksChain(t *testing.T) {
	entries := sampleEntries()
	g := sampleGlobals()
	n := NumChunks(entries, testM)
	if n != 2 {
		t.Fatalf("NumChunks = %d, want 2", n)
	}
	var acc claim.Claim
	for i := 0; i < n; i++ {
		c, cl, err := Assign(entries, testM, i, g, cpuEnd())
		if err != nil {
			t.Fatal(err)
		}
		if err := solved(t, c); err != nil {
			t.Fatalf("chunk %d rejected: %v", i, err)
		}
		com, err := Commit(entries, testM, i)
		if err != nil {
			t.Fatal(err)
		}
		if !com.Equal(&cl.Commitment) {
			t.Fatalf("chunk %d: Commit differs from the assigned commitment", i)
		}
		if i == 0 {
			acc = cl
			continue
		}
		var ok bool
		if acc, ok = claim.Fold(&acc, &cl); !ok {
			t.Fatalf("chunk %d does not chain", i)
		}
	}
	want := imageHash(entries)
	if !acc.End[claim.MemImageHash].Equal(&want) {
		t.Fatal("final image hash differs from the image running hash")
	}
	if got := acc.End[claim.MemNextAddr].Uint64(); got != 0x7ffffffc+4 {
		t.Fatalf("final address bound %#x", got)
	}
	var zero fr.Element
	if !acc.Start[claim.MemNextAddr].Equal(&zero) || !acc.Start[claim.MemImageHash].Equal(&zero) {
		t.Fatal("memory lane does not start canonical")
	}
	if want := BusSum(entries, g.Challenge); !acc.BusSum.Equal(&want) {
		t.Fatal("bus sums of the chunks do not add up to the table's")
	}
}

// TestEmptyTable: an empty table is one all-padding chunk that leaves the
// lane canonical and contributes nothing.
func TestEmptyTable(t *testing.T) {
	if NumChunks(nil, testM) != 1 {
		t.Fatal("empty table must have one chunk")
	}
	c, cl, err := Assign(nil, testM, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, c); err != nil {
		t.Fatal(err)
	}
	if !cl.BusSum.IsZero() || cl.End != cl.Start {
		t.Fatal("empty chunk changed something")
	}
}

// mustReject assigns a (tampered) table from an explicit start without the
// native validation and expects the circuit to reject it. The claim is
// computed consistently from the same rows, so only the rule under test can
// fail.
func mustReject(t *testing.T, entries []emu.MemEntry, chunk int, start claim.State) {
	t.Helper()
	c, _, err := assignFrom(entries, testM, chunk, sampleGlobals(), start)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, c); err == nil {
		t.Fatal("tampered table accepted")
	}
}

// honestStart is the honest start of a chunk of a (possibly tampered) table.
func honestStart(entries []emu.MemEntry, chunk int) claim.State {
	s := cpuEnd()
	s[claim.MemNextAddr], s[claim.MemImageHash] = StartLane(entries, testM, chunk)
	return s
}

func TestRejects(t *testing.T) {
	cases := map[string]func(e []emu.MemEntry){
		"unsorted":          func(e []emu.MemEntry) { e[0].Addr, e[1].Addr = e[1].Addr, e[0].Addr },
		"duplicate":         func(e []emu.MemEntry) { e[5].Addr = e[4].Addr },
		"unaligned":         func(e []emu.MemEntry) { e[4].Addr = 0x3001 },
		"init outside img":  func(e []emu.MemEntry) { e[4].Init = 5 },
		"fetch non-exec":    func(e []emu.MemEntry) { e[3].FetchCount = 1 },
		"exec not in image": func(e []emu.MemEntry) { e[5].Exec = true },
		"finalTs 2^40":      func(e []emu.MemEntry) { e[6].FinalTS = 1 << 40 },
		"fetchCount 2^40":   func(e []emu.MemEntry) { e[0].FetchCount = 1 << 40 },
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			e := sampleEntries()
			tamper(e)
			if validate(e) == nil {
				t.Fatal("native validation accepted the tampered table")
			}
			for chunk := 0; chunk < NumChunks(e, testM); chunk++ {
				c, _, err := assignFrom(e, testM, chunk, sampleGlobals(), honestStart(e, chunk))
				if err != nil {
					t.Fatal(err)
				}
				if solved(t, c) != nil {
					return // the chunk holding the bad row is rejected
				}
			}
			t.Fatal("no chunk rejected the tampered table")
		})
	}
}

// TestCrossChunkOrder: chunk 1 assigned with a start bound above its first
// address (as if chunk 0 had ended later) is rejected; the honest bound is
// accepted. A duplicate across the chunk boundary is rejected too.
func TestCrossChunkOrder(t *testing.T) {
	e := sampleEntries()
	start := honestStart(e, 1)
	c, _, _ := assignFrom(e, testM, 1, sampleGlobals(), start)
	if err := solved(t, c); err != nil {
		t.Fatal(err)
	}
	start[claim.MemNextAddr] = claim.U64(0x3004)
	mustReject(t, e, 1, start)

	dup := sampleEntries()
	dup[4].Addr = dup[3].Addr // first row of chunk 1 repeats last of chunk 0
	mustReject(t, dup, 1, honestStart(dup, 1))
}

// TestAddressRange: a start bound or address at/above 2^32 is rejected.
func TestAddressRange(t *testing.T) {
	e := sampleEntries()
	start := honestStart(e, 1)
	start[claim.MemNextAddr] = claim.U64(1<<32 + 0x3000)
	mustReject(t, e, 1, start)
}

// TestWrongImageWord: a different image word is a valid table of a
// different program: accepted, but its image hash (hence program id), bus sum
// and commitment all change.
func TestWrongImageWord(t *testing.T) {
	e := sampleEntries()
	e[1].Init ^= 1 // a different (still valid) program
	c, cl, err := Assign(e, testM, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(t, c); err != nil {
		t.Fatal(err)
	}
	_, honest, _ := Assign(sampleEntries(), testM, 0, sampleGlobals(), cpuEnd())
	if cl.End[claim.MemImageHash].Equal(&honest.End[claim.MemImageHash]) {
		t.Fatal("image hash did not change with the image word")
	}
	if cl.BusSum.Equal(&honest.BusSum) || cl.Commitment.Equal(&honest.Commitment) {
		t.Fatal("bus sum or commitment did not change with the image word")
	}
}

// TestUnownedLanes: a claim whose End differs from Start on a lane the
// memory table does not own (or whose BusSum/commitment is altered) does not
// match the circuit's digest.
func TestUnownedLanes(t *testing.T) {
	e := sampleEntries()
	c, cl, err := Assign(e, testM, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	for _, lane := range []int{claim.CPUPC, claim.CPUHalted, claim.InCursor, claim.InHash, claim.OutCursor, claim.OutHash} {
		bad := cl
		bad.End[lane].Add(&bad.End[lane], new(fr.Element).SetOne())
		d := bad.Digest()
		tc := *c
		tc.Digest = d.String()
		if err := solved(t, &tc); err == nil {
			t.Fatalf("lane %d changed but accepted", lane)
		}
	}
	bad := cl
	bad.BusSum.SetOne()
	d := bad.Digest()
	tc := *c
	tc.Digest = d.String()
	if err := solved(t, &tc); err == nil {
		t.Fatal("altered bus sum accepted")
	}
}

// TestPadding: padding rows may not precede real rows nor carry image,
// exec or fetch flags; zero padding after the data is accepted.
func TestPadding(t *testing.T) {
	e := sampleEntries()[4:] // 3 real rows + 1 padding row in a chunk of 4
	start := honestStart(sampleEntries(), 1)
	rows, real := pad(e, testM)
	c, _ := assignRows(rows, real, sampleGlobals(), start)
	if err := solved(t, c); err != nil {
		t.Fatalf("honest padding rejected: %v", err)
	}
	cases := map[string]func(rows []emu.MemEntry, real []bool){
		"real after padding": func(rows []emu.MemEntry, real []bool) {
			// move the last real row behind a padding row
			rows[3], rows[2] = rows[2], emu.MemEntry{}
			real[3], real[2] = true, false
		},
		"image padding row": func(rows []emu.MemEntry, _ []bool) {
			rows[3] = emu.MemEntry{InImage: true}
		},
		"fetching padding row": func(rows []emu.MemEntry, _ []bool) {
			rows[3] = emu.MemEntry{InImage: true, Exec: true, FetchCount: 1}
		},
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			rows, real := pad(e, testM)
			bad(rows, real)
			c, _ := assignRows(rows, real, sampleGlobals(), start)
			if err := solved(t, c); err == nil {
				t.Fatal("malformed padding accepted")
			}
		})
	}
}

// TestCommitmentBinding: the commitment does not depend on the challenge or
// the other lanes, and changes with every row field.
func TestCommitmentBinding(t *testing.T) {
	_, a, err := Assign(sampleEntries(), testM, 1, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	g := sampleGlobals()
	g.Challenge = claim.U64(1)
	_, b, err := Assign(sampleEntries(), testM, 1, g, claim.State{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Commitment.Equal(&b.Commitment) {
		t.Fatal("commitment depends on the challenge or a foreign lane")
	}
	for name, f := range map[string]func(e *emu.MemEntry){
		"final":   func(e *emu.MemEntry) { e.Final++ },
		"finalTs": func(e *emu.MemEntry) { e.FinalTS++ },
		"addr":    func(e *emu.MemEntry) { e.Addr += 4 },
	} {
		e := sampleEntries()
		f(&e[5])
		if c, _ := Commit(e, testM, 1); c.Equal(&a.Commitment) {
			t.Fatalf("commitment does not bind %s", name)
		}
	}
}
