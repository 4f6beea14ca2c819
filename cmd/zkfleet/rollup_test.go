package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/rollup/batch"
)

// TestRollupDemoBinary runs the demo sequencer through the built binary
// on a local mock cluster: every batch completes with the expected
// statement, the output says plainly that mock proofs are not proofs and
// claims no verification, the exit status is 0; verify --batch then
// refuses the saved mock proof and a tampered answer.
func TestRollupDemoBinary(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "zkfleet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	saved := filepath.Join(dir, "proofs")
	if err := os.Mkdir(saved, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "rollup", "demo", "--local", "--prover", "mock", "--mock-delay", "5ms",
		"--batches", "2", "--txs", "40", "--save-dir", saved, "--settle", "mock")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"Mock proofs are not proofs", "3 batches, 88 transactions", "Proofs verified: 0",
		"batch 3: 40 txs", "proof NOT verified: mock proof"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "VERIFIED") {
		t.Errorf("the mock demo claims a verification:\n%s", out)
	}
	if n := strings.Count(out, "settled: MOCK"); n != 3 {
		t.Errorf("%d of 3 batches settled on the mock chain:\n%s", n, out)
	}

	verify := func(file string) (string, int) { return runBinary(t, bin, "verify", "--batch", file) }
	good := filepath.Join(saved, "batch-3.json")
	if o, code := verify(good); code != 1 || !strings.Contains(o, "mock proof: not a proof") || !strings.Contains(o, "batch 3:") {
		t.Fatalf("verify --batch of a mock proof: exit %d\n%s", code, o)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Status string         `json:"status"`
		Data   map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	w.Data["batch_hash"] = w.Data["withdrawal_root"]
	tampered := filepath.Join(dir, "tampered.json")
	b, _ := json.Marshal(w)
	os.WriteFile(tampered, b, 0o644)
	if o, code := verify(tampered); code != 1 || !strings.Contains(o, "INVALID: batch_hash") {
		t.Fatalf("verify --batch of a tampered answer: exit %d\n%s", code, o)
	}
}

func TestRollupExample(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, f := range []string{a, b} {
		if _, err := runCLI(t, "rollup", "example", "--out", f, "--txs", "20", "--seed", "4"); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(x, y) {
		t.Fatal("the same seed wrote two different batches")
	}
	bt, err := batch.ParseBatch(x)
	if err != nil {
		t.Fatal(err)
	}
	p, err := batch.Prepare(bt, batch.DefaultShape)
	if err != nil {
		t.Fatalf("the example does not execute: %v", err)
	}
	if p.Statement.TxCount != 20 || len(p.Chunks) != 2 {
		t.Fatalf("example: %d txs, %d chunks", p.Statement.TxCount, len(p.Chunks))
	}
}

// TestRollupDemoSettleSim: a chain that verifies proofs has no rollup
// verifier while rollup batches are proved only by the mock prover; the
// demo says so instead of settling placeholders.
func TestRollupDemoSettleSim(t *testing.T) {
	_, err := runCLI(t, "rollup", "demo", "--local", "--prover", "mock", "--settle", "sim")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(ee.msg, "use --settle mock") {
		t.Fatalf("err %v", err)
	}
}

func TestRollupDemoFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"neither", []string{"rollup", "demo"}, "exactly one of"},
		{"both", []string{"rollup", "demo", "--local", "--coordinator", "http://x"}, "exactly one of"},
		{"no txs", []string{"rollup", "demo", "--local", "--prover", "mock", "--txs", "0"}, "--txs"},
		{"settle remote", []string{"rollup", "demo", "--coordinator", "http://x", "--settle", "mock"}, "--settle configures the --local"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCLI(t, tc.args...)
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, tc.want) {
				t.Fatalf("err %v, want exit 2 with %q", err, tc.want)
			}
		})
	}
}

// runBinary runs a built zkfleet binary and returns its combined output
// and exit status.
func runBinary(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	var o bytes.Buffer
	c := exec.Command(bin, args...)
	c.Stdout, c.Stderr = &o, &o
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return o.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return o.String(), 0
}
