package node

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/zkfleet/zkfleet/attest"
)

// Verifier decides whether a node may attest a request: it returns nil only
// if the request's proof is a valid proof of the statement with the
// request's digest. A node calls it before it releases any signature share.
type Verifier interface {
	Verify(ctx context.Context, req *attest.Request) error
}

// ErrProofRejected is wrapped by verifier refusals.
var ErrProofRejected = errors.New("proof rejected")

// TrustedProverVerifier accepts a statement vouched for by one trusted
// prover key: the request's proof bytes must be that key's Ed25519
// signature over TrustedProverMessage(digest). It is for deployments whose
// root of trust is a known prover, for development, and for tests that must
// not run a real proof; the zkVM verifier is ZKVMVerifier.
type TrustedProverVerifier struct {
	Key ed25519.PublicKey
}

// TrustedProverPrefix separates trusted-prover statements from attestation
// messages.
const TrustedProverPrefix = "zkfleet/trusted-prover-statement/v1\x00"

// TrustedProverMessage is what the trusted prover signs for a statement.
func TrustedProverMessage(d attest.Digest) []byte {
	return append([]byte(TrustedProverPrefix), d[:]...)
}

// Verify implements Verifier.
func (v TrustedProverVerifier) Verify(ctx context.Context, req *attest.Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(v.Key) != ed25519.PublicKeySize {
		return errors.New("node: trusted prover key not configured")
	}
	if len(req.Proof) != ed25519.SignatureSize || !ed25519.Verify(v.Key, TrustedProverMessage(req.StatementDigest), req.Proof) {
		return fmt.Errorf("%w: not signed by the trusted prover for statement %s", ErrProofRejected, req.StatementDigest)
	}
	return nil
}
