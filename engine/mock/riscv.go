package mock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// Shape is the leaf layout of the mock RISC-V planner, in the units of
// the real key shape (keys.Shape).
type Shape struct {
	CPUSteps, MemRows, TapeBytes int
}

// DefaultShape matches the development key set's shape, so a mock job has
// as many leaves as the real one would (up to the M-extension budget of
// CPU segments, which the mock planner does not apply).
var DefaultShape = Shape{CPUSteps: 256, MemRows: 256, TapeBytes: 248}

// RISCV returns the mock prover of RISC-V jobs: the guest runs in the
// emulator (streaming its trace segment by segment, honouring ctx), and
// the plan carries the real statement (program id, input and output
// hashes, exit code, cycles, output); only the proofs are placeholders.
func RISCV(shape Shape, delay time.Duration) *Backend {
	b := New(engine.KindRISCV, func(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
		return planRISCV(ctx, spec, shape)
	}, delay)
	b.validate = func(elf []byte) error {
		if _, err := emu.LoadELF(elf); err != nil {
			return fmt.Errorf("%w: %w", engine.ErrBadProgram, err)
		}
		return nil
	}
	return b
}

func planRISCV(ctx context.Context, spec engine.Spec, shape Shape) (*engine.Plan, error) {
	prog, err := emu.LoadELF(spec.ELF)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", engine.ErrBadProgram, err)
	}
	if spec.MaxCycles > emu.MaxCyclesLimit {
		return nil, fmt.Errorf("%w: max cycles %d above the emulator's limit %d", engine.ErrLimit, spec.MaxCycles, emu.MaxCyclesLimit)
	}
	segments := 0
	res, mem, err := emu.TraceFunc(prog, spec.Input, emu.Config{MaxCycles: spec.MaxCycles, SegmentSize: shape.CPUSteps},
		func(*emu.Segment) error {
			segments++
			return ctx.Err()
		})
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, emu.ErrConfig):
		return nil, fmt.Errorf("%w: %w", engine.ErrLimit, err)
	case errors.Is(err, emu.ErrELF):
		return nil, fmt.Errorf("%w: %w", engine.ErrBadProgram, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", engine.ErrExecution, err)
	}
	chunks := func(n, k int) int { return (n + k - 1) / k }
	leaves := segments + max(1, chunks(len(mem), shape.MemRows)) + chunks(len(spec.Input), shape.TapeBytes) +
		chunks(len(res.Output), shape.TapeBytes)
	p := &engine.Plan{
		Contribute: true,
		Leaves:     leaves,
		ProgramID:  claim.Bytes32(prog.ID()),
		InputHash:  claim.Bytes32(claim.TapeHash(spec.Input)),
		OutputHash: claim.Bytes32(claim.TapeHash(res.Output)),
		ExitCode:   res.ExitCode,
		Cycles:     res.Cycles,
		Output:     append([]byte(nil), res.Output...),
	}
	p.Summary = engine.RISCVSummary(p)
	return p, nil
}
