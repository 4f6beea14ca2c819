package agg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
)

// gnark-crypto's decoders trust the length prefixes of slices: a proof
// whose commitment count reads 0xffffffff makes the decoder allocate
// 0xffffffff points (256 GiB) before it reads a single one. Proof and
// verifying-key bytes come from workers, coordinators and files, so their
// layout is checked here, every length against the bytes that are actually
// there and against what a zkfleet circuit can have, before gnark decodes
// them. Every point must be compressed, which fixes where each length
// prefix sits.

const (
	g1Size = bn254.SizeOfG1AffineCompressed
	g2Size = bn254.SizeOfG2AffineCompressed

	// ProofSize is the length of a zkfleet Groth16 proof in gnark's
	// compressed encoding: Ar (G1) ‖ Bs (G2) ‖ Krs (G1) ‖ uint32 commitment
	// count (always 1) ‖ the commitment (G1) ‖ its proof of knowledge (G1).
	ProofSize = g1Size + g2Size + g1Size + 4 + g1Size + g1Size

	// proofCountOffset is where the commitment count sits in a proof.
	proofCountOffset = g1Size + g2Size + g1Size

	// MaxVKBytes bounds a verifying key's encoding. A zkfleet key has one
	// public input and one commitment: a few hundred bytes.
	MaxVKBytes = 4 << 10
	// maxVKBases bounds the public-input bases K of a verifying key (one
	// for the constant, one per public input, one per commitment).
	maxVKBases = 16
	// maxCommittedPublic bounds the public inputs one commitment covers.
	maxCommittedPublic = 16
)

// errLayout marks bytes whose layout is not that of a zkfleet proof or
// verifying key; callers wrap it in their own error kind.
var errLayout = errors.New("layout")

// isCompressedPoint reads the two top bits of a point encoding's first byte
// (gnark-crypto: 0b10 smallest y, 0b11 largest y, 0b01 infinity; 0b00 is an
// uncompressed point, twice as long).
func isCompressedPoint(b byte) bool { return b>>6 != 0 }

// layoutWalker checks a sequence of fields against the bytes left.
type layoutWalker struct {
	b   []byte
	off int
	err error
}

func (w *layoutWalker) fail(format string, a ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("%w: at byte %d: %s", errLayout, w.off, fmt.Sprintf(format, a...))
	}
}

func (w *layoutWalker) point(size int, what string) {
	if w.err != nil {
		return
	}
	if len(w.b)-w.off < size {
		w.fail("truncated %s", what)
		return
	}
	if !isCompressedPoint(w.b[w.off]) {
		w.fail("%s is not a compressed point", what)
		return
	}
	w.off += size
}

func (w *layoutWalker) u32(what string) uint32 {
	if w.err != nil {
		return 0
	}
	if len(w.b)-w.off < 4 {
		w.fail("truncated %s", what)
		return 0
	}
	v := binary.BigEndian.Uint32(w.b[w.off:])
	w.off += 4
	return v
}

// length reads a slice length and checks it against max and against the
// bytes left, each element taking at least elem bytes.
func (w *layoutWalker) length(what string, max, elem int) int {
	n := w.u32(what)
	if w.err != nil {
		return 0
	}
	if uint64(n) > uint64(max) {
		w.fail("%s is %d, at most %d", what, n, max)
		return 0
	}
	if int(n)*elem > len(w.b)-w.off {
		w.fail("%s is %d but only %d bytes follow", what, n, len(w.b)-w.off)
		return 0
	}
	return int(n)
}

func (w *layoutWalker) end() error {
	if w.err == nil && w.off != len(w.b) {
		w.fail("%d trailing bytes", len(w.b)-w.off)
	}
	return w.err
}

