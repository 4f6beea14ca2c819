package frost

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"filippo.io/edwards25519"
)

// The distributed key generation is the Pedersen DKG with proofs of
// knowledge of FROST (Komlo and Goldberg, "FROST: Flexible Round-Optimized
// Schnorr Threshold Signatures", 2020, §5.1 Figure 1). No party ever holds
// the group secret:
//
//  1. Every participant i draws a random polynomial f_i of degree t-1,
//     publishes commitments C_ik = a_ik·G to its coefficients and a Schnorr
//     proof of knowledge of a_i0 bound to the session and to i (this stops
//     rogue-key attacks).
//  2. Every participant checks the others' proofs, then sends f_i(j) to each
//     participant j privately.
//  3. Every participant j checks each received f_i(j)·G against
//     Σ_k C_ik·j^k, complains about (names) any dealer i whose share fails,
//     and otherwise keeps s_j = Σ_i f_i(j). The group key is Σ_i C_i0 and
//     participant j's verifying share is Σ_i Σ_k C_ik·j^k.

// DKGPackage is a participant's public round-one output.
type DKGPackage struct {
	ID          Identifier
	Commitments []*edwards25519.Point // C_0 … C_{t-1}
	ProofR      *edwards25519.Point
	ProofMu     *edwards25519.Scalar
}

// DKGSecret is a participant's secret round-one state: its polynomial.
type DKGSecret struct {
	ID           Identifier
	Threshold    int
	Coefficients []*edwards25519.Scalar
}

// DealerError names a participant whose DKG contribution is invalid: a bad
// proof of knowledge, a malformed commitment, or a share that does not match
// its commitments. It is the complaint of the DKG.
type DealerError struct {
	Dealer Identifier
	Err    error
}

func (e *DealerError) Error() string {
	return fmt.Sprintf("frost: dkg: complaint against dealer %d: %v", e.Dealer, e.Err)
}

func (e *DealerError) Unwrap() error { return e.Err }

// CheckParams validates a threshold and a number of participants.
func CheckParams(threshold, maxSigners int) error {
	if threshold < 2 || maxSigners < threshold || maxSigners > MaxParticipants {
		return fmt.Errorf("frost: need 2 <= threshold (%d) <= participants (%d) <= %d", threshold, maxSigners, MaxParticipants)
	}
	return nil
}

func randomScalar(rand io.Reader) (*edwards25519.Scalar, error) {
	var b [64]byte
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return nil, fmt.Errorf("frost: randomness: %w", err)
		}
		s, err := edwards25519.NewScalar().SetUniformBytes(b[:])
		if err != nil {
			return nil, err
		}
		if !isZero(s) {
			return s, nil
		}
	}
}

func pokChallenge(session []byte, id Identifier, c0, r *edwards25519.Point) *edwards25519.Scalar {
	return hashToScalar([]byte(ContextString), []byte("dkg"), session, id.Bytes(), c0.Bytes(), r.Bytes())
}

// DKGRound1 draws participant id's polynomial and its public package.
// session must be unique to this key generation; it is bound into the proof
// of knowledge so proofs cannot be replayed into another run.
func DKGRound1(session []byte, id Identifier, threshold, maxSigners int, rand io.Reader) (*DKGSecret, *DKGPackage, error) {
	if err := CheckParams(threshold, maxSigners); err != nil {
		return nil, nil, err
	}
	if !id.Valid() || int(id) > maxSigners {
		return nil, nil, fmt.Errorf("frost: identifier %d outside 1..%d", id, maxSigners)
	}
	sec := &DKGSecret{ID: id, Threshold: threshold}
	pkg := &DKGPackage{ID: id}
	for range threshold {
		a, err := randomScalar(rand)
		if err != nil {
			return nil, nil, err
		}
		sec.Coefficients = append(sec.Coefficients, a)
		pkg.Commitments = append(pkg.Commitments, edwards25519.NewIdentityPoint().ScalarBaseMult(a))
	}
	k, err := randomScalar(rand)
	if err != nil {
		return nil, nil, err
	}
	pkg.ProofR = edwards25519.NewIdentityPoint().ScalarBaseMult(k)
	c := pokChallenge(session, id, pkg.Commitments[0], pkg.ProofR)
	pkg.ProofMu = edwards25519.NewScalar().MultiplyAdd(sec.Coefficients[0], c, k)
	return sec, pkg, nil
}

// ShareFor is f_i(j), the secret share this participant deals to j.
func (s *DKGSecret) ShareFor(j Identifier) *edwards25519.Scalar {
	return evalPolynomial(s.Coefficients, j)
}

