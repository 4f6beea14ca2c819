package backend

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseFile: the batch proof parser takes untrusted bytes. It never
// panics, refuses anything but exactly FileSize bytes, and whatever it
// accepts re-encodes to the same bytes (no ignored bit).
func FuzzParseFile(f *testing.F) {
	f.Add([]byte(Magic))
	f.Add(append([]byte(Magic), make([]byte, FileSize-len(Magic))...))
	valid := append([]byte(Magic), 0, FileVersion)
	f.Add(append(valid, bytes.Repeat([]byte{0xff}, FileSize-len(valid))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseFile(data)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error outside ErrFormat: %v", err)
			}
			return
		}
		if len(data) != FileSize {
			t.Fatalf("accepted %d bytes", len(data))
		}
		again, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("accepted file does not re-encode to its bytes")
		}
	})
}

func TestParseFileRefusesWrongSizes(t *testing.T) {
	for _, n := range []int{0, len(Magic), FileSize - 1, FileSize + 1} {
		data := append([]byte(Magic), make([]byte, max(0, n-len(Magic)))...)[:max(n, 0)]
		if _, err := ParseFile(data); !errors.Is(err, ErrFormat) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
}

// The layout table of docs/PROOF_FORMAT.md ("Batch proof file").
func TestFileLayoutMatchesTheDocs(t *testing.T) {
	if FileSize != 1543 || len(Magic) != 15 {
		t.Fatalf("file size %d, magic %d bytes: update docs/PROOF_FORMAT.md", FileSize, len(Magic))
	}
}
