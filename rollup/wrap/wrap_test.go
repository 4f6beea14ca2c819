package wrap

import (
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/internal/toyfold"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// The toy fold (internal/toyfold) stands for the fold circuit.
type toyKey = toyfold.Key

func toySetup(t testing.TB) toyKey { return toyfold.Setup(t) }

// rollupSet is the VK-set digest the tests' wrap embeds.
func rollupSet() fr.Element {
	var hs [agg.NumKinds]fr.Element
	for i := range hs {
		hs[i] = claim.U64(uint64(1000 + i))
	}
	return agg.RollupSet(hs).Digest()
}

func testStatement() batch.Statement {
	e := func(v uint64) fr.Element {
		x := claim.U64(v)
		x.Square(&x).Square(&x).Square(&x).Square(&x) // a large value
		return x
	}
	return batch.Statement{
		BatchID: 42, PreStateRoot: e(11), PostStateRoot: e(12), BatchHash: e(13), WithdrawalRoot: e(14), DepositRoot: e(15),
		TxCount: 9, TransferCount: 4, WithdrawalCount: 3, DepositCount: 2,
	}
}

// rootClaim is the claim of the root of a three-chunk tree proving stmt
// under the VK set vkSet.
func rootClaim(stmt *batch.Statement, vkSet fr.Element) claim.Claim {
	cs := batch.ChunkStatement{
		BatchID: stmt.BatchID, First: 0, Count: 3,
		PreRoot: stmt.PreStateRoot, PostRoot: stmt.PostStateRoot,
		AccOut:   batch.Accumulators{BatchHash: stmt.BatchHash, Withdrawals: stmt.WithdrawalRoot, Deposits: stmt.DepositRoot},
		CountOut: batch.Counts{Txs: stmt.TxCount, Withdrawals: stmt.WithdrawalCount, Deposits: stmt.DepositCount},
	}
	cl := cs.Claim(vkSet)
	cl.Commitment = claim.U64(777) // a fold's combination of its leaves': free
	return cl
}

func TestWrapSolver(t *testing.T) {
	key := toySetup(t)
	set := rollupSet()
	stmt := testStatement()
	root := rootClaim(&stmt, set)
	if err := batch.CheckRootClaim(&stmt, &root, set); err != nil {
		t.Fatalf("the fixture is not a valid root: %v", err)
	}
	proof := key.Prove(t, &root)
	f := ecc.BN254.ScalarField()
	// The test engine writes the witness into the circuit it is given:
	// each solve gets a fresh placeholder.
	solve := func(a *Wrap, opts ...test.TestEngineOption) error {
		t.Helper()
		ph, err := Placeholder(key.VK, set)
		if err != nil {
			t.Fatal(err)
		}
		return test.IsSolved(ph, a, f, opts...)
	}
	build := func(p groth16.Proof, cl *claim.Claim, s *batch.Statement) *Wrap {
		t.Helper()
		a, err := assign(p, cl, s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	// refused builds the assignment of a claim (proved for real) and a
	// statement and requires the wrap to refuse it.
	refused := func(t *testing.T, cl *claim.Claim, s *batch.Statement) {
		t.Helper()
		expectRefused(t, solve(build(key.Prove(t, cl), cl, s)))
	}

	t.Run("valid", func(t *testing.T) {
		a, err := Assign(proof, key.VK, &root, &stmt)
		if err != nil {
			t.Fatal(err)
		}
		if err := solve(a); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong public input", func(t *testing.T) {
		a := build(proof, &root, &stmt)
		a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		if solve(a) == nil {
			t.Fatal("accepted")
		}
	})
	// Each statement field changed, the public input recomputed for the
	// changed statement: only the link to the proved claim (or, for the
	// transfer count, the sum of the counts) can refuse it.
	for _, c := range []struct {
		name string
		edit func(*batch.Statement)
	}{
		{"batch id", func(s *batch.Statement) { s.BatchID++ }},
		{"pre-state root", func(s *batch.Statement) { s.PreStateRoot = claim.U64(1) }},
		{"post-state root", func(s *batch.Statement) { s.PostStateRoot = claim.U64(1) }},
		{"batch hash", func(s *batch.Statement) { s.BatchHash = claim.U64(1) }},
		{"withdrawal root", func(s *batch.Statement) { s.WithdrawalRoot = claim.U64(1) }},
		{"deposit root", func(s *batch.Statement) { s.DepositRoot = claim.U64(1) }},
		{"tx count", func(s *batch.Statement) { s.TxCount++ }},
		{"transfer count", func(s *batch.Statement) { s.TransferCount++ }},
		{"withdrawal count", func(s *batch.Statement) { s.WithdrawalCount++ }},
		{"deposit count", func(s *batch.Statement) { s.DepositCount++ }},
		{"tx count (sum kept)", func(s *batch.Statement) { s.TxCount++; s.TransferCount++ }},
		{"withdrawal count (sum kept)", func(s *batch.Statement) { s.WithdrawalCount++; s.TransferCount-- }},
		{"deposit count (sum kept)", func(s *batch.Statement) { s.DepositCount++; s.TransferCount-- }},
	} {
		t.Run("statement: "+c.name, func(t *testing.T) {
			s := stmt
			c.edit(&s)
			expectRefused(t, solve(build(proof, &root, &s)))
		})
	}
	// Claims proved for real that the wrap must refuse.
	for _, c := range []struct {
		name string
		edit func(*claim.Claim)
	}{
		{"claim under another VK set", func(cl *claim.Claim) { cl.VKSet = agg.ZKVMSet([agg.NumKinds]fr.Element{}).Digest() }},
		{"nonzero bus sum", func(cl *claim.Claim) { cl.BusSum = claim.U64(1) }},
		{"nonzero input length", func(cl *claim.Claim) { cl.InputLen = claim.U64(1) }},
		{"challenge not the batch id", func(cl *claim.Claim) { cl.Challenge = claim.U64(43) }},
		{"start cursor 1", func(cl *claim.Claim) { cl.Start[batch.LaneCursor] = claim.U64(1) }},
		{"end cursor 0", func(cl *claim.Claim) { cl.End[batch.LaneCursor] = claim.U64(0) }},
		{"end cursor 2^64", func(cl *claim.Claim) {
			cl.End[batch.LaneCursor].SetBigInt(new(big.Int).Lsh(big.NewInt(1), 64))
		}},
		{"end cursor −1", func(cl *claim.Claim) { cl.End[batch.LaneCursor].SetInt64(-1) }},
		{"nonzero start accumulator", func(cl *claim.Claim) { cl.Start[batch.LaneWithdrawals] = claim.U64(5) }},
		{"nonzero start count", func(cl *claim.Claim) { cl.Start[batch.LaneDepositCount] = claim.U64(1) }},
		{"nonzero unused start lane", func(cl *claim.Claim) { cl.Start[8] = claim.U64(1) }},
		{"nonzero unused end lane", func(cl *claim.Claim) { cl.End[claim.StateWidth-1] = claim.U64(1) }},
	} {
		t.Run("claim: "+c.name, func(t *testing.T) {
			cl := root
			c.edit(&cl)
			refused(t, &cl, &stmt)
		})
	}
	t.Run("proof of another claim", func(t *testing.T) {
		other := root
		other.Commitment = claim.U64(778)
		if solve(build(key.Prove(t, &other), &root, &stmt)) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("proof under another key", func(t *testing.T) {
		rogue := toySetup(t)
		if solve(build(rogue.Prove(t, &root), &root, &stmt)) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("non-canonical root", func(t *testing.T) {
		// A small pre-state root v has a second 254-bit decomposition,
		// v + r; the public input is the digest of the encoding with it.
		s := stmt
		s.PreStateRoot = claim.U64(0xbeef)
		cl := rootClaim(&s, set)
		a := build(key.Prove(t, &cl), &cl, &s)
		if err := solve(a); err != nil {
			t.Fatalf("the canonical witness is refused: %v", err)
		}
		a = build(key.Prove(t, &cl), &cl, &s)
		a.PublicInput = nonCanonicalPublicInput(t, &s, 0, big.NewInt(0xbeef))
		hit := false
		err := solve(a, nonCanonicalBits(t, big.NewInt(0xbeef), &hit))
		expectCanonicityFailure(t, err, hit)
	})
	t.Run("Assign checks natively", func(t *testing.T) {
		s := stmt
		s.DepositRoot = claim.U64(1)
		if _, err := Assign(proof, key.VK, &root, &s); err == nil {
			t.Fatal("Assign accepted a statement the root does not prove")
		}
		other := root
		other.Commitment = claim.U64(778)
		if _, err := Assign(proof, key.VK, &other, &stmt); err == nil {
			t.Fatal("Assign accepted a proof of another claim")
		}
	})
}

// expectRefused requires a refusal and logs the failed check.
func expectRefused(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	t.Logf("refused: %.160s", msg)
}
