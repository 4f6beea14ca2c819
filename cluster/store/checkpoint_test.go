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

// TestPartialsMergeIntoCheckpoint: proofs stored as they land come back
// with the checkpoint, are kept while the challenge stays, and go with a
// new challenge, a deleted checkpoint or a prune — and never mix jobs.
func TestPartialsMergeIntoCheckpoint(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	prove := &Checkpoint{Phase: 2, Challenge: []byte{7}}
	for _, id := range []string{"j1", "j10"} {
		if err := s.PutCheckpoint(id, prove); err != nil {
			t.Fatal(err)
		}
	}
	for node, p := range map[int]string{0: "l0", 3: "l3", 12: "f12"} {
		if err := s.PutPartial("j1", node, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutPartial("j10", 5, []byte("other job")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPartial("j1", -1, nil); err == nil {
		t.Fatal("negative node accepted")
	}
	proofs := func(id string) map[int][]byte {
		t.Helper()
		cp, err := s.Checkpoint(id)
		if err != nil {
			t.Fatal(err)
		}
		return cp.Proofs
	}
	if p := proofs("j1"); len(p) != 3 || string(p[0]) != "l0" || string(p[3]) != "l3" || string(p[12]) != "f12" {
		t.Fatalf("j1 proofs %v", p)
	}
	if p := proofs("j10"); len(p) != 1 || string(p[5]) != "other job" {
		t.Fatalf("j10 proofs %v", p)
	}
	// Same challenge, next phase: partials stay.
	if err := s.PutCheckpoint("j1", &Checkpoint{Phase: 3, Challenge: []byte{7}}); err != nil {
		t.Fatal(err)
	}
	if p := proofs("j1"); len(p) != 3 {
		t.Fatalf("partials lost at a phase change: %v", p)
	}
	// A new challenge: the job proves again from nothing.
	if err := s.PutCheckpoint("j1", &Checkpoint{Phase: 2, Challenge: []byte{8}}); err != nil {
		t.Fatal(err)
	}
	if p := proofs("j1"); len(p) != 0 {
		t.Fatalf("partials of an old challenge kept: %v", p)
	}
	if err := s.Prune("j10"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Checkpoint("j10"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pruned job's checkpoint: %v", err)
	}
}
