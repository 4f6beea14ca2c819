package agg

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
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

func assignChild(t testing.TB, p groth16.Proof, vk groth16.VerifyingKey, kind int, c *claim.Claim) Child {
	t.Helper()
	ch, err := AssignChild(p, vk, kind, c)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// toyKinds sets up one toy key per kind (distinct setups of the same
// circuit, as the real kinds are distinct circuits) and returns them with
// their fixed keys and hashes.
func toyKinds(t testing.TB) ([NumKinds]toyKeys, [NumKinds]FixedKey, [NumKinds]fr.Element) {
	t.Helper()
	var ks [NumKinds]toyKeys
	var fixed [NumKinds]FixedKey
	var hs [NumKinds]fr.Element
	for i := range ks {
		ks[i] = toySetup(t)
		var err error
		if fixed[i], err = FixedKeyOf(ks[i].vk); err != nil {
			t.Fatal(err)
		}
		if hs[i], err = VKHash(ks[i].vk); err != nil {
			t.Fatal(err)
		}
	}
	return ks, fixed, hs
}

func TestFoldSolver(t *testing.T) {
	kinds, fixed, allowed := toyKinds(t)
	good := kinds[0]     // the key of kind 0
	rogue := toySetup(t) // same circuit, different setup: not allowed
	vkset := VKSetDigest(allowed)
	claims := chain(3, vkset)

	type side struct {
		k    toyKeys
		kind int
		p    groth16.Proof
		c    *claim.Claim
	}
	buildSet := func(set Set, l, r side, out claim.Claim) *Fold {
		a := &Fold{Digest: out.Digest(), Allowed: set.Strings()}
		a.Left = assignChild(t, l.p, l.k.vk, l.kind, l.c)
		a.Right = assignChild(t, r.p, r.k.vk, r.kind, r.c)
		return a
	}
	build := func(l, r side, out claim.Claim) *Fold { return buildSet(ZKVMSet(allowed), l, r, out) }
	p0 := toyProve(t, good, &claims[0])
	p1 := toyProve(t, good, &claims[1])
	p2 := toyProve(t, good, &claims[2])
	folded, ok := claim.Fold(&claims[0], &claims[1])
	if !ok {
		t.Fatal("native fold rejected a valid chain")
	}
	// The test engine writes the witness into the circuit it is given:
	// each check gets a fresh placeholder.
	ph := func() *Fold {
		c, err := Placeholder(good.ccs, fixed)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	f := ecc.BN254.ScalarField()
	s0, s1, s2 := side{good, 0, p0, &claims[0]}, side{good, 0, p1, &claims[1]}, side{good, 0, p2, &claims[2]}

	t.Run("valid", func(t *testing.T) {
		if err := test.IsSolved(ph(), build(s0, s1, folded), f); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong output digest", func(t *testing.T) {
		bad := folded
		bad.BusSum.SetUint64(0)
		if test.IsSolved(ph(), build(s0, s1, bad), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("tampered child claim", func(t *testing.T) {
		l := claims[0]
		l.BusSum.SetUint64(12345) // proof p0 is for the original claim
		out, _ := claim.Fold(&l, &claims[1])
		if test.IsSolved(ph(), build(side{good, 0, p0, &l}, s1, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("key not allowed", func(t *testing.T) {
		pr := toyProve(t, rogue, &claims[1])
		if test.IsSolved(ph(), build(s0, side{rogue, 0, pr, &claims[1]}, folded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("missing leaf (chain mismatch)", func(t *testing.T) {
		out := claims[0]
		out.End = claims[2].End
		out.BusSum.Add(&claims[0].BusSum, &claims[2].BusSum)
		out.Commitment = claim.CombineCommitments(claims[0].Commitment, claims[2].Commitment)
		if test.IsSolved(ph(), build(s0, s2, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("wrong globals", func(t *testing.T) {
		r := claims[1]
		r.InputLen = claim.U64(6)
		pr := toyProve(t, good, &r)
		out := folded
		if test.IsSolved(ph(), build(s0, side{good, 0, pr, &r}, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("wrong vk set", func(t *testing.T) {
		l, r := claims[0], claims[1]
		l.VKSet, r.VKSet = claim.U64(1), claim.U64(1)
		pl, pr := toyProve(t, good, &l), toyProve(t, good, &r)
		out, _ := claim.Fold(&l, &r)
		if test.IsSolved(ph(), build(side{good, 0, pl, &l}, side{good, 0, pr, &r}, out), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("other kind's fixed key", func(t *testing.T) {
		// A valid proof of kind 0 presented as kind 1: the embedded key of
		// kind 1 does not verify it, and its hash is not allowed.
		if test.IsSolved(ph(), build(s0, side{good, 1, p1, &claims[1]}, folded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("proof of another allowed kind", func(t *testing.T) {
		// Kind 1's key, its own proof: valid (the fold accepts any allowed kind).
		p := toyProve(t, kinds[1], &claims[1])
		if err := test.IsSolved(ph(), build(s0, side{kinds[1], 1, p, &claims[1]}, folded), f); err != nil {
			t.Fatal(err)
		}
	})
	// One fold key serves both job kinds; the VK set keeps them apart.
	rollup := RollupSet(allowed)
	rc := chain(2, rollup.Digest())
	rfolded, _ := claim.Fold(&rc[0], &rc[1])
	chunk := kinds[KindChunk]
	t.Run("rollup tree of chunk proofs", func(t *testing.T) {
		l := side{chunk, KindChunk, toyProve(t, chunk, &rc[0]), &rc[0]}
		r := side{chunk, KindChunk, toyProve(t, chunk, &rc[1]), &rc[1]}
		if err := test.IsSolved(ph(), buildSet(rollup, l, r, rfolded), f); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("chunk proof in a zkVM tree", func(t *testing.T) {
		// A valid chunk proof under its own key and kind, claiming the
		// zkVM's VK set: the chunk key is not in that set.
		p := toyProve(t, chunk, &claims[1])
		if test.IsSolved(ph(), build(s0, side{chunk, KindChunk, p, &claims[1]}, folded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("cpu proof in a rollup tree", func(t *testing.T) {
		l := side{chunk, KindChunk, toyProve(t, chunk, &rc[0]), &rc[0]}
		r := side{good, KindCPU, toyProve(t, good, &rc[1]), &rc[1]}
		if test.IsSolved(ph(), buildSet(rollup, l, r, rfolded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("rollup set claimed for zkVM children", func(t *testing.T) {
		// The claims name the rollup set but the fold is given the zkVM
		// set: the set must be the one the claims commit to.
		l := side{good, KindCPU, toyProve(t, good, &rc[0]), &rc[0]}
		r := side{good, KindCPU, toyProve(t, good, &rc[1]), &rc[1]}
		if test.IsSolved(ph(), build(l, r, rfolded), f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("bases of another kind", func(t *testing.T) {
		a := build(s0, s1, folded)
		other := assignChild(t, p1, kinds[2].vk, 0, &claims[1])
		a.Right.K = other.K
		if test.IsSolved(ph(), a, f) == nil {
			t.Fatal("accepted")
		}
	})
	// The commitment check alone: D and the Groth16 proof are untouched, only
	// the proof of knowledge of D is another proof's.
	t.Run("commitment proof of knowledge of another proof", func(t *testing.T) {
		a := build(s0, s1, folded)
		other := build(s1, s0, folded)
		a.Right.Proof.CommitmentPok = other.Right.Proof.CommitmentPok
		if test.IsSolved(ph(), a, f) == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("proof point off the curve", func(t *testing.T) {
		for name, pt := range map[string]func(*Proof) *sw_bn254.G1Affine{
			"A":          func(p *Proof) *sw_bn254.G1Affine { return &p.Ar },
			"Krs":        func(p *Proof) *sw_bn254.G1Affine { return &p.Krs },
			"commitment": func(p *Proof) *sw_bn254.G1Affine { return &p.Commitments[0].G1El },
			"pok":        func(p *Proof) *sw_bn254.G1Affine { return &p.CommitmentPok.G1El },
		} {
			if testing.Short() && name != "A" {
				continue // each case is a full solve of the fold: -short checks one
			}
			var off bn254.G1Affine // (1, 3): not on y² = x³ + 3
			off.X.SetUint64(1)
			off.Y.SetUint64(3)
			a := build(s0, s1, folded)
			*pt(&a.Left.Proof) = sw_bn254.NewG1Affine(off)
			if test.IsSolved(ph(), a, f) == nil {
				t.Fatalf("%s off the curve accepted", name)
			}
		}
	})
	t.Run("kind not one-hot", func(t *testing.T) {
		for _, kind := range [][NumKinds]int{{0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0}, {2, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1}} {
			a := build(s0, s1, folded)
			for i := range kind {
				a.Right.Kind[i] = kind[i]
			}
			if test.IsSolved(ph(), a, f) == nil {
				t.Fatalf("kind %v accepted", kind)
			}
		}
	})
}
