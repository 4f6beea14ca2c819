// Package backend is the real proof system of rollup batches, behind the
// engine.Backend interface: every chunk of a batch is proved with the
// chunk circuit (rollup/circuit) under the chunk key of a key set, and the
// chunk proofs are folded by the zkVM's fold circuit (zkvm/agg) under the
// rollup's VK set (agg.RollupSet). The fold's rule on chunk claims is
// exactly batch.Combine (rollup/batch/claim.go), and the root's claim is
// checked natively against the batch statement (batch.CheckRootClaim).
//
// The package also registers the chunk circuit with the key-set setup
// (zkvm/prover.RegisterLeafCircuit) and the batch proof file's magic with
// the engine: a program that links it can set up, prove and verify both
// job kinds under one key set.
package backend

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/memo"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/circuit"
	"github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

func init() {
	prover.RegisterLeafCircuit(keys.Kinds[agg.KindChunk], func(s keys.Shape) (frontend.Circuit, error) {
		return circuit.New(ChunkShape(s))
	})
	if err := engine.RegisterProofMagic(kind.Kind, Magic); err != nil {
		panic(err)
	}
}

// ChunkShape is the chunk circuit's shape in a key-set shape.
func ChunkShape(s keys.Shape) batch.Shape {
	return batch.Shape{Depth: s.ChunkDepth, Slots: s.ChunkSlots}
}

// preparedCacheSize bounds the executed batches kept per backend.
const preparedCacheSize = 4

// Groth16 is the real Backend of rollup batches.
type Groth16 struct {
	*prover.KeySet
	shape batch.Shape
	set   agg.Set
	vkset fr.Element

	prepared *memo.Cache[*batch.Prepared] // executed batches, by spec hash
}

var (
	_ engine.Backend       = (*Groth16)(nil)
	_ engine.ResultChecker = (*Groth16)(nil)
)

// New opens the rollup backend on a key set of store.
func New(store *keys.Store, setID string) (*Groth16, error) {
	ks, err := prover.OpenKeySet(store, setID)
	if err != nil {
		return nil, err
	}
	return Open(ks), nil
}

// Open is the rollup backend on an opened key set (shared with the
// RISC-V backend of the same set, so each circuit's proving key is loaded
// once per process).
func Open(ks *prover.KeySet) *Groth16 {
	set := agg.RollupSet(ks.VKHashes())
	return &Groth16{KeySet: ks, shape: ChunkShape(ks.Manifest().Shape), set: set, vkset: set.Digest(),
		prepared: memo.New[*batch.Prepared](preparedCacheSize)}
}

// Shape is the chunk shape batches are cut into.
func (b *Groth16) Shape() batch.Shape { return b.shape }

func specKey(spec engine.Spec) [32]byte {
	h := sha256.New()
	h.Write([]byte(spec.KindOrDefault()))
	h.Write([]byte{0})
	h.Write(spec.Input)
	return [32]byte(h.Sum(nil))
}

// prepare returns the (cached) executed batch of spec.
func (b *Groth16) prepare(ctx context.Context, spec engine.Spec) (*batch.Prepared, error) {
	return b.prepared.Get(specKey(spec), func() (*batch.Prepared, error) {
		return kind.Prepare(ctx, spec, b.shape)
	})
}

// Plan implements engine.Backend: the batch is parsed, validated and
// executed natively (an invalid batch fails here with its transaction
// index and reason), one leaf per chunk.
func (b *Groth16) Plan(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
	p, err := b.prepare(ctx, spec)
	if err != nil {
		return nil, err
	}
	return &engine.Plan{Kind: kind.Kind, KeySet: b.ID(), Leaves: len(p.Chunks),
		Summary: kind.Summary(&p.Statement, len(p.Chunks), spec.Input)}, nil
}

// Contribute implements engine.Backend; a rollup plan has no contribution
// phase.
func (b *Groth16) Contribute(context.Context, engine.Spec, int) ([]byte, error) {
	return nil, fmt.Errorf("%w: rollup batches have no contribution phase", engine.ErrBadProof)
}

// Challenge implements engine.Backend; see Contribute.
func (b *Groth16) Challenge([][]byte) ([]byte, error) {
	return nil, fmt.Errorf("%w: rollup batches have no contribution phase", engine.ErrBadProof)
}

// chunkClaim is the claim chunk i of p proves.
func (b *Groth16) chunkClaim(p *batch.Prepared, i int) claim.Claim {
	return p.Chunks[i].Statement.Claim(b.vkset)
}

