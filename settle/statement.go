// Package settle puts zkfleet's final proofs on an EVM chain: the statement
// digests that are the proofs' single public input (with their Solidity
// twins in contracts/src/StatementDigest.sol), the export of a Solidity
// verifier from a gnark verifying key, the rollup's deposit accumulator and
// withdrawal tree as the settlement contract checks them, and Settlers that
// settle a batch on a JSON-RPC chain, on an in-process simulated chain, or
// (labelled MOCK) nowhere.
package settle

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// Domain tags of the statement digests (8 bytes, the constants of
// StatementDigest.sol). They are short so that a packed program statement
// fits one keccak256 block (136 bytes).
var (
	BatchTag   = [8]byte{'z', 'k', 'f', 'b', 'a', 't', '0', '1'}
	ProgramTag = [8]byte{'z', 'k', 'f', 'p', 'r', 'g', '0', '1'}
)

// BatchStatement is what a rollup batch's final proof states: the batch
// moved the rollup from PreStateRoot to PostStateRoot by applying the
// transactions whose hash chain is BatchHash, among them DepositCount
// deposits with accumulator DepositRoot (DepositAccumulator) and
// WithdrawalCount withdrawals whose keccak256 Merkle root is WithdrawalRoot
// (WithdrawalTree). Roots are 32-byte big-endian values (for the Poseidon2
// state roots, canonical BN254 field elements).
type BatchStatement struct {
	BatchID         uint64
	PreStateRoot    [32]byte
	PostStateRoot   [32]byte
	BatchHash       [32]byte
	WithdrawalRoot  [32]byte
	DepositRoot     [32]byte
	TxCount         uint32
	DepositCount    uint32
	WithdrawalCount uint32
}

// BatchStatementLen is the length of BatchStatement.Packed.
const BatchStatementLen = 8 + 8 + 5*32 + 3*4

// Packed is the byte string whose keccak256 is the digest (188 bytes):
// BatchTag ‖ batch id (8) ‖ pre root ‖ post root ‖ batch hash ‖ withdrawal
// root ‖ deposit root ‖ tx count (4) ‖ deposit count (4) ‖ withdrawal count
// (4), integers big-endian (Solidity's abi.encodePacked of the same fields).
func (s *BatchStatement) Packed() []byte {
	b := make([]byte, 0, BatchStatementLen)
	b = append(b, BatchTag[:]...)
	b = binary.BigEndian.AppendUint64(b, s.BatchID)
	for _, r := range [][32]byte{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		b = append(b, r[:]...)
	}
	b = binary.BigEndian.AppendUint32(b, s.TxCount)
	b = binary.BigEndian.AppendUint32(b, s.DepositCount)
	b = binary.BigEndian.AppendUint32(b, s.WithdrawalCount)
	return b
}

// Digest is the final proof's public input: keccak256(Packed) mod r.
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
		DepositCount:    s.DepositCount,
		WithdrawalCount: s.WithdrawalCount,
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
const ProgramStatementLen = 8 + 3*32 + 4 + 8

// Packed is the byte string whose keccak256 is the digest (116 bytes):
// ProgramTag ‖ program id ‖ input hash ‖ output hash ‖ exit code
// (4) ‖ cycles (8), integers big-endian.
func (s *ProgramStatement) Packed() []byte {
	b := make([]byte, 0, ProgramStatementLen)
	b = append(b, ProgramTag[:]...)
	b = append(b, s.ProgramID[:]...)
	b = append(b, s.InputHash[:]...)
	b = append(b, s.OutputHash[:]...)
	b = binary.BigEndian.AppendUint32(b, s.ExitCode)
	b = binary.BigEndian.AppendUint64(b, s.Cycles)
	return b
}

// Digest is the final proof's public input: keccak256(Packed) mod r.
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
	h := new(big.Int).SetBytes(crypto.Keccak256(packed))
	return h.Mod(h, fr.Modulus())
}

func digest(packed []byte) fr.Element {
	var e fr.Element
	e.SetBigInt(digestBig(packed))
	return e
}
