package agg

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// The fold circuit verifies proofs made with its own verifying key, and it
// embeds that key's G2 points as constants. They are known before the
// circuit is compiled because a Groth16 setup draws its toxic waste (τ, α,
// β, γ, δ, the commitment's G and σ) from the random source in the same
// order whatever the circuit, given one commitment. SetupFold runs gnark's
// setup twice from the same secret stream: once on a one-constraint circuit
// with one commitment, to learn the fold key's fixed part, then on the fold
// circuit that embeds it. It checks that the second setup drew exactly what
// the first did (every read, τ's included, same sizes and same bytes) and
// produced exactly that fixed part.
//
// The stream is AES-256-CTR under a fresh key from the operating system,
// private to a child process that runs nothing else (isolated.go says why
// and how), and gone when the child exits: the toxic waste is as secret as
// in a plain gnark setup, and no other crypto/rand user ever sees it. Like
// every zkfleet setup this is a development setup; a ceremony would have to
// fix the fold's δ and σ before its second phase.

// ErrSetupRandomness is returned when the fold key could not be generated
// with the fixed part its circuit embeds.
var ErrSetupRandomness = errors.New("agg: fold setup: the second setup did not draw the randomness of the first, or its key's G2 points differ from the ones the circuit embeds")

// CompileFold compiles the fold circuit for children shaped like childShape,
// with the fixed keys of every kind (the fold's own last).
func CompileFold(childShape constraint.ConstraintSystem, keys [NumKinds]FixedKey) (constraint.ConstraintSystem, error) {
	c, err := Placeholder(childShape, keys)
	if err != nil {
		return nil, err
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("agg: compile fold: %w", err)
	}
	// A fold verifies folds: its own public inputs and commitment must be
	// laid out like its children's.
	own, err := Placeholder(ccs, keys)
	if err != nil {
		return nil, fmt.Errorf("agg: the fold circuit cannot verify itself: %w", err)
	}
	if fmt.Sprint(own.Committed) != fmt.Sprint(c.Committed) {
		return nil, fmt.Errorf("agg: the fold's commitment covers public inputs %v, its children's %v", own.Committed, c.Committed)
	}
	return ccs, nil
}

// SetupFold compiles the fold circuit for the leaf keys of a key set in
// store (leafCCS, the cpu constraint system, gives the children's shape;
// leafVKs are the cpu, memory, input and output verifying keys), generates
// its keys in an isolated child process and stores the constraint system,
// proving key and verifying key there. It returns their blob ids and the
// number of constraints. The proving key (gigabytes) never passes through
// this process.
func SetupFold(ctx context.Context, store *keys.Store, leafCCS string, leafVKs [NumKinds - 1]string) (keys.CircuitKeys, int, error) {
	args, err := json.Marshal(foldSetupArgs{Dir: store.Dir(), LeafCCS: leafCCS, LeafVKs: leafVKs})
	if err != nil {
		return keys.CircuitKeys{}, 0, err
	}
	out, err := runIsolated(ctx, "fold-setup", args)
	if err != nil {
		return keys.CircuitKeys{}, 0, err
	}
	var r foldSetupResult
	if err := json.Unmarshal(out, &r); err != nil {
		return keys.CircuitKeys{}, 0, fmt.Errorf("agg: fold setup result: %w", err)
	}
	for _, id := range []string{r.Keys.CCS, r.Keys.PK, r.Keys.VK} {
		if !store.Has(id) {
			return keys.CircuitKeys{}, 0, fmt.Errorf("agg: fold setup: blob %q not in the store", id)
		}
	}
	return r.Keys, r.Constraints, nil
}

type foldSetupArgs struct {
	Dir     string
	LeafCCS string
	LeafVKs [NumKinds - 1]string
}

type foldSetupResult struct {
	Keys        keys.CircuitKeys
	Constraints int
}

var _ = registerIsolated("fold-setup", foldSetupJob)

// foldSetupJob is SetupFold's child.
func foldSetupJob(ctx context.Context, raw []byte) ([]byte, error) {
	var a foldSetupArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("agg: fold setup args: %w", err)
	}
	store, err := keys.Open(a.Dir)
	if err != nil {
		return nil, err
	}
	shape, fixed, err := loadFoldInputs(store, &a)
	if err != nil {
		return nil, err
	}
	var seed [32]byte
	if _, err := io.ReadFull(rand.Reader, seed[:]); err != nil {
		return nil, fmt.Errorf("agg: fold setup: %w", err)
	}
	ccs, pk, vk, _, err := pairedSetup(&seed, func(own FixedKey) (constraint.ConstraintSystem, error) {
		fixed[NumKinds-1] = own
		return CompileFold(shape, fixed)
	}, false)
	clear(seed[:])
	if err != nil {
		return nil, err
	}
	var r foldSetupResult
	r.Constraints = ccs.GetNbConstraints()
	for _, it := range []struct {
		dst *string
		w   func(io.Writer) (int64, error)
	}{
		{&r.Keys.CCS, ccs.WriteTo},
		{&r.Keys.PK, pk.WriteRawTo}, // read back with UnsafeReadFrom by the prover
		{&r.Keys.VK, vk.WriteTo},
	} {
		var b bytes.Buffer
		if _, err := it.w(&b); err != nil {
			return nil, fmt.Errorf("agg: fold setup: encode: %w", err)
		}
		if *it.dst, err = store.PutBlob(&b); err != nil {
			return nil, err
		}
	}
	return json.Marshal(r)
}

