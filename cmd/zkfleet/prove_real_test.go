package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestProveLocalThenVerify is the README's main job for real: `zkfleet
// prove --local` proves fib(100) (four CPU segments at the default shape)
// with real Groth16 proofs on the embedded cluster, and `zkfleet verify`
// accepts the proof for that program and input only. (The proof is the
// one realFibProof makes once for the real tier, attested as well.)
func TestProveLocalThenVerify(t *testing.T) {
	r := realFibProof(t)
	keyDir, in, other, proof, out := r.keyDir, r.in, r.other, r.proof, r.out
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
	out, err := runCLI(t, "verify", "--proof", proof, "--elf", "example:fib", "--input", in, "--key-dir", keyDir, "--json")
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
