package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
)

// TestRollupDemoReal is the rollup's main job for real: `zkfleet rollup
// demo --local --settle sim` submits a batch through the Core API of an
// in-process cluster, which proves its chunks and folds them into one
// Groth16 proof under the development key set, wraps it for the EVM and
// settles it on a simulated chain, whose contract verifies the wrap with
// the exported Solidity verifier; the demo verifies the batch proof and
// checks the settlement record. `zkfleet verify`
// then accepts the saved answer (--batch) and the bare proof file
// (--proof), and refuses a flipped proof byte.
func TestRollupDemoReal(t *testing.T) {
	tier.RequireReal(t)
	keyDir := devkeys.Default(t)
	dir := t.TempDir()
	bin, err := buildZkfleetBinary(dir)
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "proofs")
	if err := os.Mkdir(saved, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, int) { return runBinary(t, bin, args...) }
	// One batch: the four deposits that create the demo's accounts (one
	// chunk and its padding chunk, one fold).
	out, code := run("rollup", "demo", "--local", "--batches", "0", "--accounts", "4", "--workers", "1",
		"--key-dir", keyDir, "--save-dir", saved, "--settle", "sim")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, out)
	}
	t.Logf("demo:\n%s", out)
	for _, want := range []string{"batch 1: 4 txs", "proof VERIFIED", "Proofs verified: 1 of 1", "settled on "} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(out), "mock") {
		t.Errorf("a real demo mentions the mock prover:\n%s", out)
	}

	answer := filepath.Join(saved, "batch-1.json")
	if o, code := run("verify", "--batch", answer, "--key-dir", keyDir); code != 0 || !strings.Contains(o, "VALID batch proof") {
		t.Fatalf("verify --batch: exit %d\n%s", code, o)
	}
	raw, err := os.ReadFile(answer)
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
	file, err := hex.DecodeString(w.Data["proof_bytes"].(string))
	if err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "batch-1.proof")
	if err := os.WriteFile(bare, file, 0o644); err != nil {
		t.Fatal(err)
	}
	if o, code := run("verify", "--proof", bare, "--key-dir", keyDir); code != 0 || !strings.Contains(o, "VALID batch proof") || !strings.Contains(o, "batch 1:") {
		t.Fatalf("verify --proof of a batch proof: exit %d\n%s", code, o)
	}
	// A key store that never set up or imported the set trusts nothing.
	if o, code := run("verify", "--proof", bare, "--key-dir", filepath.Join(dir, "empty-keys")); code != 1 || !strings.Contains(o, "INVALID") {
		t.Fatalf("verify under an empty key store: exit %d\n%s", code, o)
	}
	file[len(file)-40] ^= 0x01
	w.Data["proof_bytes"] = hex.EncodeToString(file)
	tampered := filepath.Join(dir, "tampered.json")
	b, _ := json.Marshal(w)
	if err := os.WriteFile(tampered, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if o, code := run("verify", "--batch", tampered, "--key-dir", keyDir); code != 1 || !strings.Contains(o, "INVALID") {
		t.Fatalf("verify --batch of a flipped proof byte: exit %d\n%s", code, o)
	}
}
