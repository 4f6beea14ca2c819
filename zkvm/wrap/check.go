package wrap

import (
	"errors"
	"fmt"
	"math"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// ErrStatement marks a root claim that does not prove the statement.
var ErrStatement = errors.New("wrap: the root claim does not prove the statement")

// InitialRegsDigest is the register lane of every program's canonical
// initial state (emu.InitialState: sp = emu.StackTop, every other register
// zero): it does not depend on the program.
func InitialRegsDigest() fr.Element {
	init := emu.InitialState(&emu.Program{})
	return claim.RegsDigest(&init.Regs)
}

// CheckRoot is agg.CheckStatement without the program and the input: the
// checks of a root claim (assumed proved) against the EVM statement, the
// leaf count and the trusted VK-set digest that the wrap circuit makes,
// and nothing else. The program enters only through the statement's
// program id, ProgramID(End.MemImageHash, Start.PC), the input and the
// output only through their tape hashes, TapeDigest(End.InHash, InputLen)
// and TapeDigest(End.OutHash, End.OutCursor). For a program P with
// P.ID() = st.ProgramID and an input I and output O with those tape hashes,
// CheckRoot holds exactly when agg.CheckStatement does (for the proof
// file's statement of st, O and leaves), unless a Poseidon2 collision is
// known.
func CheckRoot(root *claim.Claim, st *settle.ProgramStatement, leaves uint32, vkSet fr.Element) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrStatement, fmt.Sprintf(format, a...))
	}
	if !root.BusSum.IsZero() {
		return bad("bus sum is not zero")
	}
	if leaves == 0 {
		return bad("zero leaves")
	}
	if gamma := claim.DeriveChallenge(root.Commitment, int(leaves)); !root.Challenge.Equal(&gamma) {
		return bad("challenge was not derived from the leaf commitments")
	}
	if !root.VKSet.Equal(&vkSet) {
		return bad("proved under a verifying-key set other than the trusted one")
	}

	// Start: the canonical initial state, its pc (the entry) left to the
	// program id.
	pc := root.Start[claim.CPUPC]
	if !pc.IsUint64() || pc.Uint64() > math.MaxUint32 {
		return bad("start pc is not a 32-bit entry point")
	}
	var start claim.State
	start[claim.CPUPC] = pc
	start[claim.CPURegs] = InitialRegsDigest()
	for i := range start {
		if !root.Start[i].Equal(&start[i]) {
			return bad("start state element %d is not the canonical initial state", i)
		}
	}

	// End: halted, with the statement's exit code and cycles, every input
	// byte tabulated, the CPU's output cursor the output tape's length.
	e := &root.End
	want := map[int]fr.Element{
		claim.CPUStep:      claim.U64(st.Cycles),
		claim.CPUOutCursor: e[claim.OutCursor],
		claim.CPUIOSub:     {},
		claim.CPUHalted:    claim.U64(1),
		claim.CPUExitCode:  claim.U64(uint64(st.ExitCode)),
		claim.InCursor:     root.InputLen,
	}
	for i, w := range want {
		if !e[i].Equal(&w) {
			return bad("end state element %d disagrees with the statement (exit code, cycles, output or input)", i)
		}
	}
	inCur, inLen := e[claim.CPUInCursor], root.InputLen
	if !inLen.IsUint64() || !inCur.IsUint64() || inCur.Uint64() > inLen.Uint64() {
		return bad("input cursor beyond the input")
	}

	pid := claim.ProgramID(e[claim.MemImageHash], uint32(pc.Uint64()))
	if pid.Bytes() != st.ProgramID {
		return bad("statement program id is not the proved program's")
	}
	if claim.Bytes32(tapeDigest(e[claim.InHash], inLen)) != st.InputHash {
		return bad("statement input hash is not the proved input's")
	}
	if claim.Bytes32(tapeDigest(e[claim.OutHash], e[claim.OutCursor])) != st.OutputHash {
		return bad("statement output hash is not the proved output's")
	}
	return nil
}

// tapeDigest is claim.TapeDigest with the length as a field element, as the
// circuit computes it: Hash(TagTape, running, length).
func tapeDigest(running, length fr.Element) fr.Element {
	return claim.Hash(claim.U64(claim.TagTape), running, length)
}
