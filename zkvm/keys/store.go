// Package keys is the content-addressed key store shared by the prover
// backend, the verifier and the cluster (which ships blobs between nodes).
//
// Layout of a store directory:
//
//	<dir>/blobs/sha256/<hex>   immutable blob, named by the SHA-256 of its content
//	<dir>/sets/<name>          text file holding a key-set id
//
// A key set is described by a manifest (see Manifest), itself a blob; the
// set id is the manifest's blob id. Because every name is a hash, a node can
// accept blobs from any peer: PutBlobExpect rejects content that does not
// match the id it was asked for.
package keys

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Store is a key-store directory. It is safe for concurrent use by several
// goroutines and processes: blobs are written to a temporary file and
// renamed into place only after their hash is checked.
type Store struct {
	dir string
}

// ErrBadBlob is returned when content does not hash to the expected id or
// an id is malformed.
var ErrBadBlob = errors.New("keys: bad blob")

// Open opens (creating if needed) the store rooted at dir.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("keys: empty store directory")
	}
	for _, d := range []string{filepath.Join(dir, "blobs", "sha256"), filepath.Join(dir, "sets"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("keys: open store: %w", err)
		}
	}
	return &Store{dir: dir}, nil
}

// Dir is the store's root directory.
func (s *Store) Dir() string { return s.dir }

// ValidID reports whether id is a lower-case hex SHA-256.
func ValidID(id string) bool {
	if len(id) != 64 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) blobPath(id string) string {
	return filepath.Join(s.dir, "blobs", "sha256", id)
}

// Has reports whether the blob is present.
func (s *Store) Has(blobID string) bool {
	if !ValidID(blobID) {
		return false
	}
	_, err := os.Stat(s.blobPath(blobID))
	return err == nil
}

// OpenBlob opens a blob for reading and returns its size. A missing blob is
// an error wrapping os.ErrNotExist.
func (s *Store) OpenBlob(blobID string) (io.ReadCloser, int64, error) {
	if !ValidID(blobID) {
		return nil, 0, fmt.Errorf("%w: malformed id %q", ErrBadBlob, blobID)
	}
	f, err := os.Open(s.blobPath(blobID))
	if err != nil {
		return nil, 0, fmt.Errorf("keys: blob %s: %w", blobID, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("keys: blob %s: %w", blobID, err)
	}
	return f, st.Size(), nil
}

// ReadBlob reads a whole blob and checks its hash (protects against disk
// corruption or tampering between write and use).
func (s *Store) ReadBlob(blobID string) ([]byte, error) {
	r, _, err := s.OpenBlob(blobID)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("keys: read blob %s: %w", blobID, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != blobID {
		return nil, fmt.Errorf("%w: %s content does not match its id", ErrBadBlob, blobID)
	}
	return b, nil
}

// DecodeBlob streams a blob into decode while hashing it, then fails with
// ErrBadBlob if the content does not match its id; the caller must discard
// whatever decode built in that case. Unlike ReadBlob it never holds the
// raw bytes: a fold proving key is gigabytes, and reading it whole doubled
// the peak memory and stalled the process for tens of seconds (long enough
// for a coordinator to declare a busy worker dead).
func (s *Store) DecodeBlob(blobID string, decode func(io.Reader) error) error {
	f, _, err := s.OpenBlob(blobID)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	tee := io.TeeReader(f, h)
	if err := decode(bufio.NewReaderSize(tee, 1<<20)); err != nil {
		return fmt.Errorf("keys: decode blob %s: %w", blobID, err)
	}
	// The decoder may stop short of the end (or the buffer may hold the
	// rest): hash whatever it did not pull from the file.
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return fmt.Errorf("keys: read blob %s: %w", blobID, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != blobID {
		return fmt.Errorf("%w: %s content does not match its id", ErrBadBlob, blobID)
	}
	return nil
}

// PutBlob stores r's content and returns its id.
func (s *Store) PutBlob(r io.Reader) (string, error) {
	return s.put("", r)
}

// PutBlobExpect stores r's content under id, or fails without leaving a file
// if the content does not hash to id.
func (s *Store) PutBlobExpect(id string, r io.Reader) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: malformed id %q", ErrBadBlob, id)
	}
	_, err := s.put(id, r)
	return err
}

func (s *Store) put(expect string, r io.Reader) (string, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "blob-*")
	if err != nil {
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		tmp.Close()
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	id := hex.EncodeToString(h.Sum(nil))
	if expect != "" && id != expect {
		return "", fmt.Errorf("%w: content hashes to %s, expected %s", ErrBadBlob, id, expect)
	}
	if s.Has(id) {
		return id, nil
	}
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.blobPath(id)); err != nil {
		return "", fmt.Errorf("keys: put blob: %w", err)
	}
	return id, nil
}

