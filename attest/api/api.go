// Package api holds the JSON messages of the attestation node's HTTP API
// (see docs/PROTOCOL.md, "Attestation"). Every endpoint but /health and
// /metrics needs "Authorization: Bearer <token>". Errors are an Error body
// with a 4xx/5xx status.
//
// Key generation (dealerless, FROST §5.1), driven by `zkfleet attest keygen`:
//
//	POST /dkg/round1  DKGRound1Request → DKGPackage
//	    The node draws its secret polynomial and an X25519 key for this
//	    session, persists them (encrypted) and returns its commitments, a
//	    proof of knowledge of its secret, and the X25519 public key.
//	POST /dkg/round2  DKGRound2Request → DKGRound2Response
//	    Given every participant's package, the node checks each proof of
//	    knowledge (a bad one is a complaint naming the dealer, 422) and
//	    returns its share for every other participant, each encrypted to the
//	    recipient's X25519 key, so the driver relays but cannot read them.
//	POST /share       ShareRequest → ShareResponse
//	    Delivers the encrypted shares dealt to this node. The node decrypts
//	    each, checks it against the dealer's commitments (a bad one is a
//	    complaint naming the dealer, 422), and stores its key package
//	    encrypted at rest. It answers with the public key package, which
//	    every node must report identically.
//
// Signing (RFC 9591), driven by the aggregator (`zkfleet attest sign`):
//
//	POST /commitment  CommitmentRequest → CommitmentResponse
//	    Round one: fresh nonces, persisted before the answer, named by a
//	    nonce id.
//	POST /fragment    FragmentRequest → FragmentResponse
//	    Round two: the node verifies the proof itself (refusal: 422), then
//	    consumes the nonce (deleted from disk before the share is computed;
//	    a second use, also after a restart, is refused with 409) and returns
//	    its signature share over the attestation message.
package api

import (
	"github.com/zkfleet/zkfleet/attest"
)

// Paths of the API.
const (
	PathHealth     = "/health"
	PathMetrics    = "/metrics"
	PathDKGRound1  = "/dkg/round1"
	PathDKGRound2  = "/dkg/round2"
	PathShare      = "/share"
	PathCommitment = "/commitment"
	PathFragment   = "/fragment"
)

// Error is the body of every failed request.
type Error struct {
	Error string `json:"error"`
	// Complaints name the DKG dealers whose contribution this node
	// rejected.
	Complaints []Complaint `json:"complaints,omitempty"`
}

// Complaint accuses one DKG dealer.
type Complaint struct {
	Dealer uint16 `json:"dealer"`
	Reason string `json:"reason"`
}

// Health is the body of GET /health.
type Health struct {
	Status string `json:"status"`
	// Identity is the node's long-term Ed25519 public key, which its
	// peers may pin (zkfleet node --peers-file).
	Identity attest.HexBytes `json:"identity"`
	// Keys are the group keys this node holds a share of.
	Keys []attest.HexBytes `json:"keys"`
}

// DKGRound1Request starts a key generation on a node.
type DKGRound1Request struct {
	// Session is 32 random bytes naming this key generation.
	Session      attest.HexBytes `json:"session"`
	Identifier   uint16          `json:"identifier"`
	Threshold    int             `json:"threshold"`
	Participants int             `json:"participants"`
}

// DKGPackage is a participant's public round-one output.
type DKGPackage struct {
	Identifier  uint16            `json:"identifier"`
	Commitments []attest.HexBytes `json:"commitments"`
	ProofR      attest.HexBytes   `json:"proof_r"`
	ProofMu     attest.HexBytes   `json:"proof_mu"`
	// EncryptionKey is the participant's X25519 key for this session.
	EncryptionKey attest.HexBytes `json:"encryption_key"`
	// Identity is the node's long-term Ed25519 key and Signature its
	// signature over PackageMessage: peers that pin identities know the
	// package (and its encryption key) is the node's own.
	Identity  attest.HexBytes `json:"identity"`
	Signature attest.HexBytes `json:"signature"`
}

// DKGRound2Request carries every participant's package.
type DKGRound2Request struct {
	Session  attest.HexBytes `json:"session"`
	Packages []DKGPackage    `json:"packages"`
}

// EncryptedShare is f_from(to), sealed to the recipient.
type EncryptedShare struct {
	From       uint16          `json:"from"`
	To         uint16          `json:"to"`
	Ciphertext attest.HexBytes `json:"ciphertext"`
}

// DKGRound2Response carries the node's shares for the others.
type DKGRound2Response struct {
	Shares []EncryptedShare `json:"shares"`
}

// ShareRequest delivers the shares dealt to one node.
type ShareRequest struct {
	Session attest.HexBytes  `json:"session"`
	Shares  []EncryptedShare `json:"shares"`
}

// VerifyingShare is a participant's public share.
type VerifyingShare struct {
	Identifier uint16          `json:"identifier"`
	Key        attest.HexBytes `json:"key"`
}

// ShareResponse is the node's public key package after key generation.
type ShareResponse struct {
	Identifier      uint16           `json:"identifier"`
	GroupKey        attest.HexBytes  `json:"group_key"`
	Threshold       int              `json:"threshold"`
	VerifyingShares []VerifyingShare `json:"verifying_shares"`
}

// CommitmentRequest asks for round-one nonce commitments under a group key.
type CommitmentRequest struct {
	GroupKey attest.HexBytes `json:"group_key"`
}

// Commitment is a signer's round-one output.
type Commitment struct {
	Identifier uint16          `json:"identifier"`
	Hiding     attest.HexBytes `json:"hiding"`
	Binding    attest.HexBytes `json:"binding"`
}

// CommitmentResponse names the nonces the node will use once.
type CommitmentResponse struct {
	NonceID    string     `json:"nonce_id"`
	Commitment Commitment `json:"commitment"`
}

// FragmentRequest is round two: the request to attest and the signing
// package (every signer's commitment, sorted by identifier).
type FragmentRequest struct {
	GroupKey        attest.HexBytes `json:"group_key"`
	NonceID         string          `json:"nonce_id"`
	StatementDigest attest.Digest   `json:"statement_digest"`
	Proof           []byte          `json:"proof"`
	ELF             []byte          `json:"elf,omitempty"`
	Input           []byte          `json:"input,omitempty"`
	Commitments     []Commitment    `json:"commitments"`
}

// FragmentResponse is the node's signature share.
type FragmentResponse struct {
	Identifier uint16          `json:"identifier"`
	Share      attest.HexBytes `json:"share"`
}
