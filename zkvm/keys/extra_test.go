package keys

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestExtraKeys(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	set := strings.Repeat("ab", 32)
	if _, err := s.Extra(set, "wrap"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing extra keys: %v", err)
	}
	var ck CircuitKeys
	for _, dst := range []*string{&ck.CCS, &ck.PK, &ck.VK} {
		if *dst, err = s.PutBlob(strings.NewReader(*dst + "x" + string(rune('a'+len(ck.CCS))))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutExtra(set, "wrap", ck); err != nil {
		t.Fatal(err)
	}
	got, err := s.Extra(set, "wrap")
	if err != nil || got != ck {
		t.Fatalf("got %+v, %v; want %+v", got, err, ck)
	}
	missing := ck
	missing.PK = strings.Repeat("cd", 32)
	if err := s.PutExtra(set, "other", missing); err == nil {
		t.Fatal("extra keys naming a blob not in the store accepted")
	}
	if err := s.PutExtra(set, "../x", ck); err == nil {
		t.Fatal("a path as extra name accepted")
	}
}
