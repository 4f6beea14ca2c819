package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A store holds key material from two kinds of source: sets its owner
// generated or imported on this machine (zkfleet setup), and blobs fetched
// from peers (a worker's cache, filled by its coordinator). Hashes make a
// fetched blob exactly the blob its id names, but say nothing about who
// knows the toxic waste behind a key: whoever generated a set can forge
// proofs under it. So a verifier accepts only sets recorded as trusted,
// under <dir>/trusted/<set id>, and only MarkTrusted writes that record:
// setup and import call it, fetching blobs never does.

// ErrUntrusted is returned for a key set this store has no trust record
// for.
var ErrUntrusted = errors.New("keys: key set is not trusted on this machine")

// Trust origins.
const (
	OriginSetup  = "setup"  // generated here from local randomness
	OriginImport = "import" // copied here from another store by its owner
)

// TrustRecord says how a trusted key set came to this machine.
type TrustRecord struct {
	Origin string `json:"origin"`           // OriginSetup or OriginImport
	Source string `json:"source,omitempty"` // the store an import came from
}

func (s *Store) trustPath(setID string) string {
	return filepath.Join(s.dir, "trusted", setID)
}

// MarkTrusted records that the key set setID, whose manifest must be in
// the store, was generated or imported here by the store's owner. Only the
// setup and import paths call it.
func (s *Store) MarkTrusted(setID string, r TrustRecord) error {
	if r.Origin != OriginSetup && r.Origin != OriginImport {
		return fmt.Errorf("keys: trust origin %q", r.Origin)
	}
	if _, err := s.Manifest(setID); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("keys: trust record: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "trusted"), 0o755); err != nil {
		return fmt.Errorf("keys: trust record: %w", err)
	}
	if err := s.writeAtomic(s.trustPath(setID), append(b, '\n')); err != nil {
		return fmt.Errorf("keys: trust record: %w", err)
	}
	return nil
}

// Trusted returns the trust record of setID, or an error wrapping
// ErrUntrusted if there is none.
func (s *Store) Trusted(setID string) (*TrustRecord, error) {
	if !ValidID(setID) {
		return nil, fmt.Errorf("%w: malformed set id %q", ErrBadBlob, setID)
	}
	b, err := os.ReadFile(s.trustPath(setID))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrUntrusted, setID)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: trust record of %s: %w", setID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r TrustRecord
	if err := dec.Decode(&r); err != nil || (r.Origin != OriginSetup && r.Origin != OriginImport) {
		return nil, fmt.Errorf("%w: %s: unreadable trust record", ErrUntrusted, setID)
	}
	return &r, nil
}

// TrustedSets lists the ids of the trusted key sets, sorted.
func (s *Store) TrustedSets() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "trusted"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("keys: trusted sets: %w", err)
	}
	var out []string
	for _, e := range entries {
		if ValidID(e.Name()) && e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// Resolve turns a set name or id into a set id.
func (s *Store) Resolve(nameOrID string) (string, error) {
	if ValidID(strings.ToLower(nameOrID)) {
		return strings.ToLower(nameOrID), nil
	}
	return s.Named(nameOrID)
}

// ErrNotAccepted marks a key set a verifier does not accept: one not
// trusted in this store, or not the pinned one.
var ErrNotAccepted = errors.New("key set not accepted")

// Accept is the verifier's rule for the key set setID a proof names: the
// store must trust it (generated or imported here with zkfleet setup; key
// material fetched from a coordinator never is) and, when pin (a set name
// or id) is not empty, it must be the pinned set. Errors wrap
// ErrNotAccepted.
func (s *Store) Accept(setID, pin string) (*TrustRecord, error) {
	if pin != "" {
		pinID, err := s.Resolve(pin)
		if err != nil {
			return nil, fmt.Errorf("%w: pinned key set %q: %w", ErrNotAccepted, pin, err)
		}
		if pinID != setID {
			return nil, fmt.Errorf("%w: the proof was made under key set %s, but the verifier pins key set %q (%s)", ErrNotAccepted, setID, pin, pinID)
		}
	}
	tr, err := s.Trusted(setID)
	if err != nil {
		return nil, fmt.Errorf("%w: the proof was made under key set %s, which was not generated or imported on this machine with zkfleet setup (key material fetched from a coordinator is never trusted): %w", ErrNotAccepted, setID, err)
	}
	return tr, nil
}
