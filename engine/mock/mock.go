// Package mock is the mock prover: a Backend for any kind that plans jobs
// exactly as the real prover does (a RISC-V guest really runs) but
// replaces every commitment, leaf proof and fold by a labelled
// placeholder that takes a configurable time. It still behaves like a
// prover: placeholders are hashes bound to the job spec, the leaf and the
// challenge; Fold refuses non-adjacent or mismatched children; Finalize
// recomputes the whole fold tree and refuses a root with a missing,
// duplicated or reordered leaf. Its proof files say MOCK and are never
// accepted by a verifier (engine.ErrMockProof).
//
// It exists for development (zkfleet dev --prover mock starts in a second,
// with no key setup), for the chaos tests of the cluster, and for clients
// of the API that need the whole pipeline without its cost.
package mock

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/memo"
)

// KeySet is the key set every mock plan names: the mock prover has no keys.
const KeySet = "mock"

// DefaultDelay is the time each placeholder takes by default.
const DefaultDelay = 20 * time.Millisecond

// Planner plans jobs of one kind natively (no proving). The mock backend
// fills in Kind, KeySet and Mock.
type Planner func(ctx context.Context, spec engine.Spec) (*engine.Plan, error)

// Backend is the mock prover of one kind. Counters count completed
// operations.
type Backend struct {
	kind  string
	plan  Planner
	delay time.Duration
	plans *memo.Cache[*engine.Plan]
	// validate checks a program without running it (nil: every program
	// passes; planning finds bad ones).
	validate func([]byte) error

	Contributions, LeafProofs, Folds, Finalized atomic.Int64
}

var _ engine.Backend = (*Backend)(nil)

// New returns the mock prover of kind, planning with plan; every
// placeholder takes delay (0: none).
func New(kind string, plan Planner, delay time.Duration) *Backend {
	return &Backend{kind: kind, plan: plan, delay: delay, plans: memo.New[*engine.Plan](64)}
}

// ValidateProgram implements engine.ProgramValidator.
func (b *Backend) ValidateProgram(elf []byte) error {
	if b.validate == nil {
		return nil
	}
	return b.validate(elf)
}

func specHash(spec engine.Spec) [32]byte {
	h := sha256.New()
	h.Write([]byte(spec.KindOrDefault()))
	h.Write([]byte{0})
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(len(spec.ELF)))
	h.Write(b[:])
	h.Write(spec.ELF)
	binary.BigEndian.PutUint64(b[:], spec.MaxCycles)
	h.Write(b[:])
	h.Write(spec.Input)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func hash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func u32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// wait is the placeholder's cost.
