package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Extra keys belong to a key set without being part of its manifest: keys
// that are derived from the set's own (a wrap of its final proofs for a
// chain, compiled with the fold's verifying key as a constant), generated
// later and only where they are needed. Adding them does not change the
// set id. They live in <dir>/extra/<set id>/<name>.json (the blob ids of
// the circuit's ccs, pk and vk); the blobs are ordinary content-addressed
// blobs. Workers never fetch them: SetBlobs does not list them.

// PutExtra records ck as the extra circuit name of set setID. Every blob
// it names must be in the store.
func (s *Store) PutExtra(setID, name string, ck CircuitKeys) error {
	if !ValidID(setID) || !validName(name) {
		return fmt.Errorf("keys: extra keys %q of set %q: malformed name or id", name, setID)
	}
	for _, id := range []string{ck.CCS, ck.PK, ck.VK} {
		if !ValidID(id) || !s.Has(id) {
			return fmt.Errorf("keys: extra keys %q: blob %q not in the store", name, id)
		}
	}
	b, err := json.Marshal(ck)
	if err != nil {
		return err
	}
	dir := filepath.Join(s.dir, "extra", setID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("keys: extra keys: %w", err)
	}
	if err := s.writeAtomic(filepath.Join(dir, name+".json"), append(b, '\n')); err != nil {
		return fmt.Errorf("keys: extra keys: %w", err)
	}
	return nil
}

// Extra returns the extra circuit name of set setID. A missing record is
// an error wrapping os.ErrNotExist.
func (s *Store) Extra(setID, name string) (CircuitKeys, error) {
	if !ValidID(setID) || !validName(name) {
		return CircuitKeys{}, fmt.Errorf("keys: extra keys %q of set %q: malformed name or id", name, setID)
	}
	b, err := os.ReadFile(filepath.Join(s.dir, "extra", setID, name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return CircuitKeys{}, fmt.Errorf("keys: set %s has no %s keys: %w", setID[:12], name, os.ErrNotExist)
	}
	if err != nil {
		return CircuitKeys{}, fmt.Errorf("keys: extra keys %q: %w", name, err)
	}
	if len(b) > maxManifestSize {
		return CircuitKeys{}, fmt.Errorf("%w: extra keys %q: %d bytes", ErrBadBlob, name, len(b))
	}
	var ck CircuitKeys
	if err := json.Unmarshal(b, &ck); err != nil {
		return CircuitKeys{}, fmt.Errorf("%w: extra keys %q: %v", ErrBadBlob, name, err)
	}
	for _, id := range []string{ck.CCS, ck.PK, ck.VK} {
		if !ValidID(id) {
			return CircuitKeys{}, fmt.Errorf("%w: extra keys %q name a malformed blob id", ErrBadBlob, name)
		}
	}
	return ck, nil
}

// writeAtomic replaces path with data: written to a temporary file of the
// store, then renamed, so a reader sees the old content or the new, never
// a part.
func (s *Store) writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "write-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
