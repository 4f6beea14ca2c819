package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// nonceRecord is an issued, unused pair of nonces (sealed at rest).
type nonceRecord struct {
	GroupKey   []byte
	Identifier uint16
	Hiding     []byte
	Binding    []byte
	Commitment api.Commitment
}

// Commitment is round one: it draws fresh nonces for the group key,
// persists them, and only then returns their commitments.
func (s *Server) Commitment(ctx context.Context, req *api.CommitmentRequest) (*api.CommitmentResponse, error) {
	kp, err := s.keyPackage(req.GroupKey)
	if err != nil {
		return nil, err
	}
	n, err := frost.Commit(kp, rand.Reader)
	if err != nil {
		return nil, err
	}
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	c := api.FromCommitment(n.Commitment)
	rec := nonceRecord{GroupKey: req.GroupKey, Identifier: uint16(kp.ID), Hiding: n.Hiding.Bytes(), Binding: n.Binding.Bytes(), Commitment: c}
	if err := s.store.issueNonce([]byte(id), &rec, s.now(), s.ttl, s.maxNonces); err != nil {
		if errors.Is(err, ErrTooManyNonces) {
			return nil, &Error{Status: http.StatusServiceUnavailable, Err: err}
		}
		return nil, err
	}
	s.metrics.commitments.Inc()
	return &api.CommitmentResponse{NonceID: id, Commitment: c}, nil
}

// Fragment is round two: it verifies the proof with the node's verifier,
// consumes the nonce (deleted on disk before anything is computed from
// it), and returns the signature share over the attestation message.
func (s *Server) Fragment(ctx context.Context, req *api.FragmentRequest) (*api.FragmentResponse, error) {
	kp, err := s.keyPackage(req.GroupKey)
	if err != nil {
		return nil, err
	}
	if len(req.NonceID) != 32 {
		return nil, fail(http.StatusBadRequest, "malformed nonce id")
	}
	commitments, err := api.ToCommitments(req.Commitments)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	for _, c := range commitments {
		if _, ok := kp.Public.VerifyingShares[c.ID]; !ok {
			return nil, fail(http.StatusBadRequest, "commitment from %d, who is not a member of this committee", c.ID)
		}
	}
	areq := &attest.Request{StatementDigest: req.StatementDigest, Proof: req.Proof, ELF: req.ELF, Input: req.Input}
	if err := s.verify(ctx, areq); err != nil {
		s.metrics.fragments.WithLabelValues("proof_rejected").Inc()
		s.log.WarnContext(ctx, "refused to attest", "statement", req.StatementDigest.String(), "err", err)
		if errors.Is(err, ErrProofRejected) {
			return nil, &Error{Status: http.StatusUnprocessableEntity, Err: err}
		}
		return nil, err
	}
	var rec nonceRecord
	if err := s.store.takeNonce([]byte(req.NonceID), &rec, s.now(), s.ttl); err != nil {
		if errors.Is(err, ErrNonceUnavailable) {
			s.metrics.fragments.WithLabelValues("nonce_unavailable").Inc()
			return nil, &Error{Status: http.StatusConflict, Err: fmt.Errorf("nonce %s: %w", req.NonceID, err)}
		}
		return nil, err
	}
	if string(rec.GroupKey) != string(req.GroupKey) {
		return nil, fail(http.StatusBadRequest, "nonce %s was issued for another group key", req.NonceID)
	}
	nonces, err := rec.nonces()
	if err != nil {
		return nil, err
	}
	share, err := frost.Sign(kp, nonces, areq.Claim().Message(), commitments)
	if err != nil {
		s.metrics.fragments.WithLabelValues("bad_package").Inc()
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	s.metrics.fragments.WithLabelValues("signed").Inc()
	s.log.InfoContext(ctx, "attested", "statement", req.StatementDigest.String(), "proof_hash", areq.Claim().ProofHash.String())
	return &api.FragmentResponse{Identifier: uint16(kp.ID), Share: share.Bytes()}, nil
}

func (s *Server) verify(ctx context.Context, req *attest.Request) error {
	select {
	case s.verifySem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.verifySem }()
	return s.verifier.Verify(ctx, req)
}

func (r *nonceRecord) nonces() (*frost.Nonces, error) {
	d, err := frost.DecodeScalar(r.Hiding)
	if err != nil {
		return nil, err
	}
	e, err := frost.DecodeScalar(r.Binding)
	if err != nil {
		return nil, err
	}
	c, err := frost.NewCommitment(frost.Identifier(r.Commitment.Identifier), r.Commitment.Hiding, r.Commitment.Binding)
	if err != nil {
		return nil, err
	}
	return &frost.Nonces{Hiding: d, Binding: e, Commitment: c}, nil
}
