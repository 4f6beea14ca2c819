// Package engine is the boundary between the cluster and the proof
// systems. The coordinator and workers (cluster/...) see only what is
// here: a job's kind and Spec, the Plan a Backend makes of it, the
// Backend interface, the error classes backends wrap, and the canonical
// fold tree. It imports no proof system, so the cluster links none.
//
// A kind is one family of jobs with its own statement and circuits: the
// RISC-V zkVM ("riscv") is the first, rollup batches will be another.
// Each kind has a Backend per prover: the real one (Groth16 over BN254)
// or the mock prover, which runs the same planning (the guest is really
// executed) but replaces every proof by a labelled placeholder. A mock
// plan says so (Plan.Mock), and so does everything the cluster shows
// about its job.
package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
)

// Kinds known to the engine. A kind name is lower-case letters, digits
// and dashes (ValidKind).
const (
	// KindRISCV is a RISC-V RV32IM guest program run on the zkVM.
	KindRISCV = "riscv"
)

// DefaultKind is the kind of a job that names none (older clients).
const DefaultKind = KindRISCV

var kindRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// ValidKind reports whether k is a well-formed kind name.
func ValidKind(k string) bool { return kindRE.MatchString(k) }

// Spec is everything needed to regenerate any leaf of a job: the same
// spec always yields the same plan, commitments and claims, so any worker
// can take over any leaf. ELF and Input are the kind's bytes: for RISC-V
// the guest program and its input; a kind without a program leaves ELF
// empty and puts its whole payload (a rollup batch) in Input.
type Spec struct {
	Kind      string // "" means DefaultKind
	ELF       []byte
	Input     []byte
	MaxCycles uint64 // RISC-V: 0 means the emulator's default limit
}

// KindOrDefault is s.Kind, or DefaultKind when it is empty.
func (s Spec) KindOrDefault() string {
	if s.Kind == "" {
		return DefaultKind
	}
	return s.Kind
}

// Field is one line of a plan's statement summary, for clients.
type Field struct {
	Name, Value string
}

// Plan is the result of executing (or validating) a job without proving
// it: how the cluster runs it and what it will prove.
type Plan struct {
	Kind   string // the job's kind
	KeySet string // content id of the key set its leaves are proved under
	// Mock is true when the backend is the mock prover: the job's proofs
	// are placeholders, not proofs.
	Mock bool
	// Contribute is true when the job has a contribution phase: every
	// leaf first commits (Backend.Contribute), the challenge is derived
	// from all commitments, then leaves are proved under it. Without one,
	// leaves are proved at once with an empty challenge.
	Contribute bool
	Leaves     int // number of leaf proofs; they are numbered 0..Leaves-1
	// Tree is the fold tree over the leaves (nil: Tree(Leaves)); see Node.
	Tree []Node
	// Summary is the kind's statement in words, for clients (job views,
	// CLI); the proof file holds the statement itself.
	Summary []Field

	// RISC-V statement (zero for other kinds).
	ProgramID  [32]byte // claim.ProgramID, big-endian field element
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
	Output     []byte // public output (fd 1)
}

// FoldTree is p.Tree, or the canonical tree of p.Leaves when p has none.
func (p *Plan) FoldTree() []Node {
	if p.Tree != nil {
		return p.Tree
	}
	return Tree(p.Leaves)
}

// RISCVSummary is the statement summary of a RISC-V plan.
func RISCVSummary(p *Plan) []Field {
	return []Field{
		{Name: "program_id", Value: fmt.Sprintf("%x", p.ProgramID)},
		{Name: "input_hash", Value: fmt.Sprintf("%x", p.InputHash)},
		{Name: "output_hash", Value: fmt.Sprintf("%x", p.OutputHash)},
		{Name: "exit_code", Value: fmt.Sprint(p.ExitCode)},
		{Name: "cycles", Value: fmt.Sprint(p.Cycles)},
	}
}

// Backend proves jobs of one kind. Every method is safe for concurrent
// use and honours ctx cancellation (an expensive proof may finish its
// current call but returns ctx.Err()).
type Backend interface {
	// Plan executes or validates the job and lays out its leaves. Bad
	// input is an error wrapping ErrBadProgram or ErrExecution.
	Plan(ctx context.Context, spec Spec) (*Plan, error)

	// Contribute computes leaf's commitment (phase 1): deterministic, and
	// independent of any challenge. Only called for plans with Contribute.
	Contribute(ctx context.Context, spec Spec, leaf int) ([]byte, error)

	// Challenge derives the global challenge from all leaf commitments, in
	// leaf order (phase 1 → 2). Cheap; the coordinator calls it.
	Challenge(commitments [][]byte) ([]byte, error)

	// ProveLeaf proves leaf under the global challenge (phase 2; nil
	// without a contribution phase) and returns a partial proof.
	ProveLeaf(ctx context.Context, spec Spec, leaf int, challenge []byte) ([]byte, error)

	// Fold proves that two adjacent partial proofs (leaves or folds, left
	// then right in the plan's tree) combine, returning a partial proof of
	// the pair (phase 3).
	Fold(ctx context.Context, left, right []byte) ([]byte, error)

	// Finalize turns the root partial proof of a job into a proof file,
	// checking it completely first.
	Finalize(ctx context.Context, spec Spec, root []byte) ([]byte, error)
}

// Error classes a Backend wraps so callers (the coordinator, the CLI, the
// transports) can map them to status codes and exit statuses without
// parsing text.
var (
	// ErrBadProgram: the job's program or payload is malformed (not an
	// RV32IM ELF, an undecodable batch).
	ErrBadProgram = errors.New("bad program")
	// ErrExecution: the job does not execute: the guest faulted (illegal
	// instruction, misaligned access, ebreak, unsupported syscall) or hit
	// the cycle limit; a batch transaction is invalid.
	ErrExecution = errors.New("execution failed")
	// ErrBadProof: a partial proof or proof file is malformed or does not verify.
	ErrBadProof = errors.New("invalid proof")
	// ErrNoKey: a proving or verifying key is missing from the key store.
	ErrNoKey = errors.New("missing key")
	// ErrLimit: the job asks for more than the engine allows (a cycle
	// limit above the emulator's maximum, an oversized input).
	ErrLimit = errors.New("limit exceeded")
	// ErrUnknownKind: no backend serves the job's kind.
	ErrUnknownKind = errors.New("unknown job kind")
)

// Permanent reports whether a task error would recur on any worker: the
// inputs themselves are bad. The coordinator fails the job at once on
// those and retries anything else (a missing key, I/O, memory) elsewhere.
func Permanent(err error) bool {
	return errors.Is(err, ErrBadProgram) || errors.Is(err, ErrExecution) || errors.Is(err, ErrBadProof) ||
		errors.Is(err, ErrLimit)
}

// Backends holds one backend per kind.
type Backends map[string]Backend

// For returns the backend of kind k ("" is DefaultKind).
func (bs Backends) For(k string) (Backend, error) {
	if k == "" {
		k = DefaultKind
	}
	if b := bs[k]; b != nil {
		return b, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownKind, k)
}

// Kinds lists the kinds served, sorted.
func (bs Backends) Kinds() []string {
	out := make([]string, 0, len(bs))
	for k := range bs {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
