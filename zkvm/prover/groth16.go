package prover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/memo"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// jobCacheSize bounds the executions kept per backend: a worker usually
// proves several leaves of the same few jobs. programCacheSize bounds the
// decoded programs (by ELF hash), which outlive the jobs that ran them.
const (
	jobCacheSize     = 4
	programCacheSize = 16
)

// KeySet is a key set of the real proof system, loaded: its verifying keys
// and their hashes now, constraint systems and proving keys lazily, per
// circuit kind. It proves any circuit of the set, checks partial proofs and
// folds them under a job kind's VK set: the part of a Groth16 backend that
// does not depend on the job kind (the RISC-V backend below and the rollup
// backend are built on it).
type KeySet struct {
	store  *keys.Store
	setID  string
	man    *keys.Manifest
	vks    [agg.NumKinds]groth16.VerifyingKey
	vkHash [agg.NumKinds]fr.Element

	// foldSlot admits one fold proof at a time per process: a fold uses
	// every core and ~10 GB, so two at once gain nothing and can exhaust
	// memory on a worker that advertises capacity > 1.
	foldSlot chan struct{}

	mu       sync.Mutex
	circuits map[string]*loadedCircuit
}

// OpenKeySet opens the key set setID of store.
func OpenKeySet(store *keys.Store, setID string) (*KeySet, error) {
	m, err := store.Manifest(setID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	vks, hs, _, err := agg.SetVKs(store, m)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	return &KeySet{store: store, setID: setID, man: m, vks: vks, vkHash: hs,
		foldSlot: make(chan struct{}, 1), circuits: map[string]*loadedCircuit{}}, nil
}

// ID is the key set's content id.
func (k *KeySet) ID() string { return k.setID }

// Store is the key store the set lives in.
func (k *KeySet) Store() *keys.Store { return k.store }

// Manifest is the key set's manifest.
func (k *KeySet) Manifest() *keys.Manifest { return k.man }

// VKHashes are the hashes of the set's verifying keys, in keys.Kinds order.
func (k *KeySet) VKHashes() [agg.NumKinds]fr.Element { return k.vkHash }

// VK is the verifying key of a kind (an index into keys.Kinds).
func (k *KeySet) VK(kind int) groth16.VerifyingKey { return k.vks[kind] }

// Groth16 is the real Backend of RISC-V jobs: emulator, leaf circuits and
// fold circuit, with keys from a key store.
type Groth16 struct {
	*KeySet
	set   agg.Set    // the zkVM's VK set
	vkset fr.Element // its digest, the VKSet global of every claim

	jobs     *memo.Cache[*Job]     // executions, by SpecHash
	plans    *memo.Cache[*Plan]    // streamed plans (no trace), by SpecHash
	commits  *memo.Cache[[][]byte] // streamed leaf commitments, by SpecHash
	programs *emu.Programs         // decoded programs and their ids, by ELF hash
}

type loadedCircuit struct {
	once sync.Once
	ccs  constraint.ConstraintSystem
	pk   groth16.ProvingKey
	err  error
}

var _ Backend = (*Groth16)(nil)

// NewGroth16 opens the key set setID of store. Verifying keys are loaded
// now; constraint systems and proving keys lazily, per circuit kind.
func NewGroth16(store *keys.Store, setID string) (*Groth16, error) {
	ks, err := OpenKeySet(store, setID)
	if err != nil {
		return nil, err
	}
	set := agg.ZKVMSet(ks.vkHash)
	return &Groth16{KeySet: ks, set: set, vkset: set.Digest(),
		jobs: memo.New[*Job](jobCacheSize), plans: memo.New[*Plan](programCacheSize),
		commits:  memo.New[[][]byte](jobCacheSize),
		programs: emu.NewPrograms(programCacheSize)}, nil
}

func kindName(kind int) string { return keys.Kinds[kind] }

func (b *KeySet) circuit(kind int) (*loadedCircuit, error) {
	name := kindName(kind)
	b.mu.Lock()
	lc, ok := b.circuits[name]
	if !ok {
		lc = &loadedCircuit{}
		b.circuits[name] = lc
	}
	b.mu.Unlock()
	lc.once.Do(func() {
		ck := b.man.Circuits[name]
		lc.ccs = groth16.NewCS(ecc.BN254)
		if err := b.store.DecodeBlob(ck.CCS, func(r io.Reader) error { _, err := lc.ccs.ReadFrom(r); return err }); err != nil {
			lc.err = fmt.Errorf("%w: %s constraint system: %w", ErrNoKey, name, err)
			return
		}
		lc.pk = groth16.NewProvingKey(ecc.BN254)
		if err := b.store.DecodeBlob(ck.PK, func(r io.Reader) error { _, err := lc.pk.UnsafeReadFrom(r); return err }); err != nil {
			lc.err = fmt.Errorf("%w: %s proving key: %w", ErrNoKey, name, err)
		}
	})
	return lc, lc.err
}

// job returns the (cached) execution of spec. A failed execution is not
// kept: its error is permanent for the job, which the cluster then fails.
func (b *Groth16) job(spec JobSpec) (*Job, error) {
	return b.jobs.Get(SpecHash(spec), func() (*Job, error) {
		return newJob(spec, b.man.Shape, b.programs.Load)
	})
}

// ValidateProgram implements engine.ProgramValidator: the ELF loads.
func (b *Groth16) ValidateProgram(elf []byte) error {
	if _, err := b.programs.Load(elf); err != nil {
		return fmt.Errorf("%w: %w", ErrBadProgram, err)
	}
	return nil
}

// Plan implements Backend. It streams the execution (PlanJob): the
// coordinator, which plans every job, never holds a whole trace.
func (b *Groth16) Plan(ctx context.Context, spec JobSpec) (*Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if k := spec.KindOrDefault(); k != engine.KindRISCV {
		return nil, fmt.Errorf("%w %q: this is the RISC-V prover", engine.ErrUnknownKind, k)
	}
	p, err := b.plans.Get(SpecHash(spec), func() (*Plan, error) {
		return planJob(ctx, spec, b.man.Shape, b.setID, b.programs.Load)
	})
	if err != nil {
		return nil, err
	}
	cp := *p
	return &cp, nil
}

// Contribute implements Backend.
func (b *Groth16) Contribute(ctx context.Context, spec JobSpec, leaf int) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	j, err := b.job(spec)
	if err != nil {
		return nil, err
	}
	c, err := j.Commit(leaf)
	if err != nil {
		return nil, fmt.Errorf("%w: leaf %d commitment: %w", ErrExecution, leaf, err)
	}
	out := claim.Bytes32(c)
	return out[:], nil
}