// checkProofLayout checks that b is exactly a compressed Groth16/BN254
// proof with one commitment.
func checkProofLayout(b []byte) error {
	if len(b) != ProofSize {
		return fmt.Errorf("%w: proof is %d bytes, want %d", errLayout, len(b), ProofSize)
	}
	w := &layoutWalker{b: b}
	w.point(g1Size, "Ar")
	w.point(g2Size, "Bs")
	w.point(g1Size, "Krs")
	if n := w.u32("commitment count"); w.err == nil && n != 1 {
		w.fail("commitment count is %d, want 1", n)
	}
	w.point(g1Size, "commitment")
	w.point(g1Size, "commitment proof of knowledge")
	return w.end()
}

// DecodeProof decodes a zkfleet Groth16 proof (one BSB22 commitment,
// gnark's compressed encoding) after checking its layout, so that hostile
// bytes cost at most ProofSize bytes of memory; the encoding must be
// canonical (re-encoding gives the same bytes). Errors wrap no sentinel:
// callers wrap them in their own.
func DecodeProof(b []byte) (groth16.Proof, error) {
	if err := checkProofLayout(b); err != nil {
		return nil, err
	}
	p := groth16.NewProof(ecc.BN254)
	n, err := p.ReadFrom(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode proof: %w", err)
	}
	if n != int64(len(b)) {
		return nil, fmt.Errorf("decode proof: read %d of %d bytes", n, len(b))
	}
	// Re-encoding must give the same bytes, so no bit is ignored (e.g. a
	// flipped flag that still decodes).
	var again bytes.Buffer
	if _, err := p.WriteTo(&again); err != nil || !bytes.Equal(again.Bytes(), b) {
		return nil, errors.New("proof encoding is not canonical")
	}
	return p, nil
}

// checkVKLayout checks that b is a compressed Groth16/BN254 verifying key
// with one commitment and a handful of public inputs:
// [α]₁ [β]₁ [β]₂ [γ]₂ [δ]₁ [δ]₂ ‖ u32 n ‖ n×G1 (K) ‖ u32 m ‖ m×(u32 k ‖
// k×u64) (public inputs each commitment covers) ‖ u32 c ‖ c×([G]₂ [-σG]₂).
func checkVKLayout(b []byte) error {
	if len(b) > MaxVKBytes {
		return fmt.Errorf("%w: verifying key is %d bytes, at most %d", errLayout, len(b), MaxVKBytes)
	}
	w := &layoutWalker{b: b}
	w.point(g1Size, "[α]₁")
	w.point(g1Size, "[β]₁")
	w.point(g2Size, "[β]₂")
	w.point(g2Size, "[γ]₂")
	w.point(g1Size, "[δ]₁")
	w.point(g2Size, "[δ]₂")
	for i, n := 0, w.length("number of K bases", maxVKBases, g1Size); i < n; i++ {
		w.point(g1Size, fmt.Sprintf("K[%d]", i))
	}
	for i, m := 0, w.length("number of commitments' public inputs", 1, 4); i < m; i++ {
		k := w.length(fmt.Sprintf("public inputs of commitment %d", i), maxCommittedPublic, 8)
		if w.err == nil {
			w.off += 8 * k
		}
	}
	if c := w.u32("commitment count"); w.err == nil && c != 1 {
		w.fail("commitment count is %d, want 1", c)
	}
	w.point(g2Size, "commitment key G")
	w.point(g2Size, "commitment key -σG")
	return w.end()
}

// DecodeVK decodes a zkfleet verifying key after checking its layout (see
// checkVKLayout); the encoding must be canonical.
func DecodeVK(b []byte) (groth16.VerifyingKey, error) {
	if err := checkVKLayout(b); err != nil {
		return nil, err
	}
	vk := groth16.NewVerifyingKey(ecc.BN254)
	n, err := vk.ReadFrom(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode verifying key: %w", err)
	}
	if n != int64(len(b)) {
		return nil, fmt.Errorf("decode verifying key: read %d of %d bytes", n, len(b))
	}
	var again bytes.Buffer
	if _, err := vk.WriteTo(&again); err != nil || !bytes.Equal(again.Bytes(), b) {
		return nil, errors.New("verifying key encoding is not canonical")
	}
	return vk, nil
}
