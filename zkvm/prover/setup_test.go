package prover

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
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
			ccs, err := Compile(kind, shape)
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

// A shape no job could use is refused before any circuit is compiled (a
// setup is minutes of work).
func TestSetupRefusesBadShape(t *testing.T) {
	store, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range []keys.Shape{
		{CPUSteps: 256, MemRows: 256, TapeBytes: 1024},
		{CPUSteps: 0, MemRows: 256, TapeBytes: 248},
		{CPUSteps: 256, MemRows: -1, TapeBytes: 248},
		{CPUSteps: 256, MemRows: 256, TapeBytes: 0},
		{CPUSteps: 256, MemRows: 256, TapeBytes: 248, ChunkDepth: 0, ChunkSlots: 16},
		{CPUSteps: 256, MemRows: 256, TapeBytes: 248, ChunkDepth: 32, ChunkSlots: -1},
	} {
		if _, err := Setup(context.Background(), store, sh, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
			t.Errorf("shape %+v accepted", sh)
		}
	}
	// Nothing was compiled: a compiled circuit is stored before its keys.
	blobs, _ := filepath.Glob(filepath.Join(store.Dir(), "blobs", "*", "*"))
	if len(blobs) != 0 {
		t.Errorf("refused setups stored %d blobs", len(blobs))
	}
	if err := CheckShape(DefaultShape); err != nil {
		t.Errorf("default shape refused: %v", err)
	}
	if err := CheckShape(keys.Shape{CPUSteps: 8192, MemRows: 1024, TapeBytes: 992, ChunkDepth: 32, ChunkSlots: 16}); err != nil {
		t.Errorf("992-byte tapes refused: %v", err)
	}
}
