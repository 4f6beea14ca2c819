package memtable

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// NumChunks is the number of m-row chunks the table needs: ceil(len/m), at
// least 1 (an empty table is one chunk of padding).
func NumChunks(entries []emu.MemEntry, m int) int {
	if m <= 0 {
		return 0
	}
	return max(1, (len(entries)+m-1)/m)
}

// chunkRows returns the entries of chunk `chunk` and validates the request.
func chunkRows(entries []emu.MemEntry, m, chunk int) ([]emu.MemEntry, error) {
	if m <= 0 {
		return nil, fmt.Errorf("memtable: rows per chunk must be positive, got %d", m)
	}
	if chunk < 0 || chunk >= NumChunks(entries, m) {
		return nil, fmt.Errorf("memtable: chunk %d out of range [0,%d)", chunk, NumChunks(entries, m))
	}
	lo := min(chunk*m, len(entries))
	hi := min(lo+m, len(entries))
	return entries[lo:hi], nil
}

// laneAfter runs the memory lane (next-address bound, image hash) over rows.
func laneAfter(bound uint64, h fr.Element, rows []emu.MemEntry) (uint64, fr.Element) {
	for _, e := range rows {
		bound = uint64(e.Addr) + 4
		if e.InImage {
			h = claim.ImageStep(h, e.Addr, e.Init, e.Exec)
		}
	}
	return bound, h
}

// StartLane is the honest memory lane (MemNextAddr, MemImageHash) at the
// start of chunk `chunk`: the canonical (0, 0) advanced over the entries of
// every earlier chunk.
func StartLane(entries []emu.MemEntry, m, chunk int) (fr.Element, fr.Element) {
	b, h := laneAfter(0, fr.Element{}, entries[:min(chunk*m, len(entries))])
	return claim.U64(b), h
}

// Commit is the leaf commitment of chunk `chunk`, exactly as the circuit
// computes it: claim.Sponge(TagLeafCommit, LeafMemory, startBound, startImageHash,
// packed rows…). It does not depend on the challenge.
func Commit(entries []emu.MemEntry, m, chunk int) (fr.Element, error) {
	rows, err := chunkRows(entries, m, chunk)
	if err != nil {
		return fr.Element{}, err
	}
	if err := validate(entries); err != nil {
		return fr.Element{}, err
	}
	b, h := StartLane(entries, m, chunk)
	return commitFrom(b, h, rows, m), nil
}

func commitFrom(bound, h fr.Element, rows []emu.MemEntry, m int) fr.Element {
	padded, real := pad(rows, m)
	return commitRows(bound, h, padded, real)
}

// pad extends a chunk's entries to m rows of zero padding and returns the
// real flags.
func pad(rows []emu.MemEntry, m int) ([]emu.MemEntry, []bool) {
	padded := make([]emu.MemEntry, m)
	real := make([]bool, m)
	copy(padded, rows)
	for i := range rows {
		real[i] = true
	}
	return padded, real
}

// commitRows mirrors the circuit's commitment over m rows with their real
// flags.
func commitRows(bound, h fr.Element, rows []emu.MemEntry, real []bool) fr.Element {
	elems := make([]fr.Element, 0, len(rows)+4)
	elems = append(elems, claim.U64(claim.TagLeafCommit), claim.U64(uint64(claim.LeafMemory)), bound, h)
	for i, e := range rows {
		elems = append(elems, packRowNative(e, real[i]))
	}
	return claim.Sponge(elems...)
}

