package main

import (
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
