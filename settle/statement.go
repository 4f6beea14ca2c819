// Package settle puts zkfleet's final proofs on an EVM chain: the statement
// digests that are the proofs' single public input (with their Solidity
// twins in contracts/src/StatementDigest.sol), the export of a Solidity
// verifier from a gnark verifying key, the rollup's deposit and withdrawal
// accumulators as the settlement contract checks them, and Settlers that
// settle a batch on a JSON-RPC chain, on an in-process simulated chain, or
// (labelled MOCK) nowhere.
package settle

import (
	"crypto/sha256"
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// Magic strings and versions opening the statement encodings, the
// constants of StatementDigest.sol. The batch encoding is the rollup's
// (rollup/batch Statement.Encode).
const (
	BatchMagic     = "ZKRB"
	BatchVersion   = 1
	ProgramMagic   = "ZKRP"
	ProgramVersion = 1
)

// BatchStatement is what a rollup batch's final proof states: the batch
// moved the rollup from PreStateRoot to PostStateRoot by applying TxCount
// transactions (TransferCount transfers, WithdrawalCount withdrawals,
// DepositCount deposits) whose hash chain is BatchHash, with withdrawal and
// deposit accumulators WithdrawalRoot and DepositRoot. Roots are canonical
// big-endian BN254 scalars.
type BatchStatement struct {
	BatchID         uint64
	PreStateRoot    [32]byte
	PostStateRoot   [32]byte
	BatchHash       [32]byte
	WithdrawalRoot  [32]byte
	DepositRoot     [32]byte
	TxCount         uint64
	TransferCount   uint64
	WithdrawalCount uint64
	DepositCount    uint64
}

// BatchStatementLen is the length of BatchStatement.Packed.
const BatchStatementLen = 4 + 2 + 8 + 5*32 + 4*8

// Packed is the byte string whose SHA-256 is the digest (206 bytes):
// "ZKRB" ‖ version (2) ‖ batch id (8) ‖ pre root ‖ post root ‖ batch hash ‖
// withdrawal root ‖ deposit root ‖ tx, transfer, withdrawal and deposit
// counts (8 each), integers big-endian: Solidity's abi.encodePacked of the
// same fields, and byte for byte the rollup's Statement.Encode.
func (s *BatchStatement) Packed() []byte {
	b := make([]byte, 0, BatchStatementLen)
	b = append(b, BatchMagic...)
	b = binary.BigEndian.AppendUint16(b, BatchVersion)
	b = binary.BigEndian.AppendUint64(b, s.BatchID)
	for _, r := range [][32]byte{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		b = append(b, r[:]...)
	}
	for _, v := range []uint64{s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return b
}

// Digest is the final proof's public input: SHA-256(Packed) mod r.
func (s *BatchStatement) Digest() fr.Element { return digest(s.Packed()) }

// DigestBig is Digest as an integer in [0, r).
func (s *BatchStatement) DigestBig() *big.Int { return digestBig(s.Packed()) }

// Binding converts the statement to the contract binding's struct.
func (s *BatchStatement) Binding() bindings.StatementDigestBatch {
	return bindings.StatementDigestBatch{
		BatchId:         s.BatchID,
		PreStateRoot:    s.PreStateRoot,
		PostStateRoot:   s.PostStateRoot,
		BatchHash:       s.BatchHash,
		WithdrawalRoot:  s.WithdrawalRoot,
		DepositRoot:     s.DepositRoot,
		TxCount:         s.TxCount,
		TransferCount:   s.TransferCount,
		WithdrawalCount: s.WithdrawalCount,
		DepositCount:    s.DepositCount,
	}
}

// ProgramStatement is what a RISC-V job's final proof states: the program
// ProgramID, run on the input with tape hash InputHash, halted with
// ExitCode after Cycles steps having written the output with tape hash
// OutputHash (the fields of the proof file, docs/PROOF_FORMAT.md).
type ProgramStatement struct {
	ProgramID  [32]byte
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
}

// ProgramStatementLen is the length of ProgramStatement.Packed.
const ProgramStatementLen = 4 + 2 + 3*32 + 4 + 8

// Packed is the byte string whose SHA-256 is the digest (114 bytes):
// "ZKRP" ‖ version (2) ‖ program id ‖ input hash ‖ output hash ‖ exit code
// (4) ‖ cycles (8), integers big-endian.
func (s *ProgramStatement) Packed() []byte {
	b := make([]byte, 0, ProgramStatementLen)
	b = append(b, ProgramMagic...)
	b = binary.BigEndian.AppendUint16(b, ProgramVersion)
	b = append(b, s.ProgramID[:]...)
	b = append(b, s.InputHash[:]...)
	b = append(b, s.OutputHash[:]...)
	b = binary.BigEndian.AppendUint32(b, s.ExitCode)
	b = binary.BigEndian.AppendUint64(b, s.Cycles)
	return b
}

// Digest is the final proof's public input: SHA-256(Packed) mod r.
func (s *ProgramStatement) Digest() fr.Element { return digest(s.Packed()) }

// DigestBig is Digest as an integer in [0, r).
func (s *ProgramStatement) DigestBig() *big.Int { return digestBig(s.Packed()) }

// Binding converts the statement to the contract binding's struct.
func (s *ProgramStatement) Binding() bindings.StatementDigestProgram {
	return bindings.StatementDigestProgram{
		ProgramId:  s.ProgramID,
		InputHash:  s.InputHash,
		OutputHash: s.OutputHash,
		ExitCode:   s.ExitCode,
		Cycles:     s.Cycles,
	}
}

func digestBig(packed []byte) *big.Int {
	sum := sha256.Sum256(packed)
	h := new(big.Int).SetBytes(sum[:])
	return h.Mod(h, fr.Modulus())
}

func digest(packed []byte) fr.Element {
	var e fr.Element
	e.SetBigInt(digestBig(packed))
	return e
}
