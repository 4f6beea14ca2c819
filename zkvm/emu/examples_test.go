package emu_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

type exampleCase struct {
	name  string
	input []byte
}

func exampleCases() []exampleCase {
	le := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	long := bytes.Repeat([]byte("zkfleet proves RISC-V. "), 40)
	return []exampleCase{
		{"fib", nil}, {"fib", le(47)}, {"fib", le(1000)},
		{"sha256", nil}, {"sha256", []byte("abc")}, {"sha256", long},
		{"sort", nil}, {"sort", []byte("the quick brown fox")}, {"sort", long},
		{"memheavy", le(5000)},
	}
}

func loadExample(t testing.TB, name string) (*emu.Program, []byte) {
	t.Helper()
	elf, err := guest.Example(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := emu.LoadELF(elf)
	if err != nil {
		t.Fatal(err)
	}
	return p, elf
}

// TestExamplesAgainstQemu runs every example guest under qemu-riscv32 and
// the emulator: stdout and exit code must be identical.
func TestExamplesAgainstQemu(t *testing.T) {
	qemu, err := exec.LookPath("qemu-riscv32")
	if err != nil {
		t.Skip("qemu-riscv32 not installed")
	}
	dir := t.TempDir()
	for _, c := range exampleCases() {
		p, elf := loadExample(t, c.name)
		res, err := emu.Run(p, c.input, emu.Config{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		file := filepath.Join(dir, c.name+".elf")
		if err := os.WriteFile(file, elf, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(qemu, file)
		cmd.Stdin = bytes.NewReader(c.input)
		out, err := cmd.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, res.Output) || code != int(res.ExitCode&0xff) {
			t.Errorf("%s(%d bytes): emulator exit %d output %x; qemu exit %d output %x", c.name, len(c.input), res.ExitCode, res.Output, code, out)
		}
	}
}

// TestExamplesTrace checks Trace against Run on every example with the
// default segment size (the memheavy run spans many segments).
func TestExamplesTrace(t *testing.T) {
	for _, c := range exampleCases() {
		p, _ := loadExample(t, c.name)
		res, err := emu.Run(p, c.input, emu.Config{})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := emu.Trace(p, c.input, emu.Config{SegmentSize: 1024})
		if err != nil {
			t.Fatal(err)
		}
		if ex.Result.Cycles != res.Cycles || !bytes.Equal(ex.Result.Output, res.Output) || ex.Result.ExitCode != res.ExitCode {
			t.Fatalf("%s: Trace %+v != Run %+v", c.name, ex.Result, res)
		}
		var steps uint64
		for k, seg := range ex.Segments {
			if k > 0 && seg.Start != ex.Segments[k-1].End {
				t.Fatalf("%s: segment %d does not chain", c.name, k)
			}
			steps += uint64(len(seg.Steps))
		}
		if steps != res.Cycles {
			t.Fatalf("%s: %d traced steps, %d cycles", c.name, steps, res.Cycles)
		}
		var fetches uint64
		for _, e := range ex.Memory {
			fetches += e.FetchCount
		}
		if fetches != res.Cycles {
			t.Fatalf("%s: fetch counts sum to %d, want %d", c.name, fetches, res.Cycles)
		}
		if c.name == "memheavy" && len(ex.Segments) < 50 {
			t.Fatalf("memheavy spans only %d segments", len(ex.Segments))
		}
		last := len(ex.Segments) - 1
		seg, err := emu.TraceSegment(p, c.input, emu.Config{SegmentSize: 1024}, last)
		if err != nil || seg.End != ex.Segments[last].End || len(seg.Steps) != len(ex.Segments[last].Steps) {
			t.Fatalf("%s: TraceSegment(last) differs: %v", c.name, err)
		}
	}
}
