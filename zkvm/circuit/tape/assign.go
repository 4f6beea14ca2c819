package tape

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// NumChunks is ceil(length/k); 0 for an empty tape (no leaf at all).
func NumChunks(length, k int) int {
	if k <= 0 {
		return 0
	}
	return (length + k - 1) / k
}

func check(dir Dir, data []byte, consumed uint32, k, chunk int) error {
	switch {
	case dir != Input && dir != Output:
		return fmt.Errorf("tape: unknown direction %d", dir)
	case k <= 0 || k%claim.TapeBlockBytes != 0:
		return fmt.Errorf("tape: chunk size %d is not a positive multiple of %d", k, claim.TapeBlockBytes)
	case chunk < 0 || chunk >= NumChunks(len(data), k):
		return fmt.Errorf("tape: %s chunk %d out of range [0,%d)", dir, chunk, NumChunks(len(data), k))
	case uint64(len(data)) >= 1<<32:
		return fmt.Errorf("tape: %s tape of %d bytes too long", dir, len(data))
	case int(consumed) > len(data):
		return fmt.Errorf("tape: consumed %d exceeds tape length %d", consumed, len(data))
	case dir == Output && int(consumed) != len(data):
		return fmt.Errorf("tape: output consumed %d must equal length %d", consumed, len(data))
	}
	return nil
}

// chunkWitness is the prover-chosen content of one chunk: k bytes (zero
// padded), real flags and (input only) multiplicities.
// Values are uint64 (not byte/bool) so tests can build out-of-range witnesses.
type chunkWitness struct {
	bytes, real, mult []uint64
}

func makeChunk(dir Dir, data []byte, consumed uint32, k, chunk int) chunkWitness {
	w := chunkWitness{bytes: make([]uint64, k), real: make([]uint64, k), mult: make([]uint64, k)}
	for i := 0; i < k; i++ {
		idx := chunk*k + i
		if idx < len(data) {
			w.bytes[i], w.real[i] = uint64(data[idx]), 1
			w.mult[i] = b2u(dir == Input && idx < int(consumed))
		}
	}
	return w
}

// StartLane is the honest (cursor, running hash) at the start of chunk
// `chunk` of the tape: (chunk·k, TapeRunningHash(data[:chunk·k])).
func StartLane(data []byte, k, chunk int) (fr.Element, fr.Element) {
	off := min(chunk*k, len(data))
	return claim.U64(uint64(off)), claim.TapeRunningHash(data[:off])
}

// Commit is the leaf commitment of chunk `chunk`, exactly as the circuit
// computes it: claim.Sponge(TagLeafCommit, kind, startCursor, startHash, then per
// byte position the packed flag words and 31-byte blocks in circuit order).
// It does not depend on the challenge. For Output, consumed must equal
// len(data).
func Commit(dir Dir, data []byte, consumed uint32, k, chunk int) (fr.Element, error) {
	if err := check(dir, data, consumed, k, chunk); err != nil {
		return fr.Element{}, err
	}
	cur, h := StartLane(data, k, chunk)
	return commitFrom(dir, cur, h, makeChunk(dir, data, consumed, k, chunk)), nil
}

