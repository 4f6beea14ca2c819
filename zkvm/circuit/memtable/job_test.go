package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/circuit/cpu"
	"github.com/zkfleet/zkfleet/zkvm/circuit/tape"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestWholeJobClaims assembles the native claims of every leaf of a real
// job in leaf order — CPU segments (zkvm/circuit/cpu), memory chunks, input
// chunks, output chunks — with the challenge derived from all their
// commitments, and folds them: every lane chains from leaf to leaf, the bus
// total is zero, and the root End matches the statement (image hash, tape
// cursors and hashes, halt and exit code). It also checks this package's
// native CPU-term helper against cpu.BusSum.
func TestWholeJobClaims(t *testing.T) {
	const segSize, k = 8, 31
	p := echoGuest()
	input := []byte("hello!")
	ex, err := emu.Trace(p, input, emu.Config{SegmentSize: segSize})
	if err != nil {
		t.Fatal(err)
	}
	out := ex.Result.Output
	consumed := ex.Result.InputConsumed

	// Phase 1: commitments in leaf order.
	var coms []fr.Element
	for i := range ex.Segments {
		c, err := cpu.Commit(&ex.Segments[i], segSize)
		if err != nil {
			t.Fatal(err)
		}
		coms = append(coms, c)
	}
	for i := 0; i < NumChunks(ex.Memory, testM); i++ {
		c, err := Commit(ex.Memory, testM, i)
		if err != nil {
			t.Fatal(err)
		}
		coms = append(coms, c)
	}
	for i := 0; i < tape.NumChunks(len(input), k); i++ {
		c, err := tape.Commit(tape.Input, input, consumed, k, i)
		if err != nil {
			t.Fatal(err)
		}
		coms = append(coms, c)
	}
	for i := 0; i < tape.NumChunks(len(out), k); i++ {
		c, err := tape.Commit(tape.Output, out, uint32(len(out)), k, i)
		if err != nil {
			t.Fatal(err)
		}
		coms = append(coms, c)
	}
	g := claim.Globals{Challenge: claim.ChallengeFromCommitments(coms),
		InputLen: claim.U64(uint64(len(input))), VKSet: claim.U64(1)}

	// Phase 2: claims, folded left to right (lanes, sums and the chaining
	// rule do not depend on the tree shape; only the combined commitment
	// does, and that is zkvm/agg's concern).
	var leaves []claim.Claim
	var acc claim.Claim
	push := func(cl claim.Claim) {
		t.Helper()
		leaves = append(leaves, cl)
		if len(leaves) == 1 {
			acc = cl
			return
		}
		var ok bool
		if acc, ok = claim.Fold(&acc, &cl); !ok {
			t.Fatalf("leaf %d does not chain onto the previous ones", len(leaves)-1)
		}
	}
	for i := range ex.Segments {
		seg := &ex.Segments[i]
		_, cl, err := cpu.Assign(seg, segSize, g)
		if err != nil {
			t.Fatal(err)
		}
		if mine := cpuBusSum(seg.Steps, seg.Start.Step+1, g.Challenge); !mine.Equal(&cl.BusSum) {
			t.Fatalf("segment %d: native CPU terms differ from cpu.BusSum", i)
		}
		push(cl)
	}
	for i := 0; i < NumChunks(ex.Memory, testM); i++ {
		_, cl, err := Assign(ex.Memory, testM, i, g, acc.End)
		if err != nil {
			t.Fatal(err)
		}
		push(cl)
	}
	for i := 0; i < tape.NumChunks(len(input), k); i++ {
		_, cl, err := tape.Assign(tape.Input, input, consumed, k, i, g, acc.End)
		if err != nil {
			t.Fatal(err)
		}
		push(cl)
	}
	for i := 0; i < tape.NumChunks(len(out), k); i++ {
		_, cl, err := tape.Assign(tape.Output, out, uint32(len(out)), k, i, g, acc.End)
		if err != nil {
			t.Fatal(err)
		}
		push(cl)
	}

	for i, l := range leaves {
		if !l.Commitment.Equal(&coms[i]) {
			t.Fatalf("leaf %d: claim commitment differs from its phase-1 commitment", i)
		}
	}
	if !acc.BusSum.IsZero() {
		t.Fatal("bus total of the whole job is not zero")
	}
	e := acc.End
	imgHash, inHash, outHash := p.ImageHash(), claim.TapeRunningHash(input), claim.TapeRunningHash(out)
	switch {
	case !e[claim.MemImageHash].Equal(&imgHash):
		t.Fatal("image hash")
	case e[claim.InCursor].Uint64() != uint64(len(input)) || !e[claim.InHash].Equal(&inHash):
		t.Fatal("input lane")
	case e[claim.OutCursor].Uint64() != uint64(len(out)) || !e[claim.OutHash].Equal(&outHash):
		t.Fatal("output lane")
	case e[claim.CPUOutCursor].Uint64() != uint64(len(out)) || e[claim.CPUInCursor].Uint64() != uint64(consumed):
		t.Fatal("CPU cursors")
	case e[claim.CPUHalted].Uint64() != 1 || e[claim.CPUExitCode].Uint64() != 7:
		t.Fatal("halt / exit code")
	}
	for _, lane := range []int{claim.MemNextAddr, claim.MemImageHash, claim.InCursor, claim.InHash, claim.OutCursor, claim.OutHash} {
		if !acc.Start[lane].IsZero() {
			t.Fatalf("lane %d does not start at zero", lane)
		}
	}
}
