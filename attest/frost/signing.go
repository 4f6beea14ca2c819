package frost

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"slices"

	"filippo.io/edwards25519"
)

// KeyPackage is one participant's signing key: its share of the group
// secret and the public values it signs under.
type KeyPackage struct {
	ID           Identifier
	SigningShare *edwards25519.Scalar
	Public       *PublicKeyPackage
}

// PublicKeyPackage is the public result of key generation: the group key,
// every participant's verifying share (its signing share times G), and the
// threshold.
type PublicKeyPackage struct {
	GroupKey        *edwards25519.Point
	VerifyingShares map[Identifier]*edwards25519.Point
	Threshold       int
}

// Commitment is a participant's round-one output: the public images of its
// two nonces.
type Commitment struct {
	ID      Identifier
	Hiding  *edwards25519.Point
	Binding *edwards25519.Point
}

// NewCommitment decodes a commitment received from a participant.
func NewCommitment(id Identifier, hiding, binding []byte) (Commitment, error) {
	if !id.Valid() {
		return Commitment{}, fmt.Errorf("frost: invalid identifier %d", id)
	}
	d, err := DecodeElement(hiding)
	if err != nil {
		return Commitment{}, fmt.Errorf("frost: hiding commitment of %d: %w", id, err)
	}
	e, err := DecodeElement(binding)
	if err != nil {
		return Commitment{}, fmt.Errorf("frost: binding commitment of %d: %w", id, err)
	}
	return Commitment{ID: id, Hiding: d, Binding: e}, nil
}

// Equal reports whether two commitments are the same.
func (c Commitment) Equal(o Commitment) bool {
	return c.ID == o.ID && c.Hiding.Equal(o.Hiding) == 1 && c.Binding.Equal(o.Binding) == 1
}

// Nonces is a participant's secret round-one state. It must be used for at
// most one signature share and then destroyed.
type Nonces struct {
	Hiding     *edwards25519.Scalar
	Binding    *edwards25519.Scalar
	Commitment Commitment
}

// Commit is RFC 9591 §5.1 commit: it draws two nonces bound to the signing
// share (nonce_generate) and returns them with their commitments.
func Commit(kp *KeyPackage, rand io.Reader) (*Nonces, error) {
	var hr, br [32]byte
	if _, err := io.ReadFull(rand, hr[:]); err != nil {
		return nil, fmt.Errorf("frost: nonce randomness: %w", err)
	}
	if _, err := io.ReadFull(rand, br[:]); err != nil {
		return nil, fmt.Errorf("frost: nonce randomness: %w", err)
	}
	return commitWithRandomness(kp.ID, kp.SigningShare, hr[:], br[:]), nil
}

func commitWithRandomness(id Identifier, share *edwards25519.Scalar, hidingRand, bindingRand []byte) *Nonces {
	enc := share.Bytes()
	d := h3(append(slices.Clip(hidingRand), enc...))
	e := h3(append(slices.Clip(bindingRand), enc...))
	return &Nonces{
		Hiding:  d,
		Binding: e,
		Commitment: Commitment{
			ID:      id,
			Hiding:  edwards25519.NewIdentityPoint().ScalarBaseMult(d),
			Binding: edwards25519.NewIdentityPoint().ScalarBaseMult(e),
		},
	}
}

// checkCommitments enforces the shape of a signing package's commitment
// list: sorted by strictly increasing identifier, at least threshold and at
// most MaxParticipants entries, every identifier valid.
func checkCommitments(commitments []Commitment, threshold int) error {
	if len(commitments) < threshold {
		return fmt.Errorf("frost: %d commitments, threshold is %d", len(commitments), threshold)
	}
	if len(commitments) > MaxParticipants {
		return fmt.Errorf("frost: %d commitments exceed %d", len(commitments), MaxParticipants)
	}
	for i, c := range commitments {
		if !c.ID.Valid() {
			return fmt.Errorf("frost: invalid identifier %d", c.ID)
		}
		if c.Hiding == nil || c.Binding == nil {
			return fmt.Errorf("frost: commitment of %d is incomplete", c.ID)
		}
		if i > 0 && commitments[i-1].ID >= c.ID {
			return errors.New("frost: commitments are not sorted by strictly increasing identifier")
		}
	}
	return nil
}

