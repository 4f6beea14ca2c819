package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/consensys/gnark/logger"

	stages "github.com/zkfleet/zkfleet/internal/progress"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// devKeyWarning is printed whenever keys are generated locally.
const devKeyWarning = `WARNING: generating a DEVELOPMENT key set from local randomness.
Whoever ran this setup could forge proofs for these keys. They are unfit
for production: use keys from a trusted setup ceremony (zkfleet setup --import).`

// defaultKeyDir is $ZKFLEET_KEY_DIR, else $XDG_CACHE_HOME/zkfleet/keys or
// ~/.cache/zkfleet/keys.
func defaultKeyDir() string {
	if d := os.Getenv("ZKFLEET_KEY_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "zkfleet", "keys")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".cache", "zkfleet", "keys")
	}
	return filepath.Join(os.TempDir(), "zkfleet", "keys")
}

// openBackend opens the Groth16 backend on a key store directory. setID ""
// means the set named "default"; if it does not exist and autoSetup is
// true, it runs a development setup for the default shape first, printing a
// loud warning that the keys come from local randomness and are unfit for
// production, with progress on stderr. Returns the backend and the set id
// used.
func openBackend(ctx context.Context, keyDir, setID string, autoSetup bool, log *slog.Logger) (*prover.Groth16, string, error) {
	logger.Disable() // gnark logs to stdout, which belongs to command output
	store, err := keys.Open(keyDir)
	if err != nil {
		return nil, "", err
	}
	if setID == "" {
		setID, err = store.Named("default")
		if errors.Is(err, os.ErrNotExist) && autoSetup {
			fmt.Fprintln(os.Stderr, devKeyWarning)
			if setID, err = devSetup(ctx, store, prover.DefaultShape, "default", log); err != nil {
				return nil, "", err
			}
		} else if err != nil {
			return nil, "", fmt.Errorf("%w: %w (run zkfleet setup)", prover.ErrNoKey, err)
		}
	}
	b, err := openedSets.open(store, setID)
	if err != nil {
		return nil, "", err
	}
	return b, setID, nil
}

// openedSets keeps one RISC-V backend per key set and process: the
// rollup backend of a set shares its key set (rollupbackend.Open), so the
// fold's proving key is loaded once whichever kinds a process proves.
var openedSets = &setCache{sets: map[string]*prover.Groth16{}}

type setCache struct {
	mu   sync.Mutex
	sets map[string]*prover.Groth16 // by store directory and set id
}

func (c *setCache) open(store *keys.Store, setID string) (*prover.Groth16, error) {
	key := store.Dir() + "\x00" + setID
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.sets[key]; ok {
		return b, nil
	}
	b, err := prover.NewGroth16(store, setID)
	if err != nil {
		return nil, err
	}
	c.sets[key] = b
	return b, nil
}

// devSetup generates a key set and names it.
func devSetup(ctx context.Context, store *keys.Store, shape keys.Shape, name string, log *slog.Logger) (string, error) {
	logger.Disable() // progress goes to log (stderr), not gnark's stdout logger
	log.Info("setup: starting (the fold circuit takes several minutes and GBs of RAM)", "shape", fmt.Sprintf("%+v", shape), "dir", store.Dir())
	// gnark reports nothing for minutes: show each circuit's compile and
	// setup with its elapsed time and estimate (a bar on a terminal, a line
	// every 30 s otherwise).
	ctx = stages.With(ctx, stages.For(os.Stderr, 30*time.Second))
	id, err := prover.Setup(ctx, store, shape, log)
	if err != nil {
		return "", fmt.Errorf("setup: %w", err)
	}
	if err := store.SetName(name, id); err != nil {
		return "", err
	}
	// Generated here: the verifier on this machine may trust it (a
	// worker's keys come from its coordinator and never pass here).
	if err := store.MarkTrusted(id, keys.TrustRecord{Origin: keys.OriginSetup}); err != nil {
		return "", err
	}
	log.Info("setup: done", "set", id, "name", name)
	return id, nil
}
