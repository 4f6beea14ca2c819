package kind

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
)

var testShape = batch.Shape{Depth: 8, Slots: 4}

func exampleSpec(t *testing.T, n int, seed uint64) (engine.Spec, *sequencer.Built) {
	t.Helper()
	b, err := sequencer.ExampleBatch(testShape, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(b.Request)
	if err != nil {
		t.Fatal(err)
	}
	return engine.Spec{Kind: Kind, Input: in}, b
}

func field(p *engine.Plan, name string) string {
	for _, f := range p.Summary {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func TestPlanStatement(t *testing.T) {
	spec, built := exampleSpec(t, 10, 1)
	p, err := Plan(context.Background(), spec, testShape)
	if err != nil {
		t.Fatal(err)
	}
	if p.Leaves != 3 || p.Kind != Kind || p.Contribute {
		t.Fatalf("plan: %d leaves kind %q contribute %v, want 3 rollup false", p.Leaves, p.Kind, p.Contribute)
	}
	want := built.Prepared.Statement.JSON()
	if got := field(p, "statement_bytes"); got != want.StatementBytes {
		t.Errorf("statement_bytes %s, want %s", got, want.StatementBytes)
	}
	if got := field(p, "batch_id"); got != strconv.FormatUint(want.BatchID, 10) {
		t.Errorf("batch_id %s", got)
	}
	pi := built.Prepared.Statement.PublicInput()
	if got := field(p, FieldPublicInput); got != batch.HexElem(pi) {
		t.Errorf("public_input %s", got)
	}
}

func TestPlanRejects(t *testing.T) {
	spec, built := exampleSpec(t, 6, 2)
	overdraft := *built.Request
	overdraft.Transactions = append([]batch.TxJSON(nil), built.Request.Transactions...)
	i := -1
	for k, tx := range overdraft.Transactions {
		if tx.Type == "transfer" {
			i = k
			break
		}
	}
	if i < 0 {
		t.Fatal("example has no transfer")
	}
	overdraft.Transactions[i].Amount = 1 << 62
	od, err := json.Marshal(&overdraft)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		spec  engine.Spec
		class error
		txIdx int // -2: no InvalidBatchError expected
	}{
		{"overdraft", engine.Spec{Kind: Kind, Input: od}, engine.ErrExecution, i},
		{"malformed JSON", engine.Spec{Kind: Kind, Input: []byte(`{"batch_id":`)}, engine.ErrExecution, -1},
		{"unknown field", engine.Spec{Kind: Kind, Input: bytes.Replace(spec.Input, []byte(`"batch_id"`), []byte(`"bogus":1,"batch_id"`), 1)}, engine.ErrExecution, -1},
		{"with a program", engine.Spec{Kind: Kind, ELF: []byte{0x7f}, Input: spec.Input}, engine.ErrBadProgram, -2},
		{"other kind", engine.Spec{Kind: "riscv", Input: spec.Input}, engine.ErrUnknownKind, -2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Plan(context.Background(), tc.spec, testShape)
			if !errors.Is(err, tc.class) {
				t.Fatalf("err %v, want %v", err, tc.class)
			}
			var ib interface{ InvalidTx() (int, string) }
			if tc.txIdx == -2 {
				if errors.As(err, &ib) {
					t.Fatalf("unexpected invalid-batch error %v", err)
				}
				return
			}
			if !errors.As(err, &ib) {
				t.Fatalf("no invalid-batch error in %v", err)
			}
			if idx, reason := ib.InvalidTx(); idx != tc.txIdx || reason == "" {
				t.Fatalf("tx index %d reason %q, want %d", idx, reason, tc.txIdx)
			}
		})
	}
}

// TestMockPipeline proves a batch with the mock prover: leaves, folds in
// the plan's tree, Finalize; a reordered fold is refused.
func TestMockPipeline(t *testing.T) {
	ctx := context.Background()
	spec, _ := exampleSpec(t, 9, 3)
	be := Mock(testShape, 0)
	p, err := be.Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Mock || p.Leaves != 3 {
		t.Fatalf("mock plan: mock %v leaves %d", p.Mock, p.Leaves)
	}
	tree := p.FoldTree()
	proofs := make([][]byte, len(tree))
	for _, nd := range tree {
		if nd.Left < 0 {
			proofs[nd.ID], err = be.ProveLeaf(ctx, spec, nd.ID, nil)
		} else {
			proofs[nd.ID], err = be.Fold(ctx, proofs[nd.Left], proofs[nd.Right])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	file, err := be.Finalize(ctx, spec, proofs[len(tree)-1])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(file, []byte(engine.MockMagic)) || !bytes.Contains(file, []byte("statement_bytes: ")) {
		t.Fatalf("mock file:\n%s", file)
	}
	if _, err := be.Fold(ctx, proofs[1], proofs[0]); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("reordered fold: %v", err)
	}
	if _, err := be.Finalize(ctx, spec, proofs[0]); !errors.Is(err, engine.ErrBadProof) {
		t.Fatalf("finalize of one leaf: %v", err)
	}
}

// TestPadOneChunk: a batch of one chunk is proved as two, the second a
// no-op (every slot empty, nothing changed), and the chunks still chain to
// the batch statement; a batch of two chunks is left alone.
func TestPadOneChunk(t *testing.T) {
	for _, n := range []int{3, batch.DefaultShape.Slots + 1} {
		built, err := sequencer.ExampleBatch(batch.DefaultShape, n, 7)
		if err != nil {
			t.Fatal(err)
		}
		input, err := json.Marshal(built.Request)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(context.Background(), engine.Spec{Kind: Kind, Input: input}, batch.DefaultShape)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Chunks) != MinChunks {
			t.Fatalf("%d transactions: %d chunks, want %d", n, len(p.Chunks), MinChunks)
		}
		if err := batch.CheckChain(&p.Statement, p.ChunkStatements()); err != nil {
			t.Fatalf("%d transactions: %v", n, err)
		}
		if n > batch.DefaultShape.Slots {
			continue
		}
		pad := p.Chunks[1]
		if pad.Statement.PreRoot != pad.Statement.PostRoot || pad.Statement.CountIn != pad.Statement.CountOut || len(pad.Slots) != batch.DefaultShape.Slots {
			t.Fatalf("padding chunk %+v changes the state or has %d slots", pad.Statement, len(pad.Slots))
		}
		for i := range pad.Slots {
			if pad.Slots[i].Tx.Kind != 0 {
				t.Fatalf("padding slot %d holds a transaction", i)
			}
		}
	}
}
