package prover

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/big"
	"runtime"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

func TestParsePartialRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {1}, {2, 0}, make([]byte, 2+32*40)} {
		if _, err := ParsePartial(b); !errors.Is(err, ErrBadProof) {
			t.Fatalf("%d bytes accepted: %v", len(b), err)
		}
	}
}

// samplePartial encodes a well-formed partial proof: a tagged claim and a
// proof whose points are on the curve (it proves nothing; the parser checks
// the encoding, not the pairing equation).
func samplePartial(t testing.TB) []byte {
	t.Helper()
	_, _, g1, g2 := bn254.Generators()
	mul1 := func(k int64) bn254.G1Affine {
		var p bn254.G1Affine
		p.ScalarMultiplication(&g1, big.NewInt(k))
		return p
	}
	var bs bn254.G2Affine
	bs.ScalarMultiplication(&g2, big.NewInt(5))
	var c claim.Claim
	c.Challenge = claim.U64(77)
	c.End[claim.CPUStep] = claim.U64(256)
	p := &Partial{Kind: KindFold, Claim: c, Proof: &groth16bn254.Proof{
		Ar: mul1(2), Bs: bs, Krs: mul1(3), Commitments: []bn254.G1Affine{mul1(7)}, CommitmentPok: mul1(11),
	}}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hugeCountPartial is samplePartial with the proof's commitment count set
// to 0xffffffff (gnark-crypto's decoder would allocate 256 GiB for it),
// followed by extra bytes when pad > 0.
func hugeCountPartial(t testing.TB, pad int) []byte {
	t.Helper()
	b := samplePartial(t)
	start := len(b) - agg.ProofSize
	// Ar ‖ Bs ‖ Krs, then the count.
	binary.BigEndian.PutUint32(b[start+bn254.SizeOfG1AffineCompressed*2+bn254.SizeOfG2AffineCompressed:], 0xffffffff)
	return append(b, make([]byte, pad)...)
}

func TestParsePartialHugeCommitmentCount(t *testing.T) {
	if _, err := ParsePartial(samplePartial(t)); err != nil {
		t.Fatalf("well-formed partial rejected: %v", err)
	}
	for _, pad := range []int{0, 32, 1 << 10} {
		b := hugeCountPartial(t, pad)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ParsePartial(b)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrBadProof) {
			t.Fatalf("pad %d: err = %v, want ErrBadProof", pad, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Fatalf("pad %d: parser allocated %d bytes", pad, n)
		}
	}
}

// FuzzParsePartial: no message from a worker crashes the parser or makes
// it allocate beyond its bound, and whatever it accepts re-encodes to the
// same bytes.
func FuzzParsePartial(f *testing.F) {
	f.Add(samplePartial(f))
	f.Add(hugeCountPartial(f, 0))
	f.Add(hugeCountPartial(f, 64))
	f.Add([]byte{1, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePartial(b)
		if err != nil {
			if !errors.Is(err, ErrBadProof) {
				t.Fatalf("error does not wrap ErrBadProof: %v", err)
			}
			return
		}
		again, err := p.Marshal()
		if err != nil {
			t.Fatalf("accepted partial does not re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("accepted partial re-encodes to other bytes")
		}
	})
}