// Manifest returns the parsed manifest of a key set.
func (s *Store) Manifest(setID string) (*Manifest, error) {
	b, err := s.ReadBlob(setID)
	if err != nil {
		return nil, fmt.Errorf("keys: set %s: %w", setID, err)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("keys: set %s: %w", setID, err)
	}
	return m, nil
}

// PutManifest stores a manifest and returns the set id.
func (s *Store) PutManifest(m *Manifest) (string, error) {
	b, err := m.Marshal()
	if err != nil {
		return "", err
	}
	return s.PutBlob(strings.NewReader(string(b)))
}

// SetBlobs lists a set's manifest id first, then every blob it names (in a
// fixed order), so a peer can fetch a whole set.
func (s *Store) SetBlobs(setID string) ([]string, error) {
	m, err := s.Manifest(setID)
	if err != nil {
		return nil, err
	}
	return append([]string{setID}, m.BlobIDs()...), nil
}

func validName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 128 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Named resolves a set name (e.g. "default") to a set id. A missing name is
// an error wrapping os.ErrNotExist.
func (s *Store) Named(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("keys: invalid set name %q", name)
	}
	b, err := os.ReadFile(filepath.Join(s.dir, "sets", name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("keys: no set named %q: %w", name, os.ErrNotExist)
		}
		return "", fmt.Errorf("keys: set name %q: %w", name, err)
	}
	id := strings.TrimSpace(string(b))
	if !ValidID(id) {
		return "", fmt.Errorf("%w: set name %q holds malformed id", ErrBadBlob, name)
	}
	return id, nil
}

// SetName points name at setID (atomically replacing any previous value).
// The set's manifest must be present.
func (s *Store) SetName(name, setID string) error {
	if !validName(name) {
		return fmt.Errorf("keys: invalid set name %q", name)
	}
	if !s.Has(setID) {
		return fmt.Errorf("keys: set %s: %w", setID, os.ErrNotExist)
	}
	if err := s.writeAtomic(filepath.Join(s.dir, "sets", name), []byte(setID+"\n")); err != nil {
		return fmt.Errorf("keys: set name: %w", err)
	}
	return nil
}

// marshalIndent is shared by Manifest.Marshal; kept here so the store owns
// the on-disk encoding decisions.
func marshalIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("keys: encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// maxManifestSize bounds the blobs FindCircuit parses: manifests are a
// few hundred bytes, keys are megabytes.
const maxManifestSize = 64 << 10

// FindCircuit looks through every key set in the store for a circuit of
// kind whose constraint system is the blob ccsID and whose keys are
// present, so a setup can reuse the keys of a circuit that did not change
// (the fold circuit alone takes many minutes). ok is false when none.
func (s *Store) FindCircuit(kind, ccsID string) (CircuitKeys, bool) {
	return s.FindCircuitWhere(kind, func(_ *Manifest, c CircuitKeys) bool { return c.CCS == ccsID })
}

// FindCircuitWhere returns the first circuit of kind, in any key set of the
// store, whose blobs are all present and which match accepts (it is given
// the circuit's manifest too).
func (s *Store) FindCircuitWhere(kind string, match func(m *Manifest, c CircuitKeys) bool) (CircuitKeys, bool) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "blobs", "sha256"))
	if err != nil {
		return CircuitKeys{}, false
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.Size() > maxManifestSize || !ValidID(e.Name()) {
			continue
		}
		b, err := s.ReadBlob(e.Name())
		if err != nil {
			continue
		}
		m, err := ParseManifest(b)
		if err != nil {
			continue
		}
		c, found := m.Circuits[kind]
		if found && s.Has(c.CCS) && s.Has(c.PK) && s.Has(c.VK) && match(m, c) {
			return c, true
		}
	}
	return CircuitKeys{}, false
}

// BlobID returns the id r's content would be stored under.
func BlobID(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("keys: blob id: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
