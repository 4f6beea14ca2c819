package emu

import "errors"

var (
	// ErrELF is wrapped by every error LoadELF returns.
	ErrELF = errors.New("invalid ELF")
	// ErrExec is wrapped by every guest fault (illegal instruction,
	// misaligned access, ebreak, unsupported syscall, cycle limit); the
	// message names the pc of the faulting step.
	ErrExec = errors.New("execution error")
	// ErrConfig is wrapped by errors about the run configuration itself
	// (cycle limit above MaxCyclesLimit, oversized input).
	ErrConfig = errors.New("invalid execution config")
)
