// Package prover is the boundary between the cluster and the zkVM: the
// coordinator and workers see only the Backend interface and opaque bytes.
// The real implementation (this package's Groth16 backend) runs the
// emulator, the leaf circuits and the fold circuit; cluster tests may use a
// test double that implements the same interface.
package prover

import "context"

// JobSpec is everything needed to regenerate any leaf of a job: the same
// spec always yields the same plan, commitments and claims, so any worker
// can take over any leaf.
type JobSpec struct {
	ELF       []byte
	Input     []byte
	MaxCycles uint64 // 0 means the default limit
}

// Plan is the result of executing a job without proving it.
type Plan struct {
	ProgramID  [32]byte // claim.ProgramID, big-endian field element
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
	Output     []byte // public output (fd 1)
	Leaves     int    // number of leaf proofs; they are numbered 0..Leaves-1
	KeySet     string // content id of the key set the leaves are proved under
}

// Backend proves jobs. Every method is safe for concurrent use and honours
// ctx cancellation (an expensive proof may finish its current gnark call
// but returns ctx.Err()).
type Backend interface {
	// Plan executes the guest and lays out its leaves. Bad input (not an
	// ELF, wrong architecture, unsupported syscall, cycle limit, …) is an
	// error wrapping ErrBadProgram or ErrExecution.
	Plan(ctx context.Context, spec JobSpec) (*Plan, error)

	// Contribute computes leaf's commitment (phase 1): deterministic, and
	// independent of any challenge.
	Contribute(ctx context.Context, spec JobSpec, leaf int) ([]byte, error)

	// Challenge derives the global challenge from all leaf commitments, in
	// leaf order (phase 1 → 2). Cheap; the coordinator calls it.
	Challenge(commitments [][]byte) ([]byte, error)

	// ProveLeaf proves leaf under the global challenge (phase 2) and
	// returns a partial proof.
	ProveLeaf(ctx context.Context, spec JobSpec, leaf int, challenge []byte) ([]byte, error)

	// Fold proves that two adjacent partial proofs (leaves or folds, left
	// then right in the canonical tree) combine, returning a partial proof
	// of the pair (phase 3).
	Fold(ctx context.Context, left, right []byte) ([]byte, error)

	// Finalize turns the root partial proof of a job into a proof file
	// (format in docs/PROOF_FORMAT.md), checking it completely first.
	Finalize(ctx context.Context, spec JobSpec, root []byte) ([]byte, error)
}
