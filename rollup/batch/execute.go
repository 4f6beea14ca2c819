package batch

import (
	"errors"
	"fmt"
	"math"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// MaxTxs bounds the transactions of one batch.
const MaxTxs = 4096

// Shape is the shape of the chunk circuit a batch is cut for.
type Shape struct {
	Depth int // state tree depth
	Slots int // transaction slots per chunk (K)
}

// DefaultShape is the production shape.
var DefaultShape = Shape{Depth: state.DefaultDepth, Slots: 16}

// Validate checks the shape's bounds.
func (s Shape) Validate() error {
	if s.Depth < 1 || s.Depth > state.MaxDepth {
		return fmt.Errorf("batch: depth %d outside 1..%d", s.Depth, state.MaxDepth)
	}
	if s.Slots < 1 || s.Slots > MaxTxs {
		return fmt.Errorf("batch: %d slots per chunk outside 1..%d", s.Slots, MaxTxs)
	}
	return nil
}

// InvalidBatchError says why a batch is rejected. TxIndex is the index of
// the offending transaction, or -1 for a batch-level fault (bad multiproof,
// wrong post-state root, malformed request).
type InvalidBatchError struct {
	TxIndex int
	Reason  string
}

func (e *InvalidBatchError) Error() string {
	if e.TxIndex < 0 {
		return "invalid batch: " + e.Reason
	}
	return fmt.Sprintf("invalid batch: transaction %d: %s", e.TxIndex, e.Reason)
}

func invalid(i int, format string, a ...any) error {
	return &InvalidBatchError{TxIndex: i, Reason: fmt.Sprintf(format, a...)}
}

// Batch is a decoded batch submission.
type Batch struct {
	BatchID       uint64
	PreStateRoot  fr.Element
	PostStateRoot *fr.Element // optional: checked against the execution
	Txs           []tx.Tx
	Accounts      *state.MultiProof // touched accounts at PreStateRoot
}

// Slot is the native witness of one chunk-circuit slot. An empty slot has
// Tx.Kind = 0. Side A is the sender of a transfer or withdrawal (debited,
// nonce bumped); side B is the receiver of a transfer or deposit
// (credited). Paths are taken in execution order: A's at the root before
// the transaction, B's after A's update.
type Slot struct {
	Tx tx.Tx
	// Owner is the key of side A for a signed transaction, the deposit's
	// key for a deposit (a fixed valid point in other slots).
	Owner tedwards.PointAffine

	SenderBalance, SenderNonce uint64
	SenderPath                 state.Path

	ReceiverPKHash                 fr.Element
	ReceiverBalance, ReceiverNonce uint64
	ReceiverNew                    bool // deposit to an empty leaf
	ReceiverPath                   state.Path
}

// Chunk is one chunk's statement and slot witnesses.
type Chunk struct {
	Statement ChunkStatement
	Slots     []Slot
}

// Prepared is a validated, executed batch.
type Prepared struct {
	Shape     Shape
	Statement Statement
	Chunks    []Chunk
	Tree      *state.Tree // the state after the batch (partial if built from a multiproof)
}

// ChunkStatements lists the chunk statements in order.
func (p *Prepared) ChunkStatements() []ChunkStatement {
	out := make([]ChunkStatement, len(p.Chunks))
	for i := range p.Chunks {
		out[i] = p.Chunks[i].Statement
	}
	return out
}

// Prepare checks the batch's multiproof against its pre-state root,
// executes every transaction on the partial tree it reveals and cuts the
// result into chunks of shape.Slots transactions.
func Prepare(b *Batch, shape Shape) (*Prepared, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	if b.Accounts == nil {
		return nil, invalid(-1, "no touched accounts (multiproof) given")
	}
	if b.Accounts.Depth != shape.Depth {
		return nil, invalid(-1, "multiproof depth %d, the prover's state tree has depth %d", b.Accounts.Depth, shape.Depth)
	}
	tree, err := state.VerifyMultiProof(b.PreStateRoot, b.Accounts)
	if err != nil {
		return nil, invalid(-1, "%v", err)
	}
	return Execute(tree, b, shape)
}

// Execute validates and applies b's transactions to tree (a full tree, or
// the partial tree of b's multiproof), which it updates in place; on error
// the tree may hold a prefix of the batch. The tree's root must be b's
// pre-state root.
func Execute(tree *state.Tree, b *Batch, shape Shape) (*Prepared, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	if tree.Depth() != shape.Depth {
		return nil, fmt.Errorf("batch: tree depth %d, shape depth %d", tree.Depth(), shape.Depth)
	}
	if len(b.Txs) == 0 {
		return nil, invalid(-1, "the batch has no transactions")
	}
	if len(b.Txs) > MaxTxs {
		return nil, invalid(-1, "%d transactions, at most %d", len(b.Txs), MaxTxs)
	}
	if r := tree.Root(); !r.Equal(&b.PreStateRoot) {
		return nil, invalid(-1, "the state is not at the pre-state root")
	}
	p := &Prepared{Shape: shape, Tree: tree}
	var acc Accumulators
	var cnt Counts
	var transfers uint64
	var chunk *Chunk
	for i := range b.Txs {
		if i%shape.Slots == 0 {
			p.Chunks = append(p.Chunks, Chunk{Statement: ChunkStatement{
				BatchID: b.BatchID, First: uint64(len(p.Chunks)), Count: 1,
				PreRoot: tree.Root(), AccIn: acc, CountIn: cnt,
			}})
			chunk = &p.Chunks[len(p.Chunks)-1]
		}
		t := &b.Txs[i]
		slot, err := apply(tree, t)
		if err != nil {
			var ib *InvalidBatchError
			if errors.As(err, &ib) {
				ib.TxIndex = i
				return nil, ib
			}
			return nil, fmt.Errorf("batch: transaction %d: %w", i, err)
		}
		chunk.Slots = append(chunk.Slots, slot)
		e := t.Entry()
		acc.BatchHash = state.Compress(acc.BatchHash, e)
		cnt.Txs++
		switch t.Kind {
		case tx.KindTransfer:
			transfers++
		case tx.KindWithdrawal:
			acc.Withdrawals = state.Compress(acc.Withdrawals, t.WithdrawalEntry())
			cnt.Withdrawals++
		case tx.KindDeposit:
			acc.Deposits = state.Compress(acc.Deposits, t.DepositQueueEntry())
			cnt.Deposits++
		}
		if i%shape.Slots == shape.Slots-1 || i == len(b.Txs)-1 {
			chunk.Statement.PostRoot = tree.Root()
			chunk.Statement.AccOut = acc
			chunk.Statement.CountOut = cnt
			for len(chunk.Slots) < shape.Slots {
				chunk.Slots = append(chunk.Slots, EmptySlot(shape.Depth))
			}
		}
	}
	p.Statement = Statement{
		BatchID: b.BatchID, PreStateRoot: b.PreStateRoot, PostStateRoot: tree.Root(),
		BatchHash: acc.BatchHash, WithdrawalRoot: acc.Withdrawals, DepositRoot: acc.Deposits,
		TxCount: cnt.Txs, TransferCount: transfers, WithdrawalCount: cnt.Withdrawals, DepositCount: cnt.Deposits,
	}
	if b.PostStateRoot != nil && !b.PostStateRoot.Equal(&p.Statement.PostStateRoot) {
		return nil, invalid(-1, "post_state_root %s does not match the executed batch's %s", hexElem(*b.PostStateRoot), hexElem(p.Statement.PostStateRoot))
	}
	return p, nil
}

// EmptySlot is the no-op slot: no state change, accumulators unchanged.
func EmptySlot(depth int) Slot {
	var s Slot
	s.Owner = basePoint()
	s.SenderPath = zeroPath(depth)
	s.ReceiverPath = zeroPath(depth)
	return s
}

func basePoint() tedwards.PointAffine {
	p := tedwards.GetEdwardsCurve().Base
	return p
}

func zeroPath(depth int) state.Path {
	return state.Path{Siblings: make([]fr.Element, depth)}
}

// apply validates one transaction against tree, applies it, and returns
// its slot witness. Errors are *InvalidBatchError (index filled in by the
// caller) or internal.
func apply(tree *state.Tree, t *tx.Tx) (Slot, error) {
	s := EmptySlot(tree.Depth())
	s.Tx = *t
	if t.Amount == 0 {
		return s, invalid(0, "amount must be positive")
	}
	switch t.Kind {
	case tx.KindTransfer, tx.KindWithdrawal:
		from, err := existing(tree, t.From, "sender")
		if err != nil {
			return s, err
		}
		if t.Nonce != from.Nonce {
			return s, invalid(0, "nonce %d, account %d expects %d (replayed or out of order)", t.Nonce, t.From, from.Nonce)
		}
		if from.Nonce == math.MaxUint64 {
			return s, invalid(0, "account %d's nonce is exhausted", t.From)
		}
		if from.Balance < t.Amount {
			return s, invalid(0, "overdraft: account %d holds %d, sends %d", t.From, from.Balance, t.Amount)
		}
		if t.Kind == tx.KindWithdrawal && t.Recipient == (tx.Address{}) {
			return s, invalid(0, "withdrawal to the zero address")
		}
		var to state.Account
		if t.Kind == tx.KindTransfer {
			if t.To == t.From {
				return s, invalid(0, "transfer to the sender itself")
			}
			if to, err = existing(tree, t.To, "receiver"); err != nil {
				return s, err
			}
			if to.Balance > math.MaxUint64-t.Amount {
				return s, invalid(0, "receiver %d's balance would exceed 2^64-1", t.To)
			}
		}
		if err := tx.VerifySignature(&from.PubKey, t); err != nil {
			return s, invalid(0, "%v", err)
		}
		s.Owner = from.PubKey
		s.SenderBalance, s.SenderNonce = from.Balance, from.Nonce
		if s.SenderPath, err = tree.Path(t.From); err != nil {
			return s, err
		}
		from.Balance -= t.Amount
		from.Nonce++
		if err := tree.Set(t.From, from); err != nil {
			return s, err
		}
		if t.Kind == tx.KindWithdrawal {
			return s, nil
		}
		return s, credit(tree, &s, t.To, to, false)
	case tx.KindDeposit:
		if err := tx.ValidPubKey(&t.PubKey); err != nil {
			return s, invalid(0, "deposit key: %v", err)
		}
		if !tree.Known(t.To) {
			return s, unknown(tree, t.To, "deposit account")
		}
		to, ok, err := tree.Account(t.To)
		if err != nil {
			return s, err
		}
		if ok && !to.PubKey.Equal(&t.PubKey) {
			return s, invalid(0, "deposit for account %d under another key", t.To)
		}
		if ok && to.Balance > math.MaxUint64-t.Amount {
			return s, invalid(0, "account %d's balance would exceed 2^64-1", t.To)
		}
		if !ok {
			to = state.Account{PubKey: t.PubKey}
		}
		s.Owner = t.PubKey
		return s, credit(tree, &s, t.To, to, !ok)
	}
	return s, invalid(0, "unknown transaction kind %d", t.Kind)
}

func credit(tree *state.Tree, s *Slot, index uint64, to state.Account, isNew bool) error {
	var err error
	if s.ReceiverPath, err = tree.Path(index); err != nil {
		return err
	}
	s.ReceiverNew = isNew // then to is the zero account under the deposit's key
	s.ReceiverPKHash = state.PKHash(&to.PubKey)
	s.ReceiverBalance, s.ReceiverNonce = to.Balance, to.Nonce
	to.Balance += s.Tx.Amount
	return tree.Set(index, to)
}

func existing(tree *state.Tree, index uint64, role string) (state.Account, error) {
	if !tree.Known(index) {
		return state.Account{}, unknown(tree, index, role)
	}
	a, ok, err := tree.Account(index)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, invalid(0, "%s account %d does not exist", role, index)
	}
	return a, nil
}

func unknown(tree *state.Tree, index uint64, role string) error {
	if index >= tree.Capacity() {
		return invalid(0, "%s index %d outside the depth-%d state tree", role, index, tree.Depth())
	}
	return invalid(0, "%s account %d is not opened by the batch's multiproof", role, index)
}

func hexElem(e fr.Element) string {
	b := e.Bytes()
	return fmt.Sprintf("0x%x", b[:])
}

// InvalidTx returns the offending transaction's index (-1 for the batch
// as a whole) and the reason. Transports that must not import this
// package (the cluster links no proof system) find it with errors.As on
// an interface{ InvalidTx() (int, string) }.
func (e *InvalidBatchError) InvalidTx() (int, string) { return e.TxIndex, e.Reason }
