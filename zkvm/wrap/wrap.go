// Package wrap is the zkVM's Solidity wrap circuit: a Groth16/BN254 circuit
// whose proof ProgramVerifier can check against a RISC-V job's statement
// (settle.ProgramStatement).
//
// A job is proved by the root of a fold tree (zkvm/agg): a fold proof
// whose single public input is the Poseidon2 digest of its claim, made
// with gnark's native recursion options, and checked natively by
// agg.CheckStatement given the ELF and the input bytes. An EVM has neither
// those nor the means to check such a proof. The wrap verifies the proof
// in-circuit, makes agg.CheckStatement's checks from the statement alone
// (CheckRoot is their native twin) and exposes the single public input
// ProgramVerifier recomputes with the sha256 precompile:
// settle.ProgramStatement.Digest(), SHA-256 of the 114-byte packing
// reduced mod r.
//
// # What the wrap checks
//
//	value                        fixed by
//	Proof, Root                  the root fold proof verifies, under the fold's
//	                               verifying key (every point a compile-time
//	                               constant: agg.VerifyConstant), with public
//	                               input the in-circuit digest of Root
//	Root.VKSet                   = the zkVM's VK-set digest (a constant,
//	                               agg.VKSetDigest): a tree of the zkVM's leaves
//	Root.BusSum                  = 0
//	Root.Challenge               = Hash(TagChallenge, Root.Commitment, Leaves)
//	                               (claim.DeriveChallenge), Leaves in [1, 2^32)
//	Root.Start                   pc (the entry) below 2^32, registers the
//	                               constant InitialRegsDigest, every other lane 0
//	Root.End                     Step = Cycles, Halted = 1, ExitCode, IOSub = 0,
//	                               CPU output cursor = OutCursor,
//	                               InCursor = InputLen, CPU input cursor and
//	                               InputLen below 2^64 and cursor ≤ InputLen;
//	                               pc, registers and MemNextAddr free, as in
//	                               agg.CheckStatement
//	Statement.ProgramID          = claim.ProgramID(End.MemImageHash, Start.PC)
//	Statement.InputHash          = claim.TapeDigest(End.InHash, InputLen)
//	Statement.OutputHash         = claim.TapeDigest(End.OutHash, End.OutCursor)
//	Statement words              their canonical 254-bit decomposition (< r),
//	                               as 32-byte big-endian words; exit code below
//	                               2^32, cycles below 2^64
//	PublicInput                  Σ byte_k · 256^(31−k) over the 32 bytes of
//	                               SHA-256 (std/hash/sha2) of the 114-byte
//	                               packing, each byte range-checked: exactly
//	                               the digest mod r
//
// Nothing agg.CheckStatement checks needs more than the statement: the
// canonical initial state depends on the program only through its entry
// point, which the program id binds together with the image hash the
// memory lane ends with; the input and output only through their tape
// hashes, which bind the running hash and the length (the lanes hold the
// running hash, TapeRunningHash, and the length separately). For a
// program P with P.ID() = ProgramID and an input and output whose
// claim.TapeHash are InputHash and OutputHash, a wrap proof implies what
// the root fold proof and agg.CheckStatement do, unless a Poseidon2
// collision is known. The leaf count is a witness (a proof file carries it
// beside the statement; the verifier takes it from the prover either way).
//
// The circuit has one public input and one BSB22 commitment (gnark merges
// every commit of the verifier, the range checks and the SHA-256 lookups
// into it), the shape settle.CheckVerifyingKey accepts; its proofs are
// made with settle.ProverOptions.
package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Wrap is the wrap circuit. FoldVK and VKSet are compile-time constants:
// the fold's verifying key (the wrap is compiled after the fold's setup)
// and the zkVM's VK-set digest, agg.VKSetDigest(…).
type Wrap struct {
	// PublicInput is settle.ProgramStatement.Digest() of Statement.
	PublicInput frontend.Variable `gnark:",public"`

	Proof     agg.Proof    // the root fold proof
	Root      gadget.Claim // its claim
	Statement Statement
	Leaves    frontend.Variable // the job's leaf count (challenge derivation)

	FoldVK groth16.VerifyingKey `gnark:"-"`
	VKSet  *big.Int             `gnark:"-"`
}

