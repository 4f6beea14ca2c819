package emu

import (
	"fmt"
	"math"
)

const (
	// DefaultMaxCycles is the cycle (step) limit when Config.MaxCycles is 0.
	DefaultMaxCycles uint64 = 1 << 32
	// MaxCyclesLimit is the largest accepted limit: step timestamps must fit
	// in 40 bits in the circuits.
	MaxCyclesLimit uint64 = 1<<40 - 1
)

// Config bounds and shapes an execution.
type Config struct {
	MaxCycles   uint64 // 0 means DefaultMaxCycles; at most MaxCyclesLimit
	SegmentSize int    // steps per segment; must be > 0 for Trace and TraceSegment

	// MulDivBudget is the number of M-extension steps (MUL … REMU) a
	// segment may hold, 0 for no limit: the CPU circuit proves them in a
	// fixed number of unit rows per segment (cpu.DefaultMulDivRows), so a
	// segment ends early, before the step that would exceed the budget.
	// It changes where segments end, never what the execution does.
	MulDivBudget int
}

// Result is what an execution produced.
type Result struct {
	ExitCode      uint32
	Cycles        uint64 // steps executed, the exit step included
	Output        []byte // public output (fd 1)
	Debug         []byte // debug log (fd 2), at most 16 MiB kept
	InputConsumed uint32 // input bytes read by the guest
}

// Execution is a fully traced execution: every segment and the memory table.
type Execution struct {
	Result   Result
	Segments []Segment
	Memory   []MemEntry
}

func (c Config) maxCycles() (uint64, error) {
	switch {
	case c.MaxCycles == 0:
		return DefaultMaxCycles, nil
	case c.MaxCycles > MaxCyclesLimit:
		return 0, fmt.Errorf("%w: cycle limit %d above the maximum %d", ErrConfig, c.MaxCycles, MaxCyclesLimit)
	}
	return c.MaxCycles, nil
}

func checkInput(input []byte) error {
	if uint64(len(input)) >= math.MaxUint32 {
		return fmt.Errorf("%w: input of %d bytes is too long", ErrConfig, len(input))
	}
	return nil
}

func (c Config) segmentSize() (uint64, error) {
	if c.SegmentSize <= 0 {
		return 0, fmt.Errorf("%w: segment size %d must be positive", ErrConfig, c.SegmentSize)
	}
	if c.MulDivBudget < 0 {
		return 0, fmt.Errorf("%w: mul/div budget %d must not be negative", ErrConfig, c.MulDivBudget)
	}
	return uint64(c.SegmentSize), nil
}

func (m *machine) result() Result {
	return Result{
		ExitCode: m.exitCode, Cycles: m.step, Output: m.output, Debug: m.debug,
		InputConsumed: m.inCursor,
	}
}

// cycleLimitErr is the error for a machine that ran limit steps without
// halting.
func (m *machine) cycleLimitErr(limit uint64) error {
	return execErr(m.pc, "cycle limit %d reached", limit)
}

// Run executes p on input without tracing (the fast path).
func Run(p *Program, input []byte, cfg Config) (*Result, error) {
	limit, err := cfg.maxCycles()
	if err != nil {
		return nil, err
	}
	if err := checkInput(input); err != nil {
		return nil, err
	}
	m := newMachine(p, input, false)
	if err := m.exec(limit, nil, 0); err != nil {
		return nil, err
	}
	if !m.halted {
		return nil, m.cycleLimitErr(limit)
	}
	res := m.result()
	return &res, nil
}

// NumSegments is the number of segments of an execution of cycles steps
// without a MulDivBudget (with one, segments may end early: RunSegments
// counts them).
func NumSegments(cycles uint64, segmentSize int) int {
	if segmentSize <= 0 {
		return 0
	}
	s := uint64(segmentSize)
	return int((cycles + s - 1) / s)
}

// RunSegments is Run that also returns the number of segments Trace would
// cut with cfg (SegmentSize and MulDivBudget), without recording them.
func RunSegments(p *Program, input []byte, cfg Config) (*Result, int, error) {
	limit, err := cfg.maxCycles()
	if err != nil {
		return nil, 0, err
	}
	size, err := cfg.segmentSize()
	if err != nil {
		return nil, 0, err
	}
	if err := checkInput(input); err != nil {
		return nil, 0, err
	}
	m := newMachine(p, input, false)
	n := 0
	for ; !m.halted; n++ {
		if err := m.runSegment(size, uint64(cfg.MulDivBudget), limit, nil); err != nil {
			return nil, 0, err
		}
	}
	res := m.result()
	return &res, n, nil
}

// runSegment runs one segment from the machine's current state (which must
// be at the segment's first step): up to size steps, ending at halt or
// before the M-extension step that would exceed budget (0: no budget).
// With rec non-nil it records the steps into rec, which must be zeroed and
// hold size steps (or up to the limit).
func (m *machine) runSegment(size, budget, limit uint64, rec []Step) error {
	end := min(m.step+size, limit)
	m.mdBudget, m.mdLeft = budget, budget
	defer func() { m.mdBudget = 0 }()
	if err := m.exec(end, rec, m.step); err != nil {
		return err
	}
	if !m.halted && m.step == limit {
		return m.cycleLimitErr(limit)
	}
	return nil
}

