package prover

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/internal/progress"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/circuit/cpu"
	"github.com/zkfleet/zkfleet/zkvm/circuit/memtable"
	"github.com/zkfleet/zkfleet/zkvm/circuit/tape"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// DefaultShape is the shape of the development key set: small enough that
// a setup on a laptop takes minutes (the fold circuit dominates anyway).
// The rollup chunk's part is the production shape of rollup batches
// (2^32 accounts, 16 transactions per chunk): a chunk circuit is cheap
// next to the fold, and batches are proved under the default set.
var DefaultShape = keys.Shape{CPUSteps: 256, MemRows: 256, TapeBytes: 248, ChunkDepth: 32, ChunkSlots: 16}

// A leaf circuit from outside the zkVM: the rollup's chunk. Its package
// registers it (RegisterLeafCircuit), so that this one does not import the
// rollup; a setup without it refuses to run.
var (
	leafMu       sync.Mutex
	leafCircuits = map[string]func(keys.Shape) (frontend.Circuit, error){}
)

// RegisterLeafCircuit makes Compile (and so Setup) build the circuit of
// kind, one of keys.Kinds, with build.
func RegisterLeafCircuit(kind string, build func(keys.Shape) (frontend.Circuit, error)) {
	leafMu.Lock()
	defer leafMu.Unlock()
	leafCircuits[kind] = build
}

// CheckShape reports whether shape can prove jobs: positive sizes, and tape
// chunks made of whole 31-byte hash blocks.
func CheckShape(shape keys.Shape) error {
	switch {
	case shape.CPUSteps <= 0, shape.MemRows <= 0, shape.TapeBytes <= 0, shape.ChunkDepth <= 0, shape.ChunkSlots <= 0:
		return fmt.Errorf("shape %+v: sizes must be positive", shape)
	case shape.TapeBytes%claim.TapeBlockBytes != 0:
		return fmt.Errorf("shape: tape chunk of %d bytes is not a multiple of %d (try %d)",
			shape.TapeBytes, claim.TapeBlockBytes, max(claim.TapeBlockBytes, shape.TapeBytes/claim.TapeBlockBytes*claim.TapeBlockBytes))
	}
	return nil
}

// Compile compiles the leaf circuit of one kind for a shape. The fold
// circuit depends on the leaf keys; agg.CompileFold compiles it.
func Compile(kind string, shape keys.Shape) (constraint.ConstraintSystem, error) {
	var c frontend.Circuit
	switch kind {
	case "cpu":
		c = cpu.Placeholder(shape.CPUSteps)
	case "memory":
		c = memtable.Placeholder(shape.MemRows)
	case "input":
		c = tape.Placeholder(tape.Input, shape.TapeBytes)
	case "output":
		c = tape.Placeholder(tape.Output, shape.TapeBytes)
	case "fold":
		return nil, fmt.Errorf("the fold circuit embeds the leaf keys: compile it with agg.CompileFold")
	default:
		leafMu.Lock()
		build := leafCircuits[kind]
		leafMu.Unlock()
		if build == nil {
			return nil, fmt.Errorf("unknown circuit kind %q (the rollup chunk circuit is registered by its backend package, rollup/prover)", kind)
		}
		var err error
		if c, err = build(shape); err != nil {
			return nil, fmt.Errorf("compile %s: %w", kind, err)
		}
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", kind, err)
	}
	return ccs, nil
}

// sameShape reports whether two circuits expose the same public inputs and
// commitments, so that one fold verifier accepts both.
func sameShape(a, b constraint.ConstraintSystem) error {
	if a.GetNbPublicVariables() != b.GetNbPublicVariables() {
		return fmt.Errorf("%d vs %d public variables", a.GetNbPublicVariables(), b.GetNbPublicVariables())
	}
	ca, cb := a.GetCommitments().(constraint.Groth16Commitments), b.GetCommitments().(constraint.Groth16Commitments)
	if len(ca) != len(cb) {
		return fmt.Errorf("%d vs %d commitments", len(ca), len(cb))
	}
	pa := ca.GetPublicAndCommitmentCommitted(ca.CommitmentIndexes(), a.GetNbPublicVariables())
	pb := cb.GetPublicAndCommitmentCommitted(cb.CommitmentIndexes(), b.GetNbPublicVariables())
	if fmt.Sprint(pa) != fmt.Sprint(pb) {
		return fmt.Errorf("committed public inputs %v vs %v", pa, pb)
	}
	return nil
}

