package batch

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

var testVKSet = claim.U64(0x5e7) // any element: the rollup's key-set digest in a test

// foldClaims folds claims left to right with the zkVM's rule.
func foldClaims(t *testing.T, cls []claim.Claim) claim.Claim {
	t.Helper()
	acc := cls[0]
	for i := 1; i < len(cls); i++ {
		var ok bool
		if acc, ok = claim.Fold(&acc, &cls[i]); !ok {
			t.Fatalf("claim.Fold refused chunk %d", i)
		}
	}
	return acc
}

// TestChunkClaimFold: a chunk statement survives the trip through a
// claim, and folding the chunks' claims with the zkVM's rule — in order or
// as a tree — gives the claim of the Combine of the chunks, which passes
// CheckRootClaim against the batch statement.
func TestChunkClaimFold(t *testing.T) {
	p := prepared(t, 2)
	cs := p.ChunkStatements()
	if len(cs) < 3 {
		t.Fatalf("%d chunks: want a few", len(cs))
	}
	cls := make([]claim.Claim, len(cs))
	for i := range cs {
		cls[i] = cs[i].Claim(testVKSet)
		back, err := ChunkFromClaim(&cls[i])
		if err != nil || back != cs[i] {
			t.Fatalf("chunk %d: %+v %v, want %+v", i, back, err, cs[i])
		}
	}
	folded := foldClaims(t, cls)
	want := cs[0]
	for i := 1; i < len(cs); i++ {
		var err error
		if want, err = Combine(&want, &cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ChunkFromClaim(&folded)
	if err != nil || got != want {
		t.Fatalf("folded claim %+v %v, combined %+v", got, err, want)
	}
	if err := CheckRootClaim(&p.Statement, &folded, testVKSet); err != nil {
		t.Fatal(err)
	}
	// A tree: (0 1) then the rest.
	left, ok := claim.Fold(&cls[0], &cls[1])
	if !ok {
		t.Fatal("fold of chunks 0 and 1")
	}
	tree := foldClaims(t, append([]claim.Claim{left}, cls[2:]...))
	// Commitments combine by tree shape; the statement does not.
	if g, err := ChunkFromClaim(&tree); err != nil || g != want {
		t.Fatalf("tree-shaped fold %+v %v", g, err)
	}
	other := claim.U64(1)
	if err := CheckRootClaim(&p.Statement, &folded, other); err == nil {
		t.Fatal("a root claim under other verifying keys passed")
	}
	if err := CheckRootClaim(&p.Statement, &cls[1], testVKSet); err == nil {
		t.Fatal("a claim not starting at chunk 0 passed as the root")
	}
}

// TestChunkClaimFoldIsCombine: for every way of breaking the seam between
// two adjacent chunks, the zkVM's fold rule refuses exactly when Combine
// does.
func TestChunkClaimFoldIsCombine(t *testing.T) {
	cs := prepared(t, 2).ChunkStatements()
	a, b := cs[0], cs[1]
	one := claim.U64(1)
	bump := func(e fr.Element) fr.Element { var r fr.Element; r.Add(&e, &one); return r }
	for name, mutate := range map[string]func(*ChunkStatement){
		"none":             func(*ChunkStatement) {},
		"other batch":      func(c *ChunkStatement) { c.BatchID++ },
		"skipped chunk":    func(c *ChunkStatement) { c.First++ },
		"repeated chunk":   func(c *ChunkStatement) { c.First-- },
		"other pre root":   func(c *ChunkStatement) { c.PreRoot = bump(c.PreRoot) },
		"batch hash":       func(c *ChunkStatement) { c.AccIn.BatchHash = bump(c.AccIn.BatchHash) },
		"withdrawal root":  func(c *ChunkStatement) { c.AccIn.Withdrawals = bump(c.AccIn.Withdrawals) },
		"deposit root":     func(c *ChunkStatement) { c.AccIn.Deposits = bump(c.AccIn.Deposits) },
		"tx count":         func(c *ChunkStatement) { c.CountIn.Txs++ },
		"withdrawal count": func(c *ChunkStatement) { c.CountIn.Withdrawals++ },
		"deposit count":    func(c *ChunkStatement) { c.CountIn.Deposits++ },
	} {
		t.Run(name, func(t *testing.T) {
			bb := b
			mutate(&bb)
			combined, cerr := Combine(&a, &bb)
			ca, cb := a.Claim(testVKSet), bb.Claim(testVKSet)
			folded, ok := claim.Fold(&ca, &cb)
			if (cerr == nil) != ok {
				t.Fatalf("Combine: %v; claim.Fold ok = %v", cerr, ok)
			}
			if ok {
				if got, err := ChunkFromClaim(&folded); err != nil || got != combined {
					t.Fatalf("folded %+v %v, combined %+v", got, err, combined)
				}
			}
		})
	}
}

// TestChunkFromClaimRefuses: claims that no chunk proof states.
func TestChunkFromClaimRefuses(t *testing.T) {
	c := prepared(t, 2).ChunkStatements()[0]
	var big fr.Element
	big.SetString("18446744073709551616") // 2^64
	for name, mutate := range map[string]func(*claim.Claim){
		"input length":    func(cl *claim.Claim) { cl.InputLen = claim.U64(1) },
		"bus sum":         func(cl *claim.Claim) { cl.BusSum = claim.U64(1) },
		"unused lane":     func(cl *claim.Claim) { cl.End[claim.StateWidth-1] = claim.U64(1) },
		"no chunk":        func(cl *claim.Claim) { cl.End[LaneCursor] = cl.Start[LaneCursor] },
		"backwards":       func(cl *claim.Claim) { cl.Start[LaneCursor] = claim.U64(5) },
		"batch id ≥ 2^64": func(cl *claim.Claim) { cl.Challenge = big },
		"count ≥ 2^64":    func(cl *claim.Claim) { cl.End[LaneTxs] = big },
		"cursor ≥ 2^64":   func(cl *claim.Claim) { cl.End[LaneCursor] = big },
	} {
		t.Run(name, func(t *testing.T) {
			cl := c.Claim(testVKSet)
			mutate(&cl)
			if got, err := ChunkFromClaim(&cl); err == nil {
				t.Fatalf("accepted as %+v", got)
			}
		})
	}
}
