package batch

import (
	"bytes"
	"testing"

	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

func key(t testing.TB, i byte) *tx.Key {
	t.Helper()
	k, err := tx.NewKey(bytes.NewReader(bytes.Repeat([]byte{i + 1}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// genesis: account 0 (key 0, 1000, nonce 5), 1 (key 1, 500, 0),
// 2 (key 2, 300, 2).
func genesis(t testing.TB, depth int) *state.Tree {
	t.Helper()
	tr, err := state.New(depth)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct{ bal, nonce uint64 }{{1000, 5}, {500, 0}, {300, 2}} {
		if err := tr.Set(uint64(i), state.Account{PubKey: key(t, byte(i)).Public(), Balance: a.bal, Nonce: a.nonce}); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func transfer(t testing.TB, k *tx.Key, from, to, amount, nonce uint64) tx.Tx {
	t.Helper()
	x := tx.Tx{Kind: tx.KindTransfer, From: from, To: to, Amount: amount, Nonce: nonce}
	if err := k.Sign(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

func withdrawal(t testing.TB, k *tx.Key, from uint64, amount, nonce uint64) tx.Tx {
	t.Helper()
	x := tx.Tx{Kind: tx.KindWithdrawal, From: from, Amount: amount, Nonce: nonce}
	x.Recipient[0], x.Recipient[19] = 0xee, byte(from)
	if err := k.Sign(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

func deposit(t testing.TB, k *tx.Key, to, amount uint64) tx.Tx {
	t.Helper()
	return tx.Tx{Kind: tx.KindDeposit, To: to, Amount: amount, PubKey: k.Public()}
}

// newBatch builds a batch over the genesis with a multiproof of every
// index the transactions name (plus extra).
func newBatch(t testing.TB, depth int, txs []tx.Tx, extra ...uint64) *Batch {
	t.Helper()
	tr := genesis(t, depth)
	touched := append([]uint64(nil), extra...)
	for _, x := range txs {
		touched = append(touched, x.From, x.To)
	}
	mp, err := tr.MultiProof(touched)
	if err != nil {
		t.Fatal(err)
	}
	return &Batch{BatchID: 42, PreStateRoot: tr.Root(), Txs: txs, Accounts: mp}
}

// sampleTxs is a valid seven-transaction batch over the genesis.
func sampleTxs(t testing.TB) []tx.Tx {
	k := []*tx.Key{key(t, 0), key(t, 1), key(t, 2), key(t, 3)}
	return []tx.Tx{
		deposit(t, k[3], 3, 50),
		transfer(t, k[0], 0, 1, 100, 5),
		withdrawal(t, k[2], 2, 30, 2),
		transfer(t, k[1], 1, 3, 70, 0),
		deposit(t, k[0], 0, 5),
		transfer(t, k[3], 3, 2, 20, 0),
		withdrawal(t, k[0], 0, 900, 6),
	}
}