func packRowNative(e emu.MemEntry, real bool) fr.Element {
	vals := []uint64{uint64(e.Addr), uint64(e.Init), uint64(e.Final), e.FinalTS, e.FetchCount,
		b2u(e.InImage), b2u(e.Exec), b2u(real)}
	acc := new(big.Int)
	for i, v := range vals {
		acc.Add(acc, new(big.Int).Lsh(new(big.Int).SetUint64(v), packShifts[i]))
	}
	var out fr.Element
	out.SetBigInt(acc)
	return out
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// validate rejects tables the circuit cannot prove, so callers get a clear
// error instead of an unsatisfied witness.
func validate(entries []emu.MemEntry) error {
	for i, e := range entries {
		switch {
		case e.Addr%4 != 0:
			return fmt.Errorf("memtable: entry %d: address %#x not word-aligned", i, e.Addr)
		case i > 0 && e.Addr <= entries[i-1].Addr:
			return fmt.Errorf("memtable: entry %d: address %#x not above %#x", i, e.Addr, entries[i-1].Addr)
		case e.FinalTS >= 1<<tsBits:
			return fmt.Errorf("memtable: entry %d: final timestamp %d out of range", i, e.FinalTS)
		case e.FetchCount >= 1<<countBits:
			return fmt.Errorf("memtable: entry %d: fetch count %d out of range", i, e.FetchCount)
		case !e.InImage && (e.Init != 0 || e.Exec):
			return fmt.Errorf("memtable: entry %d: non-image word with init or exec", i)
		case !e.Exec && e.FetchCount != 0:
			return fmt.Errorf("memtable: entry %d: fetches from a non-executable word", i)
		}
	}
	return nil
}

// BusSum is the native bus contribution of table rows under challenge γ
// (all rows real).
func BusSum(rows []emu.MemEntry, gamma fr.Element) fr.Element {
	padded, real := pad(rows, len(rows))
	return busRows(padded, real, gamma)
}

// busRows mirrors the circuit's bus terms: the init write and final read
// weighted by the real flag, the fetch offer by fetchCount.
func busRows(rows []emu.MemEntry, real []bool, gamma fr.Element) fr.Element {
	alpha, beta := claim.BusChallenges(gamma)
	var sum fr.Element
	for i, e := range rows {
		r := int64(b2u(real[i]))
		w := claim.Term(beta, claim.Fingerprint(alpha, claim.TagMem, uint64(e.Addr), uint64(e.Init), 0), r)
		f := claim.Term(beta, claim.Fingerprint(alpha, claim.TagMem, uint64(e.Addr), uint64(e.Final), e.FinalTS), -r)
		x := claim.Term(beta, claim.Fingerprint(alpha, claim.TagFetch, uint64(e.Addr), uint64(e.Init), 0), int64(e.FetchCount))
		sum.Add(&sum, &w)
		sum.Add(&sum, &f)
		sum.Add(&sum, &x)
	}
	return sum
}

// Assign builds the witness and the claim of chunk `chunk`.
//
// start is the leaf's full start state: its CPU, input and output lanes are
// taken as given (they are the CPU's final state and the canonical tape
// lanes, because memory chunks follow the CPU segments in leaf order) and
// copied to End; its memory lane is ignored and recomputed from entries (the
// honest end of the previous chunk), so chunks chain by construction.
func Assign(entries []emu.MemEntry, m, chunk int, g claim.Globals, start claim.State) (*Circuit, claim.Claim, error) {
	if _, err := chunkRows(entries, m, chunk); err != nil {
		return nil, claim.Claim{}, err
	}
	if err := validate(entries); err != nil {
		return nil, claim.Claim{}, err
	}
	start[claim.MemNextAddr], start[claim.MemImageHash] = StartLane(entries, m, chunk)
	return assignFrom(entries, m, chunk, g, start)
}

// assignFrom assigns a chunk from an arbitrary start state (no honesty
// checks): tests use it to build witnesses with a wrong start lane.
func assignFrom(entries []emu.MemEntry, m, chunk int, g claim.Globals, start claim.State) (*Circuit, claim.Claim, error) {
	rows, err := chunkRows(entries, m, chunk)
	if err != nil {
		return nil, claim.Claim{}, err
	}
	padded, real := pad(rows, m)
	c, cl := assignRows(padded, real, g, start)
	return c, cl, nil
}

// assignRows assigns m explicit rows with explicit real flags, computing the
// claim exactly as the circuit does (tests use it for malformed padding).
func assignRows(rows []emu.MemEntry, real []bool, g claim.Globals, start claim.State) (*Circuit, claim.Claim) {
	var cl claim.Claim
	cl.Globals = g
	cl.Start, cl.End = start, start
	bound, h := start[claim.MemNextAddr], start[claim.MemImageHash]
	for i, e := range rows {
		if real[i] {
			bound = claim.U64(uint64(e.Addr) + 4)
		}
		if e.InImage {
			h = claim.ImageStep(h, e.Addr, e.Init, e.Exec)
		}
	}
	cl.End[claim.MemNextAddr], cl.End[claim.MemImageHash] = bound, h
	cl.BusSum = busRows(rows, real, g.Challenge)
	cl.Commitment = commitRows(start[claim.MemNextAddr], start[claim.MemImageHash], rows, real)

	gc := gadget.AssignClaim(&cl)
	c := &Circuit{Challenge: gc.Challenge, InputLen: gc.InputLen, VKSet: gc.VKSet, Start: gc.Start,
		Rows: make([]Row, len(rows))}
	d := cl.Digest()
	c.Digest = d.String()
	for i, e := range rows {
		c.Rows[i] = Row{Addr: e.Addr, Init: e.Init, Final: e.Final, FinalTS: e.FinalTS,
			InImage: b2u(e.InImage), Exec: b2u(e.Exec), FetchCount: e.FetchCount, Real: b2u(real[i])}
	}
	return c, cl
}
