package settle

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// MockSettler settles nothing: it is the labelled stand-in for a chain (the
// original's MOCK_SETTLEMENT), for runs without one. It keeps the chain's
// bookkeeping (current root, next batch id) and checks the withdrawals
// against the statement, so that out-of-order batches still fail, but it
// does not verify proofs, checks no deposits and sends no transaction; every record it returns has Mock set and Settler "MOCK",
// and every settlement is logged at WARN level as MOCK.
type MockSettler struct {
	log *slog.Logger

	mu      sync.Mutex
	root    [32]byte
	nextID  uint64
	records map[uint64]*Record // settled batches, by id
}

var _ Settler = (*MockSettler)(nil)

// NewMockSettler starts at genesis root with batch firstBatchID next.
func NewMockSettler(genesis [32]byte, firstBatchID uint64, log *slog.Logger) *MockSettler {
	if log == nil {
		log = slog.Default()
	}
	return &MockSettler{log: log, root: genesis, nextID: firstBatchID, records: map[uint64]*Record{}}
}

// State is the mock chain's bookkeeping, in the shape of
// RollupContract.State (no deposit queue).
func (m *MockSettler) State(context.Context) (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return &State{StateRoot: m.root, NextBatchID: m.nextID}, nil
}

// Settled returns the record of batch id if this mock chain settled it
// (nil otherwise), like RollupContract.Settled.
func (m *MockSettler) Settled(_ context.Context, id uint64) (*Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.records[id], nil
}

// Name implements Settler.
func (m *MockSettler) Name() string { return "MOCK" }

// Settle implements Settler without a chain.
func (m *MockSettler) Settle(_ context.Context, s *BatchStatement, withdrawals []Withdrawal, proof []byte) (*Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.BatchID != m.nextID {
		return nil, &RevertError{Op: "MOCK settle", Reason: fmt.Sprintf("WrongBatchId(expected=%d, got=%d)", m.nextID, s.BatchID)}
	}
	if s.PreStateRoot != m.root {
		return nil, &RevertError{Op: "MOCK settle", Reason: fmt.Sprintf("WrongPreStateRoot(expected=%s, got=%s)",
			common.Hash(m.root).Hex(), common.Hash(s.PreStateRoot).Hex())}
	}
	if uint64(len(withdrawals)) != s.WithdrawalCount || WithdrawalAccumulator(withdrawals) != s.WithdrawalRoot {
		return nil, &RevertError{Op: "MOCK settle", Reason: "WithdrawalRootMismatch"}
	}
	m.root = s.PostStateRoot
	m.nextID++
	// A recognisable fake transaction hash: "MOCK" ‖ sha256(statement ‖ proof).
	h := sha256.New()
	h.Write(s.Packed())
	h.Write(proof)
	var tx common.Hash
	copy(tx[:], h.Sum(nil))
	binary.BigEndian.PutUint32(tx[:4], 0x4d4f434b) // "MOCK"
	m.log.Warn("MOCK settlement: nothing was settled on any chain", "batch", s.BatchID, "post_state_root", common.Hash(s.PostStateRoot).Hex())
	rec := &Record{Mock: true, Settler: "MOCK", TxHash: tx, BatchID: s.BatchID, Digest: common.BigToHash(s.DigestBig()), PostStateRoot: s.PostStateRoot}
	m.records[s.BatchID] = rec
	return rec, nil
}
