package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestNonceLimits: an expired nonce is refused, and a node refuses to hold
// more outstanding nonces than configured, until they expire.
func TestNonceLimits(t *testing.T) {
	v, prover := trustedProver(t)
	nodes, gk := newCommittee(t, 2, 2, v)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	for _, n := range nodes {
		srv, err := NewServer(Config{Store: n.store, Verifier: v, Logger: quiet, Now: clock.now, NonceTTL: time.Minute, MaxOutstandingNonces: 2})
		if err != nil {
			t.Fatal(err)
		}
		n.srv = srv
	}
	ctx := context.Background()
	digest := attest.Digest{8}
	reqs := signRequest(t, nodes, gk, digest, ed25519.Sign(prover, TrustedProverMessage(digest)))
	clock.t = clock.t.Add(2 * time.Minute)
	if _, err := nodes[0].srv.Fragment(ctx, reqs[0]); statusOf(err) != http.StatusConflict {
		t.Fatalf("expired nonce: want 409, got %v", err)
	}

	creq := &api.CommitmentRequest{GroupKey: gk}
	for range 2 {
		if _, err := nodes[1].srv.Commitment(ctx, creq); err != nil {
			t.Fatal(err)
		}
	}
	// Node 2 still holds its expired nonce from above plus two fresh ones:
	// the expired one is dropped, the two fresh ones fill the limit.
	if _, err := nodes[1].srv.Commitment(ctx, creq); statusOf(err) != http.StatusServiceUnavailable {
		t.Fatalf("over the nonce limit: want 503, got %v", err)
	}
	clock.t = clock.t.Add(2 * time.Minute)
	if _, err := nodes[1].srv.Commitment(ctx, creq); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := nodes[1].store.outstandingNonces(); got != 1 {
		t.Fatalf("%d outstanding nonces, want 1", got)
	}
}

// TestDKGLimits: a node keeps a bounded number of unfinished key
// generations and drops the secrets of stale ones.
func TestDKGLimits(t *testing.T) {
	v, _ := trustedProver(t)
	n := openNode(t, t.TempDir(), v)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	srv, err := NewServer(Config{Store: n.store, Verifier: v, Logger: quiet, Now: clock.now, MaxPendingDKG: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := func(b byte) error {
		_, err := srv.DKGRound1(ctx, &api.DKGRound1Request{Session: bytes.Repeat([]byte{b}, 32), Identifier: 1, Threshold: 2, Participants: 3})
		return err
	}
	if err := start(1); err != nil {
		t.Fatal(err)
	}
	if err := start(2); err != nil {
		t.Fatal(err)
	}
	if err := start(3); statusOf(err) != http.StatusServiceUnavailable {
		t.Fatalf("third open key generation: want 503, got %v", err)
	}
	clock.t = clock.t.Add(DKGTTL + time.Minute)
	if err := start(3); err != nil {
		t.Fatalf("after the stale ones expired: %v", err)
	}
	// The expired session cannot continue.
	_, err = srv.DKGRound2(ctx, &api.DKGRound2Request{Session: bytes.Repeat([]byte{1}, 32)})
	if statusOf(err) != http.StatusConflict {
		t.Fatalf("expired session: want 409, got %v", err)
	}
	for name, req := range map[string]*api.DKGRound1Request{
		"short session":     {Session: []byte{1}, Identifier: 1, Threshold: 2, Participants: 3},
		"threshold 1":       {Session: bytes.Repeat([]byte{9}, 32), Identifier: 1, Threshold: 1, Participants: 3},
		"identifier beyond": {Session: bytes.Repeat([]byte{9}, 32), Identifier: 4, Threshold: 2, Participants: 3},
		"too many":          {Session: bytes.Repeat([]byte{9}, 32), Identifier: 1, Threshold: 2, Participants: 256},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := srv.DKGRound1(ctx, req); statusOf(err) != http.StatusBadRequest {
				t.Fatalf("want 400, got %v", err)
			}
		})
	}
}

func TestLoadPeers(t *testing.T) {
	dir := t.TempDir()
	k1, k2 := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	for name, tc := range map[string]struct {
		content string
		want    int
	}{
		"two with comments": {"# committee A\n" + k1 + "\n\n" + k2 + "  # node 2\n", 2},
		"empty":             {"# nothing\n", -1},
		"short key":         {"abcd\n", -1},
		"not hex":           {strings.Repeat("zz", 32) + "\n", -1},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadPeers(p)
			if tc.want < 0 {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil || len(got) != tc.want {
				t.Fatalf("got %d keys, err %v", len(got), err)
			}
		})
	}
}
