package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzCanonical: the canonical form of any accepted body is valid JSON,
// its own canonical form, and equal for bodies that differ only in
// formatting.
func FuzzCanonical(f *testing.F) {
	f.Add([]byte(`{"batch_id": 1, "transactions": [ {"type":"deposit","amount":"5"} ]}`))
	f.Add([]byte(`{"b":1e3,"a":[true,null,"x<y"]}`))
	f.Add([]byte(`  {} `))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := canonical(in)
		if err != nil {
			return
		}
		if !json.Valid(c) {
			t.Fatalf("canonical form is not JSON: %q", c)
		}
		again, err := canonical(c)
		if err != nil || !bytes.Equal(again, c) {
			t.Fatalf("canonical is not idempotent: %q → %q (%v)", c, again, err)
		}
		var ind bytes.Buffer
		if json.Indent(&ind, in, "", "  ") == nil {
			if c2, err := canonical(ind.Bytes()); err != nil || !bytes.Equal(c2, c) {
				t.Fatalf("reformatting changed the canonical form: %q vs %q", c2, c)
			}
		}
	})
}
