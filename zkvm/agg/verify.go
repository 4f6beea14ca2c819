package agg

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// ErrInvalid marks a proof file that parses but does not prove its
// statement for the given program and input.
var ErrInvalid = errors.New("agg: invalid proof")

// LoadVK reads a verifying key blob (hash checked by the store). The blob
// may have come from a peer (a worker's keys come from its coordinator), so
// its size and layout are checked before it is decoded (DecodeVK).
func LoadVK(store *keys.Store, id string) (groth16.VerifyingKey, error) {
	r, size, err := store.OpenBlob(id)
	if err != nil {
		return nil, err
	}
	r.Close()
	if size > MaxVKBytes {
		return nil, fmt.Errorf("agg: vk %s is %d bytes, at most %d", id, size, MaxVKBytes)
	}
	b, err := store.ReadBlob(id)
	if err != nil {
		return nil, err
	}
	vk, err := DecodeVK(b)
	if err != nil {
		return nil, fmt.Errorf("agg: vk %s: %w", id, err)
	}
	return vk, nil
}

// SetVKs loads every verifying key of a key set, in keys.Kinds order, and
// returns them with their hashes and the VKSet digest.
func SetVKs(store *keys.Store, m *keys.Manifest) ([NumKinds]groth16.VerifyingKey, [NumKinds]fr.Element, fr.Element, error) {
	var vks [NumKinds]groth16.VerifyingKey
	var hs [NumKinds]fr.Element
	if len(keys.Kinds) != NumKinds {
		return vks, hs, fr.Element{}, fmt.Errorf("agg: %d key kinds, want %d", len(keys.Kinds), NumKinds)
	}
	for i, k := range keys.Kinds {
		vk, err := LoadVK(store, m.Circuits[k].VK)
		if err != nil {
			return vks, hs, fr.Element{}, fmt.Errorf("agg: %s vk: %w", k, err)
		}
		h, err := VKHash(vk)
		if err != nil {
			return vks, hs, fr.Element{}, err
		}
		vks[i], hs[i] = vk, h
	}
	return vks, hs, VKSetDigest(hs), nil
}

// VerifyProof checks a Groth16 proof whose single public input is digest
// (with the options every zkfleet proof is produced with).
func VerifyProof(vk groth16.VerifyingKey, p groth16.Proof, digest fr.Element) error {
	w, err := witness.New(ecc.BN254.ScalarField())
	if err != nil {
		return err
	}
	ch := make(chan any, 1)
	ch <- digest
	close(ch)
	if err := w.Fill(1, 0, ch); err != nil {
		return fmt.Errorf("agg: public witness: %w", err)
	}
	f := ecc.BN254.ScalarField()
	return groth16.Verify(p, vk, w, stdgroth16.GetNativeVerifierOptions(f, f))
}

// ErrKeySet marks a proof file made under a key set the verifier does not
// accept: one not trusted on this machine, or not the pinned one.
var ErrKeySet = errors.New("agg: key set not accepted")

// Verified is what a successful verification established.
type Verified struct {
	Statement
	// Dev is set when the key set is a development set (generated from
	// local randomness, no ceremony): whoever ran its setup can forge
	// proofs that verify under it.
	Dev bool
	// Trust says how the key set came to be trusted on this machine.
	Trust keys.TrustRecord
}

// Verify checks a proof file for the program elf run on input. The key set
// is the one the file names, but only if the store trusts it (it was
// generated or imported here by zkfleet setup, never merely fetched from a
// peer) and, when pin (a set name or id) is not empty, only if it is the
// pinned set. The verifying keys come from the store, never from the file.
func Verify(store *keys.Store, pin string, file, elf, input []byte) (*Verified, error) {
	prog, err := emu.LoadELF(elf)
	if err != nil {
		return nil, fmt.Errorf("agg: load elf: %w", err)
	}
	return VerifyProgram(store, pin, file, prog, input)
}

// VerifyProgram is Verify for a program already loaded (from a cache of
// programs by ELF hash, emu.Programs).
func VerifyProgram(store *keys.Store, pin string, file []byte, prog *emu.Program, input []byte) (*Verified, error) {
	f, err := ParseFile(file)
	if err != nil {
		return nil, err
	}
	tr, err := store.Accept(f.KeySet, pin)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeySet, err)
	}
	m, st, err := verifyFile(store, f, prog, input)
	if err != nil {
		return nil, err
	}
	return &Verified{Statement: *st, Dev: m.Dev, Trust: *tr}, nil
}

