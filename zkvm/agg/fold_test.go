package agg

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// toyLeaf exposes a claim digest as its single public input and, like the
// real leaves, has one BSB22 commitment (from the range checker).
type toyLeaf struct {
	Digest frontend.Variable `gnark:",public"`
	Claim  gadget.Claim
}

func (c *toyLeaf) Define(api frontend.API) error {
	d, err := c.Claim.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	rangecheck.New(api).Check(c.Claim.InputLen, 32)
	return nil
}

type toyKeys struct {
	ccs constraint.ConstraintSystem
	pk  groth16.ProvingKey
	vk  groth16.VerifyingKey
}

func toySetup(t testing.TB) toyKeys {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &toyLeaf{})
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	return toyKeys{ccs, pk, vk}
}

func toyProve(t testing.TB, k toyKeys, c *claim.Claim) groth16.Proof {
	t.Helper()
	d := c.Digest()
	w, err := frontend.NewWitness(&toyLeaf{Digest: d, Claim: gadget.AssignClaim(c)}, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	f := ecc.BN254.ScalarField()
	p, err := groth16.Prove(k.ccs, k.pk, w, stdgroth16.GetNativeProverOptions(f, f))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := w.Public()
	if err := groth16.Verify(p, k.vk, pw, stdgroth16.GetNativeVerifierOptions(f, f)); err != nil {
		t.Fatal(err)
	}
	return p
}

// chain builds n leaf claims whose CPU lane counts steps 0→1→…→n.
func chain(n int, vkset fr.Element) []claim.Claim {
	out := make([]claim.Claim, n)
	for i := range out {
		c := &out[i]
		c.Challenge = claim.U64(77)
		c.InputLen = claim.U64(5)
		c.VKSet = vkset
		c.Start[claim.CPUStep] = claim.U64(uint64(i))
		c.End[claim.CPUStep] = claim.U64(uint64(i + 1))
		c.BusSum = claim.U64(uint64(10 + i))
		c.Commitment = claim.U64(uint64(1000 + i))
	}
	return out
}

func assignChild(t testing.TB, p groth16.Proof, vk groth16.VerifyingKey, c *claim.Claim) Child {
	t.Helper()
	ap, err := stdgroth16.ValueOfProof[sw_bn254.G1Affine, sw_bn254.G2Affine](p)
	if err != nil {
		t.Fatal(err)
	}
	avk, err := stdgroth16.ValueOfVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](vk)
	if err != nil {
		t.Fatal(err)
	}
	return Child{Proof: ap, VK: avk, Claim: gadget.AssignClaim(c)}
}

func TestFoldSolver(t *testing.T) {
	good := toySetup(t)  // an allowed key
	rogue := toySetup(t) // same circuit, different setup: not allowed
	hGood, err := VKHash(good.vk)
	if err != nil {
		t.Fatal(err)
	}
	var allowed [NumKinds]fr.Element
	allowed[0] = hGood
	for i := 1; i < NumKinds; i++ {
		allowed[i] = claim.U64(uint64(900 + i)) // stand-ins for the other kinds
	}
	vkset := VKSetDigest(allowed)
	claims := chain(3, vkset)

	build := func(l, r *claim.Claim, lk, rk toyKeys, lp, rp groth16.Proof, out claim.Claim) *Fold {
		a := &Fold{Digest: out.Digest()}
		a.Left = assignChild(t, lp, lk.vk, l)
		a.Right = assignChild(t, rp, rk.vk, r)
		for i := range allowed {
			a.Allowed[i] = allowed[i].String()
		}
		return a
	}
	p0 := toyProve(t, good, &claims[0])
	p1 := toyProve(t, good, &claims[1])
	p2 := toyProve(t, good, &claims[2])
	folded, ok := claim.Fold(&claims[0], &claims[1])
	if !ok {
		t.Fatal("native fold rejected a valid chain")
	}
	placeholder := Placeholder(good.ccs)
	f := ecc.BN254.ScalarField()

	t.Run("valid", func(t *testing.T) {
		if err := test.IsSolved(placeholder, build(&claims[0], &claims[1], good, good, p0, p1, folded), f); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong output digest", func(t *testing.T) {
		bad := folded
		bad.BusSum.SetUint64(0)
		if test.IsSolved(placeholder, build(&claims[0], &claims[1], good, good, p0, p1, bad), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("tampered child claim", func(t *testing.T) {
		l := claims[0]
		l.BusSum.SetUint64(12345) // proof p0 is for the original claim
		out, _ := claim.Fold(&l, &claims[1])
		if test.IsSolved(placeholder, build(&l, &claims[1], good, good, p0, p1, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("key not allowed", func(t *testing.T) {
		pr := toyProve(t, rogue, &claims[1])
		if test.IsSolved(placeholder, build(&claims[0], &claims[1], good, rogue, p0, pr, folded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("missing leaf (chain mismatch)", func(t *testing.T) {
		out := claims[0]
		out.End = claims[2].End
		out.BusSum.Add(&claims[0].BusSum, &claims[2].BusSum)
		out.Commitment = claim.CombineCommitments(claims[0].Commitment, claims[2].Commitment)
		if test.IsSolved(placeholder, build(&claims[0], &claims[2], good, good, p0, p2, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("wrong globals", func(t *testing.T) {
		r := claims[1]
		r.InputLen = claim.U64(6)
		pr := toyProve(t, good, &r)
		out := folded
		if test.IsSolved(placeholder, build(&claims[0], &r, good, good, p0, pr, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("wrong vk set", func(t *testing.T) {
		l, r := claims[0], claims[1]
		l.VKSet, r.VKSet = claim.U64(1), claim.U64(1)
		pl, pr := toyProve(t, good, &l), toyProve(t, good, &r)
		out, _ := claim.Fold(&l, &r)
		if test.IsSolved(placeholder, build(&l, &r, good, good, pl, pr, out), f) == nil {
			t.Fatal("accepted")
		}
	})
}
