package api

import (
	"encoding/binary"
	"fmt"

	"filippo.io/edwards25519"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// FromCommitment encodes a FROST commitment.
func FromCommitment(c frost.Commitment) Commitment {
	return Commitment{Identifier: uint16(c.ID), Hiding: c.Hiding.Bytes(), Binding: c.Binding.Bytes()}
}

// ToCommitments decodes and validates a signing package's commitments.
func ToCommitments(list []Commitment) ([]frost.Commitment, error) {
	if len(list) > frost.MaxParticipants {
		return nil, fmt.Errorf("api: %d commitments exceed %d", len(list), frost.MaxParticipants)
	}
	out := make([]frost.Commitment, len(list))
	for i, c := range list {
		fc, err := frost.NewCommitment(frost.Identifier(c.Identifier), c.Hiding, c.Binding)
		if err != nil {
			return nil, err
		}
		out[i] = fc
	}
	return out, nil
}

// FromPublic encodes a public key package for participant id.
func FromPublic(id frost.Identifier, pub *frost.PublicKeyPackage) *ShareResponse {
	r := &ShareResponse{Identifier: uint16(id), GroupKey: pub.GroupKey.Bytes(), Threshold: pub.Threshold}
	for j := frost.Identifier(1); j <= frost.MaxParticipants; j++ {
		if vs, ok := pub.VerifyingShares[j]; ok {
			r.VerifyingShares = append(r.VerifyingShares, VerifyingShare{Identifier: uint16(j), Key: vs.Bytes()})
		}
	}
	return r
}

// ToPublic decodes a public key package.
func ToPublic(groupKey attest.HexBytes, threshold int, shares []VerifyingShare) (*frost.PublicKeyPackage, error) {
	if err := frost.CheckParams(threshold, len(shares)); err != nil {
		return nil, err
	}
	gk, err := frost.DecodeElement(groupKey)
	if err != nil {
		return nil, fmt.Errorf("api: group key: %w", err)
	}
	pub := &frost.PublicKeyPackage{GroupKey: gk, Threshold: threshold, VerifyingShares: make(map[frost.Identifier]*edwards25519.Point, len(shares))}
	for _, vs := range shares {
		id := frost.Identifier(vs.Identifier)
		if !id.Valid() {
			return nil, fmt.Errorf("api: invalid identifier %d", id)
		}
		if _, dup := pub.VerifyingShares[id]; dup {
			return nil, fmt.Errorf("api: verifying share of %d listed twice", id)
		}
		p, err := frost.DecodeElement(vs.Key)
		if err != nil {
			return nil, fmt.Errorf("api: verifying share of %d: %w", id, err)
		}
		pub.VerifyingShares[id] = p
	}
	return pub, nil
}

// FromPackage encodes a DKG package with the participant's X25519 key.
func FromPackage(p *frost.DKGPackage, encKey []byte) DKGPackage {
	out := DKGPackage{Identifier: uint16(p.ID), ProofR: p.ProofR.Bytes(), ProofMu: p.ProofMu.Bytes(), EncryptionKey: encKey}
	for _, c := range p.Commitments {
		out.Commitments = append(out.Commitments, c.Bytes())
	}
	return out
}

// ToPackage decodes a DKG package; malformed contents are a complaint
// against its dealer (*frost.DealerError).
func ToPackage(p DKGPackage, threshold int) (*frost.DKGPackage, error) {
	id := frost.Identifier(p.Identifier)
	if !id.Valid() {
		return nil, fmt.Errorf("api: invalid identifier %d", id)
	}
	bad := func(err error) error { return &frost.DealerError{Dealer: id, Err: err} }
	if len(p.Commitments) != threshold {
		return nil, bad(fmt.Errorf("%d coefficient commitments, want %d", len(p.Commitments), threshold))
	}
	out := &frost.DKGPackage{ID: id}
	for k, c := range p.Commitments {
		pt, err := frost.DecodeElement(c)
		if err != nil {
			return nil, bad(fmt.Errorf("commitment %d: %w", k, err))
		}
		out.Commitments = append(out.Commitments, pt)
	}
	var err error
	if out.ProofR, err = frost.DecodeElement(p.ProofR); err != nil {
		return nil, bad(fmt.Errorf("proof: %w", err))
	}
	if out.ProofMu, err = frost.DecodeScalar(p.ProofMu); err != nil {
		return nil, bad(fmt.Errorf("proof: %w", err))
	}
	return out, nil
}

// PackagePrefix separates signed key-generation packages.
const PackagePrefix = "zkfleet/attest/dkg-package/v1\x00"

// PackageMessage is what a node's identity key signs for its round-one
// package: the session, the committee size, and every field of the package
// but the signature.
func PackageMessage(session []byte, participants int, p *DKGPackage) []byte {
	m := append([]byte(PackagePrefix), session...)
	m = binary.BigEndian.AppendUint16(m, uint16(participants))
	m = binary.BigEndian.AppendUint16(m, p.Identifier)
	m = binary.BigEndian.AppendUint16(m, uint16(len(p.Commitments)))
	for _, c := range p.Commitments {
		m = appendField(m, c)
	}
	for _, f := range [][]byte{p.ProofR, p.ProofMu, p.EncryptionKey, p.Identity} {
		m = appendField(m, f)
	}
	return m
}

// appendField appends a length-prefixed field, so that no two packages
// share a message.
func appendField(m, f []byte) []byte {
	m = binary.BigEndian.AppendUint32(m, uint32(len(f)))
	return append(m, f...)
}
