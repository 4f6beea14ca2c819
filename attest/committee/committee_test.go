package committee

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/edwards25519"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
	"github.com/zkfleet/zkfleet/attest/node"
)

const testToken = "committee-test-token-0123"

// testKDF keeps scrypt cheap in tests.
var testKDF = node.KDF{N: 1 << 10, R: 8, P: 1}

var quiet = slog.New(slog.DiscardHandler)

// tamperer rewrites a node's JSON responses on one path, to play a
// misbehaving node.
type tamperer struct {
	next http.Handler
	path string
	edit func(t *testing.T, body []byte) []byte
	t    *testing.T
}

func (tm *tamperer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != tm.path {
		tm.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	tm.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		body = tm.edit(tm.t, body)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(body)
}

type harness struct {
	urls    []string
	servers []*httptest.Server
	client  *Client
}

// startNodes starts n in-process nodes behind HTTP servers; wrap may
// replace node i's handler.
func startNodes(t *testing.T, n int, v node.Verifier, wrap func(i int, h http.Handler) http.Handler) *harness {
	t.Helper()
	h := &harness{}
	for i := range n {
		st, err := node.OpenStoreKDF(t.TempDir(), []byte("committee test passphrase"), testKDF)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		srv, err := node.NewServer(node.Config{Store: st, Verifier: v, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		hd, err := srv.Handler(testToken)
		if err != nil {
			t.Fatal(err)
		}
		if wrap != nil {
			hd = wrap(i, hd)
		}
		ts := httptest.NewServer(hd)
		t.Cleanup(ts.Close)
		h.servers = append(h.servers, ts)
		h.urls = append(h.urls, ts.URL)
	}
	c, err := NewClient(ClientOptions{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	h.client = c
	return h
}

func prover(t *testing.T) (node.TrustedProverVerifier, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return node.TrustedProverVerifier{Key: pub}, priv
}

func request(priv ed25519.PrivateKey, d attest.Digest) *attest.Request {
	return &attest.Request{StatementDigest: d, Proof: ed25519.Sign(priv, node.TrustedProverMessage(d))}
}

// TestKeygenAndAttest: a 3-of-5 committee made by the HTTP key generation
// attests a request; crypto/ed25519 accepts the signature over the
// attestation message, VerifyAttestation accepts it, and it survives a
// round trip through the committee file.
func TestKeygenAndAttest(t *testing.T) {
	v, priv := prover(t)
	h := startNodes(t, 5, v, nil)
	ctx := context.Background()
	cfg, err := Keygen(ctx, h.client, h.urls, 3, quiet)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "committee.json")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	if cfg, err = LoadConfig(path); err != nil {
		t.Fatal(err)
	}
	// The order of the members in the file does not matter.
	slices.Reverse(cfg.Members)
	com, err := New(cfg, h.client, quiet)
	if err != nil {
		t.Fatal(err)
	}
	req := request(priv, attest.Digest{0xaa})
	res, err := com.Attest(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	att := res.Attestation
	if !ed25519.Verify(ed25519.PublicKey(cfg.GroupKey), req.Claim().Message(), att.Signature) {
		t.Fatal("crypto/ed25519 rejects the attestation")
	}
	if err := attest.VerifyAttestation(cfg.PublicKey(), att); err != nil {
		t.Fatal(err)
	}
	if len(att.Signers) != 3 || len(res.Faults) != 0 {
		t.Fatalf("signers %v faults %v", att.Signers, res.Faults)
	}
	if att.ProofHash != attest.ProofHash(req.Proof) || att.StatementDigest != req.StatementDigest {
		t.Fatal("attestation names another claim")
	}
	// Node 1 signed (the first three by identifier do): its metrics say so.
	resp, err := http.Get(h.urls[0] + api.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`zkfleet_node_fragments_total{outcome="signed"} 1`,
		`zkfleet_node_commitments_total 1`,
		`zkfleet_node_requests_total{code="200",path="/fragment"} 1`,
		`zkfleet_node_outstanding_nonces 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// TestBadFragmentNamed: a node that returns a wrong signature share is
// named as a bad-share fault, and the committee still signs with the
// others; with no spare node the attestation fails naming it.
func TestBadFragmentNamed(t *testing.T) {
	v, priv := prover(t)
	const bad = 2 // index; identifier 3
	wrap := func(i int, h http.Handler) http.Handler {
		if i != bad {
			return h
		}
		return &tamperer{next: h, path: api.PathFragment, t: t, edit: func(t *testing.T, body []byte) []byte {
			var r api.FragmentResponse
			if err := json.Unmarshal(body, &r); err != nil {
				t.Error(err)
				return body
			}
			z, err := frost.DecodeScalar(r.Share)
			if err != nil {
				t.Error(err)
				return body
			}
			one := make([]byte, 32)
			one[0] = 1
			o, _ := edwards25519.NewScalar().SetCanonicalBytes(one)
			r.Share = z.Add(z, o).Bytes()
			out, _ := json.Marshal(r)
			return out
		}}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		n, t       int
		wantSigned bool
	}{
		{"3 of 5", 5, 3, true},
		{"3 of 3", 3, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startNodes(t, tc.n, v, wrap)
			cfg, err := Keygen(ctx, h.client, h.urls, tc.t, quiet)
			if err != nil {
				t.Fatal(err)
			}
			com, _ := New(cfg, h.client, quiet)
			req := request(priv, attest.Digest{0xbb})
			res, err := com.Attest(ctx, req)
			var faults []*Fault
			if tc.wantSigned {
				if err != nil {
					t.Fatal(err)
				}
				if !ed25519.Verify(cfg.PublicKey(), req.Claim().Message(), res.Attestation.Signature) {
					t.Fatal("signature does not verify")
				}
				if slices.Contains(res.Attestation.Signers, bad+1) {
					t.Fatal("the bad node's share was combined")
				}
				faults = res.Faults
			} else {
				var ae *AttestError
				if !errors.As(err, &ae) {
					t.Fatalf("want AttestError, got %v", err)
				}
				faults = ae.Faults
			}
			if len(faults) != 1 || faults[0].Identifier != bad+1 || faults[0].Kind != FaultBadShare || !errors.Is(faults[0], ErrBadShare) || faults[0].URL != h.urls[bad] {
				t.Fatalf("want node %d named for a bad share, got %v", bad+1, faults)
			}
		})
	}
}

// TestAttestRefusedForInvalidProof: nodes refuse a proof their verifier
// rejects; the attestation fails once fewer than threshold nodes remain,
// with every asked node named as refusing.
func TestAttestRefusedForInvalidProof(t *testing.T) {
	v, _ := prover(t)
	_, stranger := prover(t)
	h := startNodes(t, 3, v, nil)
	ctx := context.Background()
	cfg, err := Keygen(ctx, h.client, h.urls, 2, quiet)
	if err != nil {
		t.Fatal(err)
	}
	com, _ := New(cfg, h.client, quiet)
	_, err = com.Attest(ctx, request(stranger, attest.Digest{0xcc}))
	var ae *AttestError
	if !errors.As(err, &ae) || len(ae.Faults) < 2 {
		t.Fatalf("want at least two nodes refusing, got %v", err)
	}
	for _, f := range ae.Faults {
		if f.Kind != FaultRefused {
			t.Fatalf("node %d: kind %s, want refused (%v)", f.Identifier, f.Kind, f.Err)
		}
	}
}

// TestKeygenNamesBadDealer: a node whose round-one package carries a bad
// proof of knowledge is named, by the driver and by the nodes.
func TestKeygenNamesBadDealer(t *testing.T) {
	v, _ := prover(t)
	wrap := func(i int, h http.Handler) http.Handler {
		if i != 3 {
			return h
		}
		return &tamperer{next: h, path: api.PathDKGRound1, t: t, edit: func(t *testing.T, body []byte) []byte {
			var p api.DKGPackage
			if err := json.Unmarshal(body, &p); err != nil {
				t.Error(err)
				return body
			}
			p.ProofMu[0] ^= 1
			out, _ := json.Marshal(p)
			return out
		}}
	}
	h := startNodes(t, 4, v, wrap)
	_, err := Keygen(context.Background(), h.client, h.urls, 3, quiet)
	var ke *KeygenError
	if !errors.As(err, &ke) || !slices.Equal(ke.Accused(), []uint16{4}) || ke.Stage != "round one" {
		t.Fatalf("want a complaint against dealer 4, got %v", err)
	}
	// The nodes themselves complain too (checked at node level in
	// attest/node TestDKGComplainsAboutBadDealer): give them the bad
	// package directly, as a driver that skipped its check would.
	var pkgs []api.DKGPackage
	session := make([]byte, 32)
	session[0] = 1
	for i, u := range h.urls {
		var p api.DKGPackage
		if err := h.client.call(context.Background(), u, api.PathDKGRound1, &api.DKGRound1Request{Session: session, Identifier: uint16(i + 1), Threshold: 3, Participants: 4}, &p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	var resp api.DKGRound2Response
	err = h.client.call(context.Background(), h.urls[0], api.PathDKGRound2, &api.DKGRound2Request{Session: session, Packages: pkgs}, &resp)
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Status != http.StatusUnprocessableEntity || len(ne.Complaints) != 1 || ne.Complaints[0].Dealer != 4 {
		t.Fatalf("node 1: want a complaint against dealer 4, got %v", err)
	}
}

// TestKeygenNamesBadShareDealer: a node that deals a corrupted share in
// round two (the driver cannot see it: shares are sealed) is named by the
// recipient's complaint, and the key generation fails.
func TestKeygenNamesBadShareDealer(t *testing.T) {
	v, _ := prover(t)
	wrap := func(i int, h http.Handler) http.Handler {
		if i != 1 {
			return h
		}
		return &tamperer{next: h, path: api.PathDKGRound2, t: t, edit: func(t *testing.T, body []byte) []byte {
			var r api.DKGRound2Response
			if err := json.Unmarshal(body, &r); err != nil {
				t.Error(err)
				return body
			}
			for i := range r.Shares {
				if r.Shares[i].To == 3 {
					r.Shares[i].Ciphertext[len(r.Shares[i].Ciphertext)-1] ^= 1
				}
			}
			out, _ := json.Marshal(r)
			return out
		}}
	}
	h := startNodes(t, 3, v, wrap)
	_, err := Keygen(context.Background(), h.client, h.urls, 2, quiet)
	var ke *KeygenError
	if !errors.As(err, &ke) || ke.Stage != "share delivery" || !slices.Equal(ke.Accused(), []uint16{2}) || len(ke.Complaints[3]) != 1 {
		t.Fatalf("want node 3 complaining about dealer 2, got %v", err)
	}
}

// TestTLSAndToken: the client talks to a TLS node trusting its CA file,
// and a wrong token fails key generation with 401.
func TestTLSAndToken(t *testing.T) {
	v, priv := prover(t)
	var urls []string
	var caPEM []byte
	for range 2 {
		st, err := node.OpenStoreKDF(t.TempDir(), []byte("committee test passphrase"), testKDF)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		srv, _ := node.NewServer(node.Config{Store: st, Verifier: v, Logger: quiet})
		hd, _ := srv.Handler(testToken)
		ts := httptest.NewTLSServer(hd)
		t.Cleanup(ts.Close)
		urls = append(urls, ts.URL)
		caPEM = append(caPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})...)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wrong, _ := NewClient(ClientOptions{Token: "not-the-token-at-all", CAFile: ca})
	_, err := Keygen(ctx, wrong, urls, 2, quiet)
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Status != http.StatusUnauthorized {
		t.Fatalf("wrong token: want 401, got %v", err)
	}
	noCA, _ := NewClient(ClientOptions{Token: testToken})
	if _, err := Keygen(ctx, noCA, urls, 2, quiet); !errors.As(err, &ne) || ne.Status != 0 {
		t.Fatalf("untrusted certificate: want a transport error, got %v", err)
	}
	c, err := NewClient(ClientOptions{Token: testToken, CAFile: ca})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Keygen(ctx, c, urls, 2, quiet)
	if err != nil {
		t.Fatal(err)
	}
	com, _ := New(cfg, c, quiet)
	res, err := com.Attest(ctx, request(priv, attest.Digest{0xdd}))
	if err != nil {
		t.Fatal(err)
	}
	if err := attest.VerifyAttestation(cfg.PublicKey(), res.Attestation); err != nil {
		t.Fatal(err)
	}
}

// TestKeygenWithPinnedPeers: nodes that pin their peers' identities accept
// a key generation among those peers, and complain about a node outside
// the pinned set; the committee file records every member's identity.
func TestKeygenWithPinnedPeers(t *testing.T) {
	v, _ := prover(t)
	var stores []*node.Store
	var ids []ed25519.PublicKey
	for range 4 {
		st, err := node.OpenStoreKDF(t.TempDir(), []byte("committee test passphrase"), testKDF)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		id, err := st.Identity()
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, st)
		ids = append(ids, id.Public().(ed25519.PublicKey))
	}
	var urls []string
	for _, st := range stores {
		srv, err := node.NewServer(node.Config{Store: st, Verifier: v, Logger: quiet, Peers: ids[:3]})
		if err != nil {
			t.Fatal(err)
		}
		hd, _ := srv.Handler(testToken)
		ts := httptest.NewServer(hd)
		t.Cleanup(ts.Close)
		urls = append(urls, ts.URL)
	}
	c, _ := NewClient(ClientOptions{Token: testToken})
	ctx := context.Background()
	_, err := Keygen(ctx, c, urls, 3, quiet)
	var ke *KeygenError
	if !errors.As(err, &ke) || ke.Stage != "round two" || !slices.Equal(ke.Accused(), []uint16{4}) {
		t.Fatalf("want complaints against the unpinned node 4, got %v", err)
	}
	cfg, err := Keygen(ctx, c, urls[:3], 2, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range cfg.Members {
		if !slices.Equal([]byte(m.Identity), []byte(ids[i])) {
			t.Fatalf("member %d: identity %x, want %x", m.Identifier, []byte(m.Identity), []byte(ids[i]))
		}
	}
}
