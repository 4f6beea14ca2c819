package gadget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

type digestCircuit struct {
	C      Claim
	Digest frontend.Variable `gnark:",public"`
	Gamma  frontend.Variable
	FP     frontend.Variable
	T      frontend.Variable
}

func (c *digestCircuit) Define(api frontend.API) error {
	d, err := c.C.Digest(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(d, c.Digest)
	alpha, beta, err := BusChallenges(api, c.Gamma)
	if err != nil {
		return err
	}
	fp := Fingerprint(api, alpha, claim.TagMem, 0x1000, 0xdeadbeef, 77)
	api.AssertIsEqual(fp, c.FP)
	api.AssertIsEqual(Term(api, beta, fp, -1), c.T)
	return nil
}

func sampleClaim() claim.Claim {
	var c claim.Claim
	c.Challenge = claim.U64(12345)
	c.InputLen = claim.U64(3)
	c.VKSet.SetRandom()
	for i := range c.Start {
		c.Start[i] = claim.U64(uint64(i))
		c.End[i] = claim.U64(uint64(100 + i))
	}
	c.BusSum.SetRandom()
	c.Commitment.SetRandom()
	return c
}

// TestNativeMatchesCircuit: the in-circuit digest, fingerprint and term
// equal the native ones; a tampered claim field breaks the digest.
func TestNativeMatchesCircuit(t *testing.T) {
	c := sampleClaim()
	alpha, beta := claim.BusChallenges(c.Challenge)
	fp := claim.Fingerprint(alpha, claim.TagMem, 0x1000, 0xdeadbeef, 77)
	term := claim.Term(beta, fp, -1)
	good := &digestCircuit{C: AssignClaim(&c), Digest: digestOf(&c), Gamma: claim.U64(12345),
		FP: fp.String(), T: term.String()}
	if err := test.IsSolved(&digestCircuit{}, good, ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("valid witness rejected: %v", err)
	}
	bad := *good
	tampered := c
	tampered.BusSum.Add(&tampered.BusSum, new(fr.Element).SetOne())
	bad.C = AssignClaim(&tampered)
	if err := test.IsSolved(&digestCircuit{}, &bad, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("tampered claim accepted")
	}
}

func digestOf(c *claim.Claim) string {
	d := c.Digest()
	return d.String()
}
