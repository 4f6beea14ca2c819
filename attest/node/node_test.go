package node

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

const testPass = "correct horse battery staple"

// testKDF keeps scrypt cheap in tests (the race detector slows it a lot).
var testKDF = KDF{N: 1 << 10, R: 8, P: 1}

var quiet = slog.New(slog.DiscardHandler)

type testNode struct {
	dir   string
	store *Store
	srv   *Server
}

func openNode(t *testing.T, dir string, v Verifier) *testNode {
	t.Helper()
	st, err := OpenStoreKDF(dir, []byte(testPass), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(Config{Store: st, Verifier: v, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	n := &testNode{dir: dir, store: st, srv: srv}
	t.Cleanup(func() { n.store.Close() })
	return n
}

// restart closes the node's store and opens it again, as a process restart
// would.
func (n *testNode) restart(t *testing.T, v Verifier) {
	t.Helper()
	if err := n.store.Close(); err != nil {
		t.Fatal(err)
	}
	*n = *openNode(t, n.dir, v)
}

func trustedProver(t *testing.T) (TrustedProverVerifier, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return TrustedProverVerifier{Key: pub}, priv
}

// dkgDirect runs the key generation over the servers' methods.
func dkgDirect(t testing.TB, nodes []*testNode, threshold int) []byte {
	t.Helper()
	ctx := context.Background()
	session := bytes.Repeat([]byte{7}, 32)
	var pkgs []api.DKGPackage
	for i, n := range nodes {
		p, err := n.srv.DKGRound1(ctx, &api.DKGRound1Request{Session: session, Identifier: uint16(i + 1), Threshold: threshold, Participants: len(nodes)})
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, *p)
	}
	inbox := make([][]api.EncryptedShare, len(nodes))
	for _, n := range nodes {
		r, err := n.srv.DKGRound2(ctx, &api.DKGRound2Request{Session: session, Packages: pkgs})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Shares {
			inbox[s.To-1] = append(inbox[s.To-1], s)
		}
	}
	var gk []byte
	for i, n := range nodes {
		r, err := n.srv.DKGShare(ctx, &api.ShareRequest{Session: session, Shares: inbox[i]})
		if err != nil {
			t.Fatal(err)
		}
		if gk != nil && !bytes.Equal(gk, r.GroupKey) {
			t.Fatal("nodes disagree on the group key")
		}
		gk = r.GroupKey
	}
	return gk
}

func newCommittee(t *testing.T, n, threshold int, v Verifier) ([]*testNode, []byte) {
	t.Helper()
	var nodes []*testNode
	for range n {
		nodes = append(nodes, openNode(t, t.TempDir(), v))
	}
	return nodes, dkgDirect(t, nodes, threshold)
}

func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// signRequest runs round one on the given nodes and builds each node's
// fragment request for digest and proof.
func signRequest(t *testing.T, nodes []*testNode, gk []byte, digest attest.Digest, proof []byte) []*api.FragmentRequest {
	t.Helper()
	var ids []string
	var comms []api.Commitment
	for _, n := range nodes {
		r, err := n.srv.Commitment(context.Background(), &api.CommitmentRequest{GroupKey: gk})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.NonceID)
		comms = append(comms, r.Commitment)
	}
	var out []*api.FragmentRequest
	for i := range nodes {
		out = append(out, &api.FragmentRequest{GroupKey: gk, NonceID: ids[i], StatementDigest: digest, Proof: proof, Commitments: comms})
	}
	return out
}

// TestNonceUsedOnce: a nonce signs once; a replay of its commitment is
// refused with 409, also after the node restarts, while a nonce issued
// before the restart and not used still works after it.
func TestNonceUsedOnce(t *testing.T) {
	v, prover := trustedProver(t)
	nodes, gk := newCommittee(t, 3, 2, v)
	digest := attest.Digest{1, 2, 3}
	proof := ed25519.Sign(prover, TrustedProverMessage(digest))
	ctx := context.Background()

	reqs := signRequest(t, nodes[:2], gk, digest, proof)
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); err != nil {
		t.Fatalf("first use refused: %v", err)
	}
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusConflict {
		t.Fatalf("replay: want 409, got %v", err)
	}
	other := *reqs[0]
	other.StatementDigest = attest.Digest{9}
	other.Proof = ed25519.Sign(prover, TrustedProverMessage(other.StatementDigest))
	if _, err := nodes[0].srv.Fragment(ctx, &other); statusOf(err) != http.StatusConflict {
		t.Fatalf("replay for another message: want 409, got %v", err)
	}

	nodes[0].restart(t, v)
	nodes[1].restart(t, v)
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusConflict {
		t.Fatalf("replay after restart: want 409, got %v", err)
	}
	// Node 2's nonce was issued before the restart and never used.
	if _, err := nodes[1].srv.Fragment(ctx, reqs[1]); err != nil {
		t.Fatalf("unused nonce after restart: %v", err)
	}
	if _, err := nodes[1].srv.Fragment(ctx, reqs[1]); statusOf(err) != http.StatusConflict {
		t.Fatalf("second use after restart: want 409, got %v", err)
	}
}

