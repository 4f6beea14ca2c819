package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoordinatorRefusesUnsafeListen: the coordinator will not serve a
// non-loopback address without TLS and auth, nor a token without a
// worker secret, unless told --insecure; it refuses before opening
// anything.
func TestCoordinatorRefusesUnsafeListen(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"public API, no TLS", []string{"--api-addr", "0.0.0.0:0"}, "client API on 0.0.0.0:0"},
		{"public cluster port", []string{"--cluster-addr", ":0"}, "cluster port on :0"},
		{"token without worker secret", []string{"--token", "t"}, "without --worker-secret"},
		{"workers file with a short secret", []string{"--workers-file", workersFile(t, `{"workers":[{"id":"w1","secret":"short"}]}`)},
			`worker "w1": secret shorter than 16 bytes`},
		{"workers file with an unknown field", []string{"--workers-file", workersFile(t, `{"workers":[],"x":1}`)}, `unknown field "x"`},
		{"shared secret equal to a worker's", []string{"--worker-secret", "w1-secret-0123456789",
			"--workers-file", workersFile(t, `{"workers":[{"id":"w1","secret":"w1-secret-0123456789"}]}`)}, "also the shared --worker-secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"coordinator", "--prover", "mock", "--data-dir", "", "--metrics-addr", "",
				"--key-dir", t.TempDir()}, tc.args...)
			_, err := runCLI(t, args...)
			var ee *exitError
			if !asExit(err, &ee) || ee.code != 1 || !strings.Contains(ee.msg, tc.want) {
				t.Fatalf("coordinator %v: %v, want a refusal naming %q", tc.args, err, tc.want)
			}
		})
	}
}

func workersFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "workers.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWorkersFileFromEnv: ZKFLEET_WORKERS_FILE sets --workers-file (a bad
// file is refused, naming the problem), and the file counts as worker
// authentication for --token.
func TestWorkersFileFromEnv(t *testing.T) {
	t.Setenv("ZKFLEET_WORKERS_FILE", workersFile(t, `{"workers":[{"id":"w1","secret":"w1-secret-0123456789"},{"id":"w1","secret":"other-secret-0123456789"}]}`))
	_, err := runCLI(t, "coordinator", "--prover", "mock", "--data-dir", "", "--metrics-addr", "", "--key-dir", t.TempDir(), "--token", "t")
	var ee *exitError
	if !asExit(err, &ee) || ee.code != 1 || !strings.Contains(ee.msg, `worker "w1" listed twice`) {
		t.Fatalf("coordinator with a bad ZKFLEET_WORKERS_FILE: %v, want the file's error (not the exposure refusal)", err)
	}
}
