package agg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/big"
	"runtime"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// sampleProof is a well-formed proof encoding (points on the curve, one
// commitment) that proves nothing: enough for the parsers, which check the
// encoding, not the pairing equation.
func sampleProof(t testing.TB) *groth16bn254.Proof {
	t.Helper()
	_, _, g1, g2 := bn254.Generators()
	mul1 := func(k int64) bn254.G1Affine {
		var p bn254.G1Affine
		p.ScalarMultiplication(&g1, big.NewInt(k))
		return p
	}
	var bs bn254.G2Affine
	bs.ScalarMultiplication(&g2, big.NewInt(5))
	return &groth16bn254.Proof{Ar: mul1(2), Bs: bs, Krs: mul1(3), Commitments: []bn254.G1Affine{mul1(7)}, CommitmentPok: mul1(11)}
}

// sampleFile is a well-formed proof file around sampleProof.
func sampleFile(t testing.TB) []byte {
	t.Helper()
	f := &File{
		Statement: Statement{KeySet: strings.Repeat("ab", 32), ExitCode: 7, Cycles: 99, Output: []byte("hi\n"), Leaves: 4},
		Root:      chain(1, claim.U64(3))[0],
		Proof:     sampleProof(t),
	}
	f.ProgramID[31], f.InputHash[31], f.OutputHash[31] = 1, 2, 3
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hugeCountFile is the proof file of the report: well formed except that
// the proof's BSB22 commitment count is 0xffffffff, and (when pad > 0) the
// proof length field covers pad more bytes, as in the 1.4 KB original.
// gnark-crypto's decoder allocates the 256 GiB that count implies before
// reading a point.
func hugeCountFile(t testing.TB, pad int) []byte {
	t.Helper()
	b := sampleFile(t)
	start := len(b) - ProofSize
	binary.BigEndian.PutUint32(b[start+proofCountOffset:], 0xffffffff)
	if pad > 0 {
		binary.BigEndian.PutUint32(b[start-4:], uint32(ProofSize+pad))
		b = append(b, make([]byte, pad)...)
	}
	return b
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// allocBound is far above what parsing a valid file needs and far below
// what trusting a hostile length prefix would allocate.
const allocBound = 1 << 20

func TestParseFileHugeCommitmentCount(t *testing.T) {
	if _, err := ParseFile(sampleFile(t)); err != nil {
		t.Fatalf("the file before the edit does not parse: %v", err)
	}
	for _, pad := range []int{0, 1400 - ProofSize} {
		b := hugeCountFile(t, pad)
		var err error
		n := allocated(func() { _, err = ParseFile(b) })
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("%d-byte file with commitment count 0xffffffff: err = %v, want ErrFormat", len(b), err)
		}
		if n > allocBound {
			t.Fatalf("%d-byte file with commitment count 0xffffffff: parser allocated %d bytes", len(b), n)
		}
		t.Logf("%d-byte file rejected after %d bytes allocated: %v", len(b), n, err)
	}
}

func TestDecodeProofLayout(t *testing.T) {
	var good bytes.Buffer
	if _, err := sampleProof(t).WriteTo(&good); err != nil {
		t.Fatal(err)
	}
	if good.Len() != ProofSize {
		t.Fatalf("encoded proof is %d bytes, ProofSize is %d", good.Len(), ProofSize)
	}
	if _, err := DecodeProof(good.Bytes()); err != nil {
		t.Fatalf("well-formed proof rejected: %v", err)
	}
	var raw bytes.Buffer
	if _, err := sampleProof(t).WriteRawTo(&raw); err != nil {
		t.Fatal(err)
	}
	with := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good.Bytes())) }
	count := func(n uint32) []byte {
		return with(func(b []byte) []byte { binary.BigEndian.PutUint32(b[proofCountOffset:], n); return b })
	}
	cases := []struct {
		name string
		b    []byte
	}{
		{"count 0xffffffff", count(0xffffffff)},
		{"count 0", count(0)},
		{"count 2", count(2)},
		{"count 2 with room for two", append(count(2), make([]byte, g1Size)...)},
		{"uncompressed Ar", with(func(b []byte) []byte { b[0] &^= 0xc0; return b })},
		{"uncompressed commitment", with(func(b []byte) []byte { b[proofCountOffset+4] &^= 0xc0; return b })},
		{"raw encoding", raw.Bytes()},
		{"truncated", good.Bytes()[:ProofSize-1]},
		{"trailing byte", append(bytes.Clone(good.Bytes()), 0)},
		{"empty", nil},
		{"point off the curve", with(func(b []byte) []byte { b[5] ^= 1; return b })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = DecodeProof(c.b) })
			if err == nil {
				t.Fatal("accepted")
			}
			if n > allocBound {
				t.Fatalf("allocated %d bytes", n)
			}
		})
	}
}

