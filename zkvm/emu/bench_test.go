package emu_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// Benchmark inputs: memheavy with its default N (sieve to 200000) and
// sha256 over 64 KiB.
func benchCases() []exampleCase {
	return []exampleCase{
		{"memheavy", nil},
		{"sha256", bytes.Repeat([]byte{0xa5}, 64<<10)},
	}
}

// BenchmarkRun measures the fast path (no trace) in steps per second.
func BenchmarkRun(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			p, _ := loadExample(b, c.name)
			var cycles uint64
			for b.Loop() {
				res, err := emu.Run(p, c.input, emu.Config{})
				if err != nil {
					b.Fatal(err)
				}
				cycles += res.Cycles
			}
			b.ReportMetric(float64(cycles)/b.Elapsed().Seconds()/1e6, "Msteps/s")
		})
	}
}

// BenchmarkTrace measures full tracing (every segment of 1024 steps and the
// memory table) in steps per second.
func BenchmarkTrace(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			p, _ := loadExample(b, c.name)
			var cycles uint64
			for b.Loop() {
				ex, err := emu.Trace(p, c.input, emu.Config{SegmentSize: 1024})
				if err != nil {
					b.Fatal(err)
				}
				cycles += ex.Result.Cycles
			}
			b.ReportMetric(float64(cycles)/b.Elapsed().Seconds()/1e6, "Msteps/s")
		})
	}
}

// BenchmarkTraceFunc measures streaming tracing (segments of 1024 steps
// with a reused step buffer, and the memory table): the tracing cost
// without holding the whole trace in memory.
func BenchmarkTraceFunc(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			p, _ := loadExample(b, c.name)
			var cycles uint64
			for b.Loop() {
				res, _, err := emu.TraceFunc(p, c.input, emu.Config{SegmentSize: 1024}, func(*emu.Segment) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				cycles += res.Cycles
			}
			b.ReportMetric(float64(cycles)/b.Elapsed().Seconds()/1e6, "Msteps/s")
		})
	}
}

// BenchmarkQemu times qemu-riscv32 (process start included) on the same
// ELFs and inputs, reporting the emulator's step count per second of qemu
// wall time for comparison.
func BenchmarkQemu(b *testing.B) {
	qemu, err := exec.LookPath("qemu-riscv32")
	if err != nil {
		b.Skip("qemu-riscv32 not installed")
	}
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			p, elf := loadExample(b, c.name)
			res, err := emu.Run(p, c.input, emu.Config{})
			if err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(b.TempDir(), c.name+".elf")
			if err := os.WriteFile(file, elf, 0o755); err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			var runs int
			for b.Loop() {
				cmd := exec.Command(qemu, file)
				cmd.Stdin = bytes.NewReader(c.input)
				start := time.Now()
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				runs++
			}
			b.ReportMetric(float64(res.Cycles)*float64(runs)/total.Seconds()/1e6, "Msteps/s")
		})
	}
}