// TestFragmentRefusesInvalidProof: a proof the verifier rejects gets no
// share (422), and the refusal does not burn the nonce.
func TestFragmentRefusesInvalidProof(t *testing.T) {
	v, prover := trustedProver(t)
	_, stranger := trustedProver(t)
	nodes, gk := newCommittee(t, 2, 2, v)
	digest := attest.Digest{4}
	ctx := context.Background()
	reqs := signRequest(t, nodes, gk, digest, ed25519.Sign(stranger, TrustedProverMessage(digest)))
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusUnprocessableEntity || !errors.Is(err, ErrProofRejected) {
		t.Fatalf("want 422 proof rejected, got %v", err)
	}
	// A valid signature over a different statement is refused too.
	reqs[0].Proof = ed25519.Sign(prover, TrustedProverMessage(attest.Digest{5}))
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %v", err)
	}
	reqs[0].Proof = ed25519.Sign(prover, TrustedProverMessage(digest))
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); err != nil {
		t.Fatalf("valid proof refused: %v", err)
	}
}

// TestZKVMVerifierRefusesMalformedProof: the zkVM verifier, over an empty
// key store, refuses a malformed proof file and a truncated one without
// running any proof system.
func TestZKVMVerifierRefusesMalformedProof(t *testing.T) {
	ks, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := ZKVMVerifier{Keys: ks}
	for name, proof := range map[string][]byte{
		"empty":   nil,
		"garbage": []byte("this is not a zkfleet proof file"),
		"zeros":   make([]byte, 4096),
	} {
		t.Run(name, func(t *testing.T) {
			err := v.Verify(context.Background(), &attest.Request{StatementDigest: attest.Digest{1}, Proof: proof})
			if !errors.Is(err, ErrProofRejected) {
				t.Fatalf("want ErrProofRejected, got %v", err)
			}
		})
	}
}

// TestFragmentRefusesForeignPackage: a signing package naming a
// non-member is refused; one whose commitment under this node's identifier
// is not the one it issued gets no share, and burns the nonce.
func TestFragmentRefusesForeignPackage(t *testing.T) {
	v, prover := trustedProver(t)
	nodes, gk := newCommittee(t, 3, 2, v)
	digest := attest.Digest{6}
	proof := ed25519.Sign(prover, TrustedProverMessage(digest))
	ctx := context.Background()
	reqs := signRequest(t, nodes[:2], gk, digest, proof)
	extra := signRequest(t, nodes[:1], gk, digest, proof)
	outsider := reqs[0].Commitments[1]
	outsider.Identifier = 9
	req := *reqs[0]
	req.Commitments = []api.Commitment{reqs[0].Commitments[0], outsider}
	if _, err := nodes[0].srv.Fragment(ctx, &req); statusOf(err) != http.StatusBadRequest {
		t.Fatalf("non-member in the package: want 400, got %v", err)
	}
	req.Commitments = []api.Commitment{extra[0].Commitments[0], reqs[0].Commitments[1]}
	if _, err := nodes[0].srv.Fragment(ctx, &req); statusOf(err) != http.StatusBadRequest {
		t.Fatalf("want 400, got %v", err)
	}
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusConflict {
		t.Fatalf("nonce survived a refused package: %v", err)
	}
}

