package sequencer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// DemoAccounts and DemoBalance describe the demo genesis: DemoAccounts
// accounts, index i owned by DemoKey(i), each holding DemoBalance.
const (
	DemoAccounts = 8
	DemoBalance  = 1_000_000
)

// DemoKey is the i-th demo key. Its secret is derived from a public
// string, so anyone can sign for it: demo state only, never real funds.
func DemoKey(i uint64) *tx.Key {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], i)
	seed := sha256.Sum256(append([]byte("zkfleet rollup demo key "), buf[:]...))
	k, err := tx.NewKey(bytes.NewReader(seed[:]))
	if err != nil {
		panic(err) // reading from a 32-byte buffer cannot fail
	}
	return k
}

// DemoGenesis returns a sequencer whose state is the demo genesis, built
// by one deposit batch (batch id 1) creating DemoAccounts accounts.
func DemoGenesis(shape batch.Shape) (*Sequencer, error) {
	s, err := New(shape.Depth)
	if err != nil {
		return nil, err
	}
	txs := make([]tx.Tx, 0, DemoAccounts)
	for i := range uint64(DemoAccounts) {
		pk := DemoKey(i).Public()
		d, err := s.Deposit(&pk, DemoBalance)
		if err != nil {
			return nil, err
		}
		txs = append(txs, d)
	}
	if _, err := s.Build(txs, shape); err != nil {
		return nil, fmt.Errorf("sequencer: demo genesis: %w", err)
	}
	return s, nil
}

// ExampleBatch builds a valid signed batch of n transactions over the demo
// genesis (as batch id 2), deterministically from seed: about 60 %
// transfers between demo accounts, 20 % withdrawals to L1 and 20 %
// deposits, half of which create new accounts.
func ExampleBatch(shape batch.Shape, n int, seed uint64) (*Built, error) {
	if n < 1 || n > batch.MaxTxs {
		return nil, fmt.Errorf("sequencer: %d transactions, want 1..%d", n, batch.MaxTxs)
	}
	s, err := DemoGenesis(shape)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x7a6b666c656574))
	type acct struct {
		key        *tx.Key
		bal, nonce uint64
		index      uint64
	}
	accts := make([]*acct, 0, DemoAccounts+n)
	for i := range uint64(DemoAccounts) {
		a, _ := s.Account(i)
		accts = append(accts, &acct{key: DemoKey(i), bal: a.Balance, nonce: a.Nonce, index: i})
	}
	nextKey := uint64(DemoAccounts)
	txs := make([]tx.Tx, 0, n)
	for len(txs) < n {
		from := accts[rng.IntN(len(accts))]
		switch r := rng.IntN(10); {
		case r < 6 && len(accts) > 1 && from.bal > 0: // transfer
			to := accts[rng.IntN(len(accts))]
			if to == from {
				continue
			}
			amt := 1 + rng.Uint64N(min(from.bal, 10_000))
			t := tx.Tx{Kind: tx.KindTransfer, From: from.index, To: to.index, Amount: amt, Nonce: from.nonce}
			if err := from.key.Sign(&t); err != nil {
				return nil, err
			}
			from.bal -= amt
			from.nonce++
			to.bal += amt
			txs = append(txs, t)
		case r < 8 && from.bal > 0: // withdrawal
			amt := 1 + rng.Uint64N(min(from.bal, 5_000))
			t := tx.Tx{Kind: tx.KindWithdrawal, From: from.index, Amount: amt, Nonce: from.nonce}
			for i := range t.Recipient {
				t.Recipient[i] = byte(rng.Uint32())
			}
			if err := from.key.Sign(&t); err != nil {
				return nil, err
			}
			from.bal -= amt
			from.nonce++
			txs = append(txs, t)
		case r >= 8: // deposit
			amt := 1 + rng.Uint64N(50_000)
			target := from
			if rng.IntN(2) == 0 {
				k := DemoKey(nextKey)
				nextKey++
				pk := k.Public()
				idx, err := s.IndexFor(&pk)
				if err != nil {
					return nil, err
				}
				target = &acct{key: k, index: idx}
				accts = append(accts, target)
			}
			pk := target.key.Public()
			txs = append(txs, tx.Tx{Kind: tx.KindDeposit, To: target.index, Amount: amt, PubKey: pk})
			target.bal += amt
		}
	}
	return s.Build(txs, shape)
}
