// Package node is the attestation signer service run by `zkfleet node`:
// one participant of a FROST(Ed25519, SHA-512) committee. It takes part in
// the dealerless key generation, keeps its key share sealed at rest, and
// releases a signature share only for a proof its own Verifier accepts,
// with nonces that are persisted before they are shown and deleted before
// they are used. The HTTP API is described in attest/api.
package node

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
)

// DefaultNonceTTL is how long an issued nonce may wait for its round two.
const DefaultNonceTTL = 10 * time.Minute

// DefaultMaxPendingDKG bounds the key generations a node keeps open, and
// DKGTTL how long one may stay unfinished before its secrets are dropped.
const (
	DefaultMaxPendingDKG = 16
	DKGTTL               = time.Hour
)

// Config configures a Server.
type Config struct {
	Store    *Store
	Verifier Verifier
	Logger   *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// NonceTTL bounds the wait between round one and round two
	// (DefaultNonceTTL when zero).
	NonceTTL time.Duration
	// MaxOutstandingNonces bounds issued, unused nonces
	// (DefaultMaxOutstandingNonces when zero).
	MaxOutstandingNonces int
	// MaxPendingDKG bounds unfinished key generations
	// (DefaultMaxPendingDKG when zero).
	MaxPendingDKG int
	// Peers pins the identities (Ed25519 public keys) of the nodes this
	// node accepts in a key generation. Empty means any identity: the
	// key-generation driver is then trusted to relay the packages
	// faithfully, because a driver that swapped the encryption keys could
	// read the shares.
	Peers []ed25519.PublicKey
	// MaxConcurrentVerifications bounds proof verifications in flight (1
	// when zero); further fragment requests wait.
	MaxConcurrentVerifications int
}

// Server is one committee member. Its methods are the API's operations;
// Handler serves them over HTTP.
type Server struct {
	store     *Store
	verifier  Verifier
	log       *slog.Logger
	now       func() time.Time
	ttl       time.Duration
	maxNonces int
	maxDKG    int
	identity  ed25519.PrivateKey
	peers     []ed25519.PublicKey
	verifySem chan struct{}
	metrics   *metrics

	// dkgMu serialises key-generation steps, which read, check and
	// rewrite a session record.
	dkgMu sync.Mutex
}

// NewServer builds a server.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Verifier == nil {
		return nil, errors.New("node: store and verifier are required")
	}
	s := &Server{store: cfg.Store, verifier: cfg.Verifier, log: cfg.Logger, now: cfg.Now, ttl: cfg.NonceTTL,
		maxNonces: cfg.MaxOutstandingNonces, maxDKG: cfg.MaxPendingDKG}
	if s.maxNonces <= 0 {
		s.maxNonces = DefaultMaxOutstandingNonces
	}
	if s.maxDKG <= 0 {
		s.maxDKG = DefaultMaxPendingDKG
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultNonceTTL
	}
	id, err := cfg.Store.Identity()
	if err != nil {
		return nil, err
	}
	s.identity, s.peers = id, cfg.Peers
	n := cfg.MaxConcurrentVerifications
	if n <= 0 {
		n = 1
	}
	s.verifySem = make(chan struct{}, n)
	s.metrics = newMetrics(s)
	return s, nil
}

// Error is an operation failure with the HTTP status it maps to.
type Error struct {
	Status     int
	Err        error
	Complaints []api.Complaint
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func fail(status int, format string, args ...any) error {
	return &Error{Status: status, Err: fmt.Errorf(format, args...)}
}

// Health reports the node's state.
func (s *Server) Health(ctx context.Context) (*api.Health, error) {
	ks, err := s.store.keys(bucketKeys)
	if err != nil {
		return nil, err
	}
	h := &api.Health{Status: "ok", Identity: attest.HexBytes(s.identity.Public().(ed25519.PublicKey))}
	for _, k := range ks {
		h.Keys = append(h.Keys, k)
	}
	return h, nil
}

func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", b), nil
}
