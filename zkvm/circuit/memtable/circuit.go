// Package memtable is the memory-table leaf circuit: one chunk of m rows of
// the address-sorted memory table (emu.MemEntry). Each real row initialises
// its word on the bus (+1·(TagMem, addr, init, 0)), finalises it
// (−1·(TagMem, addr, final, finalTs)), offers its instruction to fetches
// (+fetchCount·(TagFetch, addr, init, 0)) and, for image words, extends the
// image running hash. The chunk owns the memory lane (MemNextAddr,
// MemImageHash) and leaves every other lane unchanged.
//
// # Soundness
//
// Every value that reaches a bus term (fingerprint or multiplicity) or the
// bus sum is in the phase-1 commitment, which the verifier's γ is derived
// from, or is determined by committed values through constraints:
//
//	value                               fixed by
//	Addr, Init, Final, FinalTS,         phase-1 commitment (packRow; injective by the
//	  FetchCount, InImage, Exec, Real     range checks and booleans below)
//	start lane: MemNextAddr, MemImage-  phase-1 commitment (its first elements), so the
//	  Hash                                argument does not rest on chaining alone
//	Challenge, InputLen, VKSet, the     claim digest; in no term (End = Start on the
//	  other lanes                         lanes the chunk does not own)
//	q = Addr/4                          division by a constant: unique
//	range-check limbs and counts        the range checker's BSB22 commitment and its
//	  (rangecheck.DecomposeHint,          recomposition; they only prove ranges of
//	  logderivarg.countHint)              committed values
//
// The circuit has no hint of its own; gnark's builder adds the BSB22
// commitment value and its blinding mask, which the solver leaves free by
// design (the verifier recomputes the commitment's hash from D).
// TestEveryHintOutputBound (test engine) and TestCompiledHintsBound (real
// solver, compiled circuit) replace each output of the hints called
// (committed values unchanged) and require the chunk to be unsatisfiable;
// TestCommitmentBindsStartLane checks that the commitment covers the start
// lane.
package memtable

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Bit widths of the row fields. Addresses are 32-bit word addresses
// (stored as addr/4 in 30 bits), words are 32 bits, timestamps and fetch
// counts are step counts below 2^40.
const (
	wordBits  = 32
	tsBits    = 40
	countBits = 40
)

// Row is one memory-table row as circuit variables. Real is 1 for a row that
// carries a table entry and 0 for padding (padding only follows real rows).
type Row struct {
	Addr, Init, Final, FinalTS frontend.Variable
	InImage, Exec, FetchCount  frontend.Variable
	Real                       frontend.Variable
}

// Circuit proves one chunk. The only public input is Digest, the claim
// digest; the claim's globals and start state are private witnesses and its
// End, BusSum and Commitment are computed here, so End equals Start on every
// lane this leaf does not own by construction.
type Circuit struct {
	Digest frontend.Variable `gnark:",public"`

	Challenge, InputLen, VKSet frontend.Variable
	Start                      [claim.StateWidth]frontend.Variable

	Rows []Row
}

