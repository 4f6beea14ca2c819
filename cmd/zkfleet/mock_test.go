package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/engine"
)

// TestProveLocalMock runs prove --local with the mock prover: the whole
// pipeline (the guest really runs) in a second, no keys, a proof file that
// says MOCK, and verify rejecting it.
func TestProveLocalMock(t *testing.T) {
	t.Setenv("ZKFLEET_KEY_DIR", t.TempDir()) // an empty key store: the mock prover needs none
	dir := t.TempDir()
	proof := filepath.Join(dir, "fib.proof")
	input := filepath.Join(dir, "in")
	if err := os.WriteFile(input, []byte{20, 0, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := runCLI(t, "prove", "example:fib", "--local", "--prover", "mock", "--mock-delay", "1ms",
		"--input", input, "--out", proof, "--json")
	if err != nil {
		t.Fatalf("prove --local --prover mock: %v", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("mock prove took %v", d)
	}
	var res struct {
		Leaves int    `json:"leaves"`
		Cycles uint64 `json:"cycles"`
		Mock   bool   `json:"mock"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Leaves < 2 || res.Cycles == 0 || !res.Mock {
		t.Fatalf("prove output %q: %v", out, err)
	}
	file, err := os.ReadFile(proof)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte("MOCK")) || !bytes.Contains(file, []byte("kind: riscv")) {
		t.Fatalf("mock proof file does not say what it is:\n%s", file)
	}
	_, err = runCLI(t, "verify", "--proof", proof, "--elf", "example:fib", "--input", input)
	var ee *exitError
	if !asExit(err, &ee) || ee.code != 1 || ee.msg != "mock proof: not a proof" {
		t.Fatalf("verify of a mock proof: %v", err)
	}
}

func asExit(err error, ee **exitError) bool {
	e, ok := err.(*exitError)
	if ok {
		*ee = e
	}
	return ok
}

func TestProverFlagRejectsUnknown(t *testing.T) {
	_, err := runCLI(t, "prove", "example:fib", "--local", "--prover", "plonk")
	var ee *exitError
	if !asExit(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, "plonk") {
		t.Fatalf("--prover plonk: %v", err)
	}
}

// TestDevMockHealth starts zkfleet dev with the mock prover through the
// environment, as an operator would, and checks that /health says mock.
func TestDevMockHealth(t *testing.T) {
	t.Setenv("ZKFLEET_PROVER", "mock")
	t.Setenv("ZKFLEET_KEY_DIR", t.TempDir())
	cfgO := coordOptions{apiAddr: "127.0.0.1:0", clusterAddr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0",
		prover: proverOptions{prover: proverMock, mockDelay: time.Millisecond}}
	start := time.Now()
	d, err := startDev(t.Context(), cfgO, 2, 1, newQuietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeWithin(d.Close) })
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("dev --prover mock took %v to start", el)
	}
	resp, err := http.Get("http://" + d.Listen.Metrics.String() + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "mock: true") {
		t.Fatalf("/health: %d %q", resp.StatusCode, body)
	}
	resp, err = http.Get("http://" + d.Listen.Metrics.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "zkfleet_mock_prover 1") {
		t.Fatal("/metrics lacks zkfleet_mock_prover 1")
	}

	// The client commands show the label too.
	addr := d.Listen.API.String()
	proof := filepath.Join(t.TempDir(), "fib.proof")
	out, err := runCLI(t, "prove", "example:fib", "--coordinator", addr, "--out", proof)
	if err != nil || !strings.HasPrefix(out, "MOCK proof (not a proof) written to") {
		t.Fatalf("prove on a mock cluster: %q %v", out, err)
	}
	out, err = runCLI(t, "jobs", "--coordinator", addr)
	if err != nil || !strings.Contains(out, "riscv(MOCK)") {
		t.Fatalf("jobs: %q %v", out, err)
	}
	id := strings.Fields(strings.Split(out, "\n")[1])[0]
	out, err = runCLI(t, "job", id, "--coordinator", addr)
	if err != nil || !strings.Contains(out, "MOCK prover") || !strings.Contains(out, "program_id:") {
		t.Fatalf("job: %q %v", out, err)
	}
	out, err = runCLI(t, "workers", "--coordinator", addr)
	if err != nil || strings.Count(out, "riscv,rollup(MOCK)") != 2 {
		t.Fatalf("workers: %q %v", out, err)
	}
}

func TestCheckProofKind(t *testing.T) {
	if err := engine.RegisterProofMagic("cmdtest", "ZKFLEET CMDTEST\x00"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file, want string
	}{
		{"riscv goes on to its verifier", engine.RISCVMagic + "…", ""},
		{"garbage goes on for the precise reason", "garbage", ""},
		{"mock", engine.MockMagic + "kind: riscv\n", "mock proof: not a proof"},
		{"mock of another kind", engine.MockMagic + "kind: cmdtest\n", "mock proof: not a proof"},
		{"a kind without a verifier here", "ZKFLEET CMDTEST\x00…", "kind cmdtest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkProofKind([]byte(tc.file))
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("checkProofKind: %v, want %q", err, tc.want)
			}
		})
	}
}
