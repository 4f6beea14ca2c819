// Package verifytest builds key sets and proof files that zkvm/agg's
// verifier accepts, in milliseconds, for tests of what the verifier trusts.
//
// Every circuit of a Set is one tiny circuit that only exposes a claim
// digest (plus one BSB22 commitment, like zkfleet's circuits): its proving
// key proves any claim at all. That is exactly the power whoever ran a key
// set's setup holds over it, which is why the verifier must trust only the
// sets its owner generated or imported, and the tests here show that it
// does.
package verifytest

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// anyClaim exposes a digest and proves nothing about it. The range check
// gives it one commitment, the shape every zkfleet proof has.
type anyClaim struct {
	Digest frontend.Variable `gnark:",public"`
	Small  frontend.Variable
}

func (c *anyClaim) Define(api frontend.API) error {
	rangecheck.New(api).Check(c.Small, 8)
	return nil
}

// Set is a key set in a store whose five circuits are anyClaim.
type Set struct {
	ID    string
	ccs   constraint.ConstraintSystem
	pk    groth16.ProvingKey
	vkset fr.Element
}

// NewSet generates a key set (Dev as given) into store and names it name.
// It is not trusted: call store.MarkTrusted for that, as setup does.
func NewSet(tb testing.TB, store *keys.Store, name string, dev bool) *Set {
	tb.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &anyClaim{})
	if err != nil {
		tb.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		tb.Fatal(err)
	}
	blob := func(write func(b *bytes.Buffer) error) string {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			tb.Fatal(err)
		}
		id, err := store.PutBlob(&b)
		if err != nil {
			tb.Fatal(err)
		}
		return id
	}
	ck := keys.CircuitKeys{
		CCS: blob(func(b *bytes.Buffer) error { _, err := ccs.WriteTo(b); return err }),
		PK:  blob(func(b *bytes.Buffer) error { _, err := pk.WriteTo(b); return err }),
		VK:  blob(func(b *bytes.Buffer) error { _, err := vk.WriteTo(b); return err }),
	}
	m := &keys.Manifest{Version: keys.ManifestVersion, Shape: keys.Shape{CPUSteps: 1, MemRows: 1, TapeBytes: 31, ChunkDepth: 1, ChunkSlots: 1}, Circuits: map[string]keys.CircuitKeys{}, Dev: dev}
	for _, k := range keys.Kinds {
		m.Circuits[k] = ck
	}
	id, err := store.PutManifest(m)
	if err != nil {
		tb.Fatal(err)
	}
	if err := store.SetName(name, id); err != nil {
		tb.Fatal(err)
	}
	_, _, vkset, err := agg.SetVKs(store, m)
	if err != nil {
		tb.Fatal(err)
	}
	return &Set{ID: id, ccs: ccs, pk: pk, vkset: vkset}
}

// ProofFile returns a proof file, under the set, that the program elf run
// on input printed output and exited with exitCode after cycles steps —
// whatever the program really does.
func (s *Set) ProofFile(tb testing.TB, elf, input, output []byte, exitCode uint32, cycles uint64) []byte {
	tb.Helper()
	prog, err := emu.LoadELF(elf)
	if err != nil {
		tb.Fatal(err)
	}
	var c claim.Claim
	c.Commitment = claim.U64(5)
	c.Challenge = claim.DeriveChallenge(c.Commitment, 1)
	c.InputLen = claim.U64(uint64(len(input)))
	c.VKSet = s.vkset
	init := emu.InitialState(prog)
	c.Start[claim.CPUPC] = claim.U64(uint64(init.PC))
	c.Start[claim.CPURegs] = claim.RegsDigest(&init.Regs)
	e := &c.End
	e[claim.CPUStep] = claim.U64(cycles)
	e[claim.CPUOutCursor] = claim.U64(uint64(len(output)))
	e[claim.CPUHalted] = claim.U64(1)
	e[claim.CPUExitCode] = claim.U64(uint64(exitCode))
	e[claim.CPUInCursor] = claim.U64(uint64(len(input)))
	e[claim.InCursor] = claim.U64(uint64(len(input)))
	e[claim.InHash] = claim.TapeRunningHash(input)
	e[claim.OutCursor] = claim.U64(uint64(len(output)))
	e[claim.OutHash] = claim.TapeRunningHash(output)
	e[claim.MemImageHash] = prog.ImageHash()

	w, err := frontend.NewWitness(&anyClaim{Digest: c.Digest(), Small: 1}, ecc.BN254.ScalarField())
	if err != nil {
		tb.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	p, err := groth16.Prove(s.ccs, s.pk, w, stdgroth16.GetNativeProverOptions(f, f))
	if err != nil {
		tb.Fatal(err)
	}
	file := &agg.File{Root: c, Proof: p, Statement: agg.Statement{
		KeySet: s.ID, ProgramID: claim.Bytes32(prog.ID()),
		InputHash: claim.Bytes32(claim.TapeHash(input)), OutputHash: claim.Bytes32(claim.TapeHash(output)),
		ExitCode: exitCode, Cycles: cycles, Output: append([]byte(nil), output...), Leaves: 1,
	}}
	b, err := file.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