// Define implements frontend.Circuit.
func (c *Wrap) Define(api frontend.API) error {
	r, s := &c.Root, &c.Statement
	rc := rangecheck.New(api)

	// (a) The root fold proof proves Root.
	d, err := r.Digest(api)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	if err := agg.VerifyConstant(api, c.FoldVK, &c.Proof, d); err != nil {
		return fmt.Errorf("wrap: %w", err)
	}

	// (b) A tree of the zkVM's leaves whose bus balances, under the
	// challenge derived from its leaf commitments.
	api.AssertIsEqual(r.VKSet, c.VKSet)
	api.AssertIsEqual(r.BusSum, 0)
	rc.Check(c.Leaves, 32)
	api.AssertIsDifferent(c.Leaves, 0)
	gamma, err := gadget.Hash(api, claim.TagChallenge, r.Commitment, c.Leaves)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(r.Challenge, gamma)

	// (c) Start: the canonical initial state of the program whose entry
	// point is Start.PC (bound by the program id below).
	rc.Check(r.Start[claim.CPUPC], 32)
	regs := InitialRegsDigest()
	for i := range r.Start {
		switch i {
		case claim.CPUPC:
		case claim.CPURegs:
			api.AssertIsEqual(r.Start[i], regs.BigInt(new(big.Int)))
		default:
			api.AssertIsEqual(r.Start[i], 0)
		}
	}

	// (d) End: agg.CheckStatement's conditions.
	e := &r.End
	api.AssertIsEqual(e[claim.CPUStep], s.Cycles)
	api.AssertIsEqual(e[claim.CPUOutCursor], e[claim.OutCursor])
	api.AssertIsEqual(e[claim.CPUIOSub], 0)
	api.AssertIsEqual(e[claim.CPUHalted], 1)
	api.AssertIsEqual(e[claim.CPUExitCode], s.ExitCode)
	api.AssertIsEqual(e[claim.InCursor], r.InputLen)
	// The CPU read no byte beyond the input: both below 2^64, and so is
	// their difference only if cursor ≤ length (else it is r minus a
	// value below 2^64).
	rc.Check(r.InputLen, 64)
	rc.Check(e[claim.CPUInCursor], 64)
	rc.Check(api.Sub(r.InputLen, e[claim.CPUInCursor]), 64)

	// (e) The statement's program id, input hash and output hash.
	pid, err := gadget.Hash(api, claim.TagProgram, e[claim.MemImageHash], r.Start[claim.CPUPC])
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(s.ProgramID, pid)
	in, err := gadget.Hash(api, claim.TagTape, e[claim.InHash], r.InputLen)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(s.InputHash, in)
	out, err := gadget.Hash(api, claim.TagTape, e[claim.OutHash], e[claim.OutCursor])
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(s.OutputHash, out)

	// (f) The statement's digest.
	pi, err := s.PublicInput(api)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(pi, c.PublicInput)
	return nil
}

// Placeholder returns the wrap circuit for the fold's verifying key foldVK
// and the zkVM's VK-set digest vkSet, ready to compile.
func Placeholder(foldVK groth16.VerifyingKey, vkSet fr.Element) (*Wrap, error) {
	if err := agg.CheckFoldVK(foldVK); err != nil {
		return nil, err
	}
	return &Wrap{
		Proof:  agg.PlaceholderFoldProof(),
		FoldVK: foldVK,
		VKSet:  vkSet.BigInt(new(big.Int)),
	}, nil
}

// Compile compiles the wrap circuit for the fold's verifying key and the
// zkVM's VK-set digest, and checks that it has the shape of a final
// proof: one public input and one BSB22 commitment.
func Compile(foldVK groth16.VerifyingKey, vkSet fr.Element) (constraint.ConstraintSystem, error) {
	c, err := Placeholder(foldVK, vkSet)
	if err != nil {
		return nil, err
	}
	ccs, err := agg.CompileFinal(c)
	if err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	return ccs, nil
}

// Assign returns the wrap's assignment for proof, a root fold proof of
// root under foldVK, the statement stmt and the job's leaf count (a proof
// file's Root, Proof, StatementOf(&Statement) and Leaves). It first checks
// natively what the circuit will: the proof verifies (agg.VerifyProof) and
// CheckRoot(root, stmt, leaves, root.VKSet) holds. That root.VKSet is the
// zkVM's set is checked by the circuit only (its constant).
func Assign(proof groth16.Proof, foldVK groth16.VerifyingKey, root *claim.Claim, stmt *settle.ProgramStatement, leaves uint32) (*Wrap, error) {
	if err := agg.CheckFoldVK(foldVK); err != nil {
		return nil, err
	}
	if err := agg.VerifyProof(foldVK, proof, root.Digest()); err != nil {
		return nil, fmt.Errorf("wrap: the root fold proof does not verify: %w", err)
	}
	if err := CheckRoot(root, stmt, leaves, root.VKSet); err != nil {
		return nil, err
	}
	return assign(proof, root, stmt, leaves)
}

// assign builds the assignment without any check but the canonicity of
// the statement's words.
func assign(proof groth16.Proof, root *claim.Claim, stmt *settle.ProgramStatement, leaves uint32) (*Wrap, error) {
	p, err := stdgroth16.ValueOfProof[sw_bn254.G1Affine, sw_bn254.G2Affine](proof)
	if err != nil {
		return nil, fmt.Errorf("wrap: root proof: %w", err)
	}
	s, err := assignStatement(stmt)
	if err != nil {
		return nil, err
	}
	return &Wrap{
		PublicInput: stmt.DigestBig(),
		Proof:       p,
		Root:        gadget.AssignClaim(root),
		Statement:   s,
		Leaves:      leaves,
	}, nil
}