// VerifyPackage checks a round-one package: its shape and its proof of
// knowledge. Failures are *DealerError.
func VerifyPackage(session []byte, pkg *DKGPackage, threshold int) error {
	if pkg == nil {
		return errors.New("frost: dkg: missing package")
	}
	if !pkg.ID.Valid() {
		return fmt.Errorf("frost: dkg: invalid identifier %d", pkg.ID)
	}
	if len(pkg.Commitments) != threshold {
		return &DealerError{Dealer: pkg.ID, Err: fmt.Errorf("%d coefficient commitments, want %d", len(pkg.Commitments), threshold)}
	}
	if pkg.ProofR == nil || pkg.ProofMu == nil || slices.Contains(pkg.Commitments, nil) {
		return &DealerError{Dealer: pkg.ID, Err: errors.New("incomplete package")}
	}
	c := pokChallenge(session, pkg.ID, pkg.Commitments[0], pkg.ProofR)
	// μ·G − c·C_0 must equal R.
	r := edwards25519.NewIdentityPoint().VarTimeDoubleScalarBaseMult(
		edwards25519.NewScalar().Negate(c), pkg.Commitments[0], pkg.ProofMu)
	if r.Equal(pkg.ProofR) != 1 {
		return &DealerError{Dealer: pkg.ID, Err: errors.New("proof of knowledge of the secret does not verify")}
	}
	return nil
}

// VerifyDealtShare checks that share = f_i(recipient) for dealer pkg.ID's
// committed polynomial. Failures are *DealerError.
func VerifyDealtShare(pkg *DKGPackage, recipient Identifier, share *edwards25519.Scalar) error {
	want := evalCommitment(pkg.Commitments, recipient)
	if edwards25519.NewIdentityPoint().ScalarBaseMult(share).Equal(want) != 1 {
		return &DealerError{Dealer: pkg.ID, Err: fmt.Errorf("share for participant %d does not match the published commitments", recipient)}
	}
	return nil
}

// DKGPublic computes the public key package from the round-one packages of
// all participants (the group key and every verifying share). The packages
// must already have passed VerifyPackage.
func DKGPublic(packages map[Identifier]*DKGPackage, threshold int) (*PublicKeyPackage, error) {
	if err := CheckParams(threshold, len(packages)); err != nil {
		return nil, err
	}
	dealers := make([]Identifier, 0, len(packages))
	for id, p := range packages {
		if p == nil || p.ID != id || len(p.Commitments) != threshold {
			return nil, fmt.Errorf("frost: dkg: malformed package for %d", id)
		}
		dealers = append(dealers, id)
	}
	sort.Slice(dealers, func(a, b int) bool { return dealers[a] < dealers[b] })
	// The summed commitments describe the group polynomial F = Σ f_i.
	sum := make([]*edwards25519.Point, threshold)
	for k := range sum {
		sum[k] = edwards25519.NewIdentityPoint()
		for _, id := range dealers {
			sum[k].Add(sum[k], packages[id].Commitments[k])
		}
	}
	if sum[0].Equal(edwards25519.NewIdentityPoint()) == 1 {
		return nil, errors.New("frost: dkg: group key is the identity")
	}
	pub := &PublicKeyPackage{GroupKey: sum[0], Threshold: threshold, VerifyingShares: make(map[Identifier]*edwards25519.Point, len(dealers))}
	for _, j := range dealers {
		pub.VerifyingShares[j] = evalCommitment(sum, j)
	}
	return pub, nil
}

// DKGFinalize is participant sec.ID's last step: it verifies every received
// share (shares[i] = f_i(sec.ID), including its own) against the dealers'
// commitments, and returns its key package. A bad dealer makes it fail with
// a *DealerError (joined, one per bad dealer).
func DKGFinalize(sec *DKGSecret, packages map[Identifier]*DKGPackage, shares map[Identifier]*edwards25519.Scalar) (*KeyPackage, error) {
	var complaints []error
	s := edwards25519.NewScalar()
	for id, pkg := range packages {
		share, ok := shares[id]
		if !ok {
			complaints = append(complaints, &DealerError{Dealer: id, Err: errors.New("no share received")})
			continue
		}
		if err := VerifyDealtShare(pkg, sec.ID, share); err != nil {
			complaints = append(complaints, err)
			continue
		}
		s.Add(s, share)
	}
	for id := range shares {
		if _, ok := packages[id]; !ok {
			complaints = append(complaints, fmt.Errorf("frost: dkg: share from unknown dealer %d", id))
		}
	}
	if len(complaints) > 0 {
		slices.SortFunc(complaints, func(a, b error) int { return compareDealer(a, b) })
		return nil, errors.Join(complaints...)
	}
	pub, err := DKGPublic(packages, sec.Threshold)
	if err != nil {
		return nil, err
	}
	vs, ok := pub.VerifyingShares[sec.ID]
	if !ok || edwards25519.NewIdentityPoint().ScalarBaseMult(s).Equal(vs) != 1 {
		return nil, errors.New("frost: dkg: own signing share does not match its verifying share")
	}
	return &KeyPackage{ID: sec.ID, SigningShare: s, Public: pub}, nil
}

func compareDealer(a, b error) int {
	var da, db *DealerError
	ia, ib := 0, 0
	if errors.As(a, &da) {
		ia = int(da.Dealer)
	}
	if errors.As(b, &db) {
		ib = int(db.Dealer)
	}
	return ia - ib
}
