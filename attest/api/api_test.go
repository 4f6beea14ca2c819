package api

import (
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/zkfleet/zkfleet/attest/frost"
)

func validPackage(t testing.TB) DKGPackage {
	_, p, err := frost.DKGRound1(make([]byte, 32), 1, 2, 3, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return FromPackage(p, make([]byte, 32))
}

func TestPackageRoundTrip(t *testing.T) {
	w := validPackage(t)
	p, err := ToPackage(w, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := frost.VerifyPackage(make([]byte, 32), p, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := ToPackage(w, 3); err == nil {
		t.Fatal("package of threshold 2 accepted for threshold 3")
	}
}

// FuzzWireDecoding feeds arbitrary JSON to the decoders of untrusted
// wire values: they must fail cleanly or return values that re-encode to
// the same bytes.
func FuzzWireDecoding(f *testing.F) {
	pkg, _ := json.Marshal(validPackage(f))
	f.Add(pkg)
	f.Add([]byte(`{"commitments":[{"identifier":1,"hiding":"00","binding":"00"}]}`))
	f.Add([]byte(`{"group_key":"","threshold":2,"verifying_shares":[]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var p DKGPackage
		if json.Unmarshal(raw, &p) == nil {
			if fp, err := ToPackage(p, len(p.Commitments)); err == nil {
				back := FromPackage(fp, p.EncryptionKey)
				for i := range back.Commitments {
					if string(back.Commitments[i]) != string(p.Commitments[i]) {
						t.Fatal("commitment does not re-encode to its bytes")
					}
				}
			}
		}
		var fr FragmentRequest
		if json.Unmarshal(raw, &fr) == nil {
			if cs, err := ToCommitments(fr.Commitments); err == nil {
				for i, c := range cs {
					w := FromCommitment(c)
					if string(w.Hiding) != string(fr.Commitments[i].Hiding) || string(w.Binding) != string(fr.Commitments[i].Binding) {
						t.Fatal("commitment does not re-encode to its bytes")
					}
				}
			}
		}
		var sr ShareResponse
		if json.Unmarshal(raw, &sr) == nil {
			_, _ = ToPublic(sr.GroupKey, sr.Threshold, sr.VerifyingShares)
		}
	})
}
