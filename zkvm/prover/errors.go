package prover

import "github.com/zkfleet/zkfleet/engine"

// Error classes a Backend wraps (the engine's, under their historical
// names) so callers can map them to gRPC codes and exit statuses without
// parsing text.
var (
	// ErrBadProgram: the ELF is malformed or not an RV32IM executable.
	ErrBadProgram = engine.ErrBadProgram
	// ErrExecution: the guest faulted (illegal instruction, misaligned
	// access, ebreak, unsupported syscall) or hit the cycle limit.
	ErrExecution = engine.ErrExecution
	// ErrBadProof: a partial proof or proof file is malformed or does not verify.
	ErrBadProof = engine.ErrBadProof
	// ErrNoKey: a proving or verifying key is missing from the key store.
	ErrNoKey = engine.ErrNoKey
	// ErrLimit: a cycle limit above the emulator's maximum.
	ErrLimit = engine.ErrLimit
)
