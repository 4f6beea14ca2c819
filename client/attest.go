package client

import (
	"context"
	"fmt"

	"github.com/zkfleet/zkfleet/attest"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Attestation returns the committee attestation of a completed job that
// was submitted with Attest, after checking that it names the job's proof
// file (its SHA-256). It does not check the signature: only the caller
// knows which group key it trusts, so follow with
// attest.VerifyAttestation(trustedKey, att).
func (c *Client) Attestation(ctx context.Context, id string) (*attest.Attestation, error) {
	r, err := c.api.GetProof(ctx, &pb.GetProofRequest{JobId: id})
	if err != nil {
		return nil, err
	}
	if r.Attestation == nil {
		return nil, fmt.Errorf("job %s has no attestation (was it submitted with Attest?)", id)
	}
	w := r.Attestation
	att, err := attest.FromWire(w.StatementDigest, w.ProofHash, w.GroupKey, w.Signature, w.Signers)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	if att.ProofHash != attest.ProofHash(r.Proof) {
		return nil, fmt.Errorf("job %s: %w: it names proof %s, the job's proof is %s", id, attest.ErrBadAttestation, att.ProofHash, attest.ProofHash(r.Proof))
	}
	return att, nil
}
