package wrap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/internal/progress"
	"github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// ExtraName names the wrap's keys among a key set's extra keys
// (keys.Store.PutExtra): they are derived from the set's fold key and set
// up only where batches settle on a chain.
const ExtraName = "rollup-wrap"

// ErrNoKeys: the key set has no wrap keys yet (run Setup).
var ErrNoKeys = errors.New("wrap: the key set has no wrap keys")

// constraintsEstimate is about the wrap's size, for the progress estimate
// of its setup before it is compiled.
const constraintsEstimate = 1_632_000

// Setup generates the wrap's keys for key set setID of store, unless it
// has them for this very circuit (same compiled constraint system), and
// returns them. Like every zkfleet setup it is a
// development setup (local randomness).
func Setup(ctx context.Context, store *keys.Store, setID string, log *slog.Logger) (keys.CircuitKeys, error) {
	old, err := store.Extra(setID, ExtraName)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return keys.CircuitKeys{}, err
	}
	foldVK, vkSet, err := foldKey(store, setID)
	if err != nil {
		return keys.CircuitKeys{}, err
	}
	// The circuit is compiled every time (seconds): keys set up for
	// another version of it are replaced, never used with this code.
	t0 := time.Now()
	end := progress.From(ctx).Start("setup: compile rollup wrap circuit", 0)
	ccs, err := Compile(foldVK, vkSet)
	end(err)
	if err != nil {
		return keys.CircuitKeys{}, err
	}
	var cb bytes.Buffer
	if _, err := ccs.WriteTo(&cb); err != nil {
		return keys.CircuitKeys{}, fmt.Errorf("wrap: encode circuit: %w", err)
	}
	ccsID, err := keys.BlobID(bytes.NewReader(cb.Bytes()))
	if err != nil {
		return keys.CircuitKeys{}, err
	}
	if old.CCS == ccsID {
		log.Info("setup: circuit unchanged, reusing its keys", "kind", ExtraName, "pk", old.PK[:12])
		return old, nil
	}
	if old.CCS != "" {
		log.Info("setup: the wrap circuit changed since its keys were set up; setting up again", "kind", ExtraName)
	}
	log.Info("setup: compiled", "kind", ExtraName, "constraints", ccs.GetNbConstraints(), "took", time.Since(t0).Round(time.Millisecond))
	if err := ctx.Err(); err != nil {
		return keys.CircuitKeys{}, err
	}
	t1 := time.Now()
	end = progress.From(ctx).Start(fmt.Sprintf("setup: %s keys (%d constraints)", ExtraName, ccs.GetNbConstraints()), setupEstimate(ccs.GetNbConstraints()))
	pk, vk, err := groth16.Setup(ccs)
	end(err)
	if err != nil {
		return keys.CircuitKeys{}, fmt.Errorf("wrap: setup: %w", err)
	}
	if err := settle.CheckVerifyingKey(vk); err != nil {
		return keys.CircuitKeys{}, fmt.Errorf("wrap: %w", err)
	}
	var ck keys.CircuitKeys
	for _, it := range []struct {
		dst *string
		w   func(io.Writer) (int64, error)
	}{{&ck.CCS, ccs.WriteTo}, {&ck.PK, pk.WriteRawTo}, {&ck.VK, vk.WriteTo}} {
		var b bytes.Buffer
		if _, err := it.w(&b); err != nil {
			return keys.CircuitKeys{}, fmt.Errorf("wrap: encode keys: %w", err)
		}
		if *it.dst, err = store.PutBlob(&b); err != nil {
			return keys.CircuitKeys{}, err
		}
	}
	if err := store.PutExtra(setID, ExtraName, ck); err != nil {
		return keys.CircuitKeys{}, err
	}
	log.Info("setup: keys generated", "kind", ExtraName, "took", time.Since(t1).Round(time.Millisecond))
	return ck, nil
}

// setupEstimate is the measured Groth16 setup rate of the reference
// machine (zkvm/prover.SetupEstimate), kept here to avoid linking it.
func setupEstimate(n int) time.Duration {
	return time.Duration(float64(n) / 4200 * float64(time.Second))
}

