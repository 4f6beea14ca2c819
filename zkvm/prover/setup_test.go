package prover

import (
	"bytes"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// Setup reuses keys by the hash of the serialized constraint system, which
// is only sound as a cache key if compiling is deterministic.
func TestCompileIsDeterministic(t *testing.T) {
	shape := keys.Shape{CPUSteps: 4, MemRows: 4, TapeBytes: 31}
	for _, kind := range []string{"cpu", "memory", "input", "output"} {
		var enc [2][]byte
		for i := range enc {
			ccs, err := Compile(kind, shape, nil)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if _, err := ccs.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			enc[i] = b.Bytes()
		}
		if !bytes.Equal(enc[0], enc[1]) {
			t.Errorf("%s: two compiles serialize differently", kind)
		}
	}
}
