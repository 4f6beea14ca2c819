package main

import (
	"os"
	"path/filepath"
)

// defaultCacheDir is where a worker keeps the key blobs its coordinator
// sends: $ZKFLEET_CACHE_DIR, else $XDG_CACHE_HOME/zkfleet/fetched-keys or
// ~/.cache/zkfleet/fetched-keys. It is never the key store that setup
// fills and verify reads (defaultKeyDir): a coordinator chooses what lands
// in this directory, including sets whose toxic waste it knows, so it must
// not be where the verifier on the same machine looks for trusted sets.
// (Verify trusts only sets with a trust record, which fetching never
// writes, so even a worker pointed at the key store cannot add one.)
func defaultCacheDir() string {
	if d := os.Getenv("ZKFLEET_CACHE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "zkfleet", "fetched-keys")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".cache", "zkfleet", "fetched-keys")
	}
	return filepath.Join(os.TempDir(), "zkfleet", "fetched-keys")
}
