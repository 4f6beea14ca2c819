package attest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"testing"
)

func TestMessageLayout(t *testing.T) {
	c := Claim{StatementDigest: Digest{1}, ProofHash: ProofHash([]byte("proof"))}
	m := c.Message()
	if len(m) != MessageSize || string(m[:len(MessagePrefix)]) != MessagePrefix {
		t.Fatalf("message %x", m)
	}
	if m[len(MessagePrefix)] != 1 || string(m[len(MessagePrefix)+32:]) != string(c.ProofHash[:]) {
		t.Fatal("digest or proof hash misplaced")
	}
}

// TestVerifyAttestation: a valid attestation passes; a changed claim, a
// different key, a foreign group key in the attestation, or a malformed
// signature is refused.
func TestVerifyAttestation(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	c := Claim{StatementDigest: Digest{7}, ProofHash: Digest{9}}
	att := &Attestation{Claim: c, GroupKey: HexBytes(pub), Signature: ed25519.Sign(priv, c.Message())}

	raw, err := json.Marshal(att)
	if err != nil {
		t.Fatal(err)
	}
	var back Attestation
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := VerifyAttestation(pub, &back); err != nil {
		t.Fatalf("valid attestation refused: %v", err)
	}
	changed := back
	changed.ProofHash[0] ^= 1
	noSig := back
	noSig.Signature = noSig.Signature[:10]
	for name, tc := range map[string]struct {
		key ed25519.PublicKey
		att *Attestation
	}{
		"changed claim":   {pub, &changed},
		"untrusted key":   {other, &back},
		"short signature": {pub, &noSig},
		"nil":             {pub, nil},
		"short key":       {pub[:5], &back},
	} {
		t.Run(name, func(t *testing.T) {
			if err := VerifyAttestation(tc.key, tc.att); !errors.Is(err, ErrBadAttestation) {
				t.Fatalf("want ErrBadAttestation, got %v", err)
			}
		})
	}
}