// Placeholder returns a circuit shape with m rows per chunk, for compiling.
func Placeholder(m int) *Circuit {
	return &Circuit{Rows: make([]Row, m)}
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	rc := rangecheck.New(api)
	alpha, beta, err := gadget.BusChallenges(api, c.Challenge)
	if err != nil {
		return err
	}

	// Powers of α for the fingerprints tag + α·addr + α²·value + α³·ts
	// (gadget.Fingerprint expanded so rows share α·addr and the fetch
	// fingerprint is the init one plus a constant).
	alpha2 := api.Mul(alpha, alpha)
	alpha3 := api.Mul(alpha2, alpha)

	bound := c.Start[claim.MemNextAddr]
	h := c.Start[claim.MemImageHash]
	var bus frontend.Variable = 0
	packed := make([]frontend.Variable, 0, len(c.Rows)+4)
	packed = append(packed, claim.TagLeafCommit, uint64(claim.LeafMemory), bound, h)

	for i := range c.Rows {
		r := &c.Rows[i]
		api.AssertIsBoolean(r.Real)
		api.AssertIsBoolean(r.InImage)
		api.AssertIsBoolean(r.Exec)
		if i > 0 {
			// Padding only after real rows: Real[i] ⇒ Real[i-1].
			api.AssertIsEqual(api.Mul(r.Real, api.Sub(1, c.Rows[i-1].Real)), 0)
		}
		// inImage ⇒ real, exec ⇒ inImage, ¬exec ⇒ fetchCount = 0,
		// ¬inImage ⇒ init = 0.
		api.AssertIsEqual(api.Mul(r.InImage, api.Sub(1, r.Real)), 0)
		api.AssertIsEqual(api.Mul(r.Exec, api.Sub(1, r.InImage)), 0)
		api.AssertIsEqual(api.Mul(r.FetchCount, api.Sub(1, r.Exec)), 0)
		api.AssertIsEqual(api.Mul(r.Init, api.Sub(1, r.InImage)), 0)

		// Ranges: addr = 4·q with q < 2^30 (word-aligned, < 2^32); words
		// 32-bit; finalTs and fetchCount below 2^40. These also make the
		// commitment packing below injective.
		q := api.Div(r.Addr, 4)
		rc.Check(q, wordBits-2)
		rc.Check(r.Init, wordBits)
		rc.Check(r.Final, wordBits)
		rc.Check(r.FinalTS, tsBits)
		rc.Check(r.FetchCount, countBits)

		// Ordering: a real row has bound ≤ addr < 2^32 (difference range
		// checked), and the next bound is addr+4, so addresses strictly
		// increase within and across chunks.
		rc.Check(api.Mul(r.Real, api.Sub(r.Addr, bound)), wordBits)
		bound = api.Select(r.Real, api.Add(r.Addr, 4), bound)

		// Image hash over inImage rows: one compression of the packed word
		// (the ranges above make the packing injective).
		next, err := gadget.ImageStep(api, h, r.Addr, r.Init, r.Exec)
		if err != nil {
			return err
		}
		h = api.Select(r.InImage, next, h)

		// Bus terms: the fingerprints of claim.Fingerprint, 4 products.
		addrTerm := api.Add(claim.TagMem, api.Mul(alpha, r.Addr))
		fpInit := api.Add(addrTerm, api.Mul(alpha2, r.Init))
		fpFetch := api.Add(fpInit, claim.TagFetch-claim.TagMem)
		fpFinal := api.Add(addrTerm, api.Mul(alpha2, r.Final), api.Mul(alpha3, r.FinalTS))
		bus = api.Add(bus, term(api, beta, fpInit, r.Real))
		bus = api.Sub(bus, term(api, beta, fpFinal, r.Real))
		bus = api.Add(bus, term(api, beta, fpFetch, r.FetchCount))

		packed = append(packed, packRow(api, r))
	}

	commitment, err := gadget.Sponge(api, packed...)
	if err != nil {
		return err
	}

	cl := gadget.Claim{Challenge: c.Challenge, InputLen: c.InputLen, VKSet: c.VKSet,
		Start: c.Start, End: c.Start, BusSum: bus, Commitment: commitment}
	cl.End[claim.MemNextAddr] = bound
	cl.End[claim.MemImageHash] = h
	d, err := cl.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	return nil
}

// Packing of a row into one field element (179 bits):
// addr | init<<32 | final<<64 | finalTs<<96 | fetchCount<<136 |
// inImage<<176 | exec<<177 | real<<178.
var packShifts = [...]uint{0, 32, 64, 96, 136, 176, 177, 178}

func packRow(api frontend.API, r *Row) frontend.Variable {
	vals := []frontend.Variable{r.Addr, r.Init, r.Final, r.FinalTS, r.FetchCount, r.InImage, r.Exec, r.Real}
	var acc frontend.Variable = 0
	for i, v := range vals {
		acc = api.Add(acc, api.Mul(v, new(big.Int).Lsh(big.NewInt(1), packShifts[i])))
	}
	return acc
}

// term is claim.Term in one constraint, (β − fp)·t = mult, where
// gadget.Term spends a second one proving β − fp ≠ 0: β − fp = 0 needs a
// tuple equal to the point β, which has negligible probability because every
// tuple is committed before the challenge is derived (the same argument the
// log-derivative sum itself rests on).
func term(api frontend.API, beta, fp, mult frontend.Variable) frontend.Variable {
	return api.DivUnchecked(mult, api.Sub(beta, fp))
}
