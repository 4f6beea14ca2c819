package cpu

import (
	"fmt"
	"math/bits"

	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Row is the prover-chosen part of one step: everything else a row needs is
// computed in-circuit (or by constrained hints) from these and the state.
type Row struct {
	Instr    frontend.Variable // instruction word fetched at pc (0 in padding rows)
	MemOld   frontend.Variable // word before the step's memory access (0 if none)
	MemOldTS frontend.Variable // timestamp of the previous access to it (0 if none)
	InByte   frontend.Variable // input byte of a read byte step (0 otherwise)

	// Register-bus slots (regbus.go): the values the four slots read and the
	// local times of the previous accesses to those registers. They are not
	// bus values of the job, so the phase-1 commitment does not cover them.
	Reg, RegTS [4]frontend.Variable
}

// Circuit proves len(Rows) steps of a CPU segment. Its only public input is
// the digest of the claim it states.
type Circuit struct {
	Digest frontend.Variable `gnark:",public"`

	// Globals of the job.
	Challenge, InputLen, VKSet frontend.Variable

	// Start CPU lane (registers as values; the claim holds their digest).
	PC, Step                frontend.Variable
	Regs                    [31]frontend.Variable // x1..x31
	InCursor, OutCursor     frontend.Variable
	IOSub, Halted, ExitCode frontend.Variable

	// End registers x1..x31, read off the register bus, and the local times
	// of the last writes to x0..x31.
	EndRegs  [31]frontend.Variable
	EndRegTS [32]frontend.Variable

	// Lanes this leaf does not move (memory, input, output): End = Start.
	Other [claim.StateWidth - cpuLaneWidth]frontend.Variable

	Rows []Row

	// MulDivRows is the number of M-extension unit rows (muldiv.go), a
	// shape parameter like len(Rows); Placeholder sets DefaultMulDivRows.
	MulDivRows int `gnark:"-"`
}

// cpuLaneWidth is the number of CPU lane elements at the front of claim.State.
const cpuLaneWidth = claim.CPUExitCode + 1

// Placeholder returns a circuit shape for n steps, for frontend.Compile.
func Placeholder(n int) *Circuit {
	return &Circuit{Rows: make([]Row, n), MulDivRows: DefaultMulDivRows(n)}
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error { return c.define(api, true) }

// define builds the circuit; checkDigest is false only in tests that isolate
// a row constraint from the claim binding.
func (c *Circuit) define(api frontend.API, checkDigest bool) error {
	if len(c.Rows) == 0 {
		return fmt.Errorf("cpu: circuit needs at least one row")
	}
	if c.MulDivRows <= 0 {
		return fmt.Errorf("cpu: circuit needs at least one mul/div unit row")
	}
	alpha, beta, err := gadget.BusChallenges(api, c.Challenge)
	if err != nil {
		return fmt.Errorf("cpu: bus challenges: %w", err)
	}
	// Register-bus times are below 4N+4: one small-table lookup of width
	// smallMax (the 32-bit pieces use those rows anyway) while that fits,
	// else a table of exactly those values (one lookup instead of two pieces
	// and an equality). Any bound ≥ 4N+4 far below the field size will do.
	timeBound := 4*len(c.Rows) + 4
	tsBits := bits.Len(uint(timeBound))
	var lk *lookups
	if tsBits <= smallMax {
		lk = newLookups(0)
	} else {
		lk = newLookups(timeBound)
	}
	ctx := &rowCtx{api: api, alpha: alpha, beta: beta, inputLen: c.InputLen, nib: lk, md: &mulDivUnit{rows: c.MulDivRows}, padPrev: 0}
	ctx.regs = newRegBus(func(v frontend.Variable) {
		if tsBits <= smallMax {
			ctx.Check(v, smallMax) // a looser bound is as good; its rows exist anyway
		} else {
			lk.time(v)
		}
	}, len(c.Rows))
	ctx.alpha2 = api.Mul(alpha, alpha)
	ctx.alpha3 = api.Mul(ctx.alpha2, alpha)
	ctx.alpha3Step0 = api.Mul(ctx.alpha3, c.Step)

	var s state
	s.pc, s.step = c.PC, c.Step
	s.inCur, s.outCur, s.ioSub, s.halted, s.exitCode = c.InCursor, c.OutCursor, c.IOSub, c.Halted, c.ExitCode
	api.AssertIsBoolean(s.halted)

	startLane, err := lane(api, &s, c.Regs[:])
	if err != nil {
		return err
	}
	commitIn := append([]frontend.Variable{claim.TagLeafCommit, uint64(claim.LeafCPU)}, startLane[:]...)
	var bus frontend.Variable = 0
	var packed frontend.Variable = 0
	for i := range c.Rows {
		r := &c.Rows[i]
		var t frontend.Variable
		ctx.row = i
		s, t = ctx.step(s, r)
		ctx.regs.nextRow()
		bus = api.Add(bus, t)
		// Pack two rows' prover-chosen values per field element (112 bits each).
		v := api.Add(r.Instr, api.Mul(r.MemOld, pow2(32)), api.Mul(r.MemOldTS, pow2(64)), api.Mul(r.InByte, pow2(104)))
		if i%2 == 0 {
			packed = v
		} else {
			packed = api.Add(packed, api.Mul(v, pow2(rowBits)))
		}
		if i%2 == 1 || i == len(c.Rows)-1 {
			commitIn = append(commitIn, packed)
		}
	}
	commitment, err := gadget.Sponge(api, commitIn...)
	if err != nil {
		return fmt.Errorf("cpu: commitment: %w", err)
	}
	instrs := make([]frontend.Variable, len(c.Rows))
	for i := range c.Rows {
		instrs[i] = c.Rows[i].Instr
	}
	// The BSB22 commitment (whose hash draws the challenges of the register
	// bus, the unit bus and the lookups) also covers the phase-1 commitment
	// and the input length, so every value those local arguments see is
	// fixed before their challenges: the start lane and the rows through
	// the phase-1 commitment, the rest as BSB22-committed values.
	ctx.regs.check(api, instrs, c.Regs[:], c.EndRegs[:], c.EndRegTS[:], []frontend.Variable{commitment, c.InputLen})
	if err := ctx.md.check(ctx); err != nil {
		return err
	}
	if len(ctx.eqs) != 0 || len(ctx.zero) != 0 {
		return fmt.Errorf("cpu: %d packed equalities and %d zero products left unasserted", len(ctx.eqs), len(ctx.zero))
	}
	if err := ctx.nib.check(api); err != nil {
		return err
	}
	endLane, err := lane(api, &s, c.EndRegs[:])
	if err != nil {
		return err
	}
	var cl gadget.Claim
	cl.Challenge, cl.InputLen, cl.VKSet = c.Challenge, c.InputLen, c.VKSet
	for i := 0; i < cpuLaneWidth; i++ {
		cl.Start[i], cl.End[i] = startLane[i], endLane[i]
	}
	for i := range c.Other {
		cl.Start[cpuLaneWidth+i], cl.End[cpuLaneWidth+i] = c.Other[i], c.Other[i]
	}
	cl.BusSum, cl.Commitment = bus, commitment
	d, err := cl.Digest(api)
	if err != nil {
		return fmt.Errorf("cpu: claim digest: %w", err)
	}
	if checkDigest {
		api.AssertIsEqual(c.Digest, d)
	}
	return nil
}

// rowBits is the width of one row's packed commitment value.
const rowBits = 112

// lane returns the CPU lane of a state with registers x1..x31, hashing the
// registers.
func lane(api frontend.API, s *state, x []frontend.Variable) ([cpuLaneWidth]frontend.Variable, error) {
	var out [cpuLaneWidth]frontend.Variable
	rd, err := gadget.RegsDigest(api, x)
	if err != nil {
		return out, fmt.Errorf("cpu: register digest: %w", err)
	}
	out[claim.CPUPC], out[claim.CPUStep], out[claim.CPURegs] = s.pc, s.step, rd
	out[claim.CPUInCursor], out[claim.CPUOutCursor], out[claim.CPUIOSub] = s.inCur, s.outCur, s.ioSub
	out[claim.CPUHalted], out[claim.CPUExitCode] = s.halted, s.exitCode
	return out, nil
}
