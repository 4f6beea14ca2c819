// Package emu is the zkVM's RISC-V emulator: it loads an RV32IM ELF
// (LoadELF), runs it on an input with the guest ABI's syscalls (read from
// the input tape, write to the public output and the debug log, exit),
// and records what the circuits prove: the execution cut into segments of
// steps (Trace, TraceFunc, TraceSegment) and the memory table. Run is the
// fast path without tracing. The step semantics that define "cycles" are
// stated in trace.go.
package emu
