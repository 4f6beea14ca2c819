package attest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func sampleAttestation() []byte {
	att := Attestation{Claim: Claim{StatementDigest: Digest{1}, ProofHash: Digest{2}},
		GroupKey: bytes.Repeat([]byte{3}, ed25519.PublicKeySize), Signature: bytes.Repeat([]byte{4}, ed25519.SignatureSize), Signers: []uint16{1, 3, 4}}
	raw, _ := json.Marshal(&att)
	return raw
}

// TestParseAttestation: a well-formed file parses; every malformation is
// ErrBadAttestation.
func TestParseAttestation(t *testing.T) {
	good := sampleAttestation()
	if att, err := ParseAttestation(good); err != nil || len(att.Signers) != 3 {
		t.Fatalf("good file: %v", err)
	}
	s := string(good)
	for name, raw := range map[string]string{
		"unknown field":   strings.Replace(s, `{`, `{"x":1,`, 1),
		"trailing data":   s + `{}`,
		"short key":       strings.Replace(s, strings.Repeat("03", 32), "0303", 1),
		"short signature": strings.Replace(s, strings.Repeat("04", 64), "04", 1),
		"zero signer":     strings.Replace(s, `[1,3,4]`, `[0,3,4]`, 1),
		"repeated signer": strings.Replace(s, `[1,3,4]`, `[3,3,4]`, 1),
		"big signer":      strings.Replace(s, `[1,3,4]`, `[70000]`, 1),
		"short digest":    strings.Replace(s, "01"+strings.Repeat("00", 31), "01", 1),
		"too large":       s + strings.Repeat(" ", MaxAttestationFile),
		"not JSON":        "{",
	} {
		if _, err := ParseAttestation([]byte(raw)); !errors.Is(err, ErrBadAttestation) {
			t.Errorf("%s: want ErrBadAttestation, got %v", name, err)
		}
	}
}

// FuzzParseAttestation: any input parses or is refused without a panic,
// and whatever parses survives a round trip unchanged.
func FuzzParseAttestation(f *testing.F) {
	f.Add(sampleAttestation())
	f.Add([]byte(`{"statement_digest":"","group_key":"zz"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		att, err := ParseAttestation(raw)
		if err != nil {
			if !errors.Is(err, ErrBadAttestation) {
				t.Fatalf("error without ErrBadAttestation: %v", err)
			}
			return
		}
		again, err := json.Marshal(att)
		if err != nil {
			t.Fatal(err)
		}
		att2, err := ParseAttestation(again)
		if err != nil {
			t.Fatalf("re-encoded attestation refused: %v", err)
		}
		if att2.Claim != att.Claim || !bytes.Equal(att2.GroupKey, att.GroupKey) || !bytes.Equal(att2.Signature, att.Signature) {
			t.Fatal("round trip changed the attestation")
		}
	})
}
