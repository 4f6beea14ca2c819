// Package sequencer is the Go library for rollup sequencers: the account
// state in memory (optionally persisted to a snapshot file), account
// index assignment, batch building with the multiproof of the touched
// accounts, and a deterministic example-batch generator over a demo
// genesis.
//
// A Sequencer applies a batch to its state only after the batch executed
// without error, so a rejected batch leaves the state untouched.
package sequencer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// Sequencer holds the rollup state. It is safe for concurrent use.
type Sequencer struct {
	mu       sync.Mutex
	tree     *state.Tree
	byKey    map[[32]byte]uint64 // compressed public key → index (accounts and reservations)
	next     uint64              // next free index
	nextID   uint64              // next batch id
	snapshot string              // "" if not persisted
}

// New returns a sequencer with an empty state of the given depth, kept in
// memory only.
func New(depth int) (*Sequencer, error) {
	tr, err := state.New(depth)
	if err != nil {
		return nil, err
	}
	return &Sequencer{tree: tr, byKey: map[[32]byte]uint64{}, nextID: 1}, nil
}

// Open returns a sequencer persisted to the snapshot file at path: the
// state is loaded if the file exists (its depth must match), and every
// applied batch rewrites it atomically.
func Open(path string, depth int) (*Sequencer, error) {
	s, err := New(depth)
	if err != nil {
		return nil, err
	}
	s.snapshot = path
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sequencer: %w", err)
	}
	if err := s.load(data, depth); err != nil {
		return nil, fmt.Errorf("sequencer: snapshot %s: %w", path, err)
	}
	return s, nil
}

// Depth is the state tree depth.
func (s *Sequencer) Depth() int { return s.tree.Depth() }

// Root is the current state root.
func (s *Sequencer) Root() fr.Element {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tree.Root()
}

// Account returns the account at index.
func (s *Sequencer) Account(index uint64) (state.Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok, err := s.tree.Account(index)
	return a, ok && err == nil
}

// NextBatchID is the id the next built batch gets.
func (s *Sequencer) NextBatchID() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextID
}

// IndexFor returns the account index of a public key: its account's, or
// a newly reserved free index (the next in creation order) that a deposit
// then creates. Indices are never reused, so two keys never collide.
func (s *Sequencer) IndexFor(pk *tedwards.PointAffine) (uint64, error) {
	if err := tx.ValidPubKey(pk); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := pk.Bytes()
	if i, ok := s.byKey[k]; ok {
		return i, nil
	}
	if s.next >= s.tree.Capacity() {
		return 0, errors.New("sequencer: the state tree is full")
	}
	i := s.next
	s.next++
	s.byKey[k] = i
	return i, nil
}

// Deposit returns the deposit of amount for pk (to its index, reserving
// one for a new key).
func (s *Sequencer) Deposit(pk *tedwards.PointAffine, amount uint64) (tx.Tx, error) {
	i, err := s.IndexFor(pk)
	if err != nil {
		return tx.Tx{}, err
	}
	return tx.Tx{Kind: tx.KindDeposit, To: i, Amount: amount, PubKey: *pk}, nil
}

// Built is a batch ready to submit: the native batch (with its multiproof
// and expected post-state root), its execution, and its JSON request.
type Built struct {
	Batch    *batch.Batch
	Prepared *batch.Prepared
	Request  *batch.Request
}

