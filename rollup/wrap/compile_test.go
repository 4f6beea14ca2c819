package wrap

import (
	"math/big"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/internal/toyfold"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// TestWrapCompiled compiles the wrap for a verifying key of the fold's
// shape (three bases K, one commitment covering no public input: the toy
// fold's), checks that it has the shape of a final proof (one public
// input, one BSB22 commitment: settle.CheckVerifyingKey accepts a key of
// that shape), and runs gnark's solver on the compiled constraint system
// (the fixed-base path of the constant bases K is the compiler's, not the
// test engine's): a valid witness solves, a wrong public input and a
// non-canonical root decomposition do not. About 20 s and 2 GB per step.
func TestWrapCompiled(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and solves a circuit of a million constraints")
	}
	key := toySetup(t)
	if err := agg.CheckFoldVK(key.VK); err != nil {
		t.Fatalf("the toy key is not fold-shaped: %v", err)
	}
	set := rollupSet()
	ccs, err := Compile(key.VK, set)
	if err != nil {
		t.Fatal(err)
	}
	cm := ccs.GetCommitments().(constraint.Groth16Commitments)
	committed := cm.GetPublicAndCommitmentCommitted(cm.CommitmentIndexes(), ccs.GetNbPublicVariables())
	t.Logf("wrap: %d constraints, %d public input, %d commitment covering public inputs %v",
		ccs.GetNbConstraints(), ccs.GetNbPublicVariables()-1, len(cm), committed)
	if err := settle.CheckVerifyingKey(toyfold.ShapedVK(ccs)); err != nil {
		t.Fatalf("settle refuses the wrap's key shape: %v", err)
	}

	stmt := testStatement()
	stmt.WithdrawalRoot = claim.U64(0xbeef) // small: it has a decomposition v + r
	root := rootClaim(&stmt, set)
	proof := key.Prove(t, &root)
	a, err := Assign(proof, key.VK, &root, &stmt)
	if err != nil {
		t.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	solve := func(a *Wrap, opts ...solver.Option) error {
		t.Helper()
		w, err := frontend.NewWitness(a, f)
		if err != nil {
			t.Fatal(err)
		}
		return ccs.IsSolved(w, opts...)
	}
	if err := solve(a); err != nil {
		t.Fatalf("valid witness: %v", err)
	}
	t.Run("wrong public input", func(t *testing.T) {
		b := *a
		b.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		if solve(&b) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("non-canonical root", func(t *testing.T) {
		b := *a
		b.PublicInput = nonCanonicalPublicInput(t, &stmt, 3, big.NewInt(0xbeef))
		nBits := hintNamed(t, "github.com/consensys/gnark/std/math/bits.nBits")
		var mu sync.Mutex
		hit := false
		err := solve(&b, solver.OverrideHint(solver.GetHintID(nBits), func(m *big.Int, in, out []*big.Int) error {
			if err := nBits(m, in, out); err != nil {
				return err
			}
			if len(out) == fr.Bits && in[0].Cmp(big.NewInt(0xbeef)) == 0 {
				w := new(big.Int).Add(in[0], m)
				for i := range out {
					out[i].SetUint64(uint64(w.Bit(i)))
				}
				mu.Lock()
				hit = true
				mu.Unlock()
			}
			return nil
		}))
		if !hit {
			t.Fatal("the decomposition was not replaced")
		}
		if err == nil {
			t.Fatal("a non-canonical root decomposition was accepted")
		}
		t.Logf("refused: %.200s", err)
	})
}

// verifierOnly is the wrap's in-circuit verifier alone.
type verifierOnly struct {
	Digest frontend.Variable `gnark:",public"`
	Proof  agg.Proof
	VK     groth16.VerifyingKey `gnark:"-"`
}

func (c *verifierOnly) Define(api frontend.API) error {
	return agg.VerifyConstant(api, c.VK, &c.Proof, c.Digest)
}

// digestOnly is the root claim's digest alone.
type digestOnly struct {
	Digest frontend.Variable `gnark:",public"`
	Claim  gadget.Claim
}

func (c *digestOnly) Define(api frontend.API) error {
	d, err := c.Claim.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	return nil
}

// BenchmarkWrapComponents reports the constraint count of the wrap and of
// its parts compiled alone: the in-circuit verifier of the root fold proof,
// the statement's encoding and SHA-256, the root claim's digest. Run with
//
//	go test -run '^$' -bench WrapComponents -benchtime 1x ./rollup/wrap
func BenchmarkWrapComponents(b *testing.B) {
	key := toySetup(b)
	set := rollupSet()
	w, err := Placeholder(key.VK, set)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    frontend.Circuit
	}{
		{"Wrap", w},
		{"Verifier", &verifierOnly{Proof: agg.PlaceholderFoldProof(), VK: key.VK}},
		{"StatementSHA256", &piCircuit{}},
		{"ClaimDigest", &digestOnly{}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, tc.c)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
				b.Logf("%s: %d constraints, %d commitments", tc.name, ccs.GetNbConstraints(), len(ccs.GetCommitments().CommitmentIndexes()))
			}
		})
	}
}
