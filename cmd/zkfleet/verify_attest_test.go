package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/zkvm/agg"
)

// wellFormedProofFile is a parseable proof file (an empty Groth16 proof
// with its one commitment) of a made-up statement: enough for the
// attestation checks, which never verify the proof.
func wellFormedProofFile(t *testing.T, exitCode uint32) []byte {
	t.Helper()
	proof := groth16.NewProof(ecc.BN254).(*groth16bn254.Proof)
	proof.Commitments = make([]bn254.G1Affine, 1)
	st := agg.Statement{KeySet: strings.Repeat("ab", 32), ExitCode: exitCode, Cycles: 99, Output: []byte("144\n"), Leaves: 2}
	st.ProgramID[0] = 7
	raw, err := (&agg.File{Statement: st, Proof: proof}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// signAttestation is what a committee returns for claim; the committee's
// FROST signature is an ordinary Ed25519 signature under its group key,
// so a plain key stands in for the group here.
func signAttestation(t *testing.T, key ed25519.PrivateKey, claim attest.Claim) []byte {
	t.Helper()
	att := attest.Attestation{Claim: claim, GroupKey: attest.HexBytes(key.Public().(ed25519.PublicKey)),
		Signature: ed25519.Sign(key, claim.Message()), Signers: []uint16{1, 3, 4}}
	raw, err := json.Marshal(&att)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func claimOf(t *testing.T, proof []byte) attest.Claim {
	t.Helper()
	d, err := node.ProofFileStatementDigest(proof)
	if err != nil {
		t.Fatal(err)
	}
	return attest.Claim{StatementDigest: d, ProofHash: attest.ProofHash(proof)}
}

// TestCheckAttestation: an attestation is accepted only when it verifies
// under the trusted key and names this proof file and its statement.
func TestCheckAttestation(t *testing.T) {
	_, group, _ := ed25519.GenerateKey(rand.Reader)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	trusted := group.Public().(ed25519.PublicKey)
	proof := wellFormedProofFile(t, 0)
	other := wellFormedProofFile(t, 1)
	good := claimOf(t, proof)
	var sigFlip attest.Attestation
	if err := json.Unmarshal(signAttestation(t, group, good), &sigFlip); err != nil {
		t.Fatal(err)
	}
	sigFlip.Signature[0] ^= 1
	flipped, _ := json.Marshal(&sigFlip)

	for _, tc := range []struct {
		name  string
		att   []byte
		proof []byte
		want  string // "" = valid
	}{
		{"valid", signAttestation(t, group, good), proof, ""},
		{"other signer", signAttestation(t, stranger, good), proof, "trusted key is"},
		{"flipped signature", flipped, proof, "does not verify"},
		{"other proof file", signAttestation(t, group, claimOf(t, other)), proof, "it attests proof"},
		{"other statement, same proof hash", signAttestation(t, group, attest.Claim{StatementDigest: claimOf(t, other).StatementDigest, ProofHash: good.ProofHash}), proof, "it attests statement"},
		{"not JSON", []byte("{"), proof, "invalid attestation"},
		{"unknown field", append(signAttestation(t, group, good)[:1], []byte(`"extra":1,`+string(signAttestation(t, group, good)[1:]))...), proof, "unknown field"},
		{"unparseable proof", signAttestation(t, group, attest.Claim{StatementDigest: good.StatementDigest, ProofHash: attest.ProofHash([]byte("junk"))}), []byte("junk"), "statement of the proof file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			att, err := checkAttestation(trusted, tc.att, tc.proof)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("valid attestation refused: %v", err)
			case tc.want == "" && att.Claim != good:
				t.Fatalf("claim %+v", att.Claim)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("want an error with %q, got %v", tc.want, err)
			}
		})
	}
}

// TestVerifyAttestationFlags drives verify --attestation: the trusted key
// is required, a bad attestation is INVALID before any proof check, and a
// good attestation does not excuse the proof (it is still verified, here
// against an empty key store, and refused).
func TestVerifyAttestationFlags(t *testing.T) {
	t.Setenv("ZKFLEET_KEY_DIR", t.TempDir())
	dir := t.TempDir()
	_, group, _ := ed25519.GenerateKey(rand.Reader)
	keyHex := hex.EncodeToString(group.Public().(ed25519.PublicKey))
	proof := wellFormedProofFile(t, 0)
	proofFile := filepath.Join(dir, "fib.proof")
	attFile := attestationFile(proofFile)
	badFile := filepath.Join(dir, "bad.json")
	for f, b := range map[string][]byte{proofFile: proof, attFile: signAttestation(t, group, claimOf(t, proof)),
		badFile: signAttestation(t, group, claimOf(t, wellFormedProofFile(t, 3)))} {
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	verify := func(extra ...string) *exitError {
		t.Helper()
		_, err := runCLI(t, append([]string{"verify", "--proof", proofFile, "--elf", "example:fib"}, extra...)...)
		var ee *exitError
		if !asExit(err, &ee) {
			t.Fatalf("verify %v: want an exit error, got %v", extra, err)
		}
		return ee
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no trusted key", []string{"--attestation", attFile}, 2, "needs the trusted group key"},
		{"short key", []string{"--attestation", attFile, "--group-key", "abcd"}, 2, "--group-key"},
		{"attestation of another proof", []string{"--attestation", badFile, "--group-key", keyHex}, 1, "INVALID attestation: it attests proof"},
		{"good attestation, proof still verified", []string{"--attestation", attFile, "--group-key", keyHex}, 1, "INVALID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ee := verify(tc.args...)
			if ee.code != tc.code || !strings.Contains(ee.msg, tc.msg) {
				t.Fatalf("exit %d %q, want %d with %q", ee.code, ee.msg, tc.code, tc.msg)
			}
			if tc.name == "good attestation, proof still verified" && strings.Contains(ee.msg, "attestation") {
				t.Fatalf("the good attestation was refused: %q", ee.msg)
			}
		})
	}
}