// Build turns txs into the next batch: it opens every touched account at
// the current root in one multiproof, executes the batch exactly as the
// prover will (batch.Prepare on the multiproof's partial tree), and only
// then applies it to the state and advances the batch id. An invalid batch
// returns the *batch.InvalidBatchError and changes nothing.
func (s *Sequencer) Build(txs []tx.Tx, shape batch.Shape) (*Built, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if shape.Depth != s.tree.Depth() {
		return nil, fmt.Errorf("sequencer: shape depth %d, state depth %d", shape.Depth, s.tree.Depth())
	}
	touched := make([]uint64, 0, 2*len(txs))
	for i := range txs {
		t := &txs[i]
		if t.From >= s.tree.Capacity() || t.To >= s.tree.Capacity() {
			return nil, &batch.InvalidBatchError{TxIndex: i, Reason: "account index outside the state tree"}
		}
		switch t.Kind {
		case tx.KindTransfer:
			touched = append(touched, t.From, t.To)
		case tx.KindWithdrawal:
			touched = append(touched, t.From)
		case tx.KindDeposit:
			touched = append(touched, t.To)
		}
	}
	if len(touched) == 0 {
		return nil, &batch.InvalidBatchError{TxIndex: -1, Reason: "the batch has no transactions"}
	}
	mp, err := s.tree.MultiProof(touched)
	if err != nil {
		return nil, err
	}
	b := &batch.Batch{BatchID: s.nextID, PreStateRoot: s.tree.Root(), Txs: append([]tx.Tx(nil), txs...), Accounts: mp}
	p, err := batch.Prepare(b, shape)
	if err != nil {
		return nil, err
	}
	post := p.Statement.PostStateRoot
	b.PostStateRoot = &post
	for _, i := range p.Tree.Indices() {
		a, _, err := p.Tree.Account(i)
		if err != nil {
			return nil, err
		}
		if err := s.tree.Set(i, a); err != nil {
			return nil, err
		}
		s.byKey[a.PubKey.Bytes()] = i
		if i >= s.next {
			s.next = i + 1
		}
	}
	if r := s.tree.Root(); !r.Equal(&post) {
		return nil, errors.New("sequencer: internal error: applied state differs from the executed batch")
	}
	s.nextID++
	if s.snapshot != "" {
		if err := s.save(); err != nil {
			return nil, err
		}
	}
	return &Built{Batch: b, Prepared: p, Request: batch.NewRequest(b)}, nil
}

type snapshotFile struct {
	Version     int                 `json:"version"`
	Depth       int                 `json:"depth"`
	NextIndex   uint64              `json:"next_index"`
	NextBatchID uint64              `json:"next_batch_id"`
	Root        string              `json:"root"`
	Accounts    []batch.OpeningJSON `json:"accounts"`
}

func (s *Sequencer) save() error {
	f := snapshotFile{Version: 1, Depth: s.tree.Depth(), NextIndex: s.next, NextBatchID: s.nextID, Root: batch.HexElem(s.tree.Root())}
	for _, i := range s.tree.Indices() {
		a, _, _ := s.tree.Account(i)
		pk := a.PubKey.Bytes()
		f.Accounts = append(f.Accounts, batch.OpeningJSON{Index: i, PubKey: fmt.Sprintf("0x%x", pk[:]), Balance: batch.Uint64(a.Balance), Nonce: batch.Uint64(a.Nonce)})
	}
	data, err := json.Marshal(&f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.snapshot), ".sequencer-*")
	if err != nil {
		return fmt.Errorf("sequencer: save: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("sequencer: save: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sequencer: save: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sequencer: save: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.snapshot); err != nil {
		return fmt.Errorf("sequencer: save: %w", err)
	}
	return nil
}

func (s *Sequencer) load(data []byte, depth int) error {
	var f snapshotFile
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Version != 1 || f.Depth != depth {
		return fmt.Errorf("version %d depth %d, want version 1 depth %d", f.Version, f.Depth, depth)
	}
	// Reuse the request decoder's checks for keys and values.
	req := batch.Request{Accounts: batch.MultiProofJSON{Depth: depth, Leaves: f.Accounts}}
	for i, o := range f.Accounts {
		if o.PubKey == "" {
			return fmt.Errorf("account %d has no key", i)
		}
	}
	dec, err := req.DecodeAccounts()
	if err != nil {
		return err
	}
	next := f.NextIndex
	for _, o := range dec.Leaves {
		if err := s.tree.Set(o.Index, *o.Account); err != nil {
			return err
		}
		s.byKey[o.Account.PubKey.Bytes()] = o.Index
		next = max(next, o.Index+1)
	}
	if got := batch.HexElem(s.tree.Root()); got != f.Root {
		return fmt.Errorf("accounts hash to root %s, the snapshot says %s", got, f.Root)
	}
	s.next, s.nextID = next, max(f.NextBatchID, 1)
	return nil
}
