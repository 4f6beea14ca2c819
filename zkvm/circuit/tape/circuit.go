// Package tape is the input/output tape leaf circuit: one chunk of k bytes of
// the private input or of the public output. An input chunk offers
// +m_i·(TagInput, index, byte, 0) per byte (m_i ∈ {0,1}: whether the CPU
// read it); an output chunk takes −1·(TagOutput, index, byte, 0) per byte.
// Either extends its lane's cursor and running hash (claim.TapeStep over
// 31-byte blocks) and leaves every other lane unchanged.
//
// # Soundness
//
// Every value that reaches a bus term (fingerprint or multiplicity) or the
// bus sum is in the phase-1 commitment, which the verifier's γ is derived
// from, or is determined by committed values through constraints:
//
//	value                               fixed by
//	Bytes                               phase-1 commitment (31-byte blocks; bytes range
//	                                      checked, so the packing is injective)
//	Real, Mult                          phase-1 commitment (2-bit flags, booleans)
//	start lane: cursor, running hash    phase-1 commitment (its first elements), so the
//	                                      argument does not rest on chaining alone
//	tape length (InputLen, or the       claim digest; it only restricts the count of
//	  CPU's end output cursor)            Real flags, which are committed
//	Challenge, VKSet, the other lanes   claim digest; in no term (End = Start)
//	range-check limbs and counts        the range checker's BSB22 commitment and its
//	  (rangecheck.DecomposeHint,          recomposition; they only prove ranges
//	  logderivarg.countHint)
//
// The circuit has no hint of its own; gnark's builder adds the BSB22
// commitment value and its blinding mask, which the solver leaves free by
// design (the verifier recomputes the commitment's hash from D).
// TestEveryHintOutputBound (test engine) and TestCompiledHintsBound (real
// solver, compiled circuit) replace each output of the hints called
// (committed values unchanged) and require the chunk to be unsatisfiable;
// TestCommitmentBindsStartLane checks that the commitment covers the start
// lane.
package tape

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Dir selects the tape. It is a compile-time constant of a circuit: input
// and output chunks have different constraint systems and keys.
type Dir uint8

const (
	Input Dir = iota
	Output
)

func (d Dir) String() string {
	if d == Input {
		return "input"
	}
	return "output"
}

// lanes returns the (cursor, hash) state offsets, the bus tag and the leaf
// kind of a direction.
func (d Dir) lanes() (cursor, hash int, tag uint64, kind claim.LeafKind) {
	if d == Input {
		return claim.InCursor, claim.InHash, claim.TagInput, claim.LeafInput
	}
	return claim.OutCursor, claim.OutHash, claim.TagOutput, claim.LeafOutput
}

// flagsPerElem is how many per-byte flag pairs (real, m) are packed into one
// commitment element (2 bits each).
const flagsPerElem = 120

// Circuit proves one chunk. The only public input is Digest; globals and
// start state are private and End, BusSum and Commitment are computed, so
// End equals Start on every lane not owned by construction.
//
// The tape length L is InputLen for input and the CPU's final output cursor
// (Start[CPUOutCursor], the CPU lane at a table leaf is the CPU's end state)
// for output. Real_i = 1 for the chunk's bytes that exist; their count n is
// forced by cursor arithmetic: cursor+n ≤ L and (n = k or cursor+n = L).
type Circuit struct {
	Digest frontend.Variable `gnark:",public"`

	Challenge, InputLen, VKSet frontend.Variable
	Start                      [claim.StateWidth]frontend.Variable

	Bytes []frontend.Variable
	Real  []frontend.Variable
	Mult  []frontend.Variable // input only: m_i; empty for output

	dir Dir
}