// VerifyUnder checks a proof file against the key set setID, which the
// caller chose and vouches for (a prover checking its own output under its
// own keys): a file naming any other set is invalid.
func VerifyUnder(store *keys.Store, setID string, file []byte, prog *emu.Program, input []byte) (*Statement, error) {
	f, err := ParseFile(file)
	if err != nil {
		return nil, err
	}
	if f.KeySet != setID {
		return nil, fmt.Errorf("%w: the proof names key set %s, not %s", ErrInvalid, f.KeySet, setID)
	}
	_, st, err := verifyFile(store, f, prog, input)
	return st, err
}

// verifyFile checks a parsed file under the key set it names.
func verifyFile(store *keys.Store, f *File, prog *emu.Program, input []byte) (*keys.Manifest, *Statement, error) {
	m, err := store.Manifest(f.KeySet)
	if err != nil {
		return nil, nil, fmt.Errorf("agg: key set %s: %w", f.KeySet, err)
	}
	vks, _, vkset, err := SetVKs(store, m)
	if err != nil {
		return nil, nil, err
	}
	if err := VerifyProof(vks[NumKinds-1], f.Proof, f.Root.Digest()); err != nil {
		return nil, nil, fmt.Errorf("%w: groth16 verification of the root failed: %v", ErrInvalid, err)
	}
	if err := CheckStatement(&f.Root, &f.Statement, vkset, prog, input); err != nil {
		return nil, nil, err
	}
	st := f.Statement
	return m, &st, nil
}

// CheckStatement runs the native final checks of a root claim (assumed
// proved) against the statement, the trusted VK-set digest, the program and
// the input.
func CheckStatement(root *claim.Claim, st *Statement, vkset fr.Element, prog *emu.Program, input []byte) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	if !root.BusSum.IsZero() {
		return bad("bus sum is not zero")
	}
	if st.Leaves == 0 {
		return bad("zero leaves")
	}
	gamma := claim.DeriveChallenge(root.Commitment, int(st.Leaves))
	if !root.Challenge.Equal(&gamma) {
		return bad("challenge was not derived from the leaf commitments")
	}
	if !root.VKSet.Equal(&vkset) {
		return bad("proved under a verifying-key set other than the trusted one")
	}
	if in := claim.U64(uint64(len(input))); !root.InputLen.Equal(&in) {
		return bad("proved for an input of another length")
	}

	// Start: the canonical initial state.
	init := emu.InitialState(prog)
	var start claim.State
	start[claim.CPUPC] = claim.U64(uint64(init.PC))
	start[claim.CPURegs] = claim.RegsDigest(&init.Regs)
	for i := range start {
		if !root.Start[i].Equal(&start[i]) {
			return bad("start state element %d is not the canonical initial state of this program", i)
		}
	}

	// End: consistent with the statement and the input.
	e := &root.End
	want := map[int]fr.Element{
		claim.CPUStep:      claim.U64(st.Cycles),
		claim.CPUOutCursor: claim.U64(uint64(len(st.Output))),
		claim.CPUIOSub:     {},
		claim.CPUHalted:    claim.U64(1),
		claim.CPUExitCode:  claim.U64(uint64(st.ExitCode)),
		claim.InCursor:     claim.U64(uint64(len(input))),
		claim.InHash:       claim.TapeRunningHash(input),
		claim.OutCursor:    claim.U64(uint64(len(st.Output))),
		claim.OutHash:      claim.TapeRunningHash(st.Output),
	}
	for i, w := range want {
		if !e[i].Equal(&w) {
			return bad("end state element %d disagrees with the statement (exit code, cycles, output or input)", i)
		}
	}
	var inCur fr.Element = e[claim.CPUInCursor]
	if !inCur.IsUint64() || inCur.Uint64() > uint64(len(input)) {
		return bad("input cursor beyond the input")
	}
	pid := claim.ProgramID(e[claim.MemImageHash], prog.Entry)
	if progID := prog.ID(); !pid.Equal(&progID) {
		return bad("proved program is not the given ELF")
	}
	if pid.Bytes() != st.ProgramID {
		return bad("statement program id is not the given ELF's")
	}
	if claim.Bytes32(claim.TapeHash(input)) != st.InputHash {
		return bad("statement input hash is not the given input's")
	}
	if claim.Bytes32(claim.TapeHash(st.Output)) != st.OutputHash {
		return bad("statement output hash does not match its output")
	}
	return nil
}
