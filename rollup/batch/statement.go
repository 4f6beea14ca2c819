// Package batch is the native half of proving a rollup batch: the batch
// statement the final proof states and its EVM-friendly digest, the chunk
// statements chunk proofs state and the rule that chains them, the JSON a
// sequencer submits (parsed and bounded as untrusted input), and the
// native execution that validates a batch and computes every intermediate
// root and every chunk witness from the real state transition.
//
// # Pipeline seams
//
// Parse (untrusted JSON → *Request), Request.Decode (→ *Batch), then
// Prepare (multiproof check + execution → *Prepared: the Statement and one
// Chunk per K transactions). rollup/circuit turns each Chunk into a witness
// whose single public input is the digest of the statement's zkVM claim,
// Chunk.Statement.Claim(vkSet).Digest(); a fold of two proofs states
// Combine of their statements (the zkVM fold's rule on their claims), the
// root of the fold tree is checked with CheckRoot (CheckRootClaim on its
// claim) and exposes Statement.PublicInput(). An invalid batch fails
// Prepare with an *InvalidBatchError carrying the transaction index and
// the reason.
package batch

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Counts are running transaction counts. Transfers are
// Txs − Withdrawals − Deposits.
type Counts struct {
	Txs, Withdrawals, Deposits uint64
}

// Accumulators are the running hashes of a batch, each a Merkle–Damgård
// chain of state.Compress from zero: BatchHash over tx.Entry() of every
// transaction, Withdrawals over tx.WithdrawalEntry() of every withdrawal,
// Deposits over tx.DepositQueueEntry() of every deposit (key and amount,
// not the account index, as an L1 deposit queue knows them). The chain
// lengths are bound
// beside them by Counts.
type Accumulators struct {
	BatchHash, Withdrawals, Deposits fr.Element
}

// ChunkStatement is what a proof over consecutive chunks states: applying
// the transactions of chunks First … First+Count−1 of batch BatchID in
// order to PreRoot, with the running accumulators and counts at the In
// values, yields PostRoot and the Out values. A chunk proof has Count = 1
// (the chunk circuit fixes it); a fold of two proofs states Combine of
// their statements, so folds compose whatever the shape of the fold tree.
// A proof publishes it as a zkVM claim (Claim): the digest of that claim is
// the proof's single public input.
type ChunkStatement struct {
	BatchID           uint64
	First, Count      uint64
	PreRoot, PostRoot fr.Element
	AccIn, AccOut     Accumulators
	CountIn, CountOut Counts
}

// Combine is the rule a fold of two proofs enforces: b must belong to the
// same batch, cover the chunks right after a's, and start exactly where a
// ended (root, accumulators, counts). The result covers both.
func Combine(a, b *ChunkStatement) (ChunkStatement, error) {
	if a.BatchID != b.BatchID {
		return ChunkStatement{}, fmt.Errorf("batch: chunks of batches %d and %d", a.BatchID, b.BatchID)
	}
	if a.Count == 0 || b.Count == 0 || b.First != a.First+a.Count || b.First < a.First {
		return ChunkStatement{}, fmt.Errorf("batch: chunks %d+%d and %d+%d are not adjacent (index)", a.First, a.Count, b.First, b.Count)
	}
	if !b.PreRoot.Equal(&a.PostRoot) {
		return ChunkStatement{}, fmt.Errorf("batch: chunk %d does not start at chunk %d's post root", b.First, b.First-1)
	}
	if b.AccIn != a.AccOut || b.CountIn != a.CountOut {
		return ChunkStatement{}, fmt.Errorf("batch: chunk %d does not continue chunk %d's accumulators and counts", b.First, b.First-1)
	}
	return ChunkStatement{
		BatchID: a.BatchID, First: a.First, Count: a.Count + b.Count,
		PreRoot: a.PreRoot, PostRoot: b.PostRoot,
		AccIn: a.AccIn, AccOut: b.AccOut, CountIn: a.CountIn, CountOut: b.CountOut,
	}, nil
}

