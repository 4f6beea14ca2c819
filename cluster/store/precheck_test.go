package store

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPrecheck: any file content gets an answer from precheck, never a
// panic, and a file precheck accepts is at least as long as its meta says.
func FuzzPrecheck(f *testing.F) {
	dir := f.TempDir()
	s, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	s.PutJob(&Job{ID: "j"})
	s.Close()
	good, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:100])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_ = precheck(p)
	})
}

// TestPrecheckAcceptsGoodRejectsTruncated pins the meta layout precheck
// reads against a file bbolt wrote.
func TestPrecheckAcceptsGoodRejectsTruncated(t *testing.T) {
	dir := filledStore(t)
	path := filepath.Join(dir, FileName)
	if err := precheck(path); err != nil {
		t.Fatalf("good file: %v", err)
	}
	truncate(t, path, 3*4096) // both metas kept, the data pages cut
	if err := precheck(path); err == nil {
		t.Fatal("truncated file accepted")
	}
}