// Challenge implements Backend.
func (b *Groth16) Challenge(commitments [][]byte) ([]byte, error) {
	if len(commitments) == 0 {
		return nil, fmt.Errorf("%w: no commitments", ErrBadProof)
	}
	cs := make([]fr.Element, len(commitments))
	for i, c := range commitments {
		if len(c) != 32 {
			return nil, fmt.Errorf("%w: commitment %d has %d bytes", ErrBadProof, i, len(c))
		}
		e, err := claim.FromBytes32(c)
		if err != nil {
			return nil, fmt.Errorf("%w: commitment %d: %v", ErrBadProof, i, err)
		}
		cs[i] = e
	}
	g := claim.Bytes32(claim.ChallengeFromCommitments(cs))
	return g[:], nil
}

// Prove proves an assignment of the circuit of kind (an index into
// keys.Kinds) under the set's proving key, with the options every zkfleet
// proof is made with (the fold's in-circuit verifier recomputes the
// commitment's hash natively).
func (b *KeySet) Prove(ctx context.Context, kind int, assignment frontend.Circuit) (groth16.Proof, error) {
	lc, err := b.circuit(kind)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("%s witness: %w", kindName(kind), err)
	}
	f := ecc.BN254.ScalarField()
	p, err := groth16.Prove(lc.ccs, lc.pk, w, stdgroth16.GetNativeProverOptions(f, f))
	if err != nil {
		return nil, fmt.Errorf("%s prove: %w", kindName(kind), err)
	}
	return p, ctx.Err()
}