// CheckRoot is the final check on the statement of the root of the fold
// tree: it covers the batch from its first chunk, starting at the
// pre-state root from zero accumulators and counts, and ends at the
// statement's post-state root, accumulators and counts.
func CheckRoot(stmt *Statement, root *ChunkStatement) error {
	if stmt.TxCount != stmt.TransferCount+stmt.WithdrawalCount+stmt.DepositCount {
		return fmt.Errorf("batch: statement counts %d ≠ %d transfers + %d withdrawals + %d deposits",
			stmt.TxCount, stmt.TransferCount, stmt.WithdrawalCount, stmt.DepositCount)
	}
	if root.BatchID != stmt.BatchID {
		return fmt.Errorf("batch: chunks belong to batch %d, not %d", root.BatchID, stmt.BatchID)
	}
	if root.First != 0 || root.Count == 0 {
		return fmt.Errorf("batch: the chunks do not start at chunk 0 (index %d)", root.First)
	}
	if !root.PreRoot.Equal(&stmt.PreStateRoot) {
		return errors.New("batch: chunk 0 does not start at the pre-state root")
	}
	if root.AccIn != (Accumulators{}) || root.CountIn != (Counts{}) {
		return errors.New("batch: chunk 0 does not start from zero accumulators and counts")
	}
	if !root.PostRoot.Equal(&stmt.PostStateRoot) {
		return errors.New("batch: the last chunk does not end at the post-state root")
	}
	want := Accumulators{BatchHash: stmt.BatchHash, Withdrawals: stmt.WithdrawalRoot, Deposits: stmt.DepositRoot}
	if root.AccOut != want {
		return errors.New("batch: the last chunk's accumulators differ from the statement's batch hash, withdrawal root or deposit root")
	}
	if root.CountOut != (Counts{Txs: stmt.TxCount, Withdrawals: stmt.WithdrawalCount, Deposits: stmt.DepositCount}) {
		return errors.New("batch: the last chunk's counts differ from the statement's")
	}
	return nil
}

// Statement is what the proof of a whole batch states.
type Statement struct {
	BatchID         uint64
	PreStateRoot    fr.Element
	PostStateRoot   fr.Element
	BatchHash       fr.Element
	WithdrawalRoot  fr.Element
	DepositRoot     fr.Element
	TxCount         uint64
	TransferCount   uint64
	WithdrawalCount uint64
	DepositCount    uint64
}

// StatementMagic and StatementVersion open the statement encoding.
const (
	StatementMagic   = "ZKRB"
	StatementVersion = 1
	// StatementSize is the length of Encode's output.
	StatementSize = 4 + 2 + 8 + 5*32 + 4*8
)

// Encode is the statement's byte encoding, big-endian, exactly Solidity's
//
//	abi.encodePacked(bytes4("ZKRB"), uint16(1), uint64(batchId),
//	    bytes32(preStateRoot), bytes32(postStateRoot), bytes32(batchHash),
//	    bytes32(withdrawalRoot), bytes32(depositRoot),
//	    uint64(txCount), uint64(transferCount), uint64(withdrawalCount),
//	    uint64(depositCount))
//
// with each root a canonical big-endian BN254 scalar.
func (s *Statement) Encode() []byte {
	out := make([]byte, 0, StatementSize)
	out = append(out, StatementMagic...)
	out = binary.BigEndian.AppendUint16(out, StatementVersion)
	out = binary.BigEndian.AppendUint64(out, s.BatchID)
	for _, e := range []fr.Element{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		b := e.Bytes()
		out = append(out, b[:]...)
	}
	for _, v := range []uint64{s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		out = binary.BigEndian.AppendUint64(out, v)
	}
	return out
}

// DecodeStatement parses Encode's output strictly.
func DecodeStatement(b []byte) (*Statement, error) {
	if len(b) != StatementSize {
		return nil, fmt.Errorf("batch: statement of %d bytes, want %d", len(b), StatementSize)
	}
	if string(b[:4]) != StatementMagic || binary.BigEndian.Uint16(b[4:6]) != StatementVersion {
		return nil, errors.New("batch: not a version-1 batch statement")
	}
	s := &Statement{BatchID: binary.BigEndian.Uint64(b[6:14])}
	off := 14
	for _, e := range []*fr.Element{&s.PreStateRoot, &s.PostStateRoot, &s.BatchHash, &s.WithdrawalRoot, &s.DepositRoot} {
		if err := e.SetBytesCanonical(b[off : off+32]); err != nil {
			return nil, fmt.Errorf("batch: statement root at byte %d: %w", off, err)
		}
		off += 32
	}
	for _, v := range []*uint64{&s.TxCount, &s.TransferCount, &s.WithdrawalCount, &s.DepositCount} {
		*v = binary.BigEndian.Uint64(b[off : off+8])
		off += 8
	}
	return s, nil
}

