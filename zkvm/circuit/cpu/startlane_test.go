package cpu

import (
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestCommitmentBindsStartLane: the phase-1 commitment covers every element
// of the start CPU lane (pc, step, registers, cursors, ioSub, halted, exit
// code), so the bus argument does not rest on the chaining of claims alone.
// Commit is the in-circuit commitment (TestSolveRandomPrograms checks they
// agree).
func TestCommitmentBindsStartLane(t *testing.T) {
	f := newFixture(t)
	seg := &f.segs[1]
	base, err := Commit(seg, negN)
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(s *emu.State){
		"pc":        func(s *emu.State) { s.PC += 4 },
		"step":      func(s *emu.State) { s.Step++ },
		"register":  func(s *emu.State) { s.Regs[7]++ },
		"inCursor":  func(s *emu.State) { s.InCursor++ },
		"outCursor": func(s *emu.State) { s.OutCursor++ },
		"ioSub":     func(s *emu.State) { s.IOSub++ },
		"halted":    func(s *emu.State) { s.Halted = !s.Halted },
		"exitCode":  func(s *emu.State) { s.ExitCode++ },
	} {
		t.Run(name, func(t *testing.T) {
			s := cloneSeg(seg)
			change(&s.Start)
			c, err := Commit(s, negN)
			if err != nil {
				t.Fatal(err)
			}
			if c.Equal(&base) {
				t.Fatalf("the commitment does not bind the start lane's %s", name)
			}
		})
	}
}
