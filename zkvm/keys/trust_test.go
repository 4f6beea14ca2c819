package keys

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrustRecords(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m := testManifest(t, s)
	setID, err := s.PutManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	// A set whose manifest arrived the way a worker receives blobs from its
	// coordinator (PutBlobExpect) is present but not trusted.
	m2 := testManifest(t, s)
	m2.Shape.CPUSteps = 512
	b, err := m2.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fetched := idOf(b)
	if err := s.PutBlobExpect(fetched, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{setID, fetched} {
		if _, err := s.Manifest(id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Trusted(id); !errors.Is(err, ErrUntrusted) {
			t.Fatalf("set %s trusted before MarkTrusted: %v", id[:8], err)
		}
	}
	if err := s.MarkTrusted(setID, TrustRecord{Origin: OriginImport, Source: "/elsewhere"}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Trusted(setID)
	if err != nil || *r != (TrustRecord{Origin: OriginImport, Source: "/elsewhere"}) {
		t.Fatalf("Trusted = %+v, %v", r, err)
	}
	if _, err := s.Trusted(fetched); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("fetched set trusted: %v", err)
	}
	if got, err := s.TrustedSets(); err != nil || len(got) != 1 || got[0] != setID {
		t.Fatalf("TrustedSets = %v, %v", got, err)
	}

	t.Run("refused", func(t *testing.T) {
		for name, c := range map[string]struct {
			id string
			r  TrustRecord
		}{
			"no manifest":    {idOf([]byte("absent")), TrustRecord{Origin: OriginSetup}},
			"not a manifest": {fetchedBlob(t, s, []byte("not json")), TrustRecord{Origin: OriginSetup}},
			"unknown origin": {fetched, TrustRecord{Origin: "coordinator"}},
			"malformed id":   {"../x", TrustRecord{Origin: OriginSetup}},
		} {
			if err := s.MarkTrusted(c.id, c.r); err == nil {
				t.Errorf("%s: marked trusted", name)
			}
		}
		if _, err := s.Trusted(fetched); !errors.Is(err, ErrUntrusted) {
			t.Fatalf("a refused MarkTrusted left a record: %v", err)
		}
	})
	t.Run("unreadable record is untrusted", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(s.Dir(), "trusted", fetched), []byte(`{"origin":"coordinator"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Trusted(fetched); !errors.Is(err, ErrUntrusted) {
			t.Fatalf("record with an unknown origin accepted: %v", err)
		}
	})
	t.Run("resolve", func(t *testing.T) {
		if err := s.SetName("prod", setID); err != nil {
			t.Fatal(err)
		}
		for _, in := range []string{"prod", setID, strings.ToUpper(setID)} {
			if got, err := s.Resolve(in); err != nil || got != setID {
				t.Fatalf("Resolve(%q) = %s, %v", in, got, err)
			}
		}
		if _, err := s.Resolve("absent"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("Resolve(absent): %v", err)
		}
	})
}

func fetchedBlob(t *testing.T, s *Store, b []byte) string {
	t.Helper()
	id := idOf(b)
	if err := s.PutBlobExpect(id, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return id
}