// loadFoldInputs reads what the fold circuit is compiled from: the
// children's shape (the cpu constraint system) and the leaves' fixed keys
// (the fold's own slot left for pairedSetup).
func loadFoldInputs(store *keys.Store, a *foldSetupArgs) (constraint.ConstraintSystem, [NumKinds]FixedKey, error) {
	var fixed [NumKinds]FixedKey
	shape := groth16.NewCS(ecc.BN254)
	if err := store.DecodeBlob(a.LeafCCS, func(r io.Reader) error { _, err := shape.ReadFrom(r); return err }); err != nil {
		return nil, fixed, fmt.Errorf("agg: fold setup: leaf constraint system: %w", err)
	}
	for i, id := range a.LeafVKs {
		vk, err := LoadVK(store, id)
		if err != nil {
			return nil, fixed, err
		}
		if fixed[i], err = FixedKeyOf(vk); err != nil {
			return nil, fixed, err
		}
	}
	return shape, fixed, nil
}

// pairedSetup runs a setup of the preview circuit from the stream of seed
// (fresh from the operating system, erased by the caller), builds the target circuit for the preview key's fixed
// part, runs its setup from the same stream, and checks that both setups
// drew exactly the same reads (so τ and everything after it came from the
// same place) and that the target key's fixed part is the one it was built
// for. With keep, the draw logs hold the bytes drawn (for tests).
func pairedSetup(seed *[32]byte, build func(own FixedKey) (constraint.ConstraintSystem, error), keep bool) (constraint.ConstraintSystem, groth16.ProvingKey, groth16.VerifyingKey, [2]drawLog, error) {
	var logs [2]drawLog
	preview, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &previewCircuit{})
	if err != nil {
		return nil, nil, nil, logs, fmt.Errorf("agg: fold setup: %w", err)
	}
	_, pvk, pl, err := seededSetup(seed, preview, keep)
	if err != nil {
		return nil, nil, nil, logs, err
	}
	logs[0] = pl
	own, err := FixedKeyOf(pvk)
	if err != nil {
		return nil, nil, nil, logs, err
	}
	ccs, err := build(own)
	if err != nil {
		return nil, nil, nil, logs, err
	}
	pk, vk, tl, err := seededSetup(seed, ccs, keep)
	if err != nil {
		return nil, nil, nil, logs, err
	}
	logs[1] = tl
	if !pl.same(&tl) {
		return nil, nil, nil, logs, fmt.Errorf("%w (reads %v vs %v)", ErrSetupRandomness, pl.Sizes, tl.Sizes)
	}
	got, err := FixedKeyOf(vk)
	if err != nil {
		return nil, nil, nil, logs, err
	}
	if !got.Equal(&own) {
		return nil, nil, nil, logs, ErrSetupRandomness
	}
	return ccs, pk, vk, logs, nil
}

// previewCircuit has one commitment (from the range checker), like the
// fold circuit, so that a setup draws the same randomness in the same order.
type previewCircuit struct {
	X frontend.Variable `gnark:",public"`
}

func (c *previewCircuit) Define(api frontend.API) error {
	rangecheck.New(api).Check(c.X, 8)
	return nil
}

// seededSetup runs groth16.Setup drawing its randomness from the AES-CTR
// stream of seed, and returns the log of what it drew. It runs only in an
// isolated child (withPrivateRandom).
func seededSetup(seed *[32]byte, ccs constraint.ConstraintSystem, keep bool) (groth16.ProvingKey, groth16.VerifyingKey, drawLog, error) {
	s, err := newRecordingStream(seed, keep)
	if err != nil {
		return nil, nil, drawLog{}, fmt.Errorf("agg: fold setup: %w", err)
	}
	var pk groth16.ProvingKey
	var vk groth16.VerifyingKey
	err = withPrivateRandom(s, func() error {
		var err error
		pk, vk, err = groth16.Setup(ccs)
		return err
	})
	if err != nil {
		return nil, nil, drawLog{}, fmt.Errorf("agg: fold setup: %w", err)
	}
	return pk, vk, s.log(), nil
}