func commitFrom(dir Dir, cursor, h fr.Element, w chunkWitness) fr.Element {
	_, _, _, kind := dir.lanes()
	k := len(w.bytes)
	elems := []fr.Element{claim.U64(claim.TagLeafCommit), claim.U64(uint64(kind)), cursor, h}
	flags := new(big.Int)
	nflags := 0
	for i := 0; i < k; i++ {
		f := w.real[i]
		if dir == Input {
			f += 2 * w.mult[i]
		}
		flags.Add(flags, new(big.Int).Lsh(new(big.Int).SetUint64(f), uint(2*nflags)))
		nflags++
		if nflags == flagsPerElem || i == k-1 {
			var e fr.Element
			e.SetBigInt(flags)
			elems = append(elems, e)
			flags, nflags = new(big.Int), 0
		}
		if (i+1)%claim.TapeBlockBytes == 0 {
			first := i + 1 - claim.TapeBlockBytes
			elems = append(elems, packBlock(w.bytes[first:i+1]))
		}
	}
	return claim.Sponge(elems...)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// BusSum is the native bus contribution of a chunk under challenge γ.
func (w chunkWitness) busSum(dir Dir, cursor uint64, gamma fr.Element) fr.Element {
	_, _, tag, _ := dir.lanes()
	alpha, beta := claim.BusChallenges(gamma)
	var sum fr.Element
	for i, b := range w.bytes {
		mult := int64(w.mult[i])
		if dir == Output {
			mult = -int64(w.real[i])
		}
		if mult == 0 {
			continue
		}
		t := claim.Term(beta, claim.Fingerprint(alpha, tag, cursor+uint64(i), b, 0), mult)
		sum.Add(&sum, &t)
	}
	return sum
}

// Assign builds the witness and the claim of chunk `chunk` of a tape.
//
// start is the leaf's full start state: every lane except this tape's own
// (cursor, hash) is taken as given and copied to End — the CPU lane must be
// the CPU's final state (Output reads its length from Start[CPUOutCursor]),
// the memory lane the memory table's end, and for Output the input lane the
// input tape's end. The own lane is ignored and recomputed from data (the
// honest end of the previous chunk), so chunks chain by construction.
// consumed is the number of input bytes the CPU read (emu Result.InputConsumed);
// for Output it must equal len(data).
func Assign(dir Dir, data []byte, consumed uint32, k, chunk int, g claim.Globals, start claim.State) (*Circuit, claim.Claim, error) {
	if err := check(dir, data, consumed, k, chunk); err != nil {
		return nil, claim.Claim{}, err
	}
	// The circuit takes the tape length from InputLen (input) or the CPU's
	// final output cursor (output): reject a mismatch here with a clear error.
	want := claim.U64(uint64(len(data)))
	if dir == Input && !g.InputLen.Equal(&want) {
		return nil, claim.Claim{}, fmt.Errorf("tape: input of %d bytes but InputLen is %s", len(data), g.InputLen.String())
	}
	if dir == Output && !start[claim.CPUOutCursor].Equal(&want) {
		return nil, claim.Claim{}, fmt.Errorf("tape: output of %d bytes but the CPU output cursor is %s", len(data), start[claim.CPUOutCursor].String())
	}
	cl, hl, _, _ := dir.lanes()
	start[cl], start[hl] = StartLane(data, k, chunk)
	return assignFrom(dir, makeChunk(dir, data, consumed, k, chunk), g, start)
}

// assignFrom assigns a chunk witness from an arbitrary start state (no
// honesty checks): tests use it for tampered witnesses.
func assignFrom(dir Dir, w chunkWitness, g claim.Globals, start claim.State) (*Circuit, claim.Claim, error) {
	curLane, hashLane, _, _ := dir.lanes()
	k := len(w.bytes)
	var cl claim.Claim
	cl.Globals = g
	cl.Start, cl.End = start, start
	cursor := start[curLane].Uint64()
	h := start[hashLane]
	n := 0
	for i := 0; i < k; i++ {
		n += int(w.real[i])
		if (i+1)%claim.TapeBlockBytes == 0 && w.real[i+1-claim.TapeBlockBytes] != 0 {
			h = claim.TapeStep(h, packBlock(w.bytes[i+1-claim.TapeBlockBytes:i+1]))
		}
	}
	cl.End[curLane] = claim.U64(cursor + uint64(n))
	cl.End[hashLane] = h
	cl.BusSum = w.busSum(dir, cursor, g.Challenge)
	cl.Commitment = commitFrom(dir, start[curLane], start[hashLane], w)

	gc := gadget.AssignClaim(&cl)
	c := Placeholder(dir, k)
	c.Challenge, c.InputLen, c.VKSet, c.Start = gc.Challenge, gc.InputLen, gc.VKSet, gc.Start
	d := cl.Digest()
	c.Digest = d.String()
	for i := 0; i < k; i++ {
		c.Bytes[i] = w.bytes[i]
		c.Real[i] = w.real[i]
		if dir == Input {
			c.Mult[i] = w.mult[i]
		}
	}
	return c, cl, nil
}

// packBlock is claim.PackTapeBlock over possibly out-of-range values (the
// circuit's linear combination Σ b_j·256^j); for bytes the two agree.
func packBlock(b []uint64) fr.Element {
	acc := new(big.Int)
	for j, v := range b {
		acc.Add(acc, new(big.Int).Lsh(new(big.Int).SetUint64(v), uint(8*j)))
	}
	var e fr.Element
	e.SetBigInt(acc)
	return e
}