func TestDecodeVKLayout(t *testing.T) {
	var good bytes.Buffer
	if _, err := toySetup(t).vk.WriteTo(&good); err != nil {
		t.Fatal(err)
	}
	g := good.Bytes()
	if _, err := DecodeVK(g); err != nil {
		t.Fatalf("a real verifying key is rejected: %v", err)
	}
	// Offsets of the length prefixes in the toy key.
	kOff := 3*g1Size + 3*g2Size
	nK := int(binary.BigEndian.Uint32(g[kOff:]))
	pcOff := kOff + 4 + nK*g1Size
	innerOff := pcOff + 4
	nInner := int(binary.BigEndian.Uint32(g[innerOff:]))
	cOff := innerOff + 4 + 8*nInner
	if c := binary.BigEndian.Uint32(g[cOff:]); c != 1 {
		t.Fatalf("toy key layout: commitment count %d at %d", c, cOff)
	}
	set := func(off int, v uint32) []byte {
		b := bytes.Clone(g)
		binary.BigEndian.PutUint32(b[off:], v)
		return b
	}
	cases := []struct {
		name string
		b    []byte
	}{
		{"K count 0xffffffff", set(kOff, 0xffffffff)},
		{"K count beyond the bytes", set(kOff, uint32(nK+1))},
		{"commitments' public inputs 0xffffffff", set(pcOff, 0xffffffff)},
		{"one commitment's public inputs 0xffffffff", set(innerOff, 0xffffffff)},
		{"commitment count 0xffffffff", set(cOff, 0xffffffff)},
		{"commitment count 0", set(cOff, 0)},
		{"uncompressed α", func() []byte { b := bytes.Clone(g); b[0] &^= 0xc0; return b }()},
		{"truncated", g[:len(g)-1]},
		{"trailing byte", append(bytes.Clone(g), 0)},
		{"too large", append(bytes.Clone(g), make([]byte, MaxVKBytes)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = DecodeVK(c.b) })
			if err == nil {
				t.Fatal("accepted")
			}
			if n > allocBound {
				t.Fatalf("allocated %d bytes", n)
			}
		})
	}
}

// FuzzParseFile: no input crashes the parser or makes it allocate beyond
// its bound, and whatever it accepts re-encodes to the same bytes.
func FuzzParseFile(f *testing.F) {
	f.Add(sampleFile(f))
	f.Add(hugeCountFile(f, 0))
	f.Add(hugeCountFile(f, 1400-ProofSize))
	f.Add([]byte(Magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := ParseFile(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error does not wrap ErrFormat: %v", err)
			}
			return
		}
		again, err := pf.Marshal()
		if err != nil {
			t.Fatalf("accepted file does not re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("accepted file re-encodes to other bytes")
		}
	})
}

// FuzzDecodeVK: no input crashes the verifying-key decoder, and whatever
// it accepts re-encodes to the same bytes.
func FuzzDecodeVK(f *testing.F) {
	var good bytes.Buffer
	if _, err := toySetup(f).vk.WriteTo(&good); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		vk, err := DecodeVK(b)
		if err != nil {
			return
		}
		var again bytes.Buffer
		if _, err := vk.WriteTo(&again); err != nil || !bytes.Equal(again.Bytes(), b) {
			t.Fatalf("accepted key re-encodes to other bytes (%v)", err)
		}
	})
}