// Placeholder returns a circuit shape with k bytes per chunk (k > 0, a
// multiple of claim.TapeBlockBytes).
func Placeholder(dir Dir, k int) *Circuit {
	c := &Circuit{dir: dir, Bytes: make([]frontend.Variable, k), Real: make([]frontend.Variable, k)}
	if dir == Input {
		c.Mult = make([]frontend.Variable, k)
	}
	return c
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	k := len(c.Bytes)
	curLane, hashLane, tag, kind := c.dir.lanes()
	rc := rangecheck.New(api)
	alpha, beta, err := gadget.BusChallenges(api, c.Challenge)
	if err != nil {
		return err
	}
	cursor := c.Start[curLane]
	h := c.Start[hashLane]
	length := c.InputLen
	if c.dir == Output {
		length = c.Start[claim.CPUOutCursor]
	}

	// Fingerprint tag + α·(cursor+i) + α²·b of claim.Fingerprint, with
	// α·cursor shared by every byte: one product per byte.
	alpha2 := api.Mul(alpha, alpha)
	fpBase := api.Add(tag, api.Mul(alpha, cursor))

	var n frontend.Variable = 0
	var bus frontend.Variable = 0
	packed := []frontend.Variable{claim.TagLeafCommit, uint64(kind), cursor, h}
	var flags frontend.Variable = 0
	nflags := 0
	for i := 0; i < k; i++ {
		b, real := c.Bytes[i], c.Real[i]
		api.AssertIsBoolean(real)
		if i > 0 {
			api.AssertIsEqual(api.Mul(real, api.Sub(1, c.Real[i-1])), 0)
		}
		rc.Check(b, 8)
		api.AssertIsEqual(api.Mul(b, api.Sub(1, real)), 0) // padding bytes are zero
		n = api.Add(n, real)

		fp := api.Add(fpBase, api.Mul(alpha, i), api.Mul(alpha2, b))
		flag := real
		if c.dir == Input {
			m := c.Mult[i]
			api.AssertIsBoolean(m)
			api.AssertIsEqual(api.Mul(m, api.Sub(1, real)), 0)
			bus = api.Add(bus, term(api, beta, fp, m))
			flag = api.Add(real, api.Mul(m, 2))
		} else {
			bus = api.Sub(bus, term(api, beta, fp, real))
		}
		flags = api.Add(flags, api.Mul(flag, new(big.Int).Lsh(big.NewInt(1), uint(2*nflags))))
		nflags++
		if nflags == flagsPerElem || i == k-1 {
			packed = append(packed, flags)
			flags, nflags = 0, 0
		}

		if (i+1)%claim.TapeBlockBytes == 0 {
			first := i + 1 - claim.TapeBlockBytes
			var block frontend.Variable = 0
			for j := 0; j < claim.TapeBlockBytes; j++ {
				block = api.Add(block, api.Mul(c.Bytes[first+j], new(big.Int).Lsh(big.NewInt(1), uint(8*j))))
			}
			packed = append(packed, block)
			next, err := gadget.TapeStep(api, h, block)
			if err != nil {
				return err
			}
			// A block is hashed iff it holds at least one real byte.
			h = api.Select(c.Real[first], next, h)
		}
	}

	// Byte count fixed by cursor arithmetic.
	end := api.Add(cursor, n)
	left := api.Sub(length, end)
	rc.Check(left, 32)
	api.AssertIsEqual(api.Mul(api.Sub(k, n), left), 0)

	commitment, err := gadget.Sponge(api, packed...)
	if err != nil {
		return err
	}
	cl := gadget.Claim{Challenge: c.Challenge, InputLen: c.InputLen, VKSet: c.VKSet,
		Start: c.Start, End: c.Start, BusSum: bus, Commitment: commitment}
	cl.End[curLane] = end
	cl.End[hashLane] = h
	d, err := cl.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	return nil
}

// term is claim.Term in one constraint, (β − fp)·t = mult, where
// gadget.Term spends a second one proving β − fp ≠ 0: β − fp = 0 needs a
// tuple equal to the point β, which has negligible probability because every
// tuple is committed before the challenge is derived (the same argument the
// log-derivative sum itself rests on).
func term(api frontend.API, beta, fp, mult frontend.Variable) frontend.Variable {
	return api.DivUnchecked(mult, api.Sub(beta, fp))
}
