package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/node"
)

// TestProveAttestMock wires prove --local --attest to a committee of three
// in-process nodes (zkVM verifiers, keys made by attest keygen): the mock
// job is proved, then fails in the attesting phase without reaching a
// node, because a mock placeholder is never attested; no attestation
// file is written, and a missing committee file stops the command.
func TestProveAttestMock(t *testing.T) {
	t.Setenv("ZKFLEET_KEY_DIR", t.TempDir())
	dir := t.TempDir()
	tokenFile, passFile := filepath.Join(dir, "token"), filepath.Join(dir, "pass")
	for f, s := range map[string]string{tokenFile: "attest-coord-test-token\n", passFile: "attest coord test passphrase\n"} {
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the cleanups below wait for the nodes
	var urls []string
	for i := range 3 {
		dataDir := filepath.Join(dir, fmt.Sprintf("node%d", i+1))
		done := make(chan error, 1)
		go func() {
			done <- node.Run(ctx, node.Options{DataDir: dataDir, Listen: "127.0.0.1:0", TokenFile: tokenFile, PassphraseFile: passFile,
				Verifier: "zkvm", KeyDir: t.TempDir(), Logger: newQuietLogger()})
		}()
		t.Cleanup(func() {
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("node %d: %v", i+1, err)
			}
		})
		url, err := waitNodeUp(dataDir, done)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, url)
	}
	committeeFile := filepath.Join(dir, "committee.json")
	if out, err := runCLI(t, "attest", "keygen", "--token-file", tokenFile, "--nodes", strings.Join(urls, ","),
		"--threshold", "2", "--out", committeeFile); err != nil {
		t.Fatalf("attest keygen: %v\n%s", err, out)
	}
	proof := filepath.Join(dir, "fib.proof")
	prove := func(committee string) *exitError {
		t.Helper()
		_, err := runCLI(t, "prove", "example:fib", "--local", "--prover", "mock", "--mock-delay", "1ms", "--out", proof,
			"--attest", "--attest-committee", committee, "--attest-token-file", tokenFile)
		var ee *exitError
		if !asExit(err, &ee) {
			t.Fatalf("prove --attest: want an exit error, got %v", err)
		}
		return ee
	}
	if ee := prove(committeeFile); ee.code != 1 || !strings.Contains(ee.msg, "failed: attest: committee: a mock prover's placeholder is not a proof") {
		t.Fatalf("mock job with attest: exit %d %q", ee.code, ee.msg)
	}
	if _, err := os.Stat(attestationFile(proof)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an attestation file exists after a failed attestation: %v", err)
	}
	if ee := prove(filepath.Join(dir, "missing.json")); ee.code != 1 || !strings.Contains(ee.msg, "missing.json") {
		t.Fatalf("missing committee file: exit %d %q", ee.code, ee.msg)
	}
}

// waitNodeUp waits for an in-process node's address and /health.
func waitNodeUp(dataDir string, done <-chan error) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return "", fmt.Errorf("node stopped: %w", err)
		default:
		}
		if raw, err := os.ReadFile(filepath.Join(dataDir, node.AddrFile)); err == nil {
			url := strings.TrimSpace(string(raw))
			if resp, err := http.Get(url + api.PathHealth); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return url, nil
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "", fmt.Errorf("node in %s did not come up", dataDir)
}