// foldKey is the fold's verifying key of a set and the rollup's VK-set
// digest: what the wrap embeds.
func foldKey(store *keys.Store, setID string) (groth16.VerifyingKey, fr.Element, error) {
	m, err := store.Manifest(setID)
	if err != nil {
		return nil, fr.Element{}, err
	}
	vk, err := agg.LoadVK(store, m.Circuits[keys.Kinds[agg.KindFold]].VK)
	if err != nil {
		return nil, fr.Element{}, err
	}
	_, d, err := backend.SetDigest(store, m)
	if err != nil {
		return nil, fr.Element{}, err
	}
	return vk, d, nil
}

// Prover proves wraps of batch proofs made under one key set: the proof a
// settlement contract verifies (public input Statement.PublicInput(), made
// with settle.ProverOptions).
type Prover struct {
	setID  string
	foldVK groth16.VerifyingKey
	ccs    constraint.ConstraintSystem
	pk     groth16.ProvingKey
	vk     groth16.VerifyingKey
}

// Load opens the wrap keys of set setID (ErrNoKeys when it has none).
func Load(store *keys.Store, setID string) (*Prover, error) {
	ck, err := store.Extra(setID, ExtraName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w (set %s)", ErrNoKeys, setID)
	}
	if err != nil {
		return nil, err
	}
	foldVK, _, err := foldKey(store, setID)
	if err != nil {
		return nil, err
	}
	p := &Prover{setID: setID, foldVK: foldVK, ccs: groth16.NewCS(ecc.BN254), pk: groth16.NewProvingKey(ecc.BN254), vk: groth16.NewVerifyingKey(ecc.BN254)}
	for _, it := range []struct {
		id string
		r  func(io.Reader) error
	}{
		{ck.CCS, func(r io.Reader) error { _, err := p.ccs.ReadFrom(r); return err }},
		{ck.PK, func(r io.Reader) error { _, err := p.pk.UnsafeReadFrom(r); return err }},
		{ck.VK, func(r io.Reader) error { _, err := p.vk.ReadFrom(r); return err }},
	} {
		if err := store.DecodeBlob(it.id, it.r); err != nil {
			return nil, fmt.Errorf("wrap: keys: %w", err)
		}
	}
	return p, nil
}

// VK is the wrap's verifying key (what the chain's verifier is exported
// from).
func (p *Prover) VK() groth16.VerifyingKey { return p.vk }

// Prove wraps a batch proof file made under the prover's key set: the
// file is verified first (backend.VerifyUnder), then the wrap is proved
// with settle.ProverOptions and checked with the matching native verifier
// against the statement's public input.
func (p *Prover) Prove(ctx context.Context, store *keys.Store, file []byte) (groth16.Proof, error) {
	f, err := backend.VerifyUnder(store, p.setID, file, nil)
	if err != nil {
		return nil, err
	}
	a, err := Assign(f.Proof, p.foldVK, &f.Root, &f.Statement)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("wrap: witness: %w", err)
	}
	proof, err := groth16.Prove(p.ccs, p.pk, w, settle.ProverOptions()...)
	if err != nil {
		return nil, fmt.Errorf("wrap: prove: %w", err)
	}
	pub, err := publicWitness(f.Statement.PublicInput())
	if err != nil {
		return nil, err
	}
	if err := groth16.Verify(proof, p.vk, pub, settle.VerifierOptions()...); err != nil {
		return nil, fmt.Errorf("wrap: the wrap proof does not verify: %w", err)
	}
	return proof, nil
}

func publicWitness(x fr.Element) (witness.Witness, error) {
	w, err := witness.New(ecc.BN254.ScalarField())
	if err != nil {
		return nil, err
	}
	ch := make(chan any, 1)
	ch <- x
	close(ch)
	if err := w.Fill(1, 0, ch); err != nil {
		return nil, fmt.Errorf("wrap: public witness: %w", err)
	}
	return w, nil
}
