package wrap

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/internal/toyfold"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// TestWrapCompiled compiles the wrap for a verifying key of the fold's
// shape (the toy fold's), checks that it has the shape of a final proof
// (one public input, one BSB22 commitment: settle.CheckVerifyingKey
// accepts a key of that shape), and runs gnark's solver on the compiled
// constraint system (the fixed-base path of the constant bases K is the
// compiler's, not the test engine's): a valid witness solves, a wrong
// public input does not. About 20 s and 2 GB per step.
func TestWrapCompiled(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and solves a circuit of a million constraints")
	}
	key := toySetup(t)
	if err := agg.CheckFoldVK(key.VK); err != nil {
		t.Fatalf("the toy key is not fold-shaped: %v", err)
	}
	set := zkvmSet()
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

	j := testJob(t)
	root := j.root(set)
	full := j.statement()
	stmt := StatementOf(&full)
	a, err := Assign(key.Prove(t, &root), key.VK, &root, &stmt, j.leaves)
	if err != nil {
		t.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	solve := func(a *Wrap) error {
		t.Helper()
		w, err := frontend.NewWitness(a, f)
		if err != nil {
			t.Fatal(err)
		}
		return ccs.IsSolved(w)
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
	t.Run("another leaf count", func(t *testing.T) {
		b := *a
		b.Leaves = j.leaves + 1
		if solve(&b) == nil {
			t.Fatal("accepted")
		}
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
// the statement's packing and SHA-256, the root claim's digest. What is
// left (the challenge, program id and tape digests, the lane checks) is
// the difference. Run with
//
//	go test -run '^$' -bench WrapComponents -benchtime 1x ./zkvm/wrap
func BenchmarkWrapComponents(b *testing.B) {
	key := toySetup(b)
	w, err := Placeholder(key.VK, zkvmSet())
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
