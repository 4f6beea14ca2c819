package backend

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// ErrInvalid marks a batch proof file that parses but does not prove its
// statement.
var ErrInvalid = errors.New("rollup: invalid batch proof")

// ErrKeySet marks a batch proof made under a key set the verifier does not
// accept: one not trusted on this machine, or not the pinned one.
var ErrKeySet = errors.New("rollup: key set not accepted")

// Verified is what a successful verification established.
type Verified struct {
	Statement batch.Statement
	Chunks    uint32
	KeySet    string
	// Dev is set when the key set is a development set (generated from
	// local randomness, no ceremony): whoever ran its setup can forge
	// proofs that verify under it.
	Dev   bool
	Trust keys.TrustRecord
}

// Verify checks a batch proof file. The key set is the one the file
// names, but only if the store trusts it (generated or imported here with
// zkfleet setup, never merely fetched from a peer) and, when pin (a set
// name or id) is not empty, only if it is the pinned set. The verifying
// keys come from the store, never from the file. When want is not nil the
// proof must state exactly that batch statement.
func Verify(store *keys.Store, pin string, file []byte, want *batch.Statement) (*Verified, error) {
	f, err := ParseFile(file)
	if err != nil {
		return nil, err
	}
	tr, err := store.Accept(f.KeySet, pin)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeySet, err)
	}
	m, err := verifyFile(store, f, want)
	if err != nil {
		return nil, err
	}
	return &Verified{Statement: f.Statement, Chunks: f.Chunks, KeySet: f.KeySet, Dev: m.Dev, Trust: *tr}, nil
}

// Verifier is Verify on store as a function of the proof file and the
// statement it must prove: what a sequencer hands to
// coreclient.CheckWith (a coreclient.Verifier) to verify every proof it
// fetches against the statement it computed itself.
func Verifier(store *keys.Store, pin string) func(file []byte, want *batch.Statement) error {
	return func(file []byte, want *batch.Statement) error {
		_, err := Verify(store, pin, file, want)
		return err
	}
}

// VerifyUnder checks a batch proof file against the key set setID, which
// the caller chose and vouches for (a prover checking its own output).
func VerifyUnder(store *keys.Store, setID string, file []byte, want *batch.Statement) (*File, error) {
	f, err := ParseFile(file)
	if err != nil {
		return nil, err
	}
	if f.KeySet != setID {
		return nil, fmt.Errorf("%w: the proof names key set %s, not %s", ErrInvalid, f.KeySet, setID)
	}
	if _, err := verifyFile(store, f, want); err != nil {
		return nil, err
	}
	return f, nil
}

// SetDigest loads a key set's verifying keys and returns the rollup's VK
// set and its digest (the VKSet global of every claim of a batch).
func SetDigest(store *keys.Store, m *keys.Manifest) (agg.Set, fr.Element, error) {
	_, hs, _, err := agg.SetVKs(store, m)
	if err != nil {
		return agg.Set{}, fr.Element{}, err
	}
	set := agg.RollupSet(hs)
	return set, set.Digest(), nil
}

// verifyFile checks a parsed file under the key set it names: the root
// fold proof verifies under the set's fold key, and its claim is the
// rollup's final claim for the file's statement (batch.CheckRootClaim:
// the rollup's VK set, chunks from 0, the pre-state root and zero
// accumulators at the start, the statement's post-state root,
// accumulators and counts at the end).
func verifyFile(store *keys.Store, f *File, want *batch.Statement) (*keys.Manifest, error) {
	m, err := store.Manifest(f.KeySet)
	if err != nil {
		return nil, fmt.Errorf("rollup: key set %s: %w", f.KeySet, err)
	}
	vks, hs, _, err := agg.SetVKs(store, m)
	if err != nil {
		return nil, err
	}
	if want != nil && string(want.Encode()) != string(f.Statement.Encode()) {
		return nil, fmt.Errorf("%w: the proof states another batch statement", ErrInvalid)
	}
	if err := agg.VerifyProof(vks[agg.KindFold], f.Proof, f.Root.Digest()); err != nil {
		return nil, fmt.Errorf("%w: groth16 verification of the root failed: %v", ErrInvalid, err)
	}
	set := agg.RollupSet(hs)
	if err := batch.CheckRootClaim(&f.Statement, &f.Root, set.Digest()); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if n := f.Root.End[batch.LaneCursor]; !n.IsUint64() || n.Uint64() != uint64(f.Chunks) {
		return nil, fmt.Errorf("%w: the proof covers %s chunks, the file says %d", ErrInvalid, n.String(), f.Chunks)
	}
	return m, nil
}
