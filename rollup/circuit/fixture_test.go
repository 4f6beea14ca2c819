package circuit

import (
	"bytes"
	"math/big"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Test shapes: a small tree and few slots keep every compile well under a
// second.
var (
	shape2 = batch.Shape{Depth: 8, Slots: 2}
	shape4 = batch.Shape{Depth: 8, Slots: 4}
)

// testVKSet stands for the rollup's verifying-key set: the chunk circuit
// takes it as a free witness, so any value does.
var testVKSet = claim.Hash(claim.U64(0x766b), claim.U64(7))

var ccsCache sync.Map // batch.Shape → constraint.ConstraintSystem

func ccsFor(t *testing.T, shape batch.Shape) constraint.ConstraintSystem {
	t.Helper()
	if v, ok := ccsCache.Load(shape); ok {
		return v.(constraint.ConstraintSystem)
	}
	ccs := compileShape(t, shape)
	ccsCache.Store(shape, ccs)
	return ccs
}

// solve checks an assignment against the compiled R1CS.
func solve(t *testing.T, shape batch.Shape, c *Chunk) error {
	t.Helper()
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return err
	}
	return ccsFor(t, shape).IsSolved(w)
}

func key(t *testing.T, i byte) *tx.Key {
	t.Helper()
	k, err := tx.NewKey(bytes.NewReader(bytes.Repeat([]byte{i + 1}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// genesis: account 0 (key 0, 1000, nonce 5), 1 (key 1, 500, 0),
// 2 (key 2, 300, 2); index 3 is free.
func genesis(t *testing.T, depth int) *state.Tree {
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

func transfer(t *testing.T, k *tx.Key, from, to, amount, nonce uint64) tx.Tx {
	t.Helper()
	x := tx.Tx{Kind: tx.KindTransfer, From: from, To: to, Amount: amount, Nonce: nonce}
	if err := k.Sign(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

func withdrawal(t *testing.T, k *tx.Key, from uint64, to byte, amount, nonce uint64) tx.Tx {
	t.Helper()
	x := tx.Tx{Kind: tx.KindWithdrawal, From: from, Amount: amount, Nonce: nonce}
	x.Recipient[0], x.Recipient[19] = 0xee, to
	if err := k.Sign(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

func deposit(t *testing.T, k *tx.Key, to, amount uint64) tx.Tx {
	t.Helper()
	return tx.Tx{Kind: tx.KindDeposit, To: to, Amount: amount, PubKey: k.Public()}
}

// prepare runs txs through the same path as the prover: a multiproof of
// the touched accounts at the genesis root, checked and executed.
func prepare(t *testing.T, shape batch.Shape, txs ...tx.Tx) *batch.Prepared {
	t.Helper()
	tr := genesis(t, shape.Depth)
	var touched []uint64
	for _, x := range txs {
		touched = append(touched, x.From, x.To)
	}
	mp, err := tr.MultiProof(touched)
	if err != nil {
		t.Fatal(err)
	}
	p, err := batch.Prepare(&batch.Batch{BatchID: 7, PreStateRoot: tr.Root(), Txs: txs, Accounts: mp}, shape)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func assign(t *testing.T, shape batch.Shape, ch *batch.Chunk) *Chunk {
	t.Helper()
	c, err := Assign(shape, ch, testVKSet)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fe reads an assigned value as a field element.
func fe(t *testing.T, v frontend.Variable) fr.Element {
	t.Helper()
	var e fr.Element
	if _, err := e.SetInterface(v); err != nil {
		t.Fatalf("value %v: %v", v, err)
	}
	return e
}

func feU64(t *testing.T, v frontend.Variable) uint64 {
	e := fe(t, v)
	return e.Uint64()
}

func pw(n uint) fr.Element {
	var e fr.Element
	e.SetBigInt(new(big.Int).Lsh(big.NewInt(1), n))
	return e
}

func lin(terms ...[2]fr.Element) fr.Element {
	var acc fr.Element
	for _, tm := range terms {
		var p fr.Element
		p.Mul(&tm[0], &tm[1])
		acc.Add(&acc, &p)
	}
	return acc
}

func one() fr.Element { var e fr.Element; e.SetOne(); return e }

func sel(b, x, y fr.Element) fr.Element { // y + b·(x − y), as api.Select
	var d fr.Element
	d.Sub(&x, &y).Mul(&d, &b)
	return *d.Add(&d, &y)
}

// pathNodes mirrors Chunk.pathRoot with possibly non-Boolean bits:
// nodes[l] is the path node at level l, nodes[depth] the root.
func pathNodes(t *testing.T, leaf fr.Element, p Path) []fr.Element {
	nodes := []fr.Element{leaf}
	cur := leaf
	for l := range p.Bits {
		b, sib := fe(t, p.Bits[l]), fe(t, p.Siblings[l])
		left := sel(b, sib, cur)
		var right fr.Element
		right.Add(&cur, &sib).Sub(&right, &left)
		cur = state.Compress(left, right)
		nodes = append(nodes, cur)
	}
	return nodes
}

func bitsIndex(t *testing.T, p Path) uint64 {
	var v uint64
	for l := range p.Bits {
		v |= feU64(t, p.Bits[l]) << l
	}
	return v
}

// reseal recomputes, in field arithmetic and without any of the circuit's
// range or Boolean checks, everything a tampered slot 0 determines: its
// signature (re-signed by signer if non-nil), the receiver's sibling that
// holds the sender's subtree, the roots, accumulators, counts and the
// claim digest. The pre-state root is kept if keepPre (it is fixed by the
// previous chunk), otherwise recomputed. Slots after 0 must be empty. A
// tampered witness that only a skipped check would catch then satisfies
// every other constraint, so the test shows that check is needed.
func reseal(t *testing.T, c *Chunk, signer *tx.Key, keepPre bool) {
	t.Helper()
	s := &c.Slots[0]
	isT, isW, isD := fe(t, s.IsTransfer), fe(t, s.IsWithdrawal), fe(t, s.IsDeposit)
	var signed, credited, active fr.Element
	signed.Add(&isT, &isW)
	credited.Add(&isT, &isD)
	active.Add(&signed, &isD)
	two, three := fe(t, 2), fe(t, 3)
	kind := lin([2]fr.Element{isT, one()}, [2]fr.Element{isW, two}, [2]fr.Element{isD, three})
	amount, nonce := fe(t, s.Amount), fe(t, s.Nonce)
	bal, rb, rn := fe(t, s.SenderBalance), fe(t, s.ReceiverBalance), fe(t, s.ReceiverNonce)
	from, to, recip := fe(t, s.From), fe(t, s.To), fe(t, s.Recipient)
	tagOf := func(tag uint64) fr.Element { e := fe(t, tag); p := pw(state.TagShift); e.Mul(&e, &p); return e }

	var newSB, newNonce, newRB, tmp fr.Element
	tmp.Mul(&signed, &amount)
	newSB.Sub(&bal, &tmp)
	newNonce.Add(&nonce, &signed)
	tmp.Mul(&credited, &amount)
	newRB.Add(&rb, &tmp)

	pkh := state.Compress(fe(t, s.Owner.X), fe(t, s.Owner.Y))
	tagM, tagD, tagL, tagW := tagOf(state.TagMessage), tagOf(state.TagDeposit), tagOf(state.TagLeaf), tagOf(state.TagWithdrawal)
	w1 := lin([2]fr.Element{kind, one()}, [2]fr.Element{from, pw(8)}, [2]fr.Element{nonce, pw(72)}, [2]fr.Element{tagM, one()})
	w2 := lin([2]fr.Element{isT, to}, [2]fr.Element{isW, recip}, [2]fr.Element{amount, pw(160)})
	dep := lin([2]fr.Element{three, one()}, [2]fr.Element{to, pw(8)}, [2]fr.Element{amount, pw(72)}, [2]fr.Element{tagD, one()})
	entry := state.Compress(sel(isD, pkh, w1), sel(isD, dep, w2))
	if signer != nil {
		sig, err := signer.SignMessage(entry)
		if err != nil {
			t.Fatal(err)
		}
		r, sc, err := tx.DecodeSignature(sig)
		if err != nil {
			t.Fatal(err)
		}
		s.SigR.X, s.SigR.Y, s.SigS = elem(r.X), elem(r.Y), sc
	}
	leaf := func(h, b, n fr.Element) fr.Element {
		return state.Compress(h, lin([2]fr.Element{b, one()}, [2]fr.Element{n, pw(64)}, [2]fr.Element{tagL, one()}))
	}
	root := fe(t, c.PreRoot)
	isSigned, isCredited := !signed.IsZero(), !credited.IsZero()
	if isSigned {
		oldA := pathNodes(t, leaf(pkh, bal, nonce), s.SenderPath)
		if !keepPre {
			c.PreRoot = elem(oldA[len(oldA)-1])
		}
		newA := pathNodes(t, leaf(pkh, newSB, newNonce), s.SenderPath)
		root = newA[len(newA)-1]
		if isCredited {
			fi, ti := bitsIndex(t, s.SenderPath), bitsIndex(t, s.ReceiverPath)
			for l := range s.ReceiverPath.Siblings {
				if (ti>>l)^1 == fi>>l {
					s.ReceiverPath.Siblings[l] = elem(newA[l])
				}
			}
		}
	}
	if isCredited {
		pkhB := sel(isD, pkh, fe(t, s.ReceiverPKHash))
		oldLeafB := leaf(pkhB, rb, rn)
		if feU64(t, s.ReceiverNew) == 1 {
			oldLeafB.SetZero()
		}
		if !isSigned && !keepPre {
			oldB := pathNodes(t, oldLeafB, s.ReceiverPath)
			c.PreRoot = elem(oldB[len(oldB)-1])
			root = oldB[len(oldB)-1]
		}
		newB := pathNodes(t, leaf(pkhB, newRB, rn), s.ReceiverPath)
		root = newB[len(newB)-1]
	}
	st := batch.ChunkStatement{
		BatchID: feU64(t, c.BatchID), First: feU64(t, c.First), Count: 1, PreRoot: fe(t, c.PreRoot), PostRoot: root,
		AccIn:   batch.Accumulators{BatchHash: fe(t, c.AccIn[0]), Withdrawals: fe(t, c.AccIn[1]), Deposits: fe(t, c.AccIn[2])},
		CountIn: batch.Counts{Txs: feU64(t, c.CountIn[0]), Withdrawals: feU64(t, c.CountIn[1]), Deposits: feU64(t, c.CountIn[2])},
	}
	acc := st.AccIn
	if !active.IsZero() {
		acc.BatchHash = state.Compress(acc.BatchHash, entry)
	}
	wEntry := lin([2]fr.Element{recip, one()}, [2]fr.Element{amount, pw(160)}, [2]fr.Element{tagW, one()})
	tagQ := tagOf(state.TagL1Deposit)
	var qWord fr.Element
	qWord.Add(&amount, &tagQ)
	qEntry := state.Compress(pkh, qWord)
	side := state.Compress(sel(isW, acc.Withdrawals, acc.Deposits), sel(isW, wEntry, qEntry))
	acc.Withdrawals = sel(isW, side, acc.Withdrawals)
	acc.Deposits = sel(isD, side, acc.Deposits)
	st.AccOut = acc
	st.CountOut = st.CountIn
	st.CountOut.Txs += active.Uint64()
	st.CountOut.Withdrawals += isW.Uint64()
	st.CountOut.Deposits += isD.Uint64()
	setStatement(t, c, &st)
}

// setStatement writes a statement's fields into c and its claim's digest
// (under c's VK set) into c.Digest.
func setStatement(t *testing.T, c *Chunk, st *batch.ChunkStatement) {
	c.PreRoot, c.PostRoot = elem(st.PreRoot), elem(st.PostRoot)
	c.AccOut = [3]frontend.Variable{elem(st.AccOut.BatchHash), elem(st.AccOut.Withdrawals), elem(st.AccOut.Deposits)}
	c.CountOut = [3]frontend.Variable{st.CountOut.Txs, st.CountOut.Withdrawals, st.CountOut.Deposits}
	c.Digest = claimDigest(t, c, st)
}

// claimDigest is the native digest of st's claim under c's VK set.
func claimDigest(t *testing.T, c *Chunk, st *batch.ChunkStatement) frontend.Variable {
	cl := st.Claim(fe(t, c.VKSet))
	return elem(cl.Digest())
}

// statementOf reads the statement an assignment claims.
func statementOf(t *testing.T, c *Chunk) batch.ChunkStatement {
	return batch.ChunkStatement{
		BatchID: feU64(t, c.BatchID), First: feU64(t, c.First), Count: 1, PreRoot: fe(t, c.PreRoot), PostRoot: fe(t, c.PostRoot),
		AccIn:    batch.Accumulators{BatchHash: fe(t, c.AccIn[0]), Withdrawals: fe(t, c.AccIn[1]), Deposits: fe(t, c.AccIn[2])},
		AccOut:   batch.Accumulators{BatchHash: fe(t, c.AccOut[0]), Withdrawals: fe(t, c.AccOut[1]), Deposits: fe(t, c.AccOut[2])},
		CountIn:  batch.Counts{Txs: feU64(t, c.CountIn[0]), Withdrawals: feU64(t, c.CountIn[1]), Deposits: feU64(t, c.CountIn[2])},
		CountOut: batch.Counts{Txs: feU64(t, c.CountOut[0]), Withdrawals: feU64(t, c.CountOut[1]), Deposits: feU64(t, c.CountOut[2])},
	}
}
