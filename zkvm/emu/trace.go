package emu

// This file is the contract between the emulator and the circuits
// (zkvm/circuit): the emulator produces these values, the circuits
// constrain them. See docs/ARCHITECTURE.md "Proof system" for the design.
//
// Step semantics (also the definition of "cycles" in a statement):
//   - every instruction is one step;
//   - an ecall read(0, buf, len) that moves n = min(len, input left) > 0
//     bytes takes n steps, one per byte (the k-th step moves byte k; the last
//     one sets a0 = n and advances pc); with n = 0 it is one step;
//   - an ecall write(1, buf, len) with len > 0 takes len steps, one per byte,
//     likewise; write(2, …) (debug) and every other ecall take one step;
//   - exit/exit_group take one step and halt (pc advances by 4, as for every
//     other ecall); nothing runs after halt.
// Every step (IO byte steps included) fetches the instruction at PC.
// The timestamp of a step is its 1-based global step number; memory
// initialisation has timestamp 0.

// State is the machine state between two steps.
type State struct {
	PC        uint32
	Step      uint64     // steps executed so far
	Regs      [32]uint32 // Regs[0] is always 0
	InCursor  uint32     // input bytes consumed so far
	OutCursor uint32     // public output bytes written so far
	IOSub     uint32     // bytes already moved by the read/write ecall in progress
	Halted    bool
	ExitCode  uint32
}

// MemAccess is the single memory access a step may make, at word
// granularity. Byte and halfword loads read the whole word (New == Old);
// stores read the old word and write the merged one.
type MemAccess struct {
	Valid bool
	Addr  uint32 // word address (low two bits zero)
	Old   uint32 // value before the step
	New   uint32 // value after the step
	OldTS uint64 // timestamp of the previous access to Addr (0: initial image)
}

// Step is one row of a segment trace.
type Step struct {
	PC    uint32 // pc at the start of the step
	Instr uint32 // instruction word at PC (the ecall word for IO byte steps)
	Rs1   uint32 // value of x[rs1] read by the step (0 if unused)
	Rs2   uint32 // value of x[rs2] read by the step (0 if unused)
	Rd    uint32 // value written to x[rd] (0 if none; never written when rd = 0); on an ecall step, the new a0 on the step that writes it, else 0
	Mem   MemAccess
	// IO byte steps (read/write ecalls moving bytes): the byte moved and its
	// tape index (input cursor for read, output cursor for write to fd 1).
	IOByte  uint8
	IOIndex uint32
	IOKind  IOKind
}

// IOKind says whether a step moves a tape byte.
type IOKind uint8

const (
	IONone  IOKind = iota
	IORead         // one input byte copied to memory
	IOWrite        // one memory byte appended to the public output
)

// Segment is the witness of one CPU segment: Start, the steps, End. A
// segment ends after SegmentSize steps, at halt, or (with a MulDivBudget,
// see Config) early, before the M-extension step that would exceed the
// budget; circuits pad a short segment with no-op rows.
type Segment struct {
	Index      int
	Start, End State
	Steps      []Step
}

// MemEntry is one row of the memory table: one word address that is in the
// program image or was accessed during execution. Rows are sorted by address.
type MemEntry struct {
	Addr       uint32 // word address
	Init       uint32 // image word, or 0 if not in the image
	Final      uint32 // value at halt
	FinalTS    uint64 // timestamp of the last access (0 if never accessed)
	InImage    bool   // the word belongs to a loaded segment's file image
	Exec       bool   // the word belongs to an executable segment (fetchable)
	FetchCount uint64 // steps that fetched this word (0 unless Exec)
}