// ProveLeaf implements Backend.
func (b *Groth16) ProveLeaf(ctx context.Context, spec JobSpec, leaf int, challenge []byte) ([]byte, error) {
	if len(challenge) != 32 {
		return nil, fmt.Errorf("%w: challenge of %d bytes", ErrBadProof, len(challenge))
	}
	gamma, err := claim.FromBytes32(challenge)
	if err != nil {
		return nil, fmt.Errorf("%w: challenge: %v", ErrBadProof, err)
	}
	j, err := b.job(spec)
	if err != nil {
		return nil, err
	}
	g := claim.Globals{Challenge: gamma, InputLen: claim.U64(uint64(len(spec.Input))), VKSet: b.vkset}
	assignment, cl, err := j.Assign(leaf, g)
	if err != nil {
		return nil, fmt.Errorf("%w: leaf %d: %w", ErrExecution, leaf, err)
	}
	kind := int(j.Kinds[leaf])
	p, err := b.Prove(ctx, kind, assignment)
	if err != nil {
		return nil, err
	}
	return (&Partial{Kind: kind, Claim: cl, Proof: p}).Marshal()
}

// Check verifies a partial proof natively under its kind's key.
func (b *KeySet) Check(p *Partial) error {
	if err := agg.VerifyProof(b.vks[p.Kind], p.Proof, p.Claim.Digest()); err != nil {
		return fmt.Errorf("%w: %s proof does not verify: %v", ErrBadProof, kindName(p.Kind), err)
	}
	return nil
}

// Fold implements Backend.
func (b *Groth16) Fold(ctx context.Context, left, right []byte) ([]byte, error) {
	return b.FoldUnder(ctx, &b.set, left, right)
}

// FoldUnder folds two partial proofs of a job whose kind has the VK set
// set: both verify natively, their claims chain (claim.Fold) under set's
// digest, and the fold circuit proves it.
func (b *KeySet) FoldUnder(ctx context.Context, set *agg.Set, left, right []byte) ([]byte, error) {
	var ps [2]*Partial
	for i, raw := range [][]byte{left, right} {
		p, err := ParsePartial(raw)
		if err != nil {
			return nil, err
		}
		if !set.Has(b.vkHash[p.Kind]) {
			return nil, fmt.Errorf("%w: a %s proof does not belong to this job kind", ErrBadProof, kindName(p.Kind))
		}
		if err := b.Check(p); err != nil {
			return nil, err
		}
		ps[i] = p
	}
	out, ok := claim.Fold(&ps[0].Claim, &ps[1].Claim)
	if !ok {
		return nil, fmt.Errorf("%w: children do not chain (globals or left.End != right.Start)", ErrBadProof)
	}
	if d := set.Digest(); !out.VKSet.Equal(&d) {
		return nil, fmt.Errorf("%w: children proved under another key set or job kind", ErrBadProof)
	}
	a := &agg.Fold{Digest: out.Digest(), Allowed: set.Strings()}
	for i, ch := range []*agg.Child{&a.Left, &a.Right} {
		c, err := agg.AssignChild(ps[i].Proof, b.vks[ps[i].Kind], int(ps[i].Kind), &ps[i].Claim)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadProof, err)
		}
		*ch = c
	}
	select {
	case b.foldSlot <- struct{}{}:
		defer func() { <-b.foldSlot }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p, err := b.Prove(ctx, KindFold, a)
	if err != nil {
		return nil, err
	}
	return (&Partial{Kind: KindFold, Claim: out, Proof: p}).Marshal()
}

