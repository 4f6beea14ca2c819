// Package devkeys is testkeys.Default bound to the real prover's setup of
// the default shape, for tests outside zkvm/prover (which cannot import it
// from its own tests without a cycle).
package devkeys

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testkeys"
	_ "github.com/zkfleet/zkfleet/rollup/backend" // registers the chunk circuit with the setup
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// Default returns the directory of the shared development key store, its
// "default" set brought up to date with the circuits first.
func Default(tb testing.TB) string {
	tb.Helper()
	testkeys.Default(tb, func(ctx context.Context, store *keys.Store) (string, error) {
		return prover.Setup(ctx, store, prover.DefaultShape, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	return testkeys.Dir()
}
