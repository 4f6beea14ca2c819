package frost

import (
	"errors"
	"fmt"

	"filippo.io/edwards25519"
)

// Sizes of encoded group elements and scalars.
const (
	ElementSize = 32
	ScalarSize  = 32
)

// MaxParticipants bounds the number of participants of a committee, so that
// messages carrying per-participant lists stay small.
const MaxParticipants = 255

// Identifier names a participant: a non-zero scalar, here a small integer
// 1..MaxParticipants as in RFC 9591's examples.
type Identifier uint16

// Valid reports whether id is in 1..MaxParticipants.
func (id Identifier) Valid() bool { return id >= 1 && id <= MaxParticipants }

// Scalar returns the identifier as a scalar.
func (id Identifier) Scalar() *edwards25519.Scalar {
	var b [ScalarSize]byte
	b[0] = byte(id)
	b[1] = byte(id >> 8)
	s, err := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	if err != nil {
		panic("frost: identifier scalar: " + err.Error())
	}
	return s
}

// Bytes is SerializeScalar(id), 32 bytes little-endian.
func (id Identifier) Bytes() []byte { return id.Scalar().Bytes() }

var (
	errNonCanonical = errors.New("frost: non-canonical element encoding")
	errIdentity     = errors.New("frost: element is the identity")
	errTorsion      = errors.New("frost: element is not in the prime-order subgroup")
)

// minusOne is L-1; [L-1]P + P = [L]P is the identity exactly when P lies in
// the prime-order subgroup.
var minusOne = edwards25519.NewScalar().Subtract(edwards25519.NewScalar(), scalarOne())

func scalarOne() *edwards25519.Scalar {
	var b [ScalarSize]byte
	b[0] = 1
	s, _ := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	return s
}

// DecodeElement is RFC 9591's DeserializeElement for Ed25519: it accepts
// only canonical encodings of non-identity points of the prime-order
// subgroup.
func DecodeElement(b []byte) (*edwards25519.Point, error) {
	if len(b) != ElementSize {
		return nil, fmt.Errorf("frost: element of %d bytes, want %d", len(b), ElementSize)
	}
	p, err := edwards25519.NewIdentityPoint().SetBytes(b)
	if err != nil {
		return nil, fmt.Errorf("frost: invalid element: %w", err)
	}
	if string(p.Bytes()) != string(b) {
		return nil, errNonCanonical
	}
	if p.Equal(edwards25519.NewIdentityPoint()) == 1 {
		return nil, errIdentity
	}
	q := edwards25519.NewIdentityPoint().ScalarMult(minusOne, p)
	if q.Add(q, p).Equal(edwards25519.NewIdentityPoint()) != 1 {
		return nil, errTorsion
	}
	return p, nil
}

// DecodeScalar is RFC 9591's DeserializeScalar: 32 bytes little-endian,
// reduced modulo the group order.
func DecodeScalar(b []byte) (*edwards25519.Scalar, error) {
	if len(b) != ScalarSize {
		return nil, fmt.Errorf("frost: scalar of %d bytes, want %d", len(b), ScalarSize)
	}
	s, err := edwards25519.NewScalar().SetCanonicalBytes(b)
	if err != nil {
		return nil, fmt.Errorf("frost: invalid scalar: %w", err)
	}
	return s, nil
}

func isZero(s *edwards25519.Scalar) bool { return s.Equal(edwards25519.NewScalar()) == 1 }

// lagrange is the Lagrange coefficient at 0 of participant id among the
// signers in ids (RFC 9591 §4.2 derive_interpolating_value).
func lagrange(id Identifier, ids []Identifier) (*edwards25519.Scalar, error) {
	xi := id.Scalar()
	num, den := scalarOne(), scalarOne()
	found := false
	for _, j := range ids {
		if j == id {
			if found {
				return nil, fmt.Errorf("frost: identifier %d listed twice", id)
			}
			found = true
			continue
		}
		xj := j.Scalar()
		num.Multiply(num, xj)
		den.Multiply(den, edwards25519.NewScalar().Subtract(xj, xi))
	}
	if !found {
		return nil, fmt.Errorf("frost: identifier %d not among the signers", id)
	}
	if isZero(den) {
		return nil, errors.New("frost: duplicate identifiers")
	}
	return num.Multiply(num, edwards25519.NewScalar().Invert(den)), nil
}

// evalPolynomial returns f(x) for coefficients a[0] + a[1]x + ….
func evalPolynomial(coeffs []*edwards25519.Scalar, x Identifier) *edwards25519.Scalar {
	xs := x.Scalar()
	v := edwards25519.NewScalar()
	for i := len(coeffs) - 1; i >= 0; i-- {
		v.MultiplyAdd(v, xs, coeffs[i])
	}
	return v
}

// evalCommitment returns Σ C_k · x^k, the public image of f(x) for the
// commitments C_k = a_k·G.
func evalCommitment(commits []*edwards25519.Point, x Identifier) *edwards25519.Point {
	xs := x.Scalar()
	pow := scalarOne()
	scalars := make([]*edwards25519.Scalar, len(commits))
	for k := range commits {
		scalars[k] = edwards25519.NewScalar().Set(pow)
		pow.Multiply(pow, xs)
	}
	return edwards25519.NewIdentityPoint().VarTimeMultiScalarMult(scalars, commits)
}
