package frost

import (
	"crypto/rand"
	"testing"

	"filippo.io/edwards25519"
)

// 3-of-5: one signer's share, the aggregator's check of all three shares
// plus the combination, and one participant's whole DKG.
func BenchmarkSign3of5(b *testing.B) {
	keys := dkg(b, 3, 5)
	msg := make([]byte, 87)
	signers := []Identifier{1, 3, 5}
	var commitments []Commitment
	for _, id := range signers {
		n, _ := Commit(keys[id], rand.Reader)
		commitments = append(commitments, n.Commitment)
	}
	for b.Loop() {
		n, _ := Commit(keys[1], rand.Reader)
		commitments[0] = n.Commitment
		if _, err := Sign(keys[1], n, msg, commitments); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAggregate3of5(b *testing.B) {
	keys := dkg(b, 3, 5)
	msg := make([]byte, 87)
	commitments, shares := signWith(b, keys, []Identifier{1, 3, 5}, msg)
	for b.Loop() {
		if _, err := Aggregate(keys[1].Public, msg, commitments, shares); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDKGParticipant3of5(b *testing.B) {
	session := []byte("bench")
	secrets := map[Identifier]*DKGSecret{}
	packages := map[Identifier]*DKGPackage{}
	for i := Identifier(1); i <= 5; i++ {
		secrets[i], packages[i], _ = DKGRound1(session, i, 3, 5, rand.Reader)
	}
	received := map[Identifier]*edwards25519.Scalar{}
	for i, s := range secrets {
		received[i] = s.ShareFor(1)
	}
	for b.Loop() {
		if _, _, err := DKGRound1(session, 1, 3, 5, rand.Reader); err != nil {
			b.Fatal(err)
		}
		for _, p := range packages {
			if err := VerifyPackage(session, p, 3); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := DKGFinalize(secrets[1], packages, received); err != nil {
			b.Fatal(err)
		}
	}
}
