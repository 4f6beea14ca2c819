package batch

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

func TestPrepareMatchesFullTree(t *testing.T) {
	shape := Shape{Depth: state.DefaultDepth, Slots: 3}
	txs := sampleTxs(t)
	b := newBatch(t, shape.Depth, txs)
	p, err := Prepare(b, shape)
	if err != nil {
		t.Fatal(err)
	}
	// Executing on the full tree gives the same statement and chunks.
	full := genesis(t, shape.Depth)
	q, err := Execute(full, b, shape)
	if err != nil {
		t.Fatal(err)
	}
	if p.Statement != q.Statement {
		t.Fatal("partial and full executions disagree")
	}
	if len(p.Chunks) != 3 || len(p.Chunks[2].Slots) != 3 || p.Chunks[2].Slots[1].Tx.Kind != 0 {
		t.Fatalf("chunking: %d chunks", len(p.Chunks))
	}
	// Every intermediate root is a real state: replaying the chunk
	// statements' roots against the full tree's history.
	replay := genesis(t, shape.Depth)
	for i, ch := range p.Chunks {
		if r := replay.Root(); !r.Equal(&ch.Statement.PreRoot) {
			t.Fatalf("chunk %d pre root is not the state before it", i)
		}
		one := &Batch{BatchID: b.BatchID, PreStateRoot: replay.Root()}
		for _, s := range ch.Slots {
			if s.Tx.Kind != 0 {
				one.Txs = append(one.Txs, s.Tx)
			}
		}
		if _, err := Execute(replay, one, shape); err != nil {
			t.Fatal(err)
		}
		if r := replay.Root(); !r.Equal(&ch.Statement.PostRoot) {
			t.Fatalf("chunk %d post root is not the state after it", i)
		}
	}
	post := q.Statement.PostStateRoot
	b.PostStateRoot = &post
	if _, err := Prepare(b, shape); err != nil {
		t.Fatalf("matching post_state_root rejected: %v", err)
	}
}

// TestPrepareRejects: every invalid batch fails fast with the index of the
// offending transaction and the reason.
func TestPrepareRejects(t *testing.T) {
	const depth = state.DefaultDepth
	k0, k1, k3 := key(t, 0), key(t, 1), key(t, 3)
	ok := transfer(t, k1, 1, 2, 10, 0)
	badSig := transfer(t, k0, 0, 1, 100, 5)
	badSig.Amount = 101
	tests := []struct {
		name   string
		txs    []tx.Tx
		extra  []uint64
		mut    func(b *Batch)
		index  int
		reason string
	}{
		{"bad signature", []tx.Tx{ok, badSig}, nil, nil, 1, "signature"},
		{"signed by another key", []tx.Tx{transfer(t, k1, 0, 1, 100, 5)}, nil, nil, 0, "signature"},
		{"replayed nonce", []tx.Tx{transfer(t, k0, 0, 1, 100, 5), transfer(t, k0, 0, 1, 100, 5)}, nil, nil, 1, "nonce 5, account 0 expects 6"},
		{"old nonce", []tx.Tx{transfer(t, k0, 0, 1, 100, 4)}, nil, nil, 0, "replayed"},
		{"future nonce", []tx.Tx{ok, transfer(t, k0, 0, 1, 100, 7)}, nil, nil, 1, "expects 5"},
		{"overdraft", []tx.Tx{transfer(t, k0, 0, 1, 1001, 5)}, nil, nil, 0, "overdraft"},
		{"overdraft after a debit", []tx.Tx{transfer(t, k0, 0, 1, 600, 5), withdrawal(t, k0, 0, 401, 6)}, nil, nil, 1, "overdraft"},
		{"withdrawal to the zero address", []tx.Tx{func() tx.Tx {
			w := tx.Tx{Kind: tx.KindWithdrawal, From: 0, Amount: 1, Nonce: 5}
			if err := k0.Sign(&w); err != nil {
				t.Fatal(err)
			}
			return w
		}()}, nil, nil, 0, "zero address"},
		{"zero amount", []tx.Tx{transfer(t, k0, 0, 1, 0, 5)}, nil, nil, 0, "positive"},
		{"receiver does not exist", []tx.Tx{transfer(t, k0, 0, 9, 1, 5)}, nil, nil, 0, "receiver account 9 does not exist"},
		{"sender does not exist", []tx.Tx{transfer(t, k3, 9, 0, 1, 0)}, nil, nil, 0, "sender account 9 does not exist"},
		{"transfer to self", []tx.Tx{transfer(t, k0, 0, 0, 1, 5)}, nil, nil, 0, "itself"},
		{"receiver outside the tree", []tx.Tx{transfer(t, k0, 0, 1<<40, 1, 5)}, nil, func(b *Batch) {}, 0, "outside"},
		{"account missing from the multiproof", []tx.Tx{ok}, nil, func(b *Batch) {
			mp, _ := genesis(t, depth).MultiProof([]uint64{1})
			b.Accounts = mp
		}, 0, "not opened"},
		{"deposit under another key", []tx.Tx{deposit(t, k3, 1, 5)}, nil, nil, 0, "another key"},
		{"deposit of the identity key", []tx.Tx{func() tx.Tx {
			d := deposit(t, k3, 3, 5)
			d.PubKey.X.SetZero()
			d.PubKey.Y.SetOne()
			return d
		}()}, nil, nil, 0, "identity"},
		{"credit overflows", []tx.Tx{deposit(t, k1, 1, math.MaxUint64-100)}, nil, nil, 0, "exceed"},
		{"multiproof of another root", []tx.Tx{ok}, nil, func(b *Batch) { b.PreStateRoot.SetUint64(5) }, -1, "pre-state root"},
		{"wrong post_state_root", []tx.Tx{ok}, nil, func(b *Batch) { r := b.PreStateRoot; b.PostStateRoot = &r }, -1, "post_state_root"},
		{"no transactions", nil, []uint64{0}, nil, -1, "no transactions"},
		{"no multiproof", []tx.Tx{ok}, nil, func(b *Batch) { b.Accounts = nil }, -1, "multiproof"},
		{"multiproof of another depth", []tx.Tx{ok}, nil, func(b *Batch) {
			mp, _ := genesis(t, 16).MultiProof([]uint64{1, 2})
			b.Accounts = mp
		}, -1, "depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b *Batch
			if strings.Contains(tc.name, "outside") {
				mp, _ := genesis(t, depth).MultiProof([]uint64{0})
				b = &Batch{BatchID: 1, PreStateRoot: genesis(t, depth).Root(), Txs: tc.txs, Accounts: mp}
			} else {
				b = newBatch(t, depth, tc.txs, tc.extra...)
			}
			if tc.mut != nil {
				tc.mut(b)
			}
			start := time.Now()
			_, err := Prepare(b, Shape{Depth: depth, Slots: 4})
			took := time.Since(start)
			var ib *InvalidBatchError
			if !errors.As(err, &ib) {
				t.Fatalf("error %v is not an InvalidBatchError", err)
			}
			if ib.TxIndex != tc.index || !strings.Contains(ib.Reason, tc.reason) {
				t.Fatalf("got index %d reason %q, want index %d and %q", ib.TxIndex, ib.Reason, tc.index, tc.reason)
			}
			if took > 200*time.Millisecond {
				t.Fatalf("rejection took %v", took)
			}
		})
	}
}
