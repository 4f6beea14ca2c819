package store

import (
	"errors"
	"testing"
)

func TestCheckpointRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Checkpoint("j1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing checkpoint: %v", err)
	}
	cp := &Checkpoint{Phase: 3, KeySet: "set", Challenge: []byte{1, 2}, Proofs: map[int][]byte{6: []byte("left"), 9: []byte("right")}}
	if err := s.PutCheckpoint("j1", cp); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Checkpoint("j1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Phase != 3 || got.KeySet != "set" || string(got.Challenge) != "\x01\x02" || len(got.Proofs) != 2 ||
		string(got.Proofs[6]) != "left" || string(got.Proofs[9]) != "right" {
		t.Fatalf("checkpoint after reopen: %+v", got)
	}
	if err := s.DeleteCheckpoint("j1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Checkpoint("j1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted checkpoint: %v", err)
	}
	if err := s.DeleteCheckpoint("j1"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}
