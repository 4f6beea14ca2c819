package store

import (
	"errors"
	"testing"
	"time"
)

func TestStoreReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if existed, err := s.PutProgram("p1", []byte("elf")); err != nil || existed {
		t.Fatalf("put program: %v %v", existed, err)
	}
	if existed, err := s.PutProgram("p1", []byte("elf")); err != nil || !existed {
		t.Fatalf("put program again: %v %v", existed, err)
	}
	now := time.Unix(1700000000, 0).UTC()
	j := &Job{ID: "j1", ProgramID: "p1", Input: []byte("in"), State: 3, Created: now, Attempt: 2,
		Events: []Event{{Kind: "completed", Time: now}}}
	if err := s.PutJob(j); err != nil {
		t.Fatal(err)
	}
	if err := s.PutProof("j1", []byte("proof")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if elf, err := s.Program("p1"); err != nil || string(elf) != "elf" {
		t.Fatalf("program: %q %v", elf, err)
	}
	jobs, bad, err := s.Jobs()
	if err != nil || len(bad) != 0 || len(jobs) != 1 || jobs[0].Attempt != 2 || string(jobs[0].Input) != "in" || !jobs[0].Created.Equal(now) || len(jobs[0].Events) != 1 {
		t.Fatalf("jobs: %+v %v", jobs, err)
	}
	if p, err := s.Proof("j1"); err != nil || string(p) != "proof" {
		t.Fatalf("proof: %q %v", p, err)
	}
	if _, err := s.Proof("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing proof: %v", err)
	}
	if _, err := s.Program("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing program: %v", err)
	}
}
