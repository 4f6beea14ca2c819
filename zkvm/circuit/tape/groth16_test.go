package tape

import (
	"testing"

	"github.com/zkfleet/zkfleet/internal/circuittest"
	"github.com/zkfleet/zkfleet/internal/tier"
)

// TestGroth16 runs one real Groth16 prove/verify of a small chunk of each
// direction with the native recursion options the fold circuit needs, and checks the VK shape
// (one public input, one BSB22 commitment).
func TestGroth16(t *testing.T) {
	tier.RequireReal(t)
	for _, dir := range []Dir{Input, Output} {
		t.Run(dir.String(), func(t *testing.T) { proveVerify(t, dir) })
	}
}

func proveVerify(t *testing.T, dir Dir) {
	const k = 31
	c, _, err := Assign(dir, sampleData(40), 40, k, 1, globals(40), leafStart(40))
	if err != nil {
		t.Fatal(err)
	}
	circuittest.ProveLeaf(t, Placeholder(dir, k), c)
}
