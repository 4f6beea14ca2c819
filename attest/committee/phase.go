package committee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// RequestFunc builds the attestation request for a job's final proof.
type RequestFunc func(j coordinator.PostProofJob) (*attest.Request, error)

// ErrMockJob refuses to attest a mock prover's placeholder.
var ErrMockJob = errors.New("committee: a mock prover's placeholder is not a proof and is never attested")

// ZKVMJobRequest is the request for a RISC-V job's zkVM proof file
// (ProofRequest: the statement digest read from the file, the job's ELF
// and input for the nodes' verifiers). Mock jobs and other kinds are
// refused.
func ZKVMJobRequest(j coordinator.PostProofJob) (*attest.Request, error) {
	if j.Mock {
		return nil, ErrMockJob
	}
	if k := j.Spec.KindOrDefault(); k != engine.KindRISCV {
		return nil, fmt.Errorf("committee: no attestation statement for jobs of kind %q", k)
	}
	return ProofRequest(j.Proof, j.Spec.ELF, j.Spec.Input)
}

// PostProof is the coordinator's attesting phase (job option
// attest.JobOption): it asks the committee to attest the job's proof and
// keeps the attestation (JSON) as the phase's result. A committee that
// cannot gather threshold valid shares fails the job with an *AttestError
// naming every faulty node. request builds the request (nil:
// ZKVMJobRequest).
func (c *Committee) PostProof(request RequestFunc) coordinator.PostProof {
	if request == nil {
		request = ZKVMJobRequest
	}
	return coordinator.PostProof{Name: attest.JobOption, Phase: pb.JobPhase_JOB_PHASE_ATTESTING,
		Run: func(ctx context.Context, j coordinator.PostProofJob) ([]byte, error) {
			req, err := request(j)
			if err != nil {
				return nil, err
			}
			if attest.ProofHash(req.Proof) != attest.ProofHash(j.Proof) {
				return nil, errors.New("committee: the request does not carry the job's proof")
			}
			res, err := c.Attest(ctx, req)
			if err != nil {
				return nil, err
			}
			for _, f := range res.Faults {
				c.log.WarnContext(ctx, "job attested without a node", "job", j.ID, "node", f.Identifier, "url", f.URL, "kind", f.Kind, "err", f.Err)
			}
			return json.Marshal(res.Attestation)
		}}
}
