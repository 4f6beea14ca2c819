package prover

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/zkvm/circuit/cpu"
	"github.com/zkfleet/zkfleet/zkvm/circuit/memtable"
	"github.com/zkfleet/zkfleet/zkvm/circuit/tape"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// Job is one executed guest laid out as leaves (canonical order: CPU
// segments, memory chunks, input chunks, output chunks). Everything in it is
// a deterministic function of the spec and the shape, so any worker can
// regenerate any leaf.
type Job struct {
	Shape   keys.Shape
	Program *emu.Program
	Input   []byte
	Exec    *emu.Execution
	Kinds   []claim.LeafKind // per leaf
	Index   []int            // per leaf: segment or chunk index within its kind
	starts  []claim.State    // per leaf: honest Start state (lanes do not depend on globals)
}

// SpecHash identifies a spec for caching.
func SpecHash(spec JobSpec) [32]byte {
	h := sha256.New()
	if spec.Kind != "" && spec.Kind != engine.KindRISCV {
		h.Write([]byte(spec.Kind))
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(len(spec.ELF)))
	h.Write(b[:])
	h.Write(spec.ELF)
	binary.BigEndian.PutUint64(b[:], spec.MaxCycles)
	h.Write(b[:])
	h.Write(spec.Input)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// NewJob loads and executes the guest and lays out its leaves. Errors wrap
// ErrBadProgram (ELF) or ErrExecution (guest fault, cycle limit, bad config).
func NewJob(spec JobSpec, shape keys.Shape) (*Job, error) {
	return newJob(spec, shape, emu.LoadELF)
}

// newJob is NewJob with the ELF loader given (the backend's program cache).
func newJob(spec JobSpec, shape keys.Shape, load func([]byte) (*emu.Program, error)) (*Job, error) {
	p, err := load(spec.ELF)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
	}
	ex, err := emu.Trace(p, spec.Input, emu.Config{MaxCycles: spec.MaxCycles, SegmentSize: shape.CPUSteps, MulDivBudget: cpu.DefaultMulDivRows(shape.CPUSteps)})
	if err != nil {
		if errors.Is(err, emu.ErrELF) {
			return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
		}
		if errors.Is(err, emu.ErrConfig) {
			return nil, fmt.Errorf("%w: %w", ErrLimit, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrExecution, err)
	}
	j := &Job{Shape: shape, Program: p, Input: append([]byte(nil), spec.Input...), Exec: ex}
	add := func(k claim.LeafKind, n int) {
		for i := 0; i < n; i++ {
			j.Kinds = append(j.Kinds, k)
			j.Index = append(j.Index, i)
		}
	}
	add(claim.LeafCPU, len(ex.Segments))
	add(claim.LeafMemory, memtable.NumChunks(ex.Memory, shape.MemRows))
	add(claim.LeafInput, tape.NumChunks(len(spec.Input), shape.TapeBytes))
	add(claim.LeafOutput, tape.NumChunks(len(ex.Result.Output), shape.TapeBytes))

	// Honest start states: chain the native claims once (globals do not
	// affect lanes, so a zero challenge will do).
	j.starts = make([]claim.State, len(j.Kinds))
	var prev claim.State
	g := claim.Globals{InputLen: claim.U64(uint64(len(spec.Input)))}
	for i := range j.Kinds {
		j.starts[i] = prev
		_, cl, err := j.assign(i, g, prev)
		if err != nil {
			return nil, fmt.Errorf("%w: leaf %d: %w", ErrExecution, i, err)
		}
		prev = cl.End
	}
	return j, nil
}

// Leaves is the number of leaf proofs.
func (j *Job) Leaves() int { return len(j.Kinds) }

func (j *Job) assign(i int, g claim.Globals, start claim.State) (frontend.Circuit, claim.Claim, error) {
	ex, idx := j.Exec, j.Index[i]
	out := ex.Result.Output
	switch j.Kinds[i] {
	case claim.LeafCPU:
		c, cl, err := cpu.Assign(&ex.Segments[idx], j.Shape.CPUSteps, g)
		return c, cl, err
	case claim.LeafMemory:
		c, cl, err := memtable.Assign(ex.Memory, j.Shape.MemRows, idx, g, start)
		return c, cl, err
	case claim.LeafInput:
		c, cl, err := tape.Assign(tape.Input, j.Input, ex.Result.InputConsumed, j.Shape.TapeBytes, idx, g, start)
		return c, cl, err
	case claim.LeafOutput:
		c, cl, err := tape.Assign(tape.Output, out, uint32(len(out)), j.Shape.TapeBytes, idx, g, start)
		return c, cl, err
	}
	return nil, claim.Claim{}, fmt.Errorf("unknown leaf kind %d", j.Kinds[i])
}

// Assign returns leaf i's full witness and the claim it proves under g.
func (j *Job) Assign(i int, g claim.Globals) (frontend.Circuit, claim.Claim, error) {
	if i < 0 || i >= len(j.Kinds) {
		return nil, claim.Claim{}, fmt.Errorf("leaf %d out of range [0,%d)", i, len(j.Kinds))
	}
	return j.assign(i, g, j.starts[i])
}

// Commit is leaf i's phase-1 commitment.
func (j *Job) Commit(i int) (fr.Element, error) {
	if i < 0 || i >= len(j.Kinds) {
		return fr.Element{}, fmt.Errorf("leaf %d out of range [0,%d)", i, len(j.Kinds))
	}
	ex, idx := j.Exec, j.Index[i]
	out := ex.Result.Output
	switch j.Kinds[i] {
	case claim.LeafCPU:
		return cpu.Commit(&ex.Segments[idx], j.Shape.CPUSteps)
	case claim.LeafMemory:
		return memtable.Commit(ex.Memory, j.Shape.MemRows, idx)
	case claim.LeafInput:
		return tape.Commit(tape.Input, j.Input, ex.Result.InputConsumed, j.Shape.TapeBytes, idx)
	default:
		return tape.Commit(tape.Output, out, uint32(len(out)), j.Shape.TapeBytes, idx)
	}
}

// Plan summarises the job.
func (j *Job) Plan(keySet string) *Plan {
	r := &j.Exec.Result
	p := &Plan{
		Kind:       engine.KindRISCV,
		Contribute: true,
		ProgramID:  claim.Bytes32(j.Program.ID()),
		InputHash:  claim.Bytes32(claim.TapeHash(j.Input)),
		OutputHash: claim.Bytes32(claim.TapeHash(r.Output)),
		ExitCode:   r.ExitCode,
		Cycles:     r.Cycles,
		Output:     append([]byte(nil), r.Output...),
		Leaves:     len(j.Kinds),
		KeySet:     keySet,
	}
	p.Summary = engine.RISCVSummary(p)
	return p
}

// PlanJob executes the guest of spec and summarises it as NewJob(...).Plan
// would, without keeping its trace: segments stream through a reused
// buffer (only the memory table, one entry per touched word, is kept), so
// memory stays bounded for any guest, and ctx is checked after every
// segment. The coordinator plans with it; only provers need a Job.
func PlanJob(ctx context.Context, spec JobSpec, shape keys.Shape, keySet string) (*Plan, error) {
	return planJob(ctx, spec, shape, keySet, emu.LoadELF)
}

func planJob(ctx context.Context, spec JobSpec, shape keys.Shape, keySet string, load func([]byte) (*emu.Program, error)) (*Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := load(spec.ELF)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
	}
	segments := 0
	cfg := emu.Config{MaxCycles: spec.MaxCycles, SegmentSize: shape.CPUSteps, MulDivBudget: cpu.DefaultMulDivRows(shape.CPUSteps)}
	res, mem, err := emu.TraceFunc(p, spec.Input, cfg, func(*emu.Segment) error {
		segments++
		return ctx.Err()
	})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
			return nil, cerr
		}
		if errors.Is(err, emu.ErrELF) {
			return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
		}
		if errors.Is(err, emu.ErrConfig) {
			return nil, fmt.Errorf("%w: %w", ErrLimit, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrExecution, err)
	}
	leaves := segments + memtable.NumChunks(mem, shape.MemRows) + tape.NumChunks(len(spec.Input), shape.TapeBytes) +
		tape.NumChunks(len(res.Output), shape.TapeBytes)
	pl := &Plan{
		Kind:       engine.KindRISCV,
		Contribute: true,
		ProgramID:  claim.Bytes32(p.ID()),
		InputHash:  claim.Bytes32(claim.TapeHash(spec.Input)),
		OutputHash: claim.Bytes32(claim.TapeHash(res.Output)),
		ExitCode:   res.ExitCode,
		Cycles:     res.Cycles,
		Output:     append([]byte(nil), res.Output...),
		Leaves:     leaves,
		KeySet:     keySet,
	}
	pl.Summary = engine.RISCVSummary(pl)
	return pl, nil
}

