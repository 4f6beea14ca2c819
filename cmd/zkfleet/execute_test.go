package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// runExecute runs `zkfleet execute` and returns stdout, stderr and the
// exit status the binary would have (0, the guest's code, or 125).
func runExecute(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	root := newRootCmd()
	var out, errb strings.Builder
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"execute"}, args...))
	err := root.Execute()
	var ee *exitError
	switch {
	case err == nil:
		return out.String(), errb.String(), 0
	case errors.As(err, &ee):
		return out.String(), errb.String() + ee.msg, ee.code
	default:
		t.Fatalf("execute %v: unexpected error %v", args, err)
		return "", "", -1
	}
}

func TestExecuteCommand(t *testing.T) {
	dir := t.TempDir()

	t.Run("json", func(t *testing.T) {
		out, _, code := runExecute(t, "example:fib", "--json")
		var res struct {
			ExitCode  uint32 `json:"exit_code"`
			Cycles    uint64 `json:"cycles"`
			OutputHex string `json:"output_hex"`
			Segments  int    `json:"segments"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("code %d, output %q", code, out)
		}
		// fib(30) = 832040, printed in decimal with a newline.
		wantSegs := int((res.Cycles + uint64(prover.DefaultShape.CPUSteps) - 1) / uint64(prover.DefaultShape.CPUSteps))
		if res.OutputHex != "3833323034300a" || res.Cycles == 0 || res.Segments != wantSegs {
			t.Fatalf("unexpected result %+v", res)
		}
	})

	t.Run("stdout is the public output", func(t *testing.T) {
		in := filepath.Join(dir, "in")
		if err := os.WriteFile(in, []byte("abc"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, _, code := runExecute(t, "example:sha256", "--input", in)
		want := sha256.Sum256([]byte("abc"))
		if code != 0 || out != string(want[:]) {
			t.Fatalf("code %d, output %x, want %x", code, out, want)
		}
	})

	t.Run("errors exit 125", func(t *testing.T) {
		notELF := filepath.Join(dir, "not.elf")
		if err := os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{notELF}, "ELF"},
			{[]string{"example:fib", "--max-cycles", "10"}, "cycle limit"},
			{[]string{"example:nosuch"}, "nosuch"},
			{[]string{filepath.Join(dir, "missing.elf")}, "missing.elf"},
		} {
			_, stderr, code := runExecute(t, tc.args...)
			if code != exitEmuError || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: code %d, stderr %q; want 125 mentioning %q", tc.args, code, stderr, tc.want)
			}
		}
	})
}
