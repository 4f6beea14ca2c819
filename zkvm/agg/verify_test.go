package agg_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/verifytest"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// TestVerifyTrustsOnlyLocalSets: the verifier accepts a proof only under a
// key set the store has a trust record for (setup or import wrote it),
// never one that is merely present (fetched from a coordinator), and a
// pinned set excludes every other.
func TestVerifyTrustsOnlyLocalSets(t *testing.T) {
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	input, output := []byte{10, 0, 0, 0}, []byte("55\n")
	store, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	local := verifytest.NewSet(t, store, "local", false)
	if err := store.MarkTrusted(local.ID, keys.TrustRecord{Origin: keys.OriginImport, Source: "/ceremony"}); err != nil {
		t.Fatal(err)
	}
	dev := verifytest.NewSet(t, store, "dev", true)
	if err := store.MarkTrusted(dev.ID, keys.TrustRecord{Origin: keys.OriginSetup}); err != nil {
		t.Fatal(err)
	}
	// Present with all its blobs, as a worker's cache would hold a set its
	// coordinator sent, but never marked trusted.
	planted := verifytest.NewSet(t, store, "planted", false)

	underLocal := local.ProofFile(t, elf, input, output, 0, 1000)
	underDev := dev.ProofFile(t, elf, input, output, 0, 1000)
	underPlanted := planted.ProofFile(t, elf, input, []byte("forged\n"), 0, 1000)

	t.Run("trusted set", func(t *testing.T) {
		v, err := agg.Verify(store, "", underLocal, elf, input)
		if err != nil {
			t.Fatalf("rejected: %v", err)
		}
		if v.Dev || v.KeySet != local.ID || v.Trust.Origin != keys.OriginImport || string(v.Output) != string(output) {
			t.Fatalf("verified %+v", v)
		}
	})
	t.Run("development set is flagged", func(t *testing.T) {
		v, err := agg.Verify(store, "", underDev, elf, input)
		if err != nil {
			t.Fatalf("rejected: %v", err)
		}
		if !v.Dev {
			t.Fatal("a proof under a development set is not flagged as such")
		}
	})
	t.Run("set present but not trusted", func(t *testing.T) {
		_, err := agg.Verify(store, "", underPlanted, elf, input)
		if !errors.Is(err, agg.ErrKeySet) || !errors.Is(err, keys.ErrUntrusted) {
			t.Fatalf("err = %v, want ErrKeySet and ErrUntrusted", err)
		}
		if !strings.Contains(err.Error(), planted.ID) {
			t.Fatalf("error does not name the set: %v", err)
		}
		// The same proof is valid under its set: only trust rejects it.
		if _, err := agg.VerifyUnder(store, planted.ID, underPlanted, mustLoad(t, elf), input); err != nil {
			t.Fatalf("the planted proof is not otherwise valid, so the test shows nothing: %v", err)
		}
	})
	for _, pin := range []string{"local", local.ID, strings.ToUpper(local.ID)} {
		t.Run("pinned "+pin[:5], func(t *testing.T) {
			if _, err := agg.Verify(store, pin, underLocal, elf, input); err != nil {
				t.Fatalf("proof under the pinned set rejected: %v", err)
			}
			_, err := agg.Verify(store, pin, underDev, elf, input)
			if !errors.Is(err, agg.ErrKeySet) {
				t.Fatalf("proof under another trusted set accepted with a pin: %v", err)
			}
			for _, want := range []string{dev.ID, local.ID} {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error does not name %s: %v", want, err)
				}
			}
		})
	}
	t.Run("pinned to an unknown name", func(t *testing.T) {
		if _, err := agg.Verify(store, "nope", underLocal, elf, input); !errors.Is(err, agg.ErrKeySet) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("pinned to an untrusted set", func(t *testing.T) {
		if _, err := agg.Verify(store, "planted", underPlanted, elf, input); !errors.Is(err, keys.ErrUntrusted) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("VerifyUnder refuses a file naming another set", func(t *testing.T) {
		if _, err := agg.VerifyUnder(store, local.ID, underDev, mustLoad(t, elf), input); !errors.Is(err, agg.ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("statement still checked", func(t *testing.T) {
		if _, err := agg.Verify(store, "", underLocal, elf, []byte{11, 0, 0, 0}); !errors.Is(err, agg.ErrInvalid) {
			t.Fatalf("other input: err = %v", err)
		}
	})
}

func mustLoad(t *testing.T, elf []byte) *emu.Program {
	t.Helper()
	p, err := emu.LoadELF(elf)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
