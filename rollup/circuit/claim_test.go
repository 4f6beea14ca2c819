package circuit

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/circuit/cpu"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// claimOnly is the chunk circuit's statement-to-claim step alone: the
// statement fields of a Chunk (no slots), the claim laid out by
// Chunk.claim, its digest asserted equal to the public Digest.
type claimOnly struct {
	C Chunk
}

func (c *claimOnly) Define(api frontend.API) error {
	d, err := c.C.claim(api).Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.C.Digest)
	return nil
}

func randStatement(rng *rand.Rand) batch.ChunkStatement {
	f := func() fr.Element {
		var e fr.Element
		e.SetUint64(rng.Uint64())
		var x fr.Element
		x.SetUint64(rng.Uint64())
		e.Mul(&e, &x).Mul(&e, &x).Add(&e, &x) // spread over the field
		return e
	}
	u := func() uint64 { return rng.Uint64() >> rng.IntN(64) }
	first := u() >> 1 // First+1 stays a 64-bit integer
	return batch.ChunkStatement{
		BatchID: u(), First: first, Count: 1,
		PreRoot: f(), PostRoot: f(),
		AccIn:    batch.Accumulators{BatchHash: f(), Withdrawals: f(), Deposits: f()},
		AccOut:   batch.Accumulators{BatchHash: f(), Withdrawals: f(), Deposits: f()},
		CountIn:  batch.Counts{Txs: u(), Withdrawals: u(), Deposits: u()},
		CountOut: batch.Counts{Txs: u(), Withdrawals: u(), Deposits: u()},
	}
}

// statementChunk assigns a statement's fields (no slots) under vkSet.
func statementChunk(st *batch.ChunkStatement, vkSet fr.Element, digest fr.Element) Chunk {
	return Chunk{
		Digest:   elem(digest),
		VKSet:    elem(vkSet),
		BatchID:  st.BatchID,
		First:    st.First,
		PreRoot:  elem(st.PreRoot),
		PostRoot: elem(st.PostRoot),
		AccIn:    [3]frontend.Variable{elem(st.AccIn.BatchHash), elem(st.AccIn.Withdrawals), elem(st.AccIn.Deposits)},
		AccOut:   [3]frontend.Variable{elem(st.AccOut.BatchHash), elem(st.AccOut.Withdrawals), elem(st.AccOut.Deposits)},
		CountIn:  [3]frontend.Variable{st.CountIn.Txs, st.CountIn.Withdrawals, st.CountIn.Deposits},
		CountOut: [3]frontend.Variable{st.CountOut.Txs, st.CountOut.Withdrawals, st.CountOut.Deposits},
	}
}

// altered lists claims that differ from cl in one place each: every
// global, a lane of each kind, both cursors, the unused lanes.
func altered(cl claim.Claim) map[string]claim.Claim {
	one := claim.U64(1)
	out := map[string]claim.Claim{}
	add := func(name string, f func(c *claim.Claim)) {
		c := cl
		f(&c)
		out[name] = c
	}
	add("another batch id", func(c *claim.Claim) { c.Challenge.Add(&c.Challenge, &one) })
	add("another VK set", func(c *claim.Claim) { c.VKSet.Add(&c.VKSet, &one) })
	add("input length 1", func(c *claim.Claim) { c.InputLen = one })
	add("bus sum 1", func(c *claim.Claim) { c.BusSum = one })
	add("commitment 1", func(c *claim.Claim) { c.Commitment = one })
	add("two chunks (end cursor First+2)", func(c *claim.Claim) { c.End[batch.LaneCursor].Add(&c.End[batch.LaneCursor], &one) })
	add("no chunk (end cursor First)", func(c *claim.Claim) { c.End[batch.LaneCursor] = c.Start[batch.LaneCursor] })
	add("another start cursor", func(c *claim.Claim) { c.Start[batch.LaneCursor].Add(&c.Start[batch.LaneCursor], &one) })
	add("another pre root", func(c *claim.Claim) { c.Start[batch.LaneRoot].Add(&c.Start[batch.LaneRoot], &one) })
	add("another post root", func(c *claim.Claim) { c.End[batch.LaneRoot].Add(&c.End[batch.LaneRoot], &one) })
	add("another deposit root in", func(c *claim.Claim) { c.Start[batch.LaneDeposits].Add(&c.Start[batch.LaneDeposits], &one) })
	add("another withdrawal count out", func(c *claim.Claim) {
		c.End[batch.LaneWithdrawalCount].Add(&c.End[batch.LaneWithdrawalCount], &one)
	})
	add("start and end swapped", func(c *claim.Claim) { c.Start, c.End = c.End, c.Start })
	for i := batch.LaneDepositCount + 1; i < claim.StateWidth; i++ {
		add(fmt.Sprintf("unused start lane %d set", i), func(c *claim.Claim) { c.Start[i] = one })
		add(fmt.Sprintf("unused end lane %d set", i), func(c *claim.Claim) { c.End[i] = one })
	}
	return out
}