func (b *Backend) wait(ctx context.Context) error {
	if b.delay <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(b.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Plan implements engine.Backend.
func (b *Backend) Plan(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
	if k := spec.KindOrDefault(); k != b.kind {
		return nil, fmt.Errorf("%w %q: this is the mock prover of %q", engine.ErrUnknownKind, k, b.kind)
	}
	p, err := b.plans.Get(specHash(spec), func() (*engine.Plan, error) {
		p, err := b.plan(ctx, spec)
		if err != nil {
			return nil, err
		}
		if p.Leaves < 1 {
			return nil, fmt.Errorf("%w: plan has no leaves", engine.ErrBadProgram)
		}
		p.Kind, p.KeySet, p.Mock = b.kind, KeySet, true
		p.Summary = append([]engine.Field{{Name: "prover", Value: "MOCK (no proof)"}}, p.Summary...)
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	cp := *p
	return &cp, nil
}

func (b *Backend) leaves(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
	return b.Plan(ctx, spec)
}

func commitment(spec engine.Spec, leaf int) []byte {
	sh := specHash(spec)
	return hash([]byte("mock commit"), sh[:], u32(leaf))
}

// Contribute implements engine.Backend.
func (b *Backend) Contribute(ctx context.Context, spec engine.Spec, leaf int) ([]byte, error) {
	p, err := b.leaves(ctx, spec)
	if err != nil {
		return nil, err
	}
	if leaf < 0 || leaf >= p.Leaves {
		return nil, fmt.Errorf("%w: leaf %d out of range [0,%d)", engine.ErrExecution, leaf, p.Leaves)
	}
	if err := b.wait(ctx); err != nil {
		return nil, err
	}
	b.Contributions.Add(1)
	return commitment(spec, leaf), nil
}

// Challenge implements engine.Backend.
func (b *Backend) Challenge(commitments [][]byte) ([]byte, error) {
	if len(commitments) == 0 {
		return nil, fmt.Errorf("%w: no commitments", engine.ErrBadProof)
	}
	parts := [][]byte{[]byte("mock challenge")}
	for i, c := range commitments {
		if len(c) != sha256.Size {
			return nil, fmt.Errorf("%w: commitment %d has %d bytes", engine.ErrBadProof, i, len(c))
		}
		parts = append(parts, c)
	}
	return hash(parts...), nil
}

// A partial is the label, the leaf range, the challenge's hash and a digest.
const partialLabel = "MOCK"

func partial(lo, hi int, challenge, digest []byte) []byte {
	out := append([]byte(partialLabel), u32(lo)...)
	out = append(out, u32(hi)...)
	out = append(out, hash(challenge)...)
	return append(out, digest...)
}

func parse(p []byte) (lo, hi int, ch, digest []byte, err error) {
	if len(p) != len(partialLabel)+8+2*sha256.Size || !bytes.HasPrefix(p, []byte(partialLabel)) {
		return 0, 0, nil, nil, fmt.Errorf("%w: not a mock partial proof (%d bytes)", engine.ErrBadProof, len(p))
	}
	p = p[len(partialLabel):]
	return int(binary.BigEndian.Uint32(p)), int(binary.BigEndian.Uint32(p[4:])), p[8:40], p[40:], nil
}

func leafDigest(spec engine.Spec, leaf int, challenge []byte) []byte {
	return hash([]byte("mock leaf"), commitment(spec, leaf), challenge)
}

// ProveLeaf implements engine.Backend.
func (b *Backend) ProveLeaf(ctx context.Context, spec engine.Spec, leaf int, challenge []byte) ([]byte, error) {
	p, err := b.leaves(ctx, spec)
	if err != nil {
		return nil, err
	}
	if leaf < 0 || leaf >= p.Leaves {
		return nil, fmt.Errorf("%w: leaf %d out of range [0,%d)", engine.ErrExecution, leaf, p.Leaves)
	}
	if p.Contribute && len(challenge) != sha256.Size {
		return nil, fmt.Errorf("%w: challenge of %d bytes", engine.ErrBadProof, len(challenge))
	}
	if err := b.wait(ctx); err != nil {
		return nil, err
	}
	b.LeafProofs.Add(1)
	return partial(leaf, leaf, challenge, leafDigest(spec, leaf, challenge)), nil
}

// Fold implements engine.Backend. Children must be adjacent ranges under
// one challenge.
func (b *Backend) Fold(ctx context.Context, left, right []byte) ([]byte, error) {
	llo, lhi, lch, ld, err := parse(left)
	if err != nil {
		return nil, err
	}
	rlo, rhi, rch, rd, err := parse(right)
	if err != nil {
		return nil, err
	}
	if lhi+1 != rlo || !bytes.Equal(lch, rch) {
		return nil, fmt.Errorf("%w: fold of non-adjacent mock partials [%d,%d]+[%d,%d]", engine.ErrBadProof, llo, lhi, rlo, rhi)
	}
	if err := b.wait(ctx); err != nil {
		return nil, err
	}
	b.Folds.Add(1)
	out := append([]byte(partialLabel), u32(llo)...)
	out = append(out, u32(rhi)...)
	out = append(out, lch...)
	return append(out, hash([]byte("mock fold"), ld, rd)...), nil
}

// Finalize implements engine.Backend: it recomputes the job's fold tree
// from its spec and writes a mock proof file.
func (b *Backend) Finalize(ctx context.Context, spec engine.Spec, root []byte) ([]byte, error) {
	p, err := b.Plan(ctx, spec)
	if err != nil {
		return nil, err
	}
	lo, hi, ch, d, err := parse(root)
	if err != nil {
		return nil, err
	}
	n := p.Leaves
	if lo != 0 || hi != n-1 {
		return nil, fmt.Errorf("%w: mock root covers [%d,%d], want [0,%d]", engine.ErrBadProof, lo, hi, n-1)
	}
	var challenge []byte
	if p.Contribute {
		commits := make([][]byte, n)
		for i := range commits {
			commits[i] = commitment(spec, i)
		}
		if challenge, err = b.Challenge(commits); err != nil {
			return nil, err
		}
	}
	if !bytes.Equal(ch, hash(challenge)) {
		return nil, fmt.Errorf("%w: mock challenge is not derived from the job's commitments", engine.ErrBadProof)
	}
	tree := p.FoldTree()
	digests := make([][]byte, len(tree))
	for _, nd := range tree {
		if nd.Left < 0 {
			digests[nd.ID] = leafDigest(spec, nd.ID, challenge)
		} else {
			digests[nd.ID] = hash([]byte("mock fold"), digests[nd.Left], digests[nd.Right])
		}
	}
	if n > 1 && !bytes.Equal(d, digests[len(tree)-1]) {
		return nil, fmt.Errorf("%w: mock root digest does not match the fold tree", engine.ErrBadProof)
	}
	if n == 1 && !bytes.Equal(d, digests[0]) {
		return nil, fmt.Errorf("%w: mock root digest does not match the leaf", engine.ErrBadProof)
	}
	b.Finalized.Add(1)
	return File(p, spec, d), nil
}

// File writes a mock proof file: the mock magic, the kind, then the
// statement summary, one "name: value" line each.
func File(p *engine.Plan, spec engine.Spec, root []byte) []byte {
	var sb strings.Builder
	sb.WriteString(engine.MockMagic)
	fmt.Fprintf(&sb, "kind: %s\n", p.Kind)
	sh := specHash(spec)
	fmt.Fprintf(&sb, "spec: %s\n", hex.EncodeToString(sh[:]))
	fmt.Fprintf(&sb, "root: %s\n", hex.EncodeToString(root))
	fmt.Fprintf(&sb, "leaves: %d\n", p.Leaves)
	for _, f := range p.Summary {
		fmt.Fprintf(&sb, "%s: %s\n", f.Name, strings.ReplaceAll(f.Value, "\n", " "))
	}
	sb.WriteString("This file was made by the mock prover. It proves nothing and no verifier accepts it.\n")
	return []byte(sb.String())
}

var _ engine.ResultChecker = (*Backend)(nil)

// CheckContribution implements engine.ResultChecker: the commitment is
// the one the mock prover computes for leaf.
func (b *Backend) CheckContribution(ctx context.Context, spec engine.Spec, leaf int, got []byte) error {
	p, err := b.leaves(ctx, spec)
	if err != nil {
		return err
	}
	if leaf < 0 || leaf >= p.Leaves {
		return fmt.Errorf("%w: leaf %d out of range [0,%d)", engine.ErrBadProof, leaf, p.Leaves)
	}
	if !bytes.Equal(got, commitment(spec, leaf)) {
		return fmt.Errorf("%w: leaf %d commitment does not match the job", engine.ErrBadProof, leaf)
	}
	return nil
}

// CheckPartial implements engine.ResultChecker: the placeholder covers
// node's leaves, under challenge, with the digest of node's subtree.
func (b *Backend) CheckPartial(ctx context.Context, spec engine.Spec, tree []engine.Node, node int, challenge []byte, _ [][]byte, proof []byte) error {
	p, err := b.leaves(ctx, spec)
	if err != nil {
		return err
	}
	wlo, whi, ok := engine.Span(tree, node)
	if !ok || len(tree) != len(p.FoldTree()) {
		return fmt.Errorf("%w: node %d is not in the job's fold tree", engine.ErrBadProof, node)
	}
	lo, hi, ch, d, err := parse(proof)
	if err != nil {
		return err
	}
	if lo != wlo || hi != whi {
		return fmt.Errorf("%w: node %d proof covers leaves [%d,%d], want [%d,%d]", engine.ErrBadProof, node, lo, hi, wlo, whi)
	}
	if !bytes.Equal(ch, hash(challenge)) {
		return fmt.Errorf("%w: node %d proof is under another challenge", engine.ErrBadProof, node)
	}
	if !bytes.Equal(d, subtreeDigest(spec, tree, node, challenge)) {
		return fmt.Errorf("%w: node %d proof digest does not match the job", engine.ErrBadProof, node)
	}
	return nil
}

// subtreeDigest is the digest an honest placeholder of node carries.
func subtreeDigest(spec engine.Spec, tree []engine.Node, node int, challenge []byte) []byte {
	nd := tree[node]
	if nd.Left < 0 {
		return leafDigest(spec, node, challenge)
	}
	return hash([]byte("mock fold"), subtreeDigest(spec, tree, nd.Left, challenge), subtreeDigest(spec, tree, nd.Right, challenge))
}
