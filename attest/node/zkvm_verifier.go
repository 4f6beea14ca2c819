package node

// This file is the only one that knows the zkVM's verify API, so that a
// change of its trust rules touches one place.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// ZKVMVerifier verifies zkfleet proof files (zkvm/agg) against the
// verifying keys of the node's own key store, for the request's ELF and
// input, and checks that the proven statement has the request's digest.
type ZKVMVerifier struct {
	Keys *keys.Store
	// KeySet, if not empty, pins the one key set (name or id) proofs must
	// be made under; otherwise any set the store trusts (generated or
	// imported on this machine by zkfleet setup) is accepted.
	KeySet string
}

// StatementPrefix separates zkVM statement digests.
const StatementPrefix = "zkfleet/zkvm-statement/v1\x00"

// StatementDigest is the digest an attestation of a zkVM proof names:
// SHA-256 over StatementPrefix, the key-set id, program id, input hash,
// output hash, exit code, cycles, leaf count (big-endian) and the SHA-256
// of the output bytes.
func StatementDigest(st *agg.Statement) (attest.Digest, error) {
	set, err := hex.DecodeString(st.KeySet)
	if err != nil || len(set) != 32 {
		return attest.Digest{}, fmt.Errorf("node: key set id %q is not 32 hex bytes", st.KeySet)
	}
	h := sha256.New()
	h.Write([]byte(StatementPrefix))
	h.Write(set)
	h.Write(st.ProgramID[:])
	h.Write(st.InputHash[:])
	h.Write(st.OutputHash[:])
	var nums [16]byte
	binary.BigEndian.PutUint32(nums[0:], st.ExitCode)
	binary.BigEndian.PutUint64(nums[4:], st.Cycles)
	binary.BigEndian.PutUint32(nums[12:], st.Leaves)
	h.Write(nums[:])
	out := sha256.Sum256(st.Output)
	h.Write(out[:])
	var d attest.Digest
	h.Sum(d[:0])
	return d, nil
}

// Verify implements Verifier with agg.Verify.
func (v ZKVMVerifier) Verify(ctx context.Context, req *attest.Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if v.Keys == nil {
		return fmt.Errorf("node: zkvm verifier has no key store")
	}
	st, err := agg.Verify(v.Keys, v.KeySet, req.Proof, req.ELF, req.Input)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrProofRejected, err)
	}
	d, err := StatementDigest(&st.Statement)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrProofRejected, err)
	}
	if d != req.StatementDigest {
		return fmt.Errorf("%w: the proof proves statement %s, the request names %s", ErrProofRejected, d, req.StatementDigest)
	}
	return nil
}

// ProofFileStatementDigest reads the statement a zkfleet proof file claims
// (without verifying the proof) and returns its StatementDigest: what a
// client asks the committee to attest for that file.
func ProofFileStatementDigest(file []byte) (attest.Digest, error) {
	f, err := agg.ParseFile(file)
	if err != nil {
		return attest.Digest{}, err
	}
	return StatementDigest(&f.Statement)
}
