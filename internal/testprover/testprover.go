// Package testprover is a zero-cost engine.Backend for cluster tests and
// benchmarks only (imported from _test.go files). It still behaves like a
// prover: commitments and leaf proofs are hashes bound to the job spec,
// the leaf and the challenge; Fold refuses non-adjacent or mismatched
// children; Finalize recomputes the whole engine.Tree and refuses a root
// with a missing, duplicated or reordered leaf.
//
// A test program is an "ELF" of the form "TESTELF <leaves>"; "TESTELF
// FAULT" fails execution, anything else is a bad program.
package testprover

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/zkfleet/zkfleet/engine"
)

// Program returns a test ELF with n leaves.
func Program(n int) []byte { return []byte(fmt.Sprintf("TESTELF %d", n)) }

// Hook runs before each operation; it may block (to hold a task in a
// phase) and must honour ctx. op is "contribute", "prove", "fold" (leaf
// -1) or "finalize" (leaf -1, run by the coordinator). An error it
// returns is the operation's error: wrap engine.ErrExecution or
// ErrBadProof to simulate a permanent failure, anything else is transient.
type Hook func(ctx context.Context, op string, leaf int) error

// Backend is the test double. Counters count completed operations.
type Backend struct {
	Hook                                        Hook
	Contributions, LeafProofs, Folds, Finalized atomic.Int64
	Cancelled                                   atomic.Int64 // operations that ended by ctx
	KeySet                                      string
	// NoContribution plans jobs without a contribution phase (leaves are
	// proved at once, with no challenge), like a kind that needs none.
	NoContribution bool
	// Mock labels plans as mock plans.
	Mock bool
}

var _ engine.Backend = (*Backend)(nil)

// ValidateProgram implements engine.ProgramValidator: a test program
// starts with "TESTELF ".
func (b *Backend) ValidateProgram(elf []byte) error {
	if !strings.HasPrefix(string(elf), "TESTELF ") {
		return fmt.Errorf("%w: not a test ELF", engine.ErrBadProgram)
	}
	return nil
}

func leaves(spec engine.Spec) (int, error) {
	s, ok := strings.CutPrefix(string(spec.ELF), "TESTELF ")
	if !ok {
		return 0, fmt.Errorf("%w: not a test ELF", engine.ErrBadProgram)
	}
	if s == "FAULT" {
		return 0, fmt.Errorf("%w: illegal instruction at 0x1000", engine.ErrExecution)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: bad leaf count %q", engine.ErrBadProgram, s)
	}
	return n, nil
}

func specHash(spec engine.Spec) []byte {
	h := sha256.New()
	binary.Write(h, binary.BigEndian, uint64(len(spec.ELF)))
	h.Write(spec.ELF)
	h.Write(spec.Input)
	return h.Sum(nil)
}

func hash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func u32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// Plan implements engine.Backend.
func (b *Backend) Plan(_ context.Context, spec engine.Spec) (*engine.Plan, error) {
	n, err := leaves(spec)
	if err != nil {
		return nil, err
	}
	p := &engine.Plan{Kind: spec.KindOrDefault(), Contribute: !b.NoContribution, Mock: b.Mock,
		Leaves: n, Cycles: uint64(n) * 1000, Output: spec.Input, KeySet: b.KeySet}
	p.Summary = []engine.Field{{Name: "leaves", Value: strconv.Itoa(n)}}
	copy(p.ProgramID[:], hash(spec.ELF))
	return p, nil
}

func (b *Backend) hook(ctx context.Context, op string, leaf int) error {
	if b.Hook != nil {
		if err := b.Hook(ctx, op, leaf); err != nil {
			if ctx.Err() != nil {
				b.Cancelled.Add(1)
			}
			return err
		}
	}
	if ctx.Err() != nil {
		b.Cancelled.Add(1)
		return ctx.Err()
	}
	return nil
}

// Contribute implements engine.Backend.
func (b *Backend) Contribute(ctx context.Context, spec engine.Spec, leaf int) ([]byte, error) {
	if err := b.hook(ctx, "contribute", leaf); err != nil {
		return nil, err
	}
	n, err := leaves(spec)
	if err != nil {
		return nil, err
	}
	if leaf < 0 || leaf >= n {
		return nil, fmt.Errorf("leaf %d out of range", leaf)
	}
	b.Contributions.Add(1)
	return hash([]byte("commit"), specHash(spec), u32(leaf)), nil
}

// Challenge implements engine.Backend.
func (b *Backend) Challenge(commitments [][]byte) ([]byte, error) {
	parts := [][]byte{[]byte("challenge")}
	for i, c := range commitments {
		if len(c) != sha256.Size {
			return nil, fmt.Errorf("commitment %d missing", i)
		}
		parts = append(parts, c)
	}
	return hash(parts...), nil
}

// partial is a (leaf range, challenge, digest) triple.
func partial(lo, hi int, challenge, digest []byte) []byte {
	out := append(u32(lo), u32(hi)...)
	out = append(out, challenge...)
	return append(out, digest...)
}

func parse(p []byte) (lo, hi int, challenge, digest []byte, err error) {
	if len(p) != 8+2*sha256.Size {
		return 0, 0, nil, nil, fmt.Errorf("%w: partial proof of %d bytes", engine.ErrBadProof, len(p))
	}
	return int(binary.BigEndian.Uint32(p)), int(binary.BigEndian.Uint32(p[4:])), p[8:40], p[40:], nil
}

