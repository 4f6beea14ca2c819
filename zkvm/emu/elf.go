package emu

import (
	"encoding/binary"
	"fmt"
	"sort"
)

const (
	elfHeaderSize = 52
	phdrSize      = 32
	etExec        = 2
	emRISCV       = 243
	efRISCVRVC    = 0x1
	ptLoad        = 1
	pfX           = 0x1
)

func elfErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrELF, fmt.Sprintf(format, args...))
}

// LoadELF loads a statically linked ELF32 little-endian RISC-V executable.
// Every PT_LOAD segment contributes the words overlapping
// [p_vaddr, p_vaddr+p_filesz) to the image (bytes outside the file data are
// zero); words of PF_X segments are executable. Every error wraps ErrELF.
func LoadELF(data []byte) (*Program, error) {
	if len(data) < 4 || string(data[:4]) != "\x7fELF" {
		return nil, elfErr("not an ELF file")
	}
	if len(data) < 6 {
		return nil, elfErr("truncated file (%d bytes)", len(data))
	}
	switch data[4] {
	case 1:
	case 2:
		return nil, elfErr("ELF64 is not supported (want ELF32)")
	default:
		return nil, elfErr("unknown ELF class %d", data[4])
	}
	switch data[5] {
	case 1:
	case 2:
		return nil, elfErr("big-endian ELF is not supported")
	default:
		return nil, elfErr("unknown ELF data encoding %d", data[5])
	}
	if len(data) < elfHeaderSize {
		return nil, elfErr("truncated file (%d bytes, header needs %d)", len(data), elfHeaderSize)
	}
	le := binary.LittleEndian
	if t := le.Uint16(data[16:]); t != etExec {
		return nil, elfErr("not an executable (e_type %d, want ET_EXEC)", t)
	}
	if mach := le.Uint16(data[18:]); mach != emRISCV {
		return nil, elfErr("wrong machine %d (want EM_RISCV)", mach)
	}
	entry := le.Uint32(data[24:])
	phoff := uint64(le.Uint32(data[28:]))
	flags := le.Uint32(data[36:])
	phentsize := uint64(le.Uint16(data[42:]))
	phnum := uint64(le.Uint16(data[44:]))
	if flags&efRISCVRVC != 0 {
		return nil, elfErr("compressed instructions (EF_RISCV_RVC) are not supported")
	}
	if phnum > 0 && phentsize < phdrSize {
		return nil, elfErr("program header entry size %d too small", phentsize)
	}
	if phoff+phnum*phentsize > uint64(len(data)) {
		return nil, elfErr("truncated file: program headers end at %d, file has %d bytes", phoff+phnum*phentsize, len(data))
	}
	type span struct{ lo, hi uint64 } // word-aligned [lo, hi) of a segment's memory
	var spans []span
	var image []ImageWord
	loads := 0
	for i := uint64(0); i < phnum; i++ {
		ph := data[phoff+i*phentsize:]
		if le.Uint32(ph) != ptLoad {
			continue
		}
		loads++
		off := uint64(le.Uint32(ph[4:]))
		vaddr := uint64(le.Uint32(ph[8:]))
		filesz := uint64(le.Uint32(ph[16:]))
		memsz := uint64(le.Uint32(ph[20:]))
		exec := le.Uint32(ph[24:])&pfX != 0
		if filesz > memsz {
			return nil, elfErr("segment %d: file size %d exceeds memory size %d", i, filesz, memsz)
		}
		if vaddr+memsz > 1<<32 {
			return nil, elfErr("segment %d: [0x%x, 0x%x) extends beyond the 4 GiB address space", i, vaddr, vaddr+memsz)
		}
		if off+filesz > uint64(len(data)) {
			return nil, elfErr("truncated file: segment %d data ends at %d, file has %d bytes", i, off+filesz, len(data))
		}
		if memsz == 0 {
			continue
		}
		spans = append(spans, span{vaddr &^ 3, (vaddr + memsz + 3) &^ 3})
		bytes := data[off : off+filesz]
		for a := vaddr &^ 3; a < vaddr+filesz; a += 4 {
			var w uint32
			for k := uint64(0); k < 4; k++ {
				if b := a + k; b >= vaddr && b < vaddr+filesz {
					w |= uint32(bytes[b-vaddr]) << (8 * k)
				}
			}
			image = append(image, ImageWord{Addr: uint32(a), Word: w, Exec: exec})
		}
	}
	if loads == 0 {
		return nil, elfErr("no loadable (PT_LOAD) segment")
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	for i := 1; i < len(spans); i++ {
		if spans[i].lo < spans[i-1].hi {
			return nil, elfErr("segments overlap at 0x%x", spans[i].lo)
		}
	}
	sort.Slice(image, func(i, j int) bool { return image[i].Addr < image[j].Addr })
	p := newProgram(entry, image)
	if entry&3 != 0 || p.execIndex(entry) < 0 {
		return nil, elfErr("entry point 0x%08x is outside executable memory", entry)
	}
	return p, nil
}
