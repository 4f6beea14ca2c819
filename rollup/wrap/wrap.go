// Package wrap is the rollup's Solidity wrap circuit: a Groth16/BN254
// circuit whose proof an EVM contract can check against a batch statement.
//
// A rollup batch is proved by the root of a fold tree (rollup/backend): a
// fold proof whose single public input is the Poseidon2 digest of its
// claim, made with gnark's native recursion options. An EVM can recompute
// neither. The wrap verifies that proof in-circuit and exposes instead the
// single public input RollupSettlement recomputes with the sha256
// precompile: batch.Statement.PublicInput(), SHA-256 of the statement's
// 206-byte encoding reduced mod r.
//
// # What the wrap checks
//
//	value                        fixed by
//	Proof, Root                  the root fold proof verifies, under the fold's
//	                               verifying key (every point a compile-time
//	                               constant: agg.VerifyConstant), with public
//	                               input the in-circuit digest of Root
//	Root.VKSet                   = the rollup's VK-set digest (a constant), so
//	                               the tree is one of chunk proofs
//	Root.InputLen, Root.BusSum   = 0 (Root.Commitment is free, as in
//	                               batch.CheckRootClaim)
//	Root.Challenge               = Statement.BatchID
//	Root.Start                   (cursor 0, PreStateRoot, zero accumulators and
//	                               counts), every other lane 0
//	Root.End                     (cursor ≥ 1 and below 2^64, PostStateRoot,
//	                               BatchHash, WithdrawalRoot, DepositRoot,
//	                               TxCount, WithdrawalCount, DepositCount),
//	                               every other lane 0
//	Statement counts             TxCount = TransferCount + WithdrawalCount +
//	                               DepositCount; the batch id and the four
//	                               counts below 2^64 (so the sum holds over the
//	                               integers and the encoding is injective)
//	Statement roots              their canonical 254-bit decomposition (< r,
//	                               never value + r: gnark's bits.ToBinary with
//	                               the field's width asserts it), as 32-byte
//	                               big-endian words
//	PublicInput                  Σ byte_k · 256^(31−k) over the 32 bytes of
//	                               SHA-256 (std/hash/sha2) of the 206-byte
//	                               encoding, each byte range-checked: exactly
//	                               the digest mod r
//
// This is batch.CheckRootClaim under the rollup's VK set, plus the
// statement's digest. The circuit has one public input and one BSB22
// commitment (gnark merges every commit of the verifier, the range checks
// and the SHA-256 lookups into it), the shape settle.CheckVerifyingKey
// accepts; its proofs are made with settle.ProverOptions.
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

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Wrap is the wrap circuit. FoldVK and VKSet are compile-time constants:
// the fold's verifying key (the wrap is compiled after the fold's setup)
// and the digest of the rollup's VK set, agg.RollupSet(…).Digest().
type Wrap struct {
	// PublicInput is batch.Statement.PublicInput() of Statement.
	PublicInput frontend.Variable `gnark:",public"`

	Proof     agg.Proof    // the root fold proof
	Root      gadget.Claim // its claim
	Statement Statement

	FoldVK groth16.VerifyingKey `gnark:"-"`
	VKSet  *big.Int             `gnark:"-"`
}

// Define implements frontend.Circuit.
func (c *Wrap) Define(api frontend.API) error {
	r, s := &c.Root, &c.Statement

	// (a) The root fold proof proves Root.
	d, err := r.Digest(api)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	if err := agg.VerifyConstant(api, c.FoldVK, &c.Proof, d); err != nil {
		return fmt.Errorf("wrap: %w", err)
	}

	// (b) A tree of the rollup's chunk proofs, with no input and no bus.
	api.AssertIsEqual(r.VKSet, c.VKSet)
	api.AssertIsEqual(r.InputLen, 0)
	api.AssertIsEqual(r.BusSum, 0)

	// (c) batch.CheckRoot on the claim's lanes.
	api.AssertIsEqual(r.Challenge, s.BatchID)
	for i := range r.Start {
		want := frontend.Variable(0) // cursor, accumulators, counts, unused lanes
		if i == batch.LaneRoot {
			want = s.PreStateRoot
		}
		api.AssertIsEqual(r.Start[i], want)
	}
	end := map[int]frontend.Variable{
		batch.LaneRoot:            s.PostStateRoot,
		batch.LaneBatchHash:       s.BatchHash,
		batch.LaneWithdrawals:     s.WithdrawalRoot,
		batch.LaneDeposits:        s.DepositRoot,
		batch.LaneTxs:             s.TxCount,
		batch.LaneWithdrawalCount: s.WithdrawalCount,
		batch.LaneDepositCount:    s.DepositCount,
	}
	for i := range r.End {
		switch want, ok := end[i]; {
		case i == batch.LaneCursor:
			// At least one chunk, and a 64-bit count of them, as
			// batch.ChunkFromClaim requires.
			rangecheck.New(api).Check(r.End[i], 64)
			api.AssertIsDifferent(r.End[i], 0)
		case ok:
			api.AssertIsEqual(r.End[i], want)
		default:
			api.AssertIsEqual(r.End[i], 0)
		}
	}
	// Every count is below 2^64 (PublicInput range-checks them), so the sum
	// of three cannot wrap around r.
	api.AssertIsEqual(s.TxCount, api.Add(s.TransferCount, s.WithdrawalCount, s.DepositCount))

	// (d) The statement's digest.
	pi, err := s.PublicInput(api)
	if err != nil {
		return fmt.Errorf("wrap: %w", err)
	}
	api.AssertIsEqual(pi, c.PublicInput)
	return nil
}

// Placeholder returns the wrap circuit for the fold's verifying key foldVK
// and the rollup's VK-set digest vkSet, ready to compile.
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
// rollup's VK-set digest, and checks that it has the shape of a final
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
// root under foldVK, and the batch statement stmt. It first checks
// natively what the circuit will: the proof verifies (agg.VerifyProof) and
// batch.CheckRootClaim(stmt, root, root.VKSet) holds. That root.VKSet is
// the rollup's set is checked by the circuit only (its constant).
func Assign(proof groth16.Proof, foldVK groth16.VerifyingKey, root *claim.Claim, stmt *batch.Statement) (*Wrap, error) {
	if err := agg.CheckFoldVK(foldVK); err != nil {
		return nil, err
	}
	if err := agg.VerifyProof(foldVK, proof, root.Digest()); err != nil {
		return nil, fmt.Errorf("wrap: the root fold proof does not verify: %w", err)
	}
	if err := batch.CheckRootClaim(stmt, root, root.VKSet); err != nil {
		return nil, fmt.Errorf("wrap: %w", err)
	}
	return assign(proof, root, stmt)
}

// assign builds the assignment without any check.
func assign(proof groth16.Proof, root *claim.Claim, stmt *batch.Statement) (*Wrap, error) {
	p, err := stdgroth16.ValueOfProof[sw_bn254.G1Affine, sw_bn254.G2Affine](proof)
	if err != nil {
		return nil, fmt.Errorf("wrap: root proof: %w", err)
	}
	pi := stmt.PublicInput()
	return &Wrap{
		PublicInput: pi.BigInt(new(big.Int)),
		Proof:       p,
		Root:        gadget.AssignClaim(root),
		Statement:   assignStatement(stmt),
	}, nil
}
