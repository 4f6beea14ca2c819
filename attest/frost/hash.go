package frost

import (
	"crypto/sha512"

	"filippo.io/edwards25519"
)

// ContextString is the ciphersuite's domain-separation prefix (RFC 9591
// §6.1).
const ContextString = "FROST-ED25519-SHA512-v1"

// hashToScalar is SHA-512 of the concatenated parts, read as a little-endian
// integer and reduced modulo the group order.
func hashToScalar(parts ...[]byte) *edwards25519.Scalar {
	h := sha512.New()
	for _, p := range parts {
		h.Write(p)
	}
	s, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(nil))
	if err != nil {
		panic("frost: " + err.Error()) // 64 bytes always fit
	}
	return s
}

func hashBytes(parts ...[]byte) []byte {
	h := sha512.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// h1 derives binding factors.
func h1(m []byte) *edwards25519.Scalar { return hashToScalar([]byte(ContextString), []byte("rho"), m) }

// h2 is the signature challenge hash. For Ed25519 it carries no prefix, so
// that signatures are RFC 8032 signatures.
func h2(m []byte) *edwards25519.Scalar { return hashToScalar(m) }

// h3 derives nonces.
func h3(m []byte) *edwards25519.Scalar {
	return hashToScalar([]byte(ContextString), []byte("nonce"), m)
}

// h4 hashes the message into the binding-factor input.
func h4(m []byte) []byte { return hashBytes([]byte(ContextString), []byte("msg"), m) }

// h5 hashes the encoded commitment list into the binding-factor input.
func h5(m []byte) []byte { return hashBytes([]byte(ContextString), []byte("com"), m) }
