package worker

import (
	"testing"

	"github.com/zkfleet/zkfleet/engine"
)

// FuzzParseProve: the /prove body parser never panics, and what it
// accepts is one well-formed task under a valid key set.
func FuzzParseProve(f *testing.F) {
	f.Add([]byte(`{"task":{"assign":{"jobId":"j","spec":{"elf":"eA=="},"phase":"TASK_PHASE_CONTRIBUTE","leaves":[3]}},"key_set":"k","async":true}`))
	f.Add([]byte(`{"task":{"assign":{"jobId":"j","spec":{"elf":"eA==","kind":"rollup"},"phase":2,"leaves":[0],"challenge":"AAE="}},"key_set":"mock"}`))
	f.Add([]byte(`{"task":{"foldTask":{"jobId":"j","node":7,"left":"AA==","right":"AQ==","kind":"riscv"}},"key_set":"0123abcd"}`))
	f.Add([]byte(`{"task":{"challenge":{"jobId":"j"}},"key_set":"k"}`))
	f.Add([]byte(`{"task":null,"key_set":""}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tk, keySet, _, err := parseProve(body)
		if err != nil {
			return
		}
		if !validKeySet(keySet) || tk.jobID == "" || len(tk.jobID) > 256 {
			t.Fatalf("accepted key set %q job %q", keySet, tk.jobID)
		}
		if !engine.ValidKind(tk.kind()) {
			t.Fatalf("accepted kind %q", tk.kind())
		}
		switch tk.op {
		case "contribute", "prove":
			if len(tk.spec.ELF) == 0 {
				t.Fatal("accepted a leaf task without an ELF")
			}
		case "fold":
			if len(tk.left) == 0 || len(tk.right) == 0 {
				t.Fatal("accepted a fold without children")
			}
		default:
			t.Fatalf("accepted op %q", tk.op)
		}
	})
}
