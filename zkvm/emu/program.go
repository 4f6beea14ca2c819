package emu

import (
	"sort"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// StackTop is the initial value of sp (x2). Every other register starts at
// 0. The guest SDK's startup code installs its own stack in .bss, so guests
// built with it never depend on this value; it exists so that hand-written
// programs have a usable stack in otherwise empty memory.
const StackTop uint32 = 0x7fff0000

// ImageWord is one word of the program image (see docs/ARCHITECTURE.md,
// "Statement"): Addr is word-aligned, Exec says the word belongs to an
// executable (PF_X) segment and may be fetched.
type ImageWord struct {
	Addr, Word uint32
	Exec       bool
}

// Program is a loaded guest: its entry point and image. It is immutable
// after construction and safe for concurrent use by any number of runs.
type Program struct {
	Entry uint32
	Image []ImageWord // strictly increasing Addr

	exec []execRange // executable image words, predecoded, sorted by lo

	hashOnce  sync.Once
	imageHash fr.Element
}

// execRange is a maximal run of consecutive executable image words. Fetches
// are served from here (the initial image), never from data memory, so a
// guest cannot modify its own code.
type execRange struct {
	lo    uint32 // address of words[0]
	words []uint32
	code  []inst // decode(words[i])
}

// newProgram finishes a program whose Image is sorted: it builds the
// predecoded executable ranges.
func newProgram(entry uint32, image []ImageWord) *Program {
	p := &Program{Entry: entry, Image: image}
	for i := 0; i < len(image); {
		if !image[i].Exec {
			i++
			continue
		}
		r := execRange{lo: image[i].Addr}
		j := i
		for j < len(image) && image[j].Exec && image[j].Addr == r.lo+4*uint32(j-i) {
			r.words = append(r.words, image[j].Word)
			r.code = append(r.code, decode(image[j].Word))
			j++
			if r.lo+4*uint32(j-i) == 0 { // wrapped past the top of memory
				break
			}
		}
		p.exec = append(p.exec, r)
		i = j
	}
	return p
}

// ProgramFromWords builds a program whose only image is words, executable,
// at base (word-aligned), with entry = base. It is meant for tests and tools
// that assemble code directly.
func ProgramFromWords(base uint32, words []uint32) *Program {
	base &^= 3
	image := make([]ImageWord, 0, len(words))
	for i, w := range words {
		addr := base + 4*uint32(i)
		if i > 0 && addr == 0 {
			break // do not wrap around the address space
		}
		image = append(image, ImageWord{Addr: addr, Word: w, Exec: true})
	}
	return newProgram(base, image)
}

// execIndex returns the executable range holding pc, or -1.
func (p *Program) execIndex(pc uint32) int {
	i := sort.Search(len(p.exec), func(i int) bool {
		r := &p.exec[i]
		return uint64(r.lo)+4*uint64(len(r.words)) > uint64(pc)
	})
	if i < len(p.exec) && pc >= p.exec[i].lo {
		return i
	}
	return -1
}

// ImageHash is the running claim.ImageStep hash over Image (computed once).
func (p *Program) ImageHash() fr.Element {
	p.hashOnce.Do(func() {
		var h fr.Element
		for _, w := range p.Image {
			h = claim.ImageStep(h, w.Addr, w.Word, w.Exec)
		}
		p.imageHash = h
	})
	return p.imageHash
}

// ID is the program id of the statement: claim.ProgramID(ImageHash, Entry).
func (p *Program) ID() fr.Element {
	return claim.ProgramID(p.ImageHash(), p.Entry)
}

// InitialState is the canonical state before the first step: pc = entry,
// sp = StackTop, everything else zero.
func InitialState(p *Program) State {
	var s State
	s.PC = p.Entry
	s.Regs[2] = StackTop
	return s
}
