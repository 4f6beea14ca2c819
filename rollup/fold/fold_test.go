package fold

import (
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/rollup/batch"
)

// toyChild stands for a chunk circuit or a fold: like both, it has one
// public input and, through the range checker, one BSB22 commitment. The
// fold only checks that a child proof verifies under an accepted key, so
// distinct setups of the toy play the chunk key, the fold key and a rogue
// key.
type toyChild struct {
	Public frontend.Variable `gnark:",public"`
	X      frontend.Variable
}

func (c *toyChild) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.X, 1), c.X)
	rangecheck.New(api).Check(c.X, 8)
	return nil
}

type toyKey struct {
	ccs constraint.ConstraintSystem
	pk  groth16.ProvingKey
	vk  groth16.VerifyingKey
}

func toySetup(t testing.TB) toyKey {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &toyChild{})
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	return toyKey{ccs, pk, vk}
}

// prove proves public input pub under k, as the real chunk and fold
// proofs are proved (gnark's native recursion options).
func (k toyKey) prove(t testing.TB, pub fr.Element) groth16.Proof {
	t.Helper()
	w, err := frontend.NewWitness(&toyChild{Public: pub, X: 7}, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	p, err := groth16.Prove(k.ccs, k.pk, w, stdgroth16.GetNativeProverOptions(f, f))
	if err != nil {
		t.Fatal(err)
	}
	pw, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(p, k.vk, pw, stdgroth16.GetNativeVerifierOptions(f, f)); err != nil {
		t.Fatal(err)
	}
	return p
}

func u(v uint64) fr.Element { var e fr.Element; e.SetUint64(v); return e }

// chunks builds n chained one-chunk statements of batch 9 and the batch
// statement they prove.
func chunks(n int) ([]batch.ChunkStatement, *batch.Statement) {
	out := make([]batch.ChunkStatement, n)
	var acc batch.Accumulators
	var cnt batch.Counts
	root := u(1000)
	for i := range out {
		c := &out[i]
		c.BatchID, c.First, c.Count = 9, uint64(i), 1
		c.PreRoot, c.AccIn, c.CountIn = root, acc, cnt
		root = u(1001 + uint64(i))
		acc = batch.Accumulators{BatchHash: u(2000 + uint64(i)), Withdrawals: u(3000 + uint64(i)), Deposits: u(4000 + uint64(i))}
		cnt = batch.Counts{Txs: cnt.Txs + 3, Withdrawals: cnt.Withdrawals + 1, Deposits: cnt.Deposits + 1}
		c.PostRoot, c.AccOut, c.CountOut = root, acc, cnt
	}
	stmt := &batch.Statement{
		BatchID: 9, PreStateRoot: out[0].PreRoot, PostStateRoot: root,
		BatchHash: acc.BatchHash, WithdrawalRoot: acc.Withdrawals, DepositRoot: acc.Deposits,
		TxCount: cnt.Txs, TransferCount: cnt.Txs - cnt.Withdrawals - cnt.Deposits,
		WithdrawalCount: cnt.Withdrawals, DepositCount: cnt.Deposits,
	}
	return out, stmt
}

type fixture struct {
	chunk, fold, rogue toyKey
	keys               Keys
	stmts              []batch.ChunkStatement
	batch              *batch.Statement
	proofs             []groth16.Proof // chunk proofs of stmts
	s01                batch.ChunkStatement
	p01                groth16.Proof // "fold" proof of Combine(stmts[0], stmts[1])
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{chunk: toySetup(t), fold: toySetup(t), rogue: toySetup(t)}
	var err error
	if f.keys.Chunk, err = VKHash(f.chunk.vk); err != nil {
		t.Fatal(err)
	}
	if f.keys.Fold, err = VKHash(f.fold.vk); err != nil {
		t.Fatal(err)
	}
	f.stmts, f.batch = chunks(3)
	for i := range f.stmts {
		f.proofs = append(f.proofs, f.chunk.prove(t, f.stmts[i].Digest()))
	}
	if f.s01, err = batch.Combine(&f.stmts[0], &f.stmts[1]); err != nil {
		t.Fatal(err)
	}
	f.p01 = f.fold.prove(t, Output(&f.s01, f.keys))
	if err := batch.CheckChain(f.batch, f.stmts); err != nil {
		t.Fatal(err)
	}
	return f
}

func child(t *testing.T, p groth16.Proof, k toyKey, isFold bool, s *batch.ChunkStatement) Child {
	t.Helper()
	c, err := AssignChild(p, k.vk, isFold, s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) inner(t *testing.T, l, r Child, out *batch.ChunkStatement) *Fold {
	return &Fold{Public: Output(out, f.keys), Left: l, Right: r, ChunkVK: f.keys.Chunk, FoldVK: f.keys.Fold,
		Batch: AssignBatch(f.batch)}
}

func (f *fixture) root(t *testing.T, l, r Child, b *batch.Statement) *Fold {
	return &Fold{Public: b.PublicInput(), Left: l, Right: r, ChunkVK: f.keys.Chunk, FoldVK: f.keys.Fold,
		Batch: AssignBatch(b)}
}

// TestFoldSolver runs the fold and the root fold in gnark's test engine on
// real child proofs: valid folds solve, and every way of breaking
// batch.Combine, the child proofs or batch.CheckRoot does not.
func TestFoldSolver(t *testing.T) {
	f := newFixture(t)
	field := ecc.BN254.ScalarField()
	inner, err := Placeholder(f.chunk.ccs)
	if err != nil {
		t.Fatal(err)
	}
	rootPH, err := RootPlaceholder(f.chunk.ccs, f.keys)
	if err != nil {
		t.Fatal(err)
	}
	c0 := child(t, f.proofs[0], f.chunk, false, &f.stmts[0])
	c1 := child(t, f.proofs[1], f.chunk, false, &f.stmts[1])
	c2 := child(t, f.proofs[2], f.chunk, false, &f.stmts[2])
	c01 := child(t, f.p01, f.fold, true, &f.s01)

	s12, err := batch.Combine(&f.stmts[1], &f.stmts[2])
	if err != nil {
		t.Fatal(err)
	}
	s00 := f.stmts[0]
	s00.Count = 2 // what a duplicated chunk 0 would have to claim

	tampered := f.stmts[1]
	tampered.PostRoot = u(777)
	cTampered := child(t, f.proofs[1], f.chunk, false, &tampered)

	rogueProof := f.rogue.prove(t, f.stmts[1].Digest())
	cRogue := child(t, rogueProof, f.rogue, false, &f.stmts[1])
	cAsFold := child(t, f.proofs[1], f.chunk, true, &f.stmts[1])

	wrongBatch := *f.batch
	wrongBatch.BatchHash = u(5)
	wrongCounts := *f.batch
	wrongCounts.TransferCount++
	wrongCounts.DepositCount--
	otherKeys := Keys{Chunk: f.keys.Chunk, Fold: u(1)}
	otherRoot, err := RootPlaceholder(f.chunk.ccs, otherKeys)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		circuit   frontend.Circuit
		witness   frontend.Circuit
		satisfied bool
	}{
		{"two chunks", inner, f.inner(t, c0, c1, &f.s01), true},
		{"root of fold and chunk", rootPH, f.root(t, c01, c2, f.batch), true},
		{"reordered", inner, f.inner(t, c1, c0, &f.s01), false},
		{"skipped", inner, f.inner(t, c0, c2, &s12), false},
		{"duplicated", inner, f.inner(t, c0, c0, &s00), false},
		{"tampered child statement", inner, f.inner(t, c0, cTampered, &f.s01), false},
		{"child under a rogue key", inner, f.inner(t, c0, cRogue, &f.s01), false},
		{"chunk proof passed as a fold", inner, f.inner(t, c0, cAsFold, &f.s01), false},
		{"wrong inner output", inner, f.inner(t, c0, c1, &s12), false},
		{"wrong root statement", rootPH, f.root(t, c01, c2, &wrongBatch), false},
		{"root counts differ", rootPH, f.root(t, c01, c2, &wrongCounts), false},
		{"root not covering the batch", rootPH, f.root(t, c1, c2, f.batch), false},
		{"root with other keys", otherRoot, f.root(t, c01, c2, f.batch), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && !tc.satisfied && tc.name != "reordered" && tc.name != "child under a rogue key" {
				t.Skip("one negative case of each kind in -short")
			}
			err := test.IsSolved(tc.circuit, tc.witness, field)
			if tc.satisfied && err != nil {
				t.Fatalf("valid fold not solved: %v", err)
			}
			if !tc.satisfied {
				if err == nil {
					t.Fatal("fold solved")
				}
				msg, _, _ := strings.Cut(err.Error(), "\n")
				t.Logf("rejected: %s", msg)
			}
		})
	}
}
