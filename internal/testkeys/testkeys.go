// Package testkeys shares one development key set between the tests that
// prove for real, across test packages and across runs: the fold circuit's
// setup takes many minutes, so it is done once and cached on disk outside
// the repository. Tests still pass on a machine without the cache: the
// first one to need the keys generates them while the others wait.
package testkeys

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// Dir is $ZKFLEET_TEST_KEY_DIR, else <user cache dir>/zkfleet/test-keys.
func Dir() string {
	if d := os.Getenv("ZKFLEET_TEST_KEY_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "zkfleet", "test-keys")
	}
	return filepath.Join(os.TempDir(), "zkfleet-test-keys")
}

// Setup brings a key set up to date with the circuits of the code under
// test and returns its id (prover.Setup with the default shape: it reuses
// the keys of every circuit that did not change).
type Setup func(ctx context.Context, store *keys.Store) (string, error)

var (
	mu   sync.Mutex
	done = map[string]string{} // dir → set id, once per test binary
)

// Default returns the key store at Dir and the id of its "default" set,
// running setup first, under an exclusive lock on the directory so that
// test binaries running in parallel do not generate the same keys twice.
func Default(tb testing.TB, setup Setup) (*keys.Store, string) {
	tb.Helper()
	dir := Dir()
	store, err := keys.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if id, ok := done[dir]; ok {
		return store, id
	}
	unlock, err := lock(filepath.Join(dir, "setup.lock"))
	if err != nil {
		tb.Fatal(err)
	}
	defer unlock()
	tb.Logf("testkeys: bringing the development key set in %s up to date (the first run on a machine generates the fold key: many minutes)", dir)
	id, err := setup(context.Background(), store)
	if err != nil {
		tb.Fatalf("testkeys: setup: %v", err)
	}
	if err := store.SetName("default", id); err != nil {
		tb.Fatal(err)
	}
	if err := store.MarkTrusted(id, keys.TrustRecord{Origin: keys.OriginSetup}); err != nil {
		tb.Fatal(err)
	}
	done[dir] = id
	// Compiling the fold circuit leaves gigabytes of garbage; give it back
	// before the test starts provers (possibly in child processes).
	debug.FreeOSMemory()
	return store, id
}

// lock takes an exclusive flock on path, blocking until it is free.
func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("testkeys: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("testkeys: lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
