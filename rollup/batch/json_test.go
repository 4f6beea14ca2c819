package batch

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func sampleJSON(t testing.TB) []byte {
	t.Helper()
	b := newBatch(t, 16, sampleTxs(t))
	data, err := json.Marshal(NewRequest(b))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestJSONRoundTrip(t *testing.T) {
	b := newBatch(t, 16, sampleTxs(t))
	want, err := Prepare(b, Shape{Depth: 16, Slots: 4})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse(sampleJSON(t))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := r.Decode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Prepare(nb, Shape{Depth: 16, Slots: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got.Statement != want.Statement {
		t.Fatal("statement changed through JSON")
	}
}

// TestParseRejects: hostile or malformed submissions get a clear error
// naming the field (and the transaction index where there is one).
func TestParseRejects(t *testing.T) {
	good := string(sampleJSON(t))
	var obj map[string]any
	if err := json.Unmarshal([]byte(good), &obj); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(good), &m)
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	txAt := func(m map[string]any, i int) map[string]any {
		return m["transactions"].([]any)[i].(map[string]any)
	}
	tests := []struct {
		name  string
		body  string
		index int
		want  string
	}{
		{"not JSON", "{", -1, "malformed"},
		{"trailing data", good + "{}", -1, "trailing"},
		{"unknown transaction field", edit(func(m map[string]any) { txAt(m, 3)["fee"] = 1 }), 3, "unknown field"},
		{"unknown field", edit(func(m map[string]any) { m["transfers"] = []any{} }), -1, "unknown field"},
		{"too large", `{"batch_id":1,"x":"` + strings.Repeat("a", MaxRequestBytes) + `"}`, -1, "bytes"},
		{"bad root hex", edit(func(m map[string]any) { m["pre_state_root"] = "0xzz" }), -1, "pre_state_root"},
		{"short root", edit(func(m map[string]any) { m["pre_state_root"] = "0x1234" }), -1, "pre_state_root"},
		{"root ≥ r", edit(func(m map[string]any) { m["pre_state_root"] = "0x" + strings.Repeat("f", 64) }), -1, "canonical"},
		{"amount ≥ 2^64", edit(func(m map[string]any) { txAt(m, 1)["amount"] = json.Number("18446744073709551616") }), 1, "2^64"},
		{"negative amount", edit(func(m map[string]any) { txAt(m, 1)["amount"] = -5 }), 1, "unsigned"},
		{"fractional amount", edit(func(m map[string]any) { txAt(m, 1)["amount"] = 1.5 }), 1, "unsigned"},
		{"unknown type", edit(func(m map[string]any) { txAt(m, 2)["type"] = "mint" }), 2, "unknown transaction type"},
		{"missing signature", edit(func(m map[string]any) { delete(txAt(m, 1), "signature") }), 1, "signature"},
		{"short signature", edit(func(m map[string]any) { txAt(m, 1)["signature"] = "abcd" }), 1, "signature"},
		{"deposit with a signature", edit(func(m map[string]any) { txAt(m, 0)["signature"] = strings.Repeat("00", 64) }), 0, "no from"},
		{"deposit key not on the curve", edit(func(m map[string]any) { txAt(m, 0)["pubkey"] = "0x" + strings.Repeat("11", 32) }), 0, "pubkey"},
		{"withdrawal recipient too long", edit(func(m map[string]any) { txAt(m, 2)["l1_recipient"] = "0x" + strings.Repeat("11", 32) }), 2, "l1_recipient"},
		{"withdrawal with a to", edit(func(m map[string]any) { txAt(m, 2)["to"] = 1 }), 2, "no to"},
		{"shielded transactions", edit(func(m map[string]any) { m["shielded"] = []any{map[string]any{"x": 1}} }), -1, "shielded"},
		{"shielded root", edit(func(m map[string]any) { m["pre_shielded_root"] = "0x" + strings.Repeat("0", 63) + "1" }), -1, "shielded"},
		{"empty leaf with a balance", edit(func(m map[string]any) {
			l := m["accounts"].(map[string]any)["leaves"].([]any)
			l[len(l)-1].(map[string]any)["balance"] = 3
			delete(l[len(l)-1].(map[string]any), "pubkey")
		}), -1, "empty leaf"},
		{"too many nodes", edit(func(m map[string]any) {
			a := m["accounts"].(map[string]any)
			n := a["nodes"].([]any)
			for len(n) <= 16*len(a["leaves"].([]any)) {
				n = append(n, n[0])
			}
			a["nodes"] = n
		}), -1, "at most"},
		{"depth 0", edit(func(m map[string]any) { m["accounts"].(map[string]any)["depth"] = 0 }), -1, "depth"},
		{"too many transactions", edit(func(m map[string]any) {
			one := m["transactions"].([]any)[0]
			txs := make([]any, MaxTxs+1)
			for i := range txs {
				txs[i] = one
			}
			m["transactions"] = txs
		}), -1, "transactions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBatch([]byte(tc.body))
			var ib *InvalidBatchError
			if !errors.As(err, &ib) {
				t.Fatalf("error %v is not an InvalidBatchError", err)
			}
			if ib.TxIndex != tc.index || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v (index %d), want index %d and %q", err, ib.TxIndex, tc.index, tc.want)
			}
		})
	}
	// Amounts as decimal strings are accepted.
	s := edit(func(m map[string]any) { txAt(m, 1)["amount"] = "100" })
	if _, err := ParseBatch([]byte(s)); err != nil {
		t.Fatalf("string amount: %v", err)
	}
}

// FuzzParse feeds arbitrary bytes to the submission parser: it must never
// panic, and whatever it accepts must survive re-encoding unchanged and,
// when small, native preparation without a panic.
func FuzzParse(f *testing.F) {
	f.Add(sampleJSON(f))
	f.Add([]byte(`{"batch_id":1,"pre_state_root":"0x00","transactions":[],"accounts":{"depth":1,"leaves":[],"nodes":[]}}`))
	f.Add([]byte(`{"batch_id":1,"transactions":[{"type":"deposit","to":0,"amount":"5","pubkey":"00"}],"accounts":{"depth":2,"leaves":[{"index":0}],"nodes":["0x01"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBatch(data)
		if err != nil {
			var ib *InvalidBatchError
			if !errors.As(err, &ib) {
				t.Fatalf("error %v is not an InvalidBatchError", err)
			}
			return
		}
		enc, err := json.Marshal(NewRequest(b))
		if err != nil {
			t.Fatal(err)
		}
		b2, err := ParseBatch(enc)
		if err != nil {
			t.Fatalf("re-encoded batch rejected: %v", err)
		}
		enc2, _ := json.Marshal(NewRequest(b2))
		if string(enc) != string(enc2) {
			t.Fatal("re-encoding is not stable")
		}
		if len(b.Accounts.Leaves) <= 64 && len(b.Txs) <= 64 {
			_, _ = Prepare(b, Shape{Depth: b.Accounts.Depth, Slots: 4})
		}
	})
}
