package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/verifytest"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// runCLIErr runs the CLI and returns its stdout, stderr and error.
func runCLIErr(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	root.SetContext(context.Background())
	err := root.Execute()
	return out.String(), errb.String(), err
}

// TestVerifyKeyTrust drives zkfleet verify over key sets made in
// milliseconds (internal/verifytest): trusted, development, pinned,
// fetched-but-untrusted, and imported with setup --import.
func TestVerifyKeyTrust(t *testing.T) {
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyDir := filepath.Join(dir, "keys")
	store, err := keys.Open(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	input, output := []byte{10, 0, 0, 0}, []byte("55\n")
	inFile := filepath.Join(dir, "in")
	if err := os.WriteFile(inFile, input, 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	prod := verifytest.NewSet(t, store, "prod", false)
	dev := verifytest.NewSet(t, store, "dev", true)
	for _, s := range []*verifytest.Set{prod, dev} {
		if err := store.MarkTrusted(s.ID, keys.TrustRecord{Origin: keys.OriginSetup}); err != nil {
			t.Fatal(err)
		}
	}
	planted := verifytest.NewSet(t, store, "planted", false)
	underProd := write("prod.proof", prod.ProofFile(t, elf, input, output, 0, 1000))
	underDev := write("dev.proof", dev.ProofFile(t, elf, input, output, 0, 1000))
	underPlanted := write("planted.proof", planted.ProofFile(t, elf, input, output, 0, 1000))

	verify := func(proof string, extra ...string) (string, string, error) {
		return runCLIErr(t, append([]string{"verify", "--proof", proof, "--elf", "example:fib", "--input", inFile, "--key-dir", keyDir}, extra...)...)
	}
	t.Run("trusted set, no warning", func(t *testing.T) {
		out, errOut, err := verify(underProd)
		if err != nil || !strings.Contains(out, "VALID") {
			t.Fatalf("rejected: %v\n%s", err, out)
		}
		if strings.Contains(errOut, "DEVELOPMENT") {
			t.Fatalf("warning for a non-development set: %s", errOut)
		}
	})
	t.Run("development set warns on stderr", func(t *testing.T) {
		out, errOut, err := verify(underDev)
		if err != nil || !strings.Contains(out, "VALID") {
			t.Fatalf("rejected: %v\n%s", err, out)
		}
		if !strings.Contains(errOut, "DEVELOPMENT") || !strings.Contains(errOut, dev.ID) || !strings.Contains(errOut, "forge") {
			t.Fatalf("stderr lacks the development-keys warning naming the set: %q", errOut)
		}
		if strings.Contains(out, "WARNING") {
			t.Fatal("the warning went to stdout")
		}
	})
	t.Run("pinned set rejects another", func(t *testing.T) {
		_, _, err := verify(underDev, "--key-set", "prod")
		if err == nil {
			t.Fatal("proof under dev accepted with --key-set prod")
		}
		for _, want := range []string{"INVALID", dev.ID, prod.ID, `"prod"`} {
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error lacks %s: %v", want, err)
			}
		}
		if _, _, err := verify(underProd, "--key-set", prod.ID); err != nil {
			t.Fatalf("proof under the pinned set rejected: %v", err)
		}
	})
	t.Run("set present but never set up here", func(t *testing.T) {
		_, _, err := verify(underPlanted)
		if err == nil || !strings.Contains(err.Error(), "not trusted") || !strings.Contains(err.Error(), planted.ID) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("setup --import trusts the imported set", func(t *testing.T) {
		src, err := keys.Open(filepath.Join(dir, "ceremony"))
		if err != nil {
			t.Fatal(err)
		}
		cer := verifytest.NewSet(t, src, "ceremony", false)
		underCer := write("cer.proof", cer.ProofFile(t, elf, input, output, 0, 1000))
		if _, _, err := verify(underCer); err == nil {
			t.Fatal("accepted before import")
		}
		if _, _, err := runCLIErr(t, "setup", "--key-dir", keyDir, "--import", src.Dir(), "--name", "ceremony"); err != nil {
			t.Fatalf("import: %v", err)
		}
		if _, _, err := verify(underCer, "--key-set", "ceremony"); err != nil {
			t.Fatalf("imported set not trusted: %v", err)
		}
		tr, err := store.Trusted(cer.ID)
		if err != nil || tr.Origin != keys.OriginImport || tr.Source != src.Dir() {
			t.Fatalf("trust record %+v, %v", tr, err)
		}
	})
}

// A worker's default key cache is never the verifier's default key store,
// whatever the environment says about the key store.
func TestWorkerCacheIsNotTheKeyStore(t *testing.T) {
	for _, env := range []map[string]string{
		{"HOME": t.TempDir()},
		{"XDG_CACHE_HOME": t.TempDir()},
		{"ZKFLEET_KEY_DIR": t.TempDir()},
	} {
		for _, k := range []string{"HOME", "XDG_CACHE_HOME", "ZKFLEET_KEY_DIR", "ZKFLEET_CACHE_DIR"} {
			t.Setenv(k, env[k])
		}
		if env["HOME"] == "" {
			t.Setenv("HOME", t.TempDir())
		}
		cache := newWorkerCmd().Flags().Lookup("cache-dir").DefValue
		store := newVerifyCmd().Flags().Lookup("key-dir").DefValue
		if filepath.Clean(cache) == filepath.Clean(store) {
			t.Fatalf("env %v: worker --cache-dir and verify --key-dir both default to %s", env, cache)
		}
		if setup := newSetupCmd().Flags().Lookup("key-dir").DefValue; setup != store {
			t.Fatalf("setup writes %s, verify reads %s", setup, store)
		}
	}
}