// recordSegment runs and records segment index, starting at the machine's
// current state (which must be at the segment's first step), into buf
// (reused if it has capacity for size steps).
func (m *machine) recordSegment(index int, size, budget, limit uint64, buf []Step) (*Segment, error) {
	seg := &Segment{Index: index, Start: m.state()}
	n := min(m.step+size, limit) - m.step
	if uint64(cap(buf)) >= n {
		buf = buf[:n]
		clear(buf)
	} else {
		buf = make([]Step, n)
	}
	base := m.step
	if err := m.runSegment(size, budget, limit, buf); err != nil {
		return nil, err
	}
	seg.Steps = buf[:m.step-base]
	seg.End = m.state()
	return seg, nil
}

// Trace executes p on input and records every segment and the memory
// table. Its Result is identical to Run's. It holds every step in memory
// (64 bytes each); TraceFunc streams segments instead.
func Trace(p *Program, input []byte, cfg Config) (*Execution, error) {
	ex := &Execution{}
	res, mem, err := traceFunc(p, input, cfg, false, func(seg *Segment) error {
		ex.Segments = append(ex.Segments, *seg)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ex.Result, ex.Memory = *res, mem
	return ex, nil
}

// TraceFunc executes p on input and calls fn with each segment in order.
// The segment and its Steps are only valid during the call: the step
// buffer is reused for the next segment. It returns the result and the
// memory table; an error from fn stops the execution and is returned.
func TraceFunc(p *Program, input []byte, cfg Config, fn func(*Segment) error) (*Result, []MemEntry, error) {
	return traceFunc(p, input, cfg, true, fn)
}

func traceFunc(p *Program, input []byte, cfg Config, reuse bool, fn func(*Segment) error) (*Result, []MemEntry, error) {
	limit, err := cfg.maxCycles()
	if err != nil {
		return nil, nil, err
	}
	size, err := cfg.segmentSize()
	if err != nil {
		return nil, nil, err
	}
	if err := checkInput(input); err != nil {
		return nil, nil, err
	}
	m := newMachine(p, input, true)
	var buf []Step
	for index := 0; !m.halted; index++ {
		seg, err := m.recordSegment(index, size, uint64(cfg.MulDivBudget), limit, buf)
		if err != nil {
			return nil, nil, err
		}
		if reuse {
			buf = seg.Steps[:0]
		}
		if err := fn(seg); err != nil {
			return nil, nil, err
		}
	}
	res := m.result()
	return &res, m.memoryTable(), nil
}

// TraceSegment regenerates segment index of the execution of p on input,
// identical to Trace's Segments[index], without recording the others (the
// steps before it still run, with timestamp tracking, so that OldTS values
// are right; with a MulDivBudget they run segment by segment, because
// segments may end early). It does not run past the segment, so a fault
// after it is not reported.
func TraceSegment(p *Program, input []byte, cfg Config, index int) (*Segment, error) {
	limit, err := cfg.maxCycles()
	if err != nil {
		return nil, err
	}
	size, err := cfg.segmentSize()
	if err != nil {
		return nil, err
	}
	if err := checkInput(input); err != nil {
		return nil, err
	}
	if index < 0 {
		return nil, fmt.Errorf("%w: negative segment index %d", ErrConfig, index)
	}
	start := uint64(index) * size
	if start/size != uint64(index) || start >= limit {
		return nil, fmt.Errorf("%w: segment %d starts beyond the cycle limit", ErrConfig, index)
	}
	budget := uint64(cfg.MulDivBudget)
	m := newMachine(p, input, true)
	if budget == 0 {
		if err := m.exec(start, nil, 0); err != nil {
			return nil, err
		}
	} else {
		for k := 0; k < index && !m.halted; k++ {
			if err := m.runSegment(size, budget, limit, nil); err != nil {
				return nil, err
			}
		}
	}
	if m.halted {
		return nil, fmt.Errorf("%w: segment %d out of range: the guest halted after %d steps", ErrConfig, index, m.step)
	}
	return m.recordSegment(index, size, budget, limit, nil)
}

// memoryTable lists every image word and every accessed word, by address.
func (m *machine) memoryTable() []MemEntry {
	img := m.prog.Image
	next := 0 // next image word not yet emitted
	var out []MemEntry
	m.mem.forEachPage(func(base uint32, pg *page) {
		for wi := range pageWords {
			addr := base + uint32(wi)*4
			inImage := next < len(img) && img[next].Addr == addr
			if !inImage && pg.ts[wi] == 0 {
				continue
			}
			e := MemEntry{Addr: addr, Final: pg.w[wi], FinalTS: pg.ts[wi]}
			if inImage {
				e.Init, e.InImage, e.Exec = img[next].Word, true, img[next].Exec
				next++
				if e.Exec {
					i := m.prog.execIndex(addr)
					e.FetchCount = m.fetchCounts[i][(addr-m.prog.exec[i].lo)/4]
				}
			}
			out = append(out, e)
		}
	})
	if next != len(img) {
		// Pages are visited in address order and every image word was
		// loaded into a page, so this cannot happen.
		panic("emu: memory table misses image words")
	}
	return out
}
