// Package frost implements FROST(Ed25519, SHA-512), the two-round threshold
// Schnorr signature scheme of RFC 9591, and a dealerless distributed key
// generation for it (the Pedersen DKG with proofs of knowledge from the FROST
// paper, Komlo and Goldberg 2020, §5.1).
//
// Signatures produced by Aggregate are ordinary RFC 8032 Ed25519 signatures
// under the group public key: crypto/ed25519.Verify accepts them.
//
// Group arithmetic is filippo.io/edwards25519. Every element received from
// another party is decoded with DecodeElement, which rejects non-canonical
// encodings, the identity and points outside the prime-order subgroup, as
// RFC 9591 §4.1 (DeserializeElement) requires.
package frost