// foldConstraints is about the size of the fold circuit (docs/PROOF_FORMAT.md),
// known only once it is compiled; it is used for the progress estimate of
// its setup before that.
const foldConstraints = 3_210_000

// setupRatePerCore is how many constraints a Groth16 setup gets through per
// second per core, measured on the 2-vCPU reference machine
// (docs/BENCHMARKS.md: the fold's 3.2M in 13.5 min, the 16K-step cpu
// circuit's 4.4M in 16.5 min, compile included).
const setupRatePerCore = 2100

// SetupEstimate is how long a Groth16 setup of a circuit of n constraints
// is expected to take on this machine: only an estimate for progress
// reports, from the measured rate and the number of cores.
func SetupEstimate(n int) time.Duration {
	cores := max(1, runtime.GOMAXPROCS(0))
	return time.Duration(float64(n) / float64(setupRatePerCore*cores) * float64(time.Second))
}

// Setup compiles every circuit of shape, runs a Groth16 setup for each
// from local randomness (a development set: no ceremony) and stores the
// keys and the manifest. It returns the set id. A leaf circuit whose
// compiled constraint system already has keys in the store keeps them, and
// so does the fold circuit if it was set up for the same leaf keys: running
// Setup again after changing one leaf circuit pays for that circuit and the
// fold, and running it on an unchanged tree only pays for compiling.
func Setup(ctx context.Context, store *keys.Store, shape keys.Shape, log *slog.Logger) (string, error) {
	// Refuse a shape no job can use before spending minutes on its keys.
	if err := CheckShape(shape); err != nil {
		return "", err
	}
	if n := len(keys.Kinds); n != agg.NumKinds || keys.Kinds[n-1] != "fold" {
		return "", fmt.Errorf("setup: key kinds %v: the fold must come last of %d", keys.Kinds, agg.NumKinds)
	}
	m := &keys.Manifest{Version: keys.ManifestVersion, Shape: shape, Circuits: map[string]keys.CircuitKeys{}, Dev: true}
	var leaf constraint.ConstraintSystem
	var fixed [agg.NumKinds - 1]agg.FixedKey
	for i, kind := range keys.Kinds[:agg.NumKinds-1] {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		t0 := time.Now()
		end := progress.From(ctx).Start("setup: compile "+kind+" circuit", 0)
		ccs, err := Compile(kind, shape)
		end(err)
		if err != nil {
			return "", err
		}
		if leaf == nil {
			leaf = ccs
		} else if err := sameShape(leaf, ccs); err != nil {
			return "", fmt.Errorf("setup: %s circuit cannot be folded with cpu: %w", kind, err)
		}
		log.Info("setup: compiled", "kind", kind, "constraints", ccs.GetNbConstraints(), "took", time.Since(t0).Round(time.Millisecond))
		ccsID, err := putCCS(store, kind, ccs)
		if err != nil {
			return "", err
		}
		// Keys depend only on the constraint system: a circuit that did not
		// change since an earlier setup in this store keeps its keys.
		var vk groth16.VerifyingKey
		if ck, ok := store.FindCircuit(kind, ccsID); ok {
			log.Info("setup: circuit unchanged, reusing its keys", "kind", kind, "pk", ck.PK[:12])
			m.Circuits[kind] = ck
			if vk, err = agg.LoadVK(store, ck.VK); err != nil {
				return "", err
			}
		} else {
			t1 := time.Now()
			end := progress.From(ctx).Start(fmt.Sprintf("setup: %s keys (%d constraints)", kind, ccs.GetNbConstraints()), SetupEstimate(ccs.GetNbConstraints()))
			pk, v, err := groth16.Setup(ccs)
			end(err)
			if err != nil {
				return "", fmt.Errorf("setup %s: %w", kind, err)
			}
			log.Info("setup: keys generated", "kind", kind, "took", time.Since(t1).Round(time.Millisecond))
			if m.Circuits[kind], err = putKeys(store, kind, ccsID, pk, v); err != nil {
				return "", err
			}
			vk = v
		}
		if fixed[i], err = agg.FixedKeyOf(vk); err != nil {
			return "", fmt.Errorf("setup %s: %w", kind, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ck, err := setupFold(ctx, store, m, leaf, fixed, log)
	if err != nil {
		return "", err
	}
	m.Circuits["fold"] = ck
	return store.PutManifest(m)
}

// setupFold finds the fold keys of an earlier setup over the same leaf keys
// (recompiling its circuit to check it is this code's), or generates them.
func setupFold(ctx context.Context, store *keys.Store, m *keys.Manifest, leaf constraint.ConstraintSystem, fixed [agg.NumKinds - 1]agg.FixedKey, log *slog.Logger) (keys.CircuitKeys, error) {
	var all [agg.NumKinds]agg.FixedKey
	copy(all[:], fixed[:])
	tried := map[string]bool{} // fold vk ids already compiled for
	ck, ok := store.FindCircuitWhere("fold", func(old *keys.Manifest, c keys.CircuitKeys) bool {
		if tried[c.VK] {
			return false
		}
		tried[c.VK] = true
		for _, kind := range keys.Kinds[:agg.NumKinds-1] {
			if old.Circuits[kind].VK != m.Circuits[kind].VK {
				return false
			}
		}
		vk, err := agg.LoadVK(store, c.VK)
		if err != nil {
			return false
		}
		if all[agg.NumKinds-1], err = agg.FixedKeyOf(vk); err != nil {
			return false
		}
		t0 := time.Now()
		ccs, err := agg.CompileFold(leaf, all)
		if err != nil {
			return false
		}
		var b bytes.Buffer
		if _, err := ccs.WriteTo(&b); err != nil {
			return false
		}
		id, err := keys.BlobID(&b)
		log.Info("setup: compiled the fold circuit of an earlier setup over the same leaf keys", "constraints", ccs.GetNbConstraints(), "same", err == nil && id == c.CCS, "took", time.Since(t0).Round(time.Millisecond))
		return err == nil && id == c.CCS
	})
	if ok {
		log.Info("setup: fold circuit unchanged, reusing its keys", "kind", "fold", "pk", ck.PK[:12])
		return ck, nil
	}
	t0 := time.Now()
	var leafVKs [agg.NumKinds - 1]string
	for i, kind := range keys.Kinds[:agg.NumKinds-1] {
		leafVKs[i] = m.Circuits[kind].VK
	}
	// In a child process: the fold setup draws from a seeded stream that
	// nothing else in this process may share (agg.SetupFold).
	end := progress.From(ctx).Start(fmt.Sprintf("setup: fold circuit, compile and keys (about %d constraints)", foldConstraints), SetupEstimate(foldConstraints))
	ck, n, err := agg.SetupFold(ctx, store, m.Circuits["cpu"].CCS, leafVKs)
	end(err)
	if err != nil {
		return keys.CircuitKeys{}, fmt.Errorf("setup fold: %w", err)
	}
	log.Info("setup: keys generated", "kind", "fold", "constraints", n, "took", time.Since(t0).Round(time.Millisecond))
	return ck, nil
}

func putCCS(store *keys.Store, kind string, ccs constraint.ConstraintSystem) (string, error) {
	var cb bytes.Buffer
	if _, err := ccs.WriteTo(&cb); err != nil {
		return "", fmt.Errorf("setup %s: encode: %w", kind, err)
	}
	return store.PutBlob(&cb)
}

func putKeys(store *keys.Store, kind, ccsID string, pk groth16.ProvingKey, vk groth16.VerifyingKey) (keys.CircuitKeys, error) {
	ck := keys.CircuitKeys{CCS: ccsID}
	for _, it := range []struct {
		dst *string
		w   func(*bytes.Buffer) error
	}{
		{&ck.PK, func(b *bytes.Buffer) error { _, err := pk.WriteRawTo(b); return err }},
		{&ck.VK, func(b *bytes.Buffer) error { _, err := vk.WriteTo(b); return err }},
	} {
		var b bytes.Buffer
		if err := it.w(&b); err != nil {
			return keys.CircuitKeys{}, fmt.Errorf("setup %s: encode: %w", kind, err)
		}
		id, err := store.PutBlob(&b)
		if err != nil {
			return keys.CircuitKeys{}, err
		}
		*it.dst = id
	}
	return ck, nil
}
