package frost

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"

	"filippo.io/edwards25519"
)

type vectorFile struct {
	Inputs struct {
		ParticipantList []Identifier `json:"participant_list"`
		GroupSecretKey  string       `json:"group_secret_key"`
		GroupPublicKey  string       `json:"group_public_key"`
		Message         string       `json:"message"`
		Coefficients    []string     `json:"share_polynomial_coefficients"`
		Shares          []struct {
			ID    Identifier `json:"identifier"`
			Share string     `json:"participant_share"`
		} `json:"participant_shares"`
	} `json:"inputs"`
	RoundOne struct {
		Outputs []struct {
			ID                 Identifier `json:"identifier"`
			HidingRandomness   string     `json:"hiding_nonce_randomness"`
			BindingRandomness  string     `json:"binding_nonce_randomness"`
			HidingNonce        string     `json:"hiding_nonce"`
			BindingNonce       string     `json:"binding_nonce"`
			HidingCommitment   string     `json:"hiding_nonce_commitment"`
			BindingCommitment  string     `json:"binding_nonce_commitment"`
			BindingFactorInput string     `json:"binding_factor_input"`
			BindingFactor      string     `json:"binding_factor"`
		} `json:"outputs"`
	} `json:"round_one_outputs"`
	RoundTwo struct {
		Outputs []struct {
			ID       Identifier `json:"identifier"`
			SigShare string     `json:"sig_share"`
		} `json:"outputs"`
	} `json:"round_two_outputs"`
	Final struct {
		Sig string `json:"sig"`
	} `json:"final_output"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func mustScalar(t *testing.T, s string) *edwards25519.Scalar {
	t.Helper()
	v, err := DecodeScalar(unhex(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func checkHex(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if hex.EncodeToString(got) != want {
		t.Errorf("%s:\n got  %x\n want %s", what, got, want)
	}
}

// TestRFC9591Vectors replays RFC 9591 Appendix E.1 byte for byte: key
// shares from the dealer polynomial, nonces from the given randomness,
// commitments, binding-factor inputs and factors, signature shares and the
// final signature, which crypto/ed25519 must accept.
func TestRFC9591Vectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/frost-ed25519-sha512.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	secret := mustScalar(t, v.Inputs.GroupSecretKey)
	groupKey := edwards25519.NewIdentityPoint().ScalarBaseMult(secret)
	checkHex(t, "group public key", groupKey.Bytes(), v.Inputs.GroupPublicKey)
	msg := unhex(t, v.Inputs.Message)

	coeffs := []*edwards25519.Scalar{secret}
	for _, c := range v.Inputs.Coefficients {
		coeffs = append(coeffs, mustScalar(t, c))
	}
	pub := &PublicKeyPackage{GroupKey: groupKey, Threshold: len(coeffs), VerifyingShares: map[Identifier]*edwards25519.Point{}}
	keys := map[Identifier]*KeyPackage{}
	for _, s := range v.Inputs.Shares {
		share := evalPolynomial(coeffs, s.ID)
		checkHex(t, "participant share", share.Bytes(), s.Share)
		pub.VerifyingShares[s.ID] = edwards25519.NewIdentityPoint().ScalarBaseMult(share)
		keys[s.ID] = &KeyPackage{ID: s.ID, SigningShare: share, Public: pub}
	}

	var commitments []Commitment
	nonces := map[Identifier]*Nonces{}
	for _, o := range v.RoundOne.Outputs {
		n := commitWithRandomness(o.ID, keys[o.ID].SigningShare, unhex(t, o.HidingRandomness), unhex(t, o.BindingRandomness))
		checkHex(t, "hiding nonce", n.Hiding.Bytes(), o.HidingNonce)
		checkHex(t, "binding nonce", n.Binding.Bytes(), o.BindingNonce)
		checkHex(t, "hiding commitment", n.Commitment.Hiding.Bytes(), o.HidingCommitment)
		checkHex(t, "binding commitment", n.Commitment.Binding.Bytes(), o.BindingCommitment)
		nonces[o.ID] = n
		commitments = append(commitments, n.Commitment)
	}
	if !slices.Equal(ids(commitments), v.Inputs.ParticipantList) {
		t.Fatalf("participants %v, want %v", ids(commitments), v.Inputs.ParticipantList)
	}
	rho := bindingFactors(groupKey, commitments, msg)
	for _, o := range v.RoundOne.Outputs {
		input := slices.Concat(groupKey.Bytes(), h4(msg), h5(encodeCommitmentList(commitments)), o.ID.Bytes())
		checkHex(t, "binding factor input", input, o.BindingFactorInput)
		checkHex(t, "binding factor", rho[o.ID].Bytes(), o.BindingFactor)
	}

	shares := map[Identifier]*edwards25519.Scalar{}
	for _, o := range v.RoundTwo.Outputs {
		z, err := Sign(keys[o.ID], nonces[o.ID], msg, commitments)
		if err != nil {
			t.Fatal(err)
		}
		checkHex(t, "signature share", z.Bytes(), o.SigShare)
		if err := VerifyShare(pub, o.ID, z, msg, commitments); err != nil {
			t.Errorf("share of %d: %v", o.ID, err)
		}
		shares[o.ID] = z
	}
	sig, err := Aggregate(pub, msg, commitments, shares)
	if err != nil {
		t.Fatal(err)
	}
	checkHex(t, "signature", sig, v.Final.Sig)
	if !ed25519.Verify(groupKey.Bytes(), msg, sig) {
		t.Error("crypto/ed25519 rejects the vector signature")
	}
}

// dkg runs the whole dealerless key generation in memory.
func dkg(t testing.TB, threshold, n int) map[Identifier]*KeyPackage {
	t.Helper()
	session := []byte("test session")
	secrets := map[Identifier]*DKGSecret{}
	packages := map[Identifier]*DKGPackage{}
	for i := 1; i <= n; i++ {
		sec, pkg, err := DKGRound1(session, Identifier(i), threshold, n, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyPackage(session, pkg, threshold); err != nil {
			t.Fatal(err)
		}
		secrets[Identifier(i)], packages[Identifier(i)] = sec, pkg
	}
	keys := map[Identifier]*KeyPackage{}
	for j := range secrets {
		received := map[Identifier]*edwards25519.Scalar{}
		for i, sec := range secrets {
			received[i] = sec.ShareFor(j)
		}
		kp, err := DKGFinalize(secrets[j], packages, received)
		if err != nil {
			t.Fatal(err)
		}
		keys[j] = kp
	}
	return keys
}

func signWith(t testing.TB, keys map[Identifier]*KeyPackage, signers []Identifier, msg []byte) ([]Commitment, map[Identifier]*edwards25519.Scalar) {
	t.Helper()
	var commitments []Commitment
	nonces := map[Identifier]*Nonces{}
	for _, id := range signers {
		n, err := Commit(keys[id], rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		nonces[id] = n
		commitments = append(commitments, n.Commitment)
	}
	shares := map[Identifier]*edwards25519.Scalar{}
	for _, id := range signers {
		z, err := Sign(keys[id], nonces[id], msg, commitments)
		if err != nil {
			t.Fatal(err)
		}
		shares[id] = z
	}
	return commitments, shares
}

// TestDKGSignAnySubset: a 3-of-5 DKG; every subset of 3, 4 and 5 signers
// produces a signature crypto/ed25519 accepts, and all participants agree on
// the public key package.
func TestDKGSignAnySubset(t *testing.T) {
	keys := dkg(t, 3, 5)
	pub := keys[1].Public
	for id, kp := range keys {
		if kp.Public.GroupKey.Equal(pub.GroupKey) != 1 {
			t.Fatalf("participant %d has another group key", id)
		}
		for j, vs := range pub.VerifyingShares {
			if kp.Public.VerifyingShares[j].Equal(vs) != 1 {
				t.Fatalf("participant %d disagrees on the verifying share of %d", id, j)
			}
		}
	}
	msg := []byte("attest this")
	for _, signers := range [][]Identifier{{1, 2, 3}, {1, 3, 5}, {2, 4, 5}, {1, 2, 4, 5}, {1, 2, 3, 4, 5}} {
		commitments, shares := signWith(t, keys, signers, msg)
		sig, err := Aggregate(pub, msg, commitments, shares)
		if err != nil {
			t.Fatalf("signers %v: %v", signers, err)
		}
		if !ed25519.Verify(pub.GroupKey.Bytes(), msg, sig) {
			t.Fatalf("signers %v: crypto/ed25519 rejects the signature", signers)
		}
		if ed25519.Verify(pub.GroupKey.Bytes(), []byte("something else"), sig) {
			t.Fatal("signature verifies for another message")
		}
	}
}

// TestAggregateNamesBadShare: a corrupted share is refused and the
// participant is named; two signers below the threshold are refused.
func TestAggregateNamesBadShare(t *testing.T) {
	keys := dkg(t, 3, 5)
	pub := keys[1].Public
	msg := []byte("m")
	commitments, shares := signWith(t, keys, []Identifier{2, 3, 5}, msg)
	shares[3] = edwards25519.NewScalar().Add(shares[3], scalarOne())
	_, err := Aggregate(pub, msg, commitments, shares)
	var se *ShareError
	if !errors.As(err, &se) || se.ID != 3 || !errors.Is(err, ErrInvalidShare) {
		t.Fatalf("want a ShareError naming 3, got %v", err)
	}
	if err := VerifyShare(pub, 2, shares[2], msg, commitments); err != nil {
		t.Fatalf("honest share refused: %v", err)
	}
	// A share valid for another message is refused too.
	if err := VerifyShare(pub, 2, shares[2], []byte("other"), commitments); !errors.Is(err, ErrInvalidShare) {
		t.Fatalf("share verified under another message: %v", err)
	}
	c2, s2 := signWith(t, keys, []Identifier{1, 2, 3}, msg)
	if _, err := Aggregate(pub, msg, c2[:2], map[Identifier]*edwards25519.Scalar{1: s2[1], 2: s2[2]}); err == nil {
		t.Fatal("two shares aggregated under threshold 3")
	}
}

// TestSignRefusesForeignPackage: a signer refuses a package that lacks its
// commitment, carries another commitment under its identifier, is unsorted
// or below threshold.
func TestSignRefusesForeignPackage(t *testing.T) {
	keys := dkg(t, 2, 3)
	n1, _ := Commit(keys[1], rand.Reader)
	n2, _ := Commit(keys[2], rand.Reader)
	n3, _ := Commit(keys[3], rand.Reader)
	other, _ := Commit(keys[1], rand.Reader)
	msg := []byte("m")
	cases := []struct {
		name string
		list []Commitment
	}{
		{"missing own commitment", []Commitment{n2.Commitment, n3.Commitment}},
		{"substituted commitment", []Commitment{other.Commitment, n2.Commitment}},
		{"unsorted", []Commitment{n2.Commitment, n1.Commitment}},
		{"duplicate", []Commitment{n1.Commitment, n1.Commitment}},
		{"below threshold", []Commitment{n1.Commitment}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Sign(keys[1], n1, msg, tc.list); err == nil {
				t.Fatal("signed")
			}
		})
	}
}

// TestDKGComplaints: a dealer with a bad proof of knowledge, a proof
// replayed from another session, the wrong number of commitments, or a
// share that does not match its commitments is named.
func TestDKGComplaints(t *testing.T) {
	session := []byte("s1")
	sec1, pkg1, err := DKGRound1(session, 1, 2, 3, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec2, pkg2, _ := DKGRound1(session, 2, 2, 3, rand.Reader)
	sec3, pkg3, _ := DKGRound1(session, 3, 2, 3, rand.Reader)

	badMu := *pkg2
	badMu.ProofMu = edwards25519.NewScalar().Add(pkg2.ProofMu, scalarOne())
	short := *pkg2
	short.Commitments = pkg2.Commitments[:1]
	for name, tc := range map[string]struct {
		session []byte
		pkg     *DKGPackage
	}{
		"bad proof":      {session, &badMu},
		"other session":  {[]byte("s2"), pkg2},
		"short":          {session, &short},
		"stolen proof":   {session, &DKGPackage{ID: 3, Commitments: pkg2.Commitments, ProofR: pkg2.ProofR, ProofMu: pkg2.ProofMu}},
		"nil commitment": {session, &DKGPackage{ID: 2, Commitments: []*edwards25519.Point{nil, nil}, ProofR: pkg2.ProofR, ProofMu: pkg2.ProofMu}},
	} {
		t.Run(name, func(t *testing.T) {
			err := VerifyPackage(tc.session, tc.pkg, 2)
			var de *DealerError
			if !errors.As(err, &de) || de.Dealer != tc.pkg.ID {
				t.Fatalf("want a complaint against %d, got %v", tc.pkg.ID, err)
			}
		})
	}

	packages := map[Identifier]*DKGPackage{1: pkg1, 2: pkg2, 3: pkg3}
	received := map[Identifier]*edwards25519.Scalar{1: sec1.ShareFor(1), 2: sec2.ShareFor(1), 3: sec3.ShareFor(2)} // dealer 3 sends 1 the share meant for 2
	_, err = DKGFinalize(sec1, packages, received)
	var de *DealerError
	if !errors.As(err, &de) || de.Dealer != 3 {
		t.Fatalf("want a complaint against dealer 3, got %v", err)
	}
	delete(received, 3)
	if _, err := DKGFinalize(sec1, packages, received); !errors.As(err, &de) || de.Dealer != 3 {
		t.Fatalf("missing share: want a complaint against dealer 3, got %v", err)
	}
}

// TestDecodeElement: canonical prime-order points only.
func TestDecodeElement(t *testing.T) {
	g := edwards25519.NewGeneratorPoint()
	// (0, -1), the point of order 2.
	order2 := unhex(t, "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	t2, err := edwards25519.NewIdentityPoint().SetBytes(order2)
	if err != nil {
		t.Fatal(err)
	}
	mixed := edwards25519.NewIdentityPoint().Add(g, t2).Bytes()
	// y = p + 1, a non-canonical encoding of the identity's y = 1; and
	// y = p + 2 + sign bit is non-canonical too.
	nonCanonical := unhex(t, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	identity := edwards25519.NewIdentityPoint().Bytes()
	cases := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"generator", g.Bytes(), true},
		{"identity", identity, false},
		{"order two", order2, false},
		{"mixed torsion", mixed, false},
		{"non-canonical", nonCanonical, false},
		{"short", g.Bytes()[:31], false},
		{"not on curve", unhex(t, "0200000000000000000000000000000000000000000000000000000000000000"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := DecodeElement(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err == nil && !bytes.Equal(p.Bytes(), tc.in) {
				t.Fatal("round trip differs")
			}
		})
	}
	if _, err := DecodeScalar(bytes.Repeat([]byte{0xff}, 32)); err == nil {
		t.Fatal("unreduced scalar accepted")
	}
}

func FuzzDecodeElement(f *testing.F) {
	f.Add(edwards25519.NewGeneratorPoint().Bytes())
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeElement(b)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("accepted a non-canonical encoding %x", b)
		}
		if p.Equal(edwards25519.NewIdentityPoint()) == 1 {
			t.Fatal("accepted the identity")
		}
	})
}
