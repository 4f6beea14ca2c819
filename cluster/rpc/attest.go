package rpc

import (
	"encoding/json"
	"fmt"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// postProofOptions are the post-proof phases a submit request asks for.
func postProofOptions(r *pb.SubmitJobRequest) []string {
	if r.Attest {
		return []string{attest.JobOption}
	}
	return nil
}

// attestationOf is the attestation of a completed job that asked for
// one, nil for a job that did not.
func attestationOf(c *coordinator.Coordinator, id string) (*pb.Attestation, error) {
	raw, err := c.Result(id, attest.JobOption)
	if err != nil || raw == nil {
		return nil, err
	}
	var a attest.Attestation
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("attestation of job %s: %w", id, err)
	}
	return AttestationToPB(&a), nil
}

// AttestationToPB converts an attestation to its wire message.
func AttestationToPB(a *attest.Attestation) *pb.Attestation {
	out := &pb.Attestation{StatementDigest: a.StatementDigest[:], ProofHash: a.ProofHash[:],
		GroupKey: a.GroupKey, Signature: a.Signature}
	for _, s := range a.Signers {
		out.Signers = append(out.Signers, uint32(s))
	}
	return out
}