// TestDKGComplainsAboutBadDealer: a dealer whose share does not match its
// commitments, or whose proof of knowledge is bad, is named.
func TestDKGComplainsAboutBadDealer(t *testing.T) {
	v, _ := trustedProver(t)
	ctx := context.Background()
	session := bytes.Repeat([]byte{3}, 32)
	n := openNode(t, t.TempDir(), v)
	own, err := n.srv.DKGRound1(ctx, &api.DKGRound1Request{Session: session, Identifier: 1, Threshold: 2, Participants: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Dealer 2 is played by the test.
	sec2, pkg2, err := frost.DKGRound1(session, 2, 2, 2, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x2, _ := ecdh.X25519().GenerateKey(rand.Reader)
	id2pub, id2, _ := ed25519.GenerateKey(rand.Reader)
	sign := func(p api.DKGPackage) api.DKGPackage {
		p.Identity = attest.HexBytes(id2pub)
		p.Signature = ed25519.Sign(id2, api.PackageMessage(session, 2, &p))
		return p
	}
	wire2 := sign(api.FromPackage(pkg2, x2.PublicKey().Bytes()))

	bad := wire2
	bad.ProofMu = append(attest.HexBytes(nil), wire2.ProofMu...)
	bad.ProofMu[0] ^= 1
	bad = sign(bad)
	swapped := wire2 // a relaying driver swapped in its own X25519 key
	xd, _ := ecdh.X25519().GenerateKey(rand.Reader)
	swapped.EncryptionKey = xd.PublicKey().Bytes()
	twin := wire2 // dealer 2 claims node 1's identity
	twin.Identity = own.Identity
	var e *Error
	for name, p := range map[string]api.DKGPackage{"bad proof": bad, "swapped encryption key": swapped, "stolen identity": twin} {
		_, err = n.srv.DKGRound2(ctx, &api.DKGRound2Request{Session: session, Packages: []api.DKGPackage{*own, p}})
		if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity || len(e.Complaints) != 1 || e.Complaints[0].Dealer != 2 {
			t.Fatalf("%s: want a complaint against dealer 2, got %v", name, err)
		}
	}
	// A node that pins its peers refuses an identity it does not know.
	n.srv.peers = []ed25519.PublicKey{ed25519.PublicKey(own.Identity)}
	_, err = n.srv.DKGRound2(ctx, &api.DKGRound2Request{Session: session, Packages: []api.DKGPackage{*own, wire2}})
	if !errors.As(err, &e) || len(e.Complaints) != 1 || e.Complaints[0].Dealer != 2 || !strings.Contains(e.Error(), "pinned") {
		t.Fatalf("unpinned identity: want a complaint against dealer 2, got %v", err)
	}
	n.srv.peers = append(n.srv.peers, id2pub)

	if _, err := n.srv.DKGRound2(ctx, &api.DKGRound2Request{Session: session, Packages: []api.DKGPackage{*own, wire2}}); err != nil {
		t.Fatal(err)
	}
	// Dealer 2 seals the share meant for participant 3 (not f_2(1)).
	key, ad, err := shareKey(x2, own.EncryptionKey, session, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := sealWith(key, sec2.ShareFor(3).Bytes(), ad)
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.srv.DKGShare(ctx, &api.ShareRequest{Session: session, Shares: []api.EncryptedShare{{From: 2, To: 1, Ciphertext: ct}}})
	if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity || len(e.Complaints) != 1 || e.Complaints[0].Dealer != 2 {
		t.Fatalf("bad share: want a complaint against dealer 2, got %v", err)
	}
	// A share sealed under another key is a complaint too.
	ct[len(ct)-1] ^= 1
	_, err = n.srv.DKGShare(ctx, &api.ShareRequest{Session: session, Shares: []api.EncryptedShare{{From: 2, To: 1, Ciphertext: ct}}})
	if !errors.As(err, &e) || len(e.Complaints) != 1 || e.Complaints[0].Dealer != 2 {
		t.Fatalf("tampered share: want a complaint against dealer 2, got %v", err)
	}
	// The right share completes the key generation.
	ct, _ = sealWith(key, sec2.ShareFor(1).Bytes(), ad)
	if _, err := n.srv.DKGShare(ctx, &api.ShareRequest{Session: session, Shares: []api.EncryptedShare{{From: 2, To: 1, Ciphertext: ct}}}); err != nil {
		t.Fatal(err)
	}
	// The session is spent.
	if _, err := n.srv.DKGRound1(ctx, &api.DKGRound1Request{Session: session, Identifier: 1, Threshold: 2, Participants: 2}); statusOf(err) != http.StatusConflict {
		t.Fatalf("round one of a finished session: want 409, got %v", err)
	}
	if _, err := n.srv.DKGShare(ctx, &api.ShareRequest{Session: session, Shares: []api.EncryptedShare{{From: 2, To: 1, Ciphertext: ct}}}); statusOf(err) != http.StatusConflict {
		t.Fatalf("shares for a finished session: want 409, got %v", err)
	}
}

// TestSharesSealedAtRest: the key share is not in the database file in the
// clear, and a wrong passphrase cannot open the store.
func TestSharesSealedAtRest(t *testing.T) {
	v, _ := trustedProver(t)
	nodes, gk := newCommittee(t, 2, 2, v)
	kp, err := nodes[0].srv.keyPackage(gk)
	if err != nil {
		t.Fatal(err)
	}
	nodes[0].store.Close()
	raw, err := os.ReadFile(filepath.Join(nodes[0].dir, "node.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, kp.SigningShare.Bytes()) {
		t.Fatal("signing share stored in the clear")
	}
	if _, err := OpenStore(nodes[0].dir, []byte("wrong passphrase!")); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := OpenStore(t.TempDir(), []byte("short")); err == nil {
		t.Fatal("short passphrase accepted")
	}
	if _, err := OpenStoreKDF(t.TempDir(), []byte(testPass), KDF{N: 1000, R: 8, P: 1}); err == nil {
		t.Fatal("scrypt N that is not a power of two accepted")
	}
	// The store keeps the cost it was created with: opening it with the
	// default cost argument still derives the same key.
	st, err := OpenStore(nodes[0].dir, []byte(testPass))
	if err != nil {
		t.Fatalf("reopen with the recorded cost: %v", err)
	}
	st.Close()
	nodes[0].restart(t, v)
	kp2, err := nodes[0].srv.keyPackage(gk)
	if err != nil || kp2.SigningShare.Equal(kp.SigningShare) != 1 {
		t.Fatalf("share after reopen: %v", err)
	}
}

// TestHTTPAuth: the API needs the bearer token; /health and /metrics do
// not; oversized and malformed bodies are refused.
func TestHTTPAuth(t *testing.T) {
	v, _ := trustedProver(t)
	n := openNode(t, t.TempDir(), v)
	const token = "0123456789abcdef0123"
	h, err := n.srv.Handler(token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.srv.Handler("short"); err == nil {
		t.Fatal("short token accepted")
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	do := func(method, path, tok, body string) int {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"health", "GET", "/health", "", "", 200},
		{"metrics", "GET", "/metrics", "", "", 200},
		{"no token", "POST", "/commitment", "", "{}", 401},
		{"wrong token", "POST", "/commitment", token + "x", "{}", 401},
		{"unknown group key", "POST", "/commitment", token, `{"group_key":"` + strings.Repeat("11", 32) + `"}`, 404},
		{"unknown field", "POST", "/commitment", token, `{"nope":1}`, 400},
		{"trailing data", "POST", "/commitment", token, `{} {}`, 400},
		{"too large", "POST", "/share", token, `{"session":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, 413},
		{"wrong method", "GET", "/fragment", token, "", 405},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := do(tc.method, tc.path, tc.token, tc.body); got != tc.want {
				t.Fatalf("status %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCheckTransport(t *testing.T) {
	cases := []struct {
		addr          string
		tls, insecure bool
		ok            bool
	}{
		{"127.0.0.1:0", false, false, true},
		{"[::1]:7400", false, false, true},
		{"localhost:7400", false, false, true},
		{":7400", false, false, false},
		{"0.0.0.0:7400", false, false, false},
		{"10.0.0.5:7400", false, false, false},
		{"10.0.0.5:7400", true, false, true},
		{"10.0.0.5:7400", false, true, true},
	}
	for _, tc := range cases {
		if err := CheckTransport(tc.addr, tc.tls, tc.insecure); (err == nil) != tc.ok {
			t.Errorf("%s tls=%v insecure=%v: %v", tc.addr, tc.tls, tc.insecure, err)
		}
	}
}
