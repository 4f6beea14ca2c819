// Package tier sorts the tests into two tiers, like gnark's: plain
// `go test ./...` is the fast tier (constraint solver tests, the test
// prover, the mock prover), and tests that run a real Groth16 setup or
// proof run only when ZKFLEET_REAL_PROOFS=1 (the README's full test
// command and .ci/run set it) and never under -short.
package tier

import (
	"os"
	"testing"
)

// Env is the environment variable that turns the real-proof tier on.
const Env = "ZKFLEET_REAL_PROOFS"

// Real reports whether real-proof tests run: Env is "1" and the run is
// not -short.
func Real() bool { return os.Getenv(Env) == "1" && !testing.Short() }

// RequireReal skips the test unless real-proof tests run.
func RequireReal(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("real Groth16 setup or proof: skipped under -short")
	}
	if os.Getenv(Env) != "1" {
		tb.Skip("real Groth16 setup or proof: set " + Env + "=1 to run it")
	}
}
