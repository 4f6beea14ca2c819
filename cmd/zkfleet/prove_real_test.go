package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
)

// TestProveLocalThenVerify is the README's main job for real: `zkfleet
// prove --local` proves fib(100) (four CPU segments at the default shape)
// with real Groth16 proofs on the embedded cluster, and `zkfleet verify`
// accepts the proof for that program and input only.
func TestProveLocalThenVerify(t *testing.T) {
	tier.RequireReal(t)
	keyDir := devkeys.Default(t)
	dir := t.TempDir()
	in, other := filepath.Join(dir, "n100"), filepath.Join(dir, "n99")
	for name, n := range map[string]uint32{in: 100, other: 99} {
		if err := os.WriteFile(name, binary.LittleEndian.AppendUint32(nil, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proof := filepath.Join(dir, "fib.proof")
	out, err := runCLI(t, "prove", "--local", "example:fib", "--input", in, "--key-dir", keyDir,
		"--auto-setup=false", "--out", proof, "--json")
	if err != nil {
		t.Fatalf("prove --local: %v\n%s", err, out)
	}
	var res struct {
		Leaves int `json:"leaves"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("prove output %q: %v", out, err)
	}
	// 4 CPU segments + memory + input + output.
	if res.Leaves < 7 {
		t.Fatalf("fib(100) proved in %d leaves; want ≥ 4 CPU segments", res.Leaves)
	}
	out, err = runCLI(t, "verify", "--proof", proof, "--elf", "example:fib", "--input", in, "--key-dir", keyDir, "--json")
	if err != nil {
		t.Fatalf("verify rejected the proof: %v\n%s", err, out)
	}
	var st struct {
		Valid     bool   `json:"valid"`
		ExitCode  uint32 `json:"exit_code"`
		OutputHex string `json:"output_hex"`
	}
	// fib(100) mod 2^32 = 3314859971, printed in decimal with a newline.
	if err := json.Unmarshal([]byte(out), &st); err != nil || !st.Valid || st.ExitCode != 0 || st.OutputHex != "333331343835393937310a" {
		t.Fatalf("statement %q: %v", out, err)
	}
	for _, args := range [][]string{
		{"--elf", "example:fib", "--input", other}, // another input
		{"--elf", "example:sort", "--input", in},   // another program
		{"--elf", "example:fib"},                   // input omitted
	} {
		out, err := runCLI(t, append([]string{"verify", "--proof", proof, "--key-dir", keyDir}, args...)...)
		if err == nil {
			t.Errorf("verify %s accepted: %s", strings.Join(args, " "), out)
		}
	}
}
