package emu

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func goodELF() []byte {
	code := wordsLE(exitSeq(5))
	return writeELF(0x10000, []elfSeg{
		{vaddr: 0x10000, data: code, flags: 5},
		{vaddr: 0x20002, data: []byte{1, 2, 3}, memsz: 64, flags: 6},
	})
}

func TestLoadELF(t *testing.T) {
	p, err := LoadELF(goodELF())
	if err != nil {
		t.Fatal(err)
	}
	// data segment at 0x20002 with 3 bytes -> words 0x20000 and 0x20004
	n := len(p.Image)
	if n != len(exitSeq(5))+2 {
		t.Fatalf("%d image words", n)
	}
	if w := p.Image[n-2]; w.Addr != 0x20000 || w.Word != 0x02010000 || w.Exec {
		t.Fatalf("data word %+v", w)
	}
	if w := p.Image[n-1]; w.Addr != 0x20004 || w.Word != 0x03 {
		t.Fatalf("data word %+v", w)
	}
	res, err := Run(p, nil, Config{})
	if err != nil || res.ExitCode != 5 {
		t.Fatal(res, err)
	}
}

func TestLoadELFErrors(t *testing.T) {
	le := binary.LittleEndian
	mod := func(f func(b []byte) []byte) []byte { return f(goodELF()) }
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not an ELF"},
		{"text", []byte("#!/bin/sh\necho hi\n"), "not an ELF"},
		{"elf64", mod(func(b []byte) []byte { b[4] = 2; return b }), "ELF64"},
		{"big-endian", mod(func(b []byte) []byte { b[5] = 2; return b }), "big-endian"},
		{"short header", goodELF()[:40], "truncated"},
		{"machine", mod(func(b []byte) []byte { le.PutUint16(b[18:], 62); return b }), "wrong machine 62"},
		{"rvc", mod(func(b []byte) []byte { le.PutUint32(b[36:], 1); return b }), "EF_RISCV_RVC"},
		{"type", mod(func(b []byte) []byte { le.PutUint16(b[16:], 3); return b }), "not an executable"},
		{"no load", mod(func(b []byte) []byte {
			le.PutUint32(b[52:], 4)
			le.PutUint32(b[84:], 4)
			return b
		}), "no loadable"},
		{"overlap", writeELF(0x10000, []elfSeg{
			{vaddr: 0x10000, data: wordsLE(exitSeq(0)), flags: 5},
			{vaddr: 0x10004, data: []byte{1}, flags: 6},
		}), "overlap"},
		{"entry data", mod(func(b []byte) []byte { le.PutUint32(b[24:], 0x20000); return b }), "entry point"},
		{"entry misaligned", mod(func(b []byte) []byte { le.PutUint32(b[24:], 0x10002); return b }), "entry point"},
		{"beyond 4GiB", mod(func(b []byte) []byte {
			le.PutUint32(b[84+8:], 0xfffffff0)
			return b
		}), "beyond the 4 GiB"},
		{"truncated data", goodELF()[:0x1004], "truncated"},
		{"truncated phdrs", goodELF()[:60], "truncated"},
	}
	for _, c := range cases {
		_, err := LoadELF(c.data)
		if !errors.Is(err, ErrELF) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzLoadELF(f *testing.F) {
	f.Add(goodELF())
	f.Add([]byte("\x7fELF\x01\x01\x01"))
	f.Add(goodELF()[:100])
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadELF(data)
		if err != nil {
			if !errors.Is(err, ErrELF) {
				t.Fatalf("error does not wrap ErrELF: %v", err)
			}
			return
		}
		for i := 1; i < len(p.Image); i++ {
			if p.Image[i].Addr <= p.Image[i-1].Addr {
				t.Fatal("image not strictly sorted")
			}
		}
		// A loaded program must run without panicking (faults are fine).
		_, _ = Run(p, []byte("in"), Config{MaxCycles: 1000})
	})
}