// encodeCommitmentList is RFC 9591 §4.3 encode_group_commitment_list.
func encodeCommitmentList(commitments []Commitment) []byte {
	out := make([]byte, 0, len(commitments)*(ScalarSize+2*ElementSize))
	for _, c := range commitments {
		out = append(out, c.ID.Bytes()...)
		out = append(out, c.Hiding.Bytes()...)
		out = append(out, c.Binding.Bytes()...)
	}
	return out
}

// bindingFactors is RFC 9591 §4.4 compute_binding_factors.
func bindingFactors(groupKey *edwards25519.Point, commitments []Commitment, msg []byte) map[Identifier]*edwards25519.Scalar {
	prefix := slices.Concat(groupKey.Bytes(), h4(msg), h5(encodeCommitmentList(commitments)))
	out := make(map[Identifier]*edwards25519.Scalar, len(commitments))
	for _, c := range commitments {
		out[c.ID] = h1(slices.Concat(prefix, c.ID.Bytes()))
	}
	return out
}

// groupCommitment is RFC 9591 §4.5 compute_group_commitment.
func groupCommitment(commitments []Commitment, rho map[Identifier]*edwards25519.Scalar) *edwards25519.Point {
	scalars := make([]*edwards25519.Scalar, len(commitments))
	points := make([]*edwards25519.Point, len(commitments))
	for i, c := range commitments {
		scalars[i], points[i] = rho[c.ID], c.Binding
	}
	r := edwards25519.NewIdentityPoint().VarTimeMultiScalarMult(scalars, points)
	for _, c := range commitments {
		r.Add(r, c.Hiding)
	}
	return r
}

// challenge is RFC 9591 §4.6 compute_challenge.
func challenge(r, groupKey *edwards25519.Point, msg []byte) *edwards25519.Scalar {
	return h2(slices.Concat(r.Bytes(), groupKey.Bytes(), msg))
}

func ids(commitments []Commitment) []Identifier {
	out := make([]Identifier, len(commitments))
	for i, c := range commitments {
		out[i] = c.ID
	}
	return out
}

// signingContext is what both a signer and the aggregator derive from a
// signing package.
type signingContext struct {
	rho map[Identifier]*edwards25519.Scalar
	r   *edwards25519.Point
	c   *edwards25519.Scalar
}

func newSigningContext(groupKey *edwards25519.Point, msg []byte, commitments []Commitment) (*signingContext, error) {
	rho := bindingFactors(groupKey, commitments, msg)
	r := groupCommitment(commitments, rho)
	if r.Equal(edwards25519.NewIdentityPoint()) == 1 {
		return nil, errors.New("frost: group commitment is the identity")
	}
	return &signingContext{rho: rho, r: r, c: challenge(r, groupKey, msg)}, nil
}

// Sign is RFC 9591 §5.2 sign: the participant's signature share for msg
// over the signing package's commitments. The nonces must be the ones whose
// commitment appears in the list under kp.ID; the caller must destroy them
// afterwards whatever the outcome.
func Sign(kp *KeyPackage, nonces *Nonces, msg []byte, commitments []Commitment) (*edwards25519.Scalar, error) {
	if err := checkCommitments(commitments, kp.Public.Threshold); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(commitments, func(c Commitment) bool { return c.ID == kp.ID })
	if i < 0 {
		return nil, fmt.Errorf("frost: participant %d has no commitment in the signing package", kp.ID)
	}
	if nonces.Commitment.ID != kp.ID || !commitments[i].Equal(nonces.Commitment) {
		return nil, fmt.Errorf("frost: the signing package's commitment for %d is not this participant's", kp.ID)
	}
	sc, err := newSigningContext(kp.Public.GroupKey, msg, commitments)
	if err != nil {
		return nil, err
	}
	lambda, err := lagrange(kp.ID, ids(commitments))
	if err != nil {
		return nil, err
	}
	// z = d + e·ρ + λ·s·c
	z := edwards25519.NewScalar().MultiplyAdd(nonces.Binding, sc.rho[kp.ID], nonces.Hiding)
	lsc := edwards25519.NewScalar().Multiply(lambda, kp.SigningShare)
	return z.MultiplyAdd(lsc, sc.c, z), nil
}