// Digest is SHA-256 of Encode (an EVM contract recomputes it with the
// sha256 precompile over abi.encodePacked of the fields).
func (s *Statement) Digest() [32]byte { return sha256.Sum256(s.Encode()) }

// PublicInput is the digest reduced modulo the BN254 scalar field — the
// single public input the final batch proof will carry. On the EVM:
// uint256(sha256(abi.encodePacked(...))) % r.
func (s *Statement) PublicInput() fr.Element {
	d := s.Digest()
	var e fr.Element
	e.SetBigInt(new(big.Int).SetBytes(d[:]))
	return e
}

// CheckChain checks that chunk proofs' statements, in the order given,
// prove stmt: each is one chunk (Count 1) at its position, they Combine
// left to right, and the result passes CheckRoot. Reordered, skipped,
// duplicated or foreign chunks all fail. A fold tree of any shape that
// applies Combine at every node and CheckRoot at the root accepts exactly
// the same sequences.
func CheckChain(stmt *Statement, chunks []ChunkStatement) error {
	if len(chunks) == 0 {
		return errors.New("batch: no chunks")
	}
	for i := range chunks {
		if chunks[i].Count != 1 || chunks[i].First != uint64(i) {
			return fmt.Errorf("batch: chunk at position %d has index %d (count %d)", i, chunks[i].First, chunks[i].Count)
		}
	}
	acc := chunks[0]
	for i := 1; i < len(chunks); i++ {
		var err error
		if acc, err = Combine(&acc, &chunks[i]); err != nil {
			return err
		}
	}
	return CheckRoot(stmt, &acc)
}

// StatementJSON is a statement as the Core API reports it: roots as "0x" +
// 64 hex digits, and the encoding and its SHA-256 digest in hex (without
// "0x", like the original API's byte fields).
type StatementJSON struct {
	BatchID         uint64 `json:"batch_id"`
	PreStateRoot    string `json:"pre_state_root"`
	PostStateRoot   string `json:"post_state_root"`
	BatchHash       string `json:"batch_hash"`
	WithdrawalRoot  string `json:"withdrawal_root"`
	DepositRoot     string `json:"deposit_root"`
	TxCount         uint64 `json:"tx_count"`
	TransferCount   uint64 `json:"transfer_count"`
	WithdrawalCount uint64 `json:"withdrawal_count"`
	DepositCount    uint64 `json:"deposit_count"`
	StatementBytes  string `json:"statement_bytes"`
	StatementDigest string `json:"statement_digest"`
}

// JSON returns the statement's Core API form.
func (s *Statement) JSON() StatementJSON {
	d := s.Digest()
	return StatementJSON{
		BatchID: s.BatchID, PreStateRoot: hexElem(s.PreStateRoot), PostStateRoot: hexElem(s.PostStateRoot),
		BatchHash: hexElem(s.BatchHash), WithdrawalRoot: hexElem(s.WithdrawalRoot), DepositRoot: hexElem(s.DepositRoot),
		TxCount: s.TxCount, TransferCount: s.TransferCount, WithdrawalCount: s.WithdrawalCount, DepositCount: s.DepositCount,
		StatementBytes: hex.EncodeToString(s.Encode()), StatementDigest: hex.EncodeToString(d[:]),
	}
}

// Statement decodes the JSON form, checking that the encoding, digest and
// fields agree.
func (j *StatementJSON) Statement() (*Statement, error) {
	b, err := hex.DecodeString(j.StatementBytes)
	if err != nil {
		return nil, fmt.Errorf("batch: statement_bytes: %w", err)
	}
	s, err := DecodeStatement(b)
	if err != nil {
		return nil, err
	}
	if s.JSON() != *j {
		return nil, errors.New("batch: statement fields, bytes and digest disagree")
	}
	return s, nil
}
