package committee

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/agg"
)

// TestProofRequest: the request for a proof file names the digest of the
// statement the file claims; a file that does not parse is an error, and
// an explicit --statement-digest overrides the file's.
func TestProofRequest(t *testing.T) {
	// zkfleet proofs carry exactly one BSB22 commitment.
	gp := groth16.NewProof(ecc.BN254).(*groth16bn254.Proof)
	gp.Commitments = make([]bn254.G1Affine, 1)
	f := &agg.File{Statement: agg.Statement{KeySet: "0101010101010101010101010101010101010101010101010101010101010101", Cycles: 5}, Proof: gp}
	raw, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	req, err := ProofRequest(raw, []byte("elf"), []byte("in"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := node.StatementDigest(&f.Statement)
	if req.StatementDigest != want || string(req.ELF) != "elf" || string(req.Input) != "in" {
		t.Fatalf("request %+v", req)
	}
	if _, err := ProofRequest([]byte("not a proof file"), nil, nil); err == nil {
		t.Fatal("garbage accepted")
	}
	dir := t.TempDir()
	proof := filepath.Join(dir, "p")
	if err := os.WriteFile(proof, []byte("opaque"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := (SignInputs{Proof: proof}).Request(); err == nil {
		t.Fatal("an opaque proof without --statement-digest accepted")
	}
	r, err := SignInputs{Proof: proof, StatementDigest: want.String(), ELF: "example:" + firstExample(t)}.Request()
	if err != nil || r.StatementDigest != want || len(r.ELF) == 0 {
		t.Fatalf("explicit digest: %v", err)
	}
}

func firstExample(t *testing.T) string {
	names := guest.Examples()
	if len(names) == 0 {
		t.Fatal("no example guest")
	}
	return names[0]
}
