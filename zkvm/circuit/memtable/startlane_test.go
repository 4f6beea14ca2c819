package memtable

import (
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestCommitmentBindsStartLane: a chunk's phase-1 commitment covers its
// start memory lane (the address bound and the image hash so far), so a
// change in an earlier chunk that moves either changes this chunk's
// commitment too, not only the chaining of claims.
func TestCommitmentBindsStartLane(t *testing.T) {
	base, err := Commit(sampleEntries(), testM, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(e []emu.MemEntry){
		"image hash":    func(e []emu.MemEntry) { e[0].Init++ },
		"address bound": func(e []emu.MemEntry) { e[3].Addr = 0x2ff0 },
	} {
		t.Run(name, func(t *testing.T) {
			e := sampleEntries()
			change(e)
			c, err := Commit(e, testM, 1)
			if err != nil {
				t.Fatal(err)
			}
			if c.Equal(&base) {
				t.Fatalf("chunk 1's commitment does not bind its start lane's %s", name)
			}
		})
	}
}
