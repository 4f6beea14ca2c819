package circuit

import (
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
)

// TestExampleBatchSolves runs the sequencer's example batch through the
// prover's path (JSON request → multiproof → native execution → chunk
// witnesses) and checks every chunk against the compiled circuit, with
// each chunk's public input equal to the digest of its statement's claim.
func TestExampleBatchSolves(t *testing.T) {
	shape := batch.Shape{Depth: 16, Slots: 4}
	b, err := sequencer.ExampleBatch(shape, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := b.Request.Decode()
	if err != nil {
		t.Fatal(err)
	}
	p, err := batch.Prepare(nb, shape)
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.CheckChain(&p.Statement, p.ChunkStatements()); err != nil {
		t.Fatal(err)
	}
	for i := range p.Chunks {
		c := assign(t, shape, &p.Chunks[i])
		start := time.Now()
		if err := solve(t, shape, c); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		t.Logf("chunk %d solved in %v", i, time.Since(start))
		cl := p.Chunks[i].Statement.Claim(testVKSet)
		d := cl.Digest()
		if got := fe(t, c.Digest); !got.Equal(&d) {
			t.Fatalf("chunk %d: public input is not the digest of the statement's claim", i)
		}
		w, err := Witness(shape, &p.Chunks[i], testVKSet)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := w.Public()
		if err != nil {
			t.Fatal(err)
		}
		vec, ok := pub.Vector().(fr.Vector)
		if !ok || len(vec) != 1 || !vec[0].Equal(&d) {
			t.Fatalf("chunk %d: public witness %v, want only the digest", i, pub.Vector())
		}
	}
}
