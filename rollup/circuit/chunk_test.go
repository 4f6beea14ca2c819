package circuit

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// TestChunksOfABatchSolve executes a six-transaction batch (new account by
// deposit, transfers, a withdrawal, a deposit to an existing account) into
// two chunks of four slots, the second padded with empty slots, and checks
// both witnesses against the compiled circuit and the chain rule.
func TestChunksOfABatchSolve(t *testing.T) {
	k := []*tx.Key{key(t, 0), key(t, 1), key(t, 2), key(t, 3)}
	p := prepare(t, shape4,
		deposit(t, k[3], 3, 50),
		transfer(t, k[0], 0, 1, 100, 5),
		withdrawal(t, k[2], 2, 9, 30, 2),
		transfer(t, k[1], 1, 3, 70, 0),
		deposit(t, k[0], 0, 5),
		transfer(t, k[3], 3, 2, 20, 0),
	)
	if len(p.Chunks) != 2 {
		t.Fatalf("%d chunks, want 2", len(p.Chunks))
	}
	for i := range p.Chunks {
		c := assign(t, shape4, &p.Chunks[i])
		if err := solve(t, shape4, c); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
	}
	if err := batch.CheckChain(&p.Statement, p.ChunkStatements()); err != nil {
		t.Fatal(err)
	}
	if p.Statement.TxCount != 6 || p.Statement.TransferCount != 3 || p.Statement.WithdrawalCount != 1 || p.Statement.DepositCount != 2 {
		t.Fatalf("counts %+v", p.Statement)
	}
}

// TestResealControl shows the tamper helper is faithful: resealing an
// untampered witness (re-signing, keeping or recomputing the pre-root)
// still solves, so each negative case below fails only by its tamper.
func TestResealControl(t *testing.T) {
	for _, tc := range baseCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			for _, keep := range []bool{true, false} {
				c := tc.fresh()
				reseal(t, c, tc.signer, keep)
				if err := solve(t, shape2, c); err != nil {
					t.Fatalf("keepPre=%v: %v", keep, err)
				}
			}
		})
	}
}

type baseCase struct {
	name   string
	signer *tx.Key
	fresh  func() *Chunk
}

func baseCases(t *testing.T) []baseCase {
	one := func(x tx.Tx) func() *Chunk {
		p := prepare(t, shape2, x)
		return func() *Chunk { return assign(t, shape2, &p.Chunks[0]) }
	}
	return []baseCase{
		{"transfer", key(t, 0), one(transfer(t, key(t, 0), 0, 1, 100, 5))},
		{"transfer to a lower index", key(t, 1), one(transfer(t, key(t, 1), 1, 0, 100, 0))},
		{"withdrawal", key(t, 2), one(withdrawal(t, key(t, 2), 2, 1, 30, 2))},
		{"deposit creating", nil, one(deposit(t, key(t, 3), 3, 50))},
		{"deposit crediting", nil, one(deposit(t, key(t, 1), 1, 50))},
	}
}