// ProveLeaf implements engine.Backend: chunk leaf of the batch, proved
// with the chunk circuit.
func (b *Groth16) ProveLeaf(ctx context.Context, spec engine.Spec, leaf int, _ []byte) ([]byte, error) {
	p, err := b.prepare(ctx, spec)
	if err != nil {
		return nil, err
	}
	if leaf < 0 || leaf >= len(p.Chunks) {
		return nil, fmt.Errorf("%w: chunk %d out of range [0,%d)", engine.ErrExecution, leaf, len(p.Chunks))
	}
	a, err := circuit.Assign(b.shape, &p.Chunks[leaf], b.vkset)
	if err != nil {
		return nil, fmt.Errorf("%w: chunk %d: %w", engine.ErrExecution, leaf, err)
	}
	pr, err := b.Prove(ctx, agg.KindChunk, a)
	if err != nil {
		return nil, err
	}
	return (&prover.Partial{Kind: agg.KindChunk, Claim: b.chunkClaim(p, leaf), Proof: pr}).Marshal()
}

// Fold implements engine.Backend: the zkVM's fold circuit under the
// rollup's VK set.
func (b *Groth16) Fold(ctx context.Context, left, right []byte) ([]byte, error) {
	return b.FoldUnder(ctx, &b.set, left, right)
}

// Finalize implements engine.Backend: the root fold proof becomes a batch
// proof file, checked exactly as a verifier will.
func (b *Groth16) Finalize(ctx context.Context, spec engine.Spec, root []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := prover.ParsePartial(root)
	if err != nil {
		return nil, err
	}
	if r.Kind != prover.KindFold {
		return nil, fmt.Errorf("%w: the root must be a fold proof", engine.ErrBadProof)
	}
	p, err := b.prepare(ctx, spec)
	if err != nil {
		return nil, err
	}
	f := &File{KeySet: b.ID(), Chunks: uint32(len(p.Chunks)), Statement: p.Statement, Root: r.Claim, Proof: r.Proof}
	data, err := f.Marshal()
	if err != nil {
		return nil, err
	}
	if _, err := VerifyUnder(b.Store(), b.ID(), data, &p.Statement); err != nil {
		return nil, fmt.Errorf("%w: %w", engine.ErrBadProof, err)
	}
	return data, nil
}

// CheckContribution implements engine.ResultChecker; see Contribute.
func (b *Groth16) CheckContribution(context.Context, engine.Spec, int, []byte) error {
	return fmt.Errorf("%w: rollup batches have no contribution phase", engine.ErrBadProof)
}

// CheckPartial implements engine.ResultChecker: the partial proof parses,
// is a fold exactly when node is one, is of a kind of the rollup's VK set,
// verifies natively under its circuit's key, and proves exactly the claim
// of the chunks below node (the coordinator executed the batch, so it
// knows every chunk's claim and their folds).
func (b *Groth16) CheckPartial(ctx context.Context, spec engine.Spec, tree []engine.Node, node int, _ []byte, _ [][]byte, proof []byte) error {
	if node < 0 || node >= len(tree) {
		return fmt.Errorf("%w: node %d is not in the fold tree", engine.ErrBadProof, node)
	}
	pp, err := prover.ParsePartial(proof)
	if err != nil {
		return err
	}
	if isFold := tree[node].Left >= 0; isFold != (pp.Kind == prover.KindFold) || !b.set.Has(b.VKHashes()[pp.Kind]) {
		return fmt.Errorf("%w: node %d: a %s proof", engine.ErrBadProof, node, keys.Kinds[pp.Kind])
	}
	p, err := b.prepare(ctx, spec)
	if err != nil {
		return err
	}
	want, err := b.nodeClaim(p, tree, node, 0)
	if err != nil {
		return err
	}
	if pp.Claim.Digest() != want.Digest() {
		return fmt.Errorf("%w: node %d does not prove the claim of its chunks", engine.ErrBadProof, node)
	}
	return b.Check(pp)
}

// nodeClaim is the claim node of tree proves: a chunk's claim, or the
// fold of its children's.
func (b *Groth16) nodeClaim(p *batch.Prepared, tree []engine.Node, node, depth int) (claim.Claim, error) {
	if node < 0 || node >= len(tree) || depth > len(tree) {
		return claim.Claim{}, fmt.Errorf("%w: malformed fold tree", engine.ErrBadProof)
	}
	n := tree[node]
	if n.Left < 0 {
		if n.ID < 0 || n.ID >= len(p.Chunks) {
			return claim.Claim{}, fmt.Errorf("%w: leaf %d is not a chunk", engine.ErrBadProof, n.ID)
		}
		return b.chunkClaim(p, n.ID), nil
	}
	l, err := b.nodeClaim(p, tree, n.Left, depth+1)
	if err != nil {
		return claim.Claim{}, err
	}
	r, err := b.nodeClaim(p, tree, n.Right, depth+1)
	if err != nil {
		return claim.Claim{}, err
	}
	out, ok := claim.Fold(&l, &r)
	if !ok {
		return claim.Claim{}, fmt.Errorf("%w: the chunks below node %d do not chain", engine.ErrBadProof, node)
	}
	return out, nil
}
