package emu

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os/exec"
	"testing"
)

// runQemu runs elf under qemu-riscv32 (skipping the test if it is not
// installed) and returns stdout and the exit code.
func runQemu(t testing.TB, elf, input []byte) ([]byte, int) {
	t.Helper()
	path, err := exec.LookPath("qemu-riscv32")
	if err != nil {
		t.Skip("qemu-riscv32 not installed")
	}
	file := t.TempDir() + "/guest.elf"
	if err := writeFile(file, elf); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, file)
	cmd.Stdin = bytes.NewReader(input)
	var out bytes.Buffer
	cmd.Stdout = &out
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.Bytes(), 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return out.Bytes(), ee.ExitCode()
	}
	t.Fatalf("qemu: %v", err)
	return nil, 0
}

// TestQemuRandomPrograms runs random RV32IM programs under the emulator
// and qemu-riscv32 and compares output (data region + register dump) and
// exit code.
func TestQemuRandomPrograms(t *testing.T) {
	if _, err := exec.LookPath("qemu-riscv32"); err != nil {
		t.Skip("qemu-riscv32 not installed")
	}
	seeds := 200
	if testing.Short() {
		seeds = 20
	}
	for seed := range uint64(seeds) {
		elf, input := genProgramInput(seed, 300)
		p, err := LoadELF(elf)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(p, input, Config{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		out, code := runQemu(t, elf, input)
		if !bytes.Equal(out, res.Output) || code != int(res.ExitCode&0xff) {
			t.Fatalf("seed %d: emulator exit %d output %x\nqemu exit %d output %x", seed, res.ExitCode, res.Output, code, out)
		}
		// x7 holds write(77, …)'s result, x10 read(77, …)'s: -EBADF.
		if x7 := binary.LittleEndian.Uint32(res.Output[256+4*6:]); x7 != errBadFD {
			t.Fatalf("seed %d: bad-fd write returned 0x%x", seed, x7)
		}
		if seed < 5 {
			checkTrace(t, p, input, 64)
		}
	}
}