// Finalize implements Backend.
func (b *Groth16) Finalize(ctx context.Context, spec JobSpec, root []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := ParsePartial(root)
	if err != nil {
		return nil, err
	}
	if p.Kind != KindFold {
		return nil, fmt.Errorf("%w: the root must be a fold proof", ErrBadProof)
	}
	// The statement comes from the streamed plan: finalizing (on the
	// coordinator) never holds the guest's trace either.
	pl, err := b.Plan(ctx, spec)
	if err != nil {
		return nil, err
	}
	prog, err := b.programs.Load(spec.ELF)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
	}
	f := &agg.File{Root: p.Claim, Proof: p.Proof, Statement: agg.Statement{
		KeySet: b.setID, ProgramID: pl.ProgramID,
		InputHash: claim.Bytes32(claim.TapeHash(spec.Input)), OutputHash: pl.OutputHash,
		ExitCode: pl.ExitCode, Cycles: pl.Cycles, Output: append([]byte(nil), pl.Output...), Leaves: uint32(pl.Leaves),
	}}
	data, err := f.Marshal()
	if err != nil {
		return nil, err
	}
	// Check the file exactly as a verifier will.
	if _, err := agg.VerifyUnder(b.store, b.setID, data, prog, spec.Input); err != nil {
		if errors.Is(err, agg.ErrInvalid) || errors.Is(err, agg.ErrFormat) {
			return nil, fmt.Errorf("%w: %w", ErrBadProof, err)
		}
		return nil, err
	}
	return data, nil
}

var _ engine.ResultChecker = (*Groth16)(nil)

// CheckContribution implements engine.ResultChecker: the commitment is
// the one recomputed from the job (streamed once per job and cached).
func (b *Groth16) CheckContribution(ctx context.Context, spec JobSpec, leaf int, commitment []byte) error {
	cs, err := b.commits.Get(SpecHash(spec), func() ([][]byte, error) {
		return commitments(ctx, spec, b.man.Shape, b.programs.Load)
	})
	if err != nil {
		return err
	}
	if leaf < 0 || leaf >= len(cs) {
		return fmt.Errorf("%w: leaf %d out of range [0,%d)", ErrBadProof, leaf, len(cs))
	}
	if string(cs[leaf]) != string(commitment) {
		return fmt.Errorf("%w: leaf %d commitment does not match the job", ErrBadProof, leaf)
	}
	return nil
}

// CheckPartial implements engine.ResultChecker: the partial proof parses,
// is a fold exactly when node is one, verifies natively under its
// circuit's verifying key, and claims the job's challenge and this key
// set. (Its chaining with its neighbours is checked by the fold above it.)
func (b *Groth16) CheckPartial(_ context.Context, _ JobSpec, tree []engine.Node, node int, challenge []byte, _ [][]byte, proof []byte) error {
	if node < 0 || node >= len(tree) {
		return fmt.Errorf("%w: node %d is not in the fold tree", ErrBadProof, node)
	}
	p, err := ParsePartial(proof)
	if err != nil {
		return err
	}
	if isFold := tree[node].Left >= 0; isFold != (p.Kind == KindFold) || !b.set.Has(b.vkHash[p.Kind]) {
		return fmt.Errorf("%w: node %d: a %s proof", ErrBadProof, node, kindName(p.Kind))
	}
	if err := b.Check(p); err != nil {
		return err
	}
	if len(challenge) != 32 {
		return fmt.Errorf("%w: challenge of %d bytes", ErrBadProof, len(challenge))
	}
	gamma, err := claim.FromBytes32(challenge)
	if err != nil {
		return fmt.Errorf("%w: challenge: %v", ErrBadProof, err)
	}
	if !p.Claim.Challenge.Equal(&gamma) || !p.Claim.VKSet.Equal(&b.vkset) {
		return fmt.Errorf("%w: node %d proof is under another challenge or key set", ErrBadProof, node)
	}
	return nil
}
