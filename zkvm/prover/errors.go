package prover

import "errors"

// Error classes a Backend wraps so callers (the coordinator, the CLI) can
// map them to gRPC codes and exit statuses without parsing text.
var (
	// ErrBadProgram: the ELF is malformed or not an RV32IM executable.
	ErrBadProgram = errors.New("bad program")
	// ErrExecution: the guest faulted (illegal instruction, misaligned
	// access, ebreak, unsupported syscall) or hit the cycle limit.
	ErrExecution = errors.New("execution failed")
	// ErrBadProof: a partial proof or proof file is malformed or does not verify.
	ErrBadProof = errors.New("invalid proof")
	// ErrNoKey: a proving or verifying key is missing from the key store.
	ErrNoKey = errors.New("missing key")
)