// ShareError names a participant whose signature share failed verification.
type ShareError struct {
	ID  Identifier
	Err error
}

func (e *ShareError) Error() string {
	return fmt.Sprintf("frost: signature share of participant %d: %v", e.ID, e.Err)
}

func (e *ShareError) Unwrap() error { return e.Err }

// ErrInvalidShare is wrapped by a ShareError whose share does not verify.
var ErrInvalidShare = errors.New("invalid signature share")

// VerifyShare is RFC 9591 §5.4 verify_signature_share: it checks
// participant id's share against its verifying share.
func VerifyShare(pub *PublicKeyPackage, id Identifier, share *edwards25519.Scalar, msg []byte, commitments []Commitment) error {
	if err := checkCommitments(commitments, pub.Threshold); err != nil {
		return err
	}
	sc, err := newSigningContext(pub.GroupKey, msg, commitments)
	if err != nil {
		return err
	}
	return verifyShare(pub, sc, id, share, commitments)
}

func verifyShare(pub *PublicKeyPackage, sc *signingContext, id Identifier, share *edwards25519.Scalar, commitments []Commitment) error {
	vs, ok := pub.VerifyingShares[id]
	if !ok {
		return &ShareError{ID: id, Err: errors.New("no verifying share for this participant")}
	}
	i := slices.IndexFunc(commitments, func(c Commitment) bool { return c.ID == id })
	if i < 0 {
		return &ShareError{ID: id, Err: errors.New("no commitment for this participant")}
	}
	lambda, err := lagrange(id, ids(commitments))
	if err != nil {
		return &ShareError{ID: id, Err: err}
	}
	c := commitments[i]
	// z·G == D + ρ·E + (c·λ)·Y_i
	want := edwards25519.NewIdentityPoint().VarTimeMultiScalarMult(
		[]*edwards25519.Scalar{sc.rho[id], edwards25519.NewScalar().Multiply(sc.c, lambda)},
		[]*edwards25519.Point{c.Binding, vs})
	want.Add(want, c.Hiding)
	got := edwards25519.NewIdentityPoint().ScalarBaseMult(share)
	if got.Equal(want) != 1 {
		return &ShareError{ID: id, Err: ErrInvalidShare}
	}
	return nil
}

// Aggregate is RFC 9591 §5.3 aggregate, preceded by a check of every share
// (§5.4): it returns a 64-byte Ed25519 signature R || z. If shares fail
// verification it returns an error joining one *ShareError per bad
// participant, so the caller can name them.
func Aggregate(pub *PublicKeyPackage, msg []byte, commitments []Commitment, shares map[Identifier]*edwards25519.Scalar) ([]byte, error) {
	if err := checkCommitments(commitments, pub.Threshold); err != nil {
		return nil, err
	}
	if len(shares) != len(commitments) {
		return nil, fmt.Errorf("frost: %d shares for %d commitments", len(shares), len(commitments))
	}
	sc, err := newSigningContext(pub.GroupKey, msg, commitments)
	if err != nil {
		return nil, err
	}
	var bad []error
	z := edwards25519.NewScalar()
	for _, c := range commitments {
		share, ok := shares[c.ID]
		if !ok {
			bad = append(bad, &ShareError{ID: c.ID, Err: errors.New("missing share")})
			continue
		}
		if err := verifyShare(pub, sc, c.ID, share, commitments); err != nil {
			bad = append(bad, err)
			continue
		}
		z.Add(z, share)
	}
	if len(bad) > 0 {
		return nil, errors.Join(bad...)
	}
	sig := slices.Concat(sc.r.Bytes(), z.Bytes())
	if !ed25519.Verify(pub.GroupKey.Bytes(), msg, sig) {
		// Unreachable when every share verified; kept as a last guard.
		return nil, errors.New("frost: aggregate signature does not verify")
	}
	return sig, nil
}
