package keys

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func idOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestBlobRoundTrip(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("proving key bytes")
	id, err := s.PutBlob(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if id != idOf(data) {
		t.Fatalf("id %s, want %s", id, idOf(data))
	}
	if !s.Has(id) {
		t.Fatal("Has false after PutBlob")
	}
	r, n, err := s.OpenBlob(id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if n != int64(len(data)) || !bytes.Equal(got, data) {
		t.Fatalf("read back %q (%d)", got, n)
	}
	// Idempotent.
	if id2, err := s.PutBlob(bytes.NewReader(data)); err != nil || id2 != id {
		t.Fatalf("second put: %s %v", id2, err)
	}
	if s.Has(idOf([]byte("other"))) || s.Has("../x") {
		t.Fatal("Has true for absent / malformed id")
	}
	if _, _, err := s.OpenBlob(idOf([]byte("other"))); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing blob: %v", err)
	}
}

func TestPutBlobExpectRejects(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	want := idOf([]byte("a"))
	if err := s.PutBlobExpect(want, strings.NewReader("b")); !errors.Is(err, ErrBadBlob) {
		t.Fatalf("mismatch accepted: %v", err)
	}
	if s.Has(want) || s.Has(idOf([]byte("b"))) {
		t.Fatal("file left after rejected put")
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(ents) != 0 {
		t.Fatalf("temp files left: %v", ents)
	}
	if err := s.PutBlobExpect(want, strings.NewReader("a")); err != nil {
		t.Fatal(err)
	}
	if !s.Has(want) {
		t.Fatal("expected blob missing")
	}
}

func TestReadBlobDetectsCorruption(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	id, _ := s.PutBlob(strings.NewReader("hello"))
	p := filepath.Join(dir, "blobs", "sha256", id)
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, []byte("hellO"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadBlob(id); !errors.Is(err, ErrBadBlob) {
		t.Fatalf("corruption not detected: %v", err)
	}
}

func testManifest(t *testing.T, s *Store) *Manifest {
	m := &Manifest{Version: ManifestVersion, Shape: Shape{256, 256, 248, 32, 16}, Circuits: map[string]CircuitKeys{}, Dev: true}
	for _, k := range Kinds {
		var c CircuitKeys
		for i, p := range []*string{&c.CCS, &c.PK, &c.VK} {
			id, err := s.PutBlob(strings.NewReader(k + string(rune('0'+i))))
			if err != nil {
				t.Fatal(err)
			}
			*p = id
		}
		m.Circuits[k] = c
	}
	return m
}

func TestSetsAndNames(t *testing.T) {
	s, _ := Open(t.TempDir())
	if _, err := s.Named("default"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent name: %v", err)
	}
	m := testManifest(t, s)
	setID, err := s.PutManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := s.SetBlobs(setID)
	if err != nil {
		t.Fatal(err)
	}
	if len(blobs) != 1+3*len(Kinds) || blobs[0] != setID {
		t.Fatalf("SetBlobs = %v", blobs)
	}
	for _, b := range blobs {
		if !s.Has(b) {
			t.Fatalf("blob %s listed but absent", b)
		}
	}
	if err := s.SetName("default", setID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Named("default"); err != nil || got != setID {
		t.Fatalf("Named = %s, %v", got, err)
	}
	if err := s.SetName("../evil", setID); err == nil {
		t.Fatal("path-like name accepted")
	}
	if err := s.SetName("other", idOf([]byte("absent"))); err == nil {
		t.Fatal("name for absent set accepted")
	}
	got, err := s.Manifest(setID)
	if err != nil || !got.Dev || got.Shape != m.Shape {
		t.Fatalf("Manifest = %+v, %v", got, err)
	}
	// A blob that is not a manifest is not a set.
	other, _ := s.PutBlob(strings.NewReader(`{"version":1}`))
	if _, err := s.SetBlobs(other); err == nil {
		t.Fatal("non-manifest accepted as a set")
	}
	if _, err := ParseManifest([]byte(`{"version":1,"shape":{"cpu_steps":1,"mem_rows":1,"tape_bytes":1},"circuits":{},"x":1}`)); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestFindCircuit(t *testing.T) {
	s, _ := Open(t.TempDir())
	m := testManifest(t, s)
	if _, err := s.PutManifest(m); err != nil {
		t.Fatal(err)
	}
	fold := m.Circuits["fold"]
	got, ok := s.FindCircuit("fold", fold.CCS)
	if !ok || got != fold {
		t.Fatalf("FindCircuit(fold) = %+v, %v; want %+v", got, ok, fold)
	}
	if _, ok := s.FindCircuit("cpu", fold.CCS); ok {
		t.Fatal("found a fold constraint system under kind cpu")
	}
	if _, ok := s.FindCircuit("fold", idOf([]byte("other circuit"))); ok {
		t.Fatal("found a circuit that was never set up")
	}
	// Keys gone: nothing to reuse.
	os.Chmod(s.blobPath(fold.PK), 0o644)
	if err := os.Remove(s.blobPath(fold.PK)); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.FindCircuit("fold", fold.CCS); ok {
		t.Fatal("reused a circuit whose proving key is missing")
	}
}

func TestDecodeBlob(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	id, _ := s.PutBlob(strings.NewReader("hello world"))
	// A decoder that stops early still gets the whole blob checked.
	var got []byte
	err := s.DecodeBlob(id, func(r io.Reader) error {
		got = make([]byte, 5)
		_, err := io.ReadFull(r, got)
		return err
	})
	if err != nil || string(got) != "hello" {
		t.Fatalf("DecodeBlob = %q, %v", got, err)
	}
	p := filepath.Join(dir, "blobs", "sha256", id)
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, []byte("hello wOrld"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = s.DecodeBlob(id, func(r io.Reader) error {
		_, err := io.ReadFull(r, make([]byte, 5))
		return err
	})
	if !errors.Is(err, ErrBadBlob) {
		t.Fatalf("corruption past the decoded prefix not detected: %v", err)
	}
	if err := s.DecodeBlob(id, func(io.Reader) error { return io.ErrUnexpectedEOF }); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("decoder error lost: %v", err)
	}
}