// Commitments recomputes every leaf's phase-1 commitment of spec, in leaf
// order, streaming the trace like PlanJob (bounded memory, ctx checked
// after every segment). The coordinator checks workers' contributions
// against them.
func Commitments(ctx context.Context, spec JobSpec, shape keys.Shape) ([][]byte, error) {
	return commitments(ctx, spec, shape, emu.LoadELF)
}

func commitments(ctx context.Context, spec JobSpec, shape keys.Shape, load func([]byte) (*emu.Program, error)) ([][]byte, error) {
	p, err := load(spec.ELF)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProgram, err)
	}
	var out [][]byte
	add := func(e fr.Element) {
		b := claim.Bytes32(e)
		out = append(out, b[:])
	}
	cfg := emu.Config{MaxCycles: spec.MaxCycles, SegmentSize: shape.CPUSteps, MulDivBudget: cpu.DefaultMulDivRows(shape.CPUSteps)}
	res, mem, err := emu.TraceFunc(p, spec.Input, cfg, func(seg *emu.Segment) error {
		c, err := cpu.Commit(seg, shape.CPUSteps)
		if err != nil {
			return err
		}
		add(c)
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrExecution, err)
	}
	for i := range memtable.NumChunks(mem, shape.MemRows) {
		c, err := memtable.Commit(mem, shape.MemRows, i)
		if err != nil {
			return nil, fmt.Errorf("%w: memory chunk %d: %w", ErrExecution, i, err)
		}
		add(c)
	}
	for i := range tape.NumChunks(len(spec.Input), shape.TapeBytes) {
		c, err := tape.Commit(tape.Input, spec.Input, res.InputConsumed, shape.TapeBytes, i)
		if err != nil {
			return nil, fmt.Errorf("%w: input chunk %d: %w", ErrExecution, i, err)
		}
		add(c)
	}
	for i := range tape.NumChunks(len(res.Output), shape.TapeBytes) {
		c, err := tape.Commit(tape.Output, res.Output, uint32(len(res.Output)), shape.TapeBytes, i)
		if err != nil {
			return nil, fmt.Errorf("%w: output chunk %d: %w", ErrExecution, i, err)
		}
		add(c)
	}
	return out, nil
}
