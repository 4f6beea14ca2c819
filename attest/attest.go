// Package attest defines what a zkfleet attestation committee signs and how
// anyone checks it: a committee of independent nodes, each holding a share
// of one Ed25519 key made by a dealerless DKG (attest/frost), verifies a
// proof itself and contributes a FROST signature share; t of n shares make
// one ordinary Ed25519 signature over the attestation message, which a chain
// or a client that cannot verify a pairing checks with crypto/ed25519.
//
// Layout: attest/frost is the threshold signature scheme; attest/api the
// JSON wire types of the node's HTTP API; attest/node the signer service
// (`zkfleet node`); attest/committee the key-generation driver and the
// signing aggregator (`zkfleet attest keygen|sign`).
package attest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// MessagePrefix separates attestation messages from every other message the
// group key could be asked to sign.
const MessagePrefix = "zkfleet/attestation/v1\x00"

// MessageSize is the length of every attestation message.
const MessageSize = len(MessagePrefix) + 2*sha256.Size

// Digest is a SHA-256 value, JSON-encoded as lower-case hex.
type Digest [sha256.Size]byte

// MarshalText encodes d as hex.
func (d Digest) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(d[:])), nil }

// UnmarshalText decodes 64 hex digits.
func (d *Digest) UnmarshalText(b []byte) error {
	if len(b) != 2*len(d) {
		return fmt.Errorf("attest: digest of %d hex digits, want %d", len(b), 2*len(d))
	}
	_, err := hex.Decode(d[:], b)
	return err
}

func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// ParseDigest decodes a hex digest.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	return d, d.UnmarshalText([]byte(s))
}

// ProofHash is the hash an attestation names a proof by: SHA-256 of the
// proof file's bytes.
func ProofHash(proof []byte) Digest { return sha256.Sum256(proof) }

// Claim is what an attestation asserts: the proof with this hash is a valid
// proof of the statement with this digest.
type Claim struct {
	StatementDigest Digest `json:"statement_digest"`
	ProofHash       Digest `json:"proof_hash"`
}

// Message is the canonical byte string the committee signs for a claim:
// MessagePrefix || statement digest || proof hash (fixed length).
func (c Claim) Message() []byte {
	return slices.Concat([]byte(MessagePrefix), c.StatementDigest[:], c.ProofHash[:])
}

// Request asks a committee to attest a proof. Every node verifies it with
// its own verifier before it releases a signature share. ELF and Input are
// what the zkVM verifier needs; other verifiers may ignore them.
type Request struct {
	StatementDigest Digest
	Proof           []byte
	ELF             []byte
	Input           []byte
}

// Claim is the claim the request asks to attest.
func (r *Request) Claim() Claim {
	return Claim{StatementDigest: r.StatementDigest, ProofHash: ProofHash(r.Proof)}
}

// Attestation is a committee's signature over a claim.
type Attestation struct {
	Claim
	// GroupKey is the committee's Ed25519 public key (32 bytes, hex).
	GroupKey HexBytes `json:"group_key"`
	// Signature is the Ed25519 signature over Claim.Message() (64 bytes,
	// hex).
	Signature HexBytes `json:"signature"`
	// Signers are the identifiers of the nodes whose shares were combined
	// (informational: the signature does not depend on who signed).
	Signers []uint16 `json:"signers"`
}

// ErrBadAttestation is wrapped by every VerifyAttestation failure.
var ErrBadAttestation = errors.New("attest: invalid attestation")

// VerifyAttestation checks att under the trusted group key: the attestation
// must name that key, and its signature must be a valid Ed25519 signature
// over the attestation message of its claim. The caller must still check
// that the claim is the one it cares about (its statement digest and proof
// hash).
func VerifyAttestation(groupKey ed25519.PublicKey, att *Attestation) error {
	if len(groupKey) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: group key of %d bytes", ErrBadAttestation, len(groupKey))
	}
	if att == nil {
		return fmt.Errorf("%w: missing", ErrBadAttestation)
	}
	if !slices.Equal([]byte(att.GroupKey), []byte(groupKey)) {
		return fmt.Errorf("%w: signed by group key %x, trusted key is %x", ErrBadAttestation, []byte(att.GroupKey), []byte(groupKey))
	}
	if len(att.Signature) != ed25519.SignatureSize {
		return fmt.Errorf("%w: signature of %d bytes", ErrBadAttestation, len(att.Signature))
	}
	if !ed25519.Verify(groupKey, att.Message(), att.Signature) {
		return fmt.Errorf("%w: signature does not verify", ErrBadAttestation)
	}
	return nil
}

// HexBytes is a byte string JSON-encoded as lower-case hex.
type HexBytes []byte

// MarshalText encodes b as hex.
func (b HexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(b)), nil }

// UnmarshalText decodes hex.
func (b *HexBytes) UnmarshalText(t []byte) error {
	out, err := hex.DecodeString(string(t))
	if err != nil {
		return fmt.Errorf("attest: %w", err)
	}
	*b = out
	return nil
}

// JobOption is the name of the coordinator's post-proof phase that
// attests a job's proof (a job submitted with attest).
const JobOption = "attest"

// FromWire rebuilds an attestation from its fields as a wire message
// carries them (GetProofResponse.attestation), refusing malformed sizes.
func FromWire(statementDigest, proofHash, groupKey, signature []byte, signers []uint32) (*Attestation, error) {
	a := &Attestation{GroupKey: groupKey, Signature: signature}
	if len(statementDigest) != len(a.StatementDigest) || len(proofHash) != len(a.ProofHash) {
		return nil, fmt.Errorf("%w: digest of %d bytes, proof hash of %d bytes", ErrBadAttestation, len(statementDigest), len(proofHash))
	}
	if len(groupKey) != ed25519.PublicKeySize || len(signature) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: group key of %d bytes, signature of %d bytes", ErrBadAttestation, len(groupKey), len(signature))
	}
	copy(a.StatementDigest[:], statementDigest)
	copy(a.ProofHash[:], proofHash)
	for _, s := range signers {
		if s == 0 || s > 0xffff {
			return nil, fmt.Errorf("%w: signer identifier %d", ErrBadAttestation, s)
		}
		a.Signers = append(a.Signers, uint16(s))
	}
	return a, nil
}

// MaxAttestationFile bounds an attestation file: a few hundred bytes of
// JSON in practice.
const MaxAttestationFile = 64 << 10

// ParseAttestation parses an attestation file (the JSON of Attestation),
// refusing unknown fields, trailing data, a group key or signature of the
// wrong size and signer identifiers outside 1..65535 or repeated. It does
// not check the signature (VerifyAttestation does).
func ParseAttestation(raw []byte) (*Attestation, error) {
	if len(raw) > MaxAttestationFile {
		return nil, fmt.Errorf("%w: file of %d bytes, limit %d", ErrBadAttestation, len(raw), MaxAttestationFile)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var att Attestation
	if err := dec.Decode(&att); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadAttestation, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data", ErrBadAttestation)
	}
	if len(att.GroupKey) != ed25519.PublicKeySize || len(att.Signature) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: group key of %d bytes, signature of %d bytes", ErrBadAttestation, len(att.GroupKey), len(att.Signature))
	}
	seen := map[uint16]bool{}
	for _, s := range att.Signers {
		if s == 0 || seen[s] {
			return nil, fmt.Errorf("%w: signer identifier %d zero or repeated", ErrBadAttestation, s)
		}
		seen[s] = true
	}
	return &att, nil
}
