package prover

import (
	"errors"
	"testing"
)

func TestParsePartialRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {1}, {2, 0}, make([]byte, 2+32*40)} {
		if _, err := ParsePartial(b); !errors.Is(err, ErrBadProof) {
			t.Fatalf("%d bytes accepted: %v", len(b), err)
		}
	}
}
