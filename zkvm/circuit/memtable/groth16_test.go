package memtable

import (
	"testing"

	"github.com/zkfleet/zkfleet/internal/circuittest"
	"github.com/zkfleet/zkfleet/internal/tier"
)

// TestGroth16 runs one real Groth16 prove/verify of a small chunk with the
// native recursion options the fold circuit needs, and checks the VK shape
// (one public input, one BSB22 commitment).
func TestGroth16(t *testing.T) {
	tier.RequireReal(t)
	const m = 8
	c, _, err := Assign(sampleEntries(), m, 0, sampleGlobals(), cpuEnd())
	if err != nil {
		t.Fatal(err)
	}
	circuittest.ProveLeaf(t, Placeholder(m), c)
}
