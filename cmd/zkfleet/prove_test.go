package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

// runCLI runs the zkfleet root command with args and returns stdout.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	root.SetContext(context.Background())
	err := root.Execute()
	return out.String(), err
}

// TestClientCommands drives prove (against --coordinator), jobs, job,
// workers and cancel through the CLI on an in-process cluster with the
// test prover.
func TestClientCommands(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true})
	c.AddWorker("w1", 2)
	addr := c.Listen.API.String()
	dir := t.TempDir()
	elf := filepath.Join(dir, "prog.elf")
	if err := os.WriteFile(elf, testprover.Program(7), 0o644); err != nil {
		t.Fatal(err)
	}
	proof := filepath.Join(dir, "out.proof")
	out, err := runCLI(t, "prove", elf, "--coordinator", addr, "--out", proof, "--json")
	if err != nil {
		t.Fatalf("prove: %v", err)
	}
	var res struct {
		JobID  string `json:"job_id"`
		Leaves int    `json:"leaves"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Leaves != 7 {
		t.Fatalf("prove output %q: %v", out, err)
	}
	if b, err := os.ReadFile(proof); err != nil || !bytes.HasPrefix(b, []byte("TESTPROOF")) {
		t.Fatalf("proof file: %v", err)
	}
	out, err = runCLI(t, "jobs", "--coordinator", addr)
	if err != nil || !strings.Contains(out, res.JobID) || !strings.Contains(out, "completed") {
		t.Fatalf("jobs: %q %v", out, err)
	}
	out, err = runCLI(t, "job", res.JobID, "--coordinator", addr, "--json")
	if err != nil || !strings.Contains(out, `"JOB_STATE_COMPLETED"`) {
		t.Fatalf("job: %q %v", out, err)
	}
	out, err = runCLI(t, "workers", "--coordinator", addr)
	if err != nil || !strings.Contains(out, "w1") {
		t.Fatalf("workers: %q %v", out, err)
	}
	if _, err = runCLI(t, "job", "nope", "--coordinator", addr); err == nil || !strings.Contains(err.Error(), "NotFound") {
		t.Fatalf("unknown job: %v", err)
	}
	bad := filepath.Join(dir, "bad.elf")
	os.WriteFile(bad, []byte("not an elf"), 0o644)
	if _, err = runCLI(t, "prove", bad, "--coordinator", addr, "--out", proof); err == nil || !strings.Contains(err.Error(), "bad program") {
		t.Fatalf("bad ELF: %v", err)
	}
}
