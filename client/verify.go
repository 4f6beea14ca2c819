package client

import (
	"fmt"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// Statement is what a valid RISC-V proof proves.
type Statement = agg.Statement

// Verified is a verified statement with what the verifier knows of its
// key set: Dev is set for a development set (whoever ran its setup can
// forge), Trust says how the set came to be trusted on this machine.
type Verified = agg.Verified

// Verify checks a proof file against the program and input it claims,
// with the verifying keys of the key store in keyDir (never keys carried
// by the file), dispatching on the file's kind. Only key sets generated or
// imported on this machine are trusted; pin, if not empty, names the one
// set (name or id) the proof must be made under. A mock prover's file is
// always rejected with engine.ErrMockProof.
func Verify(keyDir, pin string, proof, elf, input []byte) (*Verified, error) {
	kind, mock, err := engine.ProofKind(proof)
	switch {
	case mock:
		return nil, engine.ErrMockProof
	case err != nil:
		return nil, err
	case kind != engine.KindRISCV:
		return nil, fmt.Errorf("%w: no verifier for proofs of kind %s here", engine.ErrBadProof, kind)
	}
	store, err := keys.Open(keyDir)
	if err != nil {
		return nil, err
	}
	return agg.Verify(store, pin, proof, elf, input)
}