func TestChunkRejects(t *testing.T) {
	bases := map[string]baseCase{}
	for _, b := range baseCases(t) {
		bases[b.name] = b
	}
	rMinus1 := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))

	// The receiver's path and leaf of account 2 after the sender's update
	// of the base transfer (0 → 1): a consistent opening of the wrong leaf.
	mid := genesis(t, shape2.Depth)
	a0, _, _ := mid.Account(0)
	a0.Balance -= 100
	a0.Nonce++
	if err := mid.Set(0, a0); err != nil {
		t.Fatal(err)
	}
	path2, err := mid.Path(2)
	if err != nil {
		t.Fatal(err)
	}
	acc2, _, _ := mid.Account(2)
	path3, err := mid.Path(3) // empty leaf
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		base string
		name string
		mut  func(t *testing.T, c *Chunk)
	}{
		{"transfer", "bad signature", func(t *testing.T, c *Chunk) {
			s := new(big.Int).Set(c.Slots[0].SigS.(*big.Int))
			c.Slots[0].SigS = s.Add(s, big.NewInt(1))
		}},
		{"transfer", "signed by another key", func(t *testing.T, c *Chunk) {
			reseal(t, c, key(t, 1), true)
		}},
		{"withdrawal", "withdrawal signed by another key", func(t *testing.T, c *Chunk) {
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "replayed nonce", func(t *testing.T, c *Chunk) {
			c.Slots[0].Nonce = 4 // already used: the account is at 5
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "overdraft", func(t *testing.T, c *Chunk) {
			c.Slots[0].Amount = 1001 // the sender holds 1000
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "amount ≥ 2^64 (r−1 debits the receiver)", func(t *testing.T, c *Chunk) {
			c.Slots[0].Amount = rMinus1 // sender gains 1, receiver loses 1: only the amount's range check objects
			reseal(t, c, key(t, 0), true)
		}},
		{"deposit creating", "deposit amount 2^64", func(t *testing.T, c *Chunk) {
			c.Slots[0].Amount = new(big.Int).Lsh(big.NewInt(1), 64)
			reseal(t, c, nil, true)
		}},
		{"deposit creating", "non-Boolean path bit", func(t *testing.T, c *Chunk) {
			// index 3 = 1 + 2·1 written as 3 + 2·0: same weighted sum
			c.Slots[0].ReceiverPath.Bits[0] = 3
			c.Slots[0].ReceiverPath.Bits[1] = 0
			reseal(t, c, nil, false)
		}},
		{"transfer", "wrong sender sibling", func(t *testing.T, c *Chunk) {
			c.Slots[0].SenderPath.Siblings[2] = 12345
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "wrong receiver sibling", func(t *testing.T, c *Chunk) {
			c.Slots[0].ReceiverPath.Siblings[5] = 12345
		}},
		{"transfer", "wrong receiver index (path of account 2 for a transfer to 1)", func(t *testing.T, c *Chunk) {
			s := &c.Slots[0]
			p, _ := assignPath(shape2.Depth, 2, path2.Siblings)
			s.ReceiverPath = p
			s.ReceiverPKHash = elem(state.PKHash(&acc2.PubKey))
			s.ReceiverBalance, s.ReceiverNonce = acc2.Balance, acc2.Nonce
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "receiver index changed after signing", func(t *testing.T, c *Chunk) {
			s := &c.Slots[0]
			p, _ := assignPath(shape2.Depth, 2, path2.Siblings)
			s.ReceiverPath, s.To = p, 2
			s.ReceiverPKHash = elem(state.PKHash(&acc2.PubKey))
			s.ReceiverBalance, s.ReceiverNonce = acc2.Balance, acc2.Nonce
			reseal(t, c, nil, true) // not re-signed
		}},
		{"transfer", "transfer creates an account", func(t *testing.T, c *Chunk) {
			s := &c.Slots[0]
			p, _ := assignPath(shape2.Depth, 3, path3.Siblings)
			pk := key(t, 3).Public()
			s.ReceiverPath, s.To = p, 3
			s.ReceiverNew, s.ReceiverBalance, s.ReceiverNonce = 1, 0, 0
			s.ReceiverPKHash = elem(state.PKHash(&pk))
			reseal(t, c, key(t, 0), true)
		}},
		{"deposit creating", "new account starts with a balance", func(t *testing.T, c *Chunk) {
			c.Slots[0].ReceiverBalance = 1000
			reseal(t, c, nil, true)
		}},
		{"transfer to a lower index", "signed sender index differs from the debited account", func(t *testing.T, c *Chunk) {
			c.Slots[0].From = 2 // the message names account 2; account 1's leaf is debited
			reseal(t, c, key(t, 1), true)
		}},
		{"deposit crediting", "deposit overwrites an existing account", func(t *testing.T, c *Chunk) {
			s := &c.Slots[0]
			s.ReceiverNew, s.ReceiverBalance, s.ReceiverNonce = 1, 0, 0
			reseal(t, c, nil, true)
		}},
		{"deposit crediting", "deposit under another key", func(t *testing.T, c *Chunk) {
			pk := key(t, 3).Public()
			c.Slots[0].Owner.X, c.Slots[0].Owner.Y = elem(pk.X), elem(pk.Y)
			reseal(t, c, nil, true)
		}},
		{"transfer", "transfer posing as a deposit (no signature)", func(t *testing.T, c *Chunk) {
			s := &c.Slots[0]
			s.IsTransfer, s.IsDeposit = 0, 1
			reseal(t, c, nil, true)
		}},
		{"transfer", "two selectors", func(t *testing.T, c *Chunk) {
			c.Slots[0].IsDeposit = 1
			reseal(t, c, key(t, 0), true)
		}},
		{"transfer", "transaction dropped", func(t *testing.T, c *Chunk) {
			c.Slots[0] = c.Slots[1] // the empty slot; the statement still counts the transfer
		}},
		{"transfer", "tampered batch hash", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.AccOut.BatchHash.SetUint64(99)
			setStatement(t, c, &st)
		}},
		{"withdrawal", "tampered withdrawal root", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.AccOut.Withdrawals.SetUint64(99)
			setStatement(t, c, &st)
		}},
		{"deposit creating", "tampered deposit root", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.AccOut.Deposits.SetUint64(99)
			setStatement(t, c, &st)
		}},
		{"withdrawal", "withdrawal not counted", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.CountOut.Withdrawals = 0
			setStatement(t, c, &st)
		}},
		{"transfer", "tampered post root", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.PostRoot.SetUint64(99)
			setStatement(t, c, &st)
		}},
		{"transfer", "statement claims two chunks", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.Count = 2
			setStatement(t, c, &st)
		}},
		{"transfer", "public digest of another statement", func(t *testing.T, c *Chunk) {
			st := statementOf(t, c)
			st.BatchID++
			c.Digest = claimDigest(t, c, &st)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, ok := bases[tc.base]
			if !ok {
				t.Fatalf("no base %q", tc.base)
			}
			c := b.fresh()
			tc.mut(t, c)
			if err := solve(t, shape2, c); err == nil {
				t.Fatal("tampered witness satisfies the chunk circuit")
			}
		})
	}
}
