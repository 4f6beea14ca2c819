package sequencer

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

var testShape = batch.Shape{Depth: 16, Slots: 4}

// TestExampleBatchIsProvable: the example batch, as JSON, parses and
// prepares on the prover's side (multiproof only, no sequencer state) to
// the statement the sequencer computed.
func TestExampleBatchIsProvable(t *testing.T) {
	b, err := ExampleBatch(testShape, 24, 1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(b.Request)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := batch.ParseBatch(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := batch.Prepare(nb, testShape)
	if err != nil {
		t.Fatal(err)
	}
	if p.Statement != b.Prepared.Statement {
		t.Fatal("prover's statement differs from the sequencer's")
	}
	if p.Statement.BatchID != 2 || p.Statement.TxCount != 24 || len(p.Chunks) != 6 {
		t.Fatalf("statement %+v, %d chunks", p.Statement, len(p.Chunks))
	}
	if p.Statement.TransferCount == 0 || p.Statement.WithdrawalCount == 0 || p.Statement.DepositCount == 0 {
		t.Fatalf("example lacks a kind: %+v", p.Statement)
	}
	if err := batch.CheckChain(&p.Statement, p.ChunkStatements()); err != nil {
		t.Fatal(err)
	}
}

func TestExampleBatchDeterministic(t *testing.T) {
	enc := func(seed uint64) string {
		b, err := ExampleBatch(testShape, 10, seed)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(b.Request)
		return string(data)
	}
	if enc(5) != enc(5) {
		t.Fatal("same seed, different batches")
	}
	if enc(5) == enc(6) {
		t.Fatal("different seeds, same batch")
	}
}

func TestBuildRejectsAndKeepsState(t *testing.T) {
	s, err := DemoGenesis(testShape)
	if err != nil {
		t.Fatal(err)
	}
	root := s.Root()
	good := tx.Tx{Kind: tx.KindTransfer, From: 0, To: 1, Amount: 10, Nonce: 0}
	if err := DemoKey(0).Sign(&good); err != nil {
		t.Fatal(err)
	}
	replay := good
	_, err = s.Build([]tx.Tx{good, replay}, testShape)
	var ib *batch.InvalidBatchError
	if !errors.As(err, &ib) || ib.TxIndex != 1 {
		t.Fatalf("replay: %v", err)
	}
	if r := s.Root(); !r.Equal(&root) || s.NextBatchID() != 2 {
		t.Fatal("a rejected batch changed the state")
	}
	if _, err := s.Build([]tx.Tx{good}, testShape); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Account(0); a.Nonce != 1 || a.Balance != DemoBalance-10 {
		t.Fatalf("account 0 after the batch: %+v", a)
	}
}

func TestIndexAssignment(t *testing.T) {
	s, err := New(testShape.Depth)
	if err != nil {
		t.Fatal(err)
	}
	pa, pb := DemoKey(100).Public(), DemoKey(101).Public()
	ia, _ := s.IndexFor(&pa)
	ib, _ := s.IndexFor(&pb)
	ia2, _ := s.IndexFor(&pa)
	if ia != 0 || ib != 1 || ia2 != 0 {
		t.Fatalf("indices %d %d %d", ia, ib, ia2)
	}
	d1, _ := s.Deposit(&pa, 5)
	d2, _ := s.Deposit(&pb, 7)
	if _, err := s.Build([]tx.Tx{d1, d2, d1}, testShape); err != nil {
		t.Fatal(err)
	}
	if a, ok := s.Account(0); !ok || a.Balance != 10 {
		t.Fatalf("account 0: %+v %v", a, ok)
	}
	pc := DemoKey(102).Public()
	if ic, _ := s.IndexFor(&pc); ic != 2 {
		t.Fatalf("third key got index %d", ic)
	}
}

func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Open(path, testShape.Depth)
	if err != nil {
		t.Fatal(err)
	}
	pk := DemoKey(0).Public()
	d, _ := s.Deposit(&pk, 99)
	if _, err := s.Build([]tx.Tx{d}, testShape); err != nil {
		t.Fatal(err)
	}
	re, err := Open(path, testShape.Depth)
	if err != nil {
		t.Fatal(err)
	}
	r1, r2 := s.Root(), re.Root()
	if !r1.Equal(&r2) || re.NextBatchID() != 2 {
		t.Fatal("reopened state differs")
	}
	pk2 := DemoKey(1).Public()
	if i, _ := re.IndexFor(&pk2); i != 1 {
		t.Fatalf("reopened sequencer assigns index %d", i)
	}
	if i, _ := re.IndexFor(&pk); i != 0 {
		t.Fatalf("reopened sequencer forgot key 0 (index %d)", i)
	}
	if _, err := Open(path, testShape.Depth+1); err == nil {
		t.Fatal("snapshot of another depth accepted")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(`"balance":99`), []byte(`"balance":98`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, testShape.Depth); err == nil {
		t.Fatal("snapshot whose accounts do not hash to its root accepted")
	}
}
