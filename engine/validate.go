package engine

// ProgramValidator is implemented by backends that can check a job's
// program cheaply, without executing it (an ELF's headers and segments).
// The coordinator calls it before storing a program or accepting a job,
// so a malformed program is refused at once with an error wrapping
// ErrBadProgram instead of failing later in planning.
type ProgramValidator interface {
	ValidateProgram(elf []byte) error
}
