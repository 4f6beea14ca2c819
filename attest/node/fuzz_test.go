package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
)

// FuzzHandler posts arbitrary bodies to every API path of a node that holds
// a key: no request may cause a server error or a panic, and no arbitrary
// body yields a signature share.
func FuzzHandler(f *testing.F) {
	v := TrustedProverVerifier{Key: make(ed25519.PublicKey, ed25519.PublicKeySize)}
	var nodes []*testNode
	for range 2 {
		st, err := OpenStoreKDF(f.TempDir(), []byte(testPass), testKDF)
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { st.Close() })
		srv, err := NewServer(Config{Store: st, Verifier: v, Logger: quiet})
		if err != nil {
			f.Fatal(err)
		}
		nodes = append(nodes, &testNode{store: st, srv: srv})
	}
	gk := dkgDirect(f, nodes, 2)
	const token = "fuzz-token-0123456789"
	h, err := nodes[0].srv.Handler(token)
	if err != nil {
		f.Fatal(err)
	}
	c, err := nodes[0].srv.Commitment(context.Background(), &api.CommitmentRequest{GroupKey: gk})
	if err != nil {
		f.Fatal(err)
	}
	seed, _ := json.Marshal(api.FragmentRequest{GroupKey: gk, NonceID: c.NonceID, StatementDigest: attest.Digest{1}, Proof: make([]byte, 64), Commitments: []api.Commitment{c.Commitment, c.Commitment}})
	paths := []string{api.PathDKGRound1, api.PathDKGRound2, api.PathShare, api.PathCommitment, api.PathFragment}
	for i := range paths {
		f.Add(uint8(i), seed)
		f.Add(uint8(i), []byte(`{"group_key":"`+hex.EncodeToString(gk)+`"}`))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		path := paths[int(which)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
		}
		if path == api.PathFragment && rec.Code == http.StatusOK {
			t.Fatalf("an arbitrary body got a signature share: %s", body)
		}
	})
}