// TestClaimDigestMatchesNative checks, with gnark's test engine, that the
// claim the chunk circuit lays out from its statement hashes to exactly
// batch.ChunkStatement.Claim(vkSet).Digest(), and to nothing else.
func TestClaimDigestMatchesNative(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	field := ecc.BN254.ScalarField()
	for i := range 4 {
		st := randStatement(rng)
		var vk fr.Element
		vk.SetUint64(rng.Uint64())
		if i == 0 {
			st, vk = batch.ChunkStatement{Count: 1}, fr.Element{} // all zero but the end cursor
		}
		cl := st.Claim(vk)
		w := &claimOnly{C: statementChunk(&st, vk, cl.Digest())}
		if err := test.IsSolved(&claimOnly{}, w, field); err != nil {
			t.Fatalf("statement %d: in-circuit claim digest differs from ChunkStatement.Claim(vkSet).Digest(): %v", i, err)
		}
		for name, bad := range altered(cl) {
			w := &claimOnly{C: statementChunk(&st, vk, bad.Digest())}
			if err := test.IsSolved(&claimOnly{}, w, field); err == nil {
				t.Fatalf("statement %d: digest of a claim with %s accepted", i, name)
			}
		}
	}
}

// TestChunkPublishesClaimDigest checks the compiled chunk circuit: a
// prepared chunk solves with the public digest of its statement's claim
// (computed here, not by Assign) under any VK set, the VK set being a
// free witness, and with no other digest.
func TestChunkPublishesClaimDigest(t *testing.T) {
	p := prepare(t, shape2, transfer(t, key(t, 0), 0, 1, 100, 5), deposit(t, key(t, 3), 3, 50))
	ch := &p.Chunks[0]
	for _, vk := range []fr.Element{testVKSet, {}, claim.U64(12345)} {
		c, err := Assign(shape2, ch, vk)
		if err != nil {
			t.Fatal(err)
		}
		cl := ch.Statement.Claim(vk)
		want := cl.Digest()
		if got := fe(t, c.Digest); !got.Equal(&want) {
			t.Fatal("Assign's digest is not ChunkStatement.Claim(vkSet).Digest()")
		}
		c.Digest = elem(want)
		if err := solve(t, shape2, c); err != nil {
			t.Fatalf("VK set %s: %v", vk.String(), err)
		}
	}
	cl := ch.Statement.Claim(testVKSet)
	digests := map[string]fr.Element{}
	for name, b := range altered(cl) {
		digests["the digest of a claim with "+name] = b.Digest()
	}
	d, one := cl.Digest(), claim.U64(1)
	digests["the digest + 1"] = *d.Add(&d, &one)
	for name, bad := range digests {
		c := assign(t, shape2, ch)
		c.Digest = elem(bad)
		if err := solve(t, shape2, c); err == nil {
			t.Fatalf("chunk solves with %s", name)
		}
	}
}

// TestChunkHasTheLeafShape checks what zkvm/prover's sameShape checks
// before one fold verifier takes two circuits: the chunk circuit and the
// zkVM's cpu leaf (both at small shapes; the shape of the public part does
// not depend on the sizes) have the same public variables, one BSB22
// commitment each, and the same public inputs under it.
func TestChunkHasTheLeafShape(t *testing.T) {
	chunk := compileShape(t, batch.Shape{Depth: 4, Slots: 1})
	leaf, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, cpu.Placeholder(2))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := chunk.GetNbPublicVariables(), leaf.GetNbPublicVariables(); a != b || a != 2 {
		t.Fatalf("public variables: chunk %d, cpu leaf %d, want 2 (the constant and the digest)", a, b)
	}
	committed := func(cs constraint.ConstraintSystem) string {
		cm := cs.GetCommitments().(constraint.Groth16Commitments)
		if len(cm) != 1 {
			t.Fatalf("%d commitments, want 1", len(cm))
		}
		return fmt.Sprint(cm.GetPublicAndCommitmentCommitted(cm.CommitmentIndexes(), cs.GetNbPublicVariables()))
	}
	if a, b := committed(chunk), committed(leaf); a != b {
		t.Fatalf("committed public inputs: chunk %s, cpu leaf %s", a, b)
	}
	t.Logf("chunk (depth 4, K = 1): %d constraints; cpu leaf (2 steps): %d", chunk.GetNbConstraints(), leaf.GetNbConstraints())
}
