package engine

import "context"

// ProgramValidator is implemented by backends that can check a job's
// program cheaply, without executing it (an ELF's headers and segments).
// The coordinator calls it before storing a program or accepting a job,
// so a malformed program is refused at once with an error wrapping
// ErrBadProgram instead of failing later in planning.
type ProgramValidator interface {
	ValidateProgram(elf []byte) error
}

// ResultChecker is implemented by backends that can check a worker's
// result when it arrives, so that a bad one is blamed on the worker that
// produced it (and its task proved elsewhere) instead of failing the
// job later at a fold or at Finalize, on an honest machine. Errors wrap
// ErrBadProof.
type ResultChecker interface {
	// CheckContribution checks leaf's phase-1 commitment.
	CheckContribution(ctx context.Context, spec Spec, leaf int, commitment []byte) error
	// CheckPartial checks the partial proof of node of tree (a leaf, or
	// a fold covering the leaves below it) under challenge; commitments
	// are the job's accepted leaf commitments (nil for a plan without a
	// contribution phase).
	CheckPartial(ctx context.Context, spec Spec, tree []Node, node int, challenge []byte, commitments [][]byte, proof []byte) error
}