func leafDigest(spec engine.Spec, leaf int, challenge []byte) []byte {
	commit := hash([]byte("commit"), specHash(spec), u32(leaf))
	return hash([]byte("leaf"), commit, challenge)
}

// ProveLeaf implements engine.Backend.
func (b *Backend) ProveLeaf(ctx context.Context, spec engine.Spec, leaf int, challenge []byte) ([]byte, error) {
	if err := b.hook(ctx, "prove", leaf); err != nil {
		return nil, err
	}
	if b.NoContribution {
		if len(challenge) != 0 {
			return nil, fmt.Errorf("%w: a challenge for a job without contributions", engine.ErrBadProof)
		}
		challenge = make([]byte, sha256.Size)
	} else if len(challenge) != sha256.Size {
		return nil, errors.New("bad challenge")
	}
	b.LeafProofs.Add(1)
	return partial(leaf, leaf, challenge, leafDigest(spec, leaf, challenge)), nil
}

// Fold implements engine.Backend.
func (b *Backend) Fold(ctx context.Context, left, right []byte) ([]byte, error) {
	if err := b.hook(ctx, "fold", -1); err != nil {
		return nil, err
	}
	llo, lhi, lch, ld, err := parse(left)
	if err != nil {
		return nil, err
	}
	rlo, rhi, rch, rd, err := parse(right)
	if err != nil {
		return nil, err
	}
	if lhi+1 != rlo || !bytes.Equal(lch, rch) {
		return nil, fmt.Errorf("%w: fold of non-adjacent partials [%d,%d]+[%d,%d]", engine.ErrBadProof, llo, lhi, rlo, rhi)
	}
	b.Folds.Add(1)
	return partial(llo, rhi, lch, hash([]byte("fold"), ld, rd)), nil
}

// Finalize implements engine.Backend: it recomputes the canonical tree.
func (b *Backend) Finalize(ctx context.Context, spec engine.Spec, root []byte) ([]byte, error) {
	if err := b.hook(ctx, "finalize", -1); err != nil {
		return nil, err
	}
	n, err := leaves(spec)
	if err != nil {
		return nil, err
	}
	lo, hi, ch, d, err := parse(root)
	if err != nil {
		return nil, err
	}
	if lo != 0 || hi != n-1 {
		return nil, fmt.Errorf("%w: root covers [%d,%d], want [0,%d]", engine.ErrBadProof, lo, hi, n-1)
	}
	commits := make([][]byte, n)
	for i := range commits {
		commits[i] = hash([]byte("commit"), specHash(spec), u32(i))
	}
	want, _ := b.Challenge(commits)
	if b.NoContribution {
		want = make([]byte, sha256.Size)
	}
	if !bytes.Equal(ch, want) {
		return nil, fmt.Errorf("%w: challenge is not derived from the job's commitments", engine.ErrBadProof)
	}
	tree := engine.Tree(n)
	digests := make([][]byte, len(tree))
	for _, nd := range tree {
		if nd.Left < 0 {
			digests[nd.ID] = leafDigest(spec, nd.ID, ch)
		} else {
			digests[nd.ID] = hash([]byte("fold"), digests[nd.Left], digests[nd.Right])
		}
	}
	if !bytes.Equal(d, digests[len(tree)-1]) {
		return nil, fmt.Errorf("%w: root digest does not match the canonical tree", engine.ErrBadProof)
	}
	b.Finalized.Add(1)
	return append([]byte("TESTPROOF"), d...), nil
}

var _ engine.ResultChecker = (*Backend)(nil)

// CheckContribution implements engine.ResultChecker.
func (b *Backend) CheckContribution(_ context.Context, spec engine.Spec, leaf int, got []byte) error {
	n, err := leaves(spec)
	if err != nil {
		return err
	}
	if leaf < 0 || leaf >= n || !bytes.Equal(got, hash([]byte("commit"), specHash(spec), u32(leaf))) {
		return fmt.Errorf("%w: leaf %d commitment does not match the job", engine.ErrBadProof, leaf)
	}
	return nil
}

// CheckPartial implements engine.ResultChecker.
func (b *Backend) CheckPartial(_ context.Context, spec engine.Spec, tree []engine.Node, node int, challenge []byte, _ [][]byte, proof []byte) error {
	wlo, whi, ok := engine.Span(tree, node)
	if !ok {
		return fmt.Errorf("%w: node %d is not in the fold tree", engine.ErrBadProof, node)
	}
	if b.NoContribution {
		challenge = make([]byte, sha256.Size)
	}
	lo, hi, ch, d, err := parse(proof)
	if err != nil {
		return err
	}
	var digest func(int) []byte
	digest = func(id int) []byte {
		if nd := tree[id]; nd.Left >= 0 {
			return hash([]byte("fold"), digest(nd.Left), digest(nd.Right))
		}
		return leafDigest(spec, id, challenge)
	}
	if lo != wlo || hi != whi || !bytes.Equal(ch, challenge) || !bytes.Equal(d, digest(node)) {
		return fmt.Errorf("%w: node %d proof does not match the job", engine.ErrBadProof, node)
	}
	return nil
}
