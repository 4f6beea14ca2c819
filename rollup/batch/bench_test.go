package batch

import (
	"testing"

	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// BenchmarkPrepare64 measures the native "preparing" step of a
// 64-transaction batch at the production depth: multiproof check,
// signature checks, execution and every chunk witness.
func BenchmarkPrepare64(b *testing.B) {
	k0, k1 := key(b, 0), key(b, 1)
	txs := make([]tx.Tx, 0, 64)
	for i := range uint64(32) {
		txs = append(txs, transfer(b, k0, 0, 1, 1, 5+i), transfer(b, k1, 1, 2, 1, i))
	}
	bt := newBatch(b, state.DefaultDepth, txs)
	b.ResetTimer()
	for range b.N {
		if _, err := Prepare(bt, DefaultShape); err != nil {
			b.Fatal(err)
		}
	}
}
