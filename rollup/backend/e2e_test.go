package backend_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
	"github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

// TestRollupEndToEnd proves a batch for real under the shared development
// key set: two chunk proofs (the batch fits one chunk; the second is the
// padding chunk) folded by the fold circuit under the rollup's VK set,
// then the batch proof file, verified, and tampered in every way a
// verifier must notice.
func TestRollupEndToEnd(t *testing.T) {
	tier.RequireReal(t)
	ctx := context.Background()
	store, err := keys.Open(devkeys.Default(t))
	if err != nil {
		t.Fatal(err)
	}
	setID, err := store.Named("default")
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New(store, setID)
	if err != nil {
		t.Fatal(err)
	}
	built, err := sequencer.ExampleBatch(b.Shape(), 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	input, err := json.Marshal(built.Request)
	if err != nil {
		t.Fatal(err)
	}
	spec := engine.Spec{Kind: kind.Kind, Input: input}
	plan, err := b.Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Leaves != kind.MinChunks || plan.KeySet != setID || plan.Mock {
		t.Fatalf("plan: %d leaves under %s (mock %v), want %d under %s", plan.Leaves, plan.KeySet, plan.Mock, kind.MinChunks, setID)
	}
	tree := plan.FoldTree()

	var leaves [2][]byte
	for i := range leaves {
		t0 := time.Now()
		if leaves[i], err = b.ProveLeaf(ctx, spec, i, nil); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		// The first includes loading the chunk's proving key.
		t.Logf("chunk %d (%d slots) proved in %v", i, b.Shape().Slots, time.Since(t0).Round(time.Millisecond))
		if err := b.CheckPartial(ctx, spec, tree, i, nil, nil, leaves[i]); err != nil {
			t.Fatalf("chunk %d refused: %v", i, err)
		}
	}
	t.Run("leaf checked against its chunk", func(t *testing.T) {
		if err := b.CheckPartial(ctx, spec, tree, 0, nil, nil, leaves[1]); !errors.Is(err, engine.ErrBadProof) {
			t.Fatalf("chunk 1's proof accepted as chunk 0: %v", err)
		}
	})
	t.Run("chunks out of order", func(t *testing.T) {
		if _, err := b.Fold(ctx, leaves[1], leaves[0]); !errors.Is(err, engine.ErrBadProof) {
			t.Fatalf("reordered chunks folded: %v", err)
		}
	})
	t.Run("chunk proofs in a RISC-V job", func(t *testing.T) {
		z, err := prover.NewGroth16(store, setID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := z.Fold(ctx, leaves[0], leaves[1]); err == nil || !strings.Contains(err.Error(), "does not belong to this job kind") {
			t.Fatalf("the RISC-V backend folded chunk proofs: %v", err)
		}
	})

	t0 := time.Now()
	root, err := b.Fold(ctx, leaves[0], leaves[1])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fold proved in %v (proving key loaded first)", time.Since(t0).Round(time.Millisecond))
	if err := b.CheckPartial(ctx, spec, tree, len(tree)-1, nil, nil, root); err != nil {
		t.Fatalf("root refused: %v", err)
	}
	file, err := b.Finalize(ctx, spec, root)
	if err != nil {
		t.Fatal(err)
	}
	if kd, mock, err := engine.ProofKind(file); err != nil || mock || kd != kind.Kind {
		t.Fatalf("proof kind %q mock %v: %v", kd, mock, err)
	}
	want := &built.Prepared.Statement
	v, err := backend.Verify(store, "default", file, want)
	if err != nil {
		t.Fatal(err)
	}
	if string(v.Statement.Encode()) != string(want.Encode()) || v.Chunks != 2 || !v.Dev {
		t.Fatalf("verified %+v, %d chunks, dev %v", v.Statement.JSON(), v.Chunks, v.Dev)
	}

	t.Run("other statement", func(t *testing.T) {
		other := *want
		other.TxCount++
		if _, err := backend.Verify(store, "", file, &other); !errors.Is(err, backend.ErrInvalid) {
			t.Fatalf("accepted for another statement: %v", err)
		}
	})
	t.Run("key set pinned to another", func(t *testing.T) {
		if _, err := backend.Verify(store, strings.Repeat("ab", 32), file, nil); !errors.Is(err, backend.ErrKeySet) {
			t.Fatalf("accepted under a pin to another set: %v", err)
		}
	})
	t.Run("tampered statement fields", func(t *testing.T) {
		// The statement is re-encoded validly, so only the proof's claim
		// can refuse it: every field of the statement is bound.
		for name, edit := range map[string]func(s *batch.Statement){
			"batch id":        func(s *batch.Statement) { s.BatchID++ },
			"post-state root": func(s *batch.Statement) { s.PostStateRoot.SetUint64(7) },
			"pre-state root":  func(s *batch.Statement) { s.PreStateRoot.SetUint64(7) },
			"batch hash":      func(s *batch.Statement) { s.BatchHash.SetUint64(7) },
			"withdrawal root": func(s *batch.Statement) { s.WithdrawalRoot.SetUint64(7) },
			"deposit root":    func(s *batch.Statement) { s.DepositRoot.SetUint64(7) },
			"tx count":        func(s *batch.Statement) { s.TxCount++ },
			"withdrawals":     func(s *batch.Statement) { s.WithdrawalCount++ },
			"deposits":        func(s *batch.Statement) { s.DepositCount++ },
		} {
			f, err := backend.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			edit(&f.Statement)
			bad, err := f.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := backend.Verify(store, "", bad, nil); !errors.Is(err, backend.ErrInvalid) {
				t.Errorf("%s tampered: %v", name, err)
			}
		}
	})
	t.Run("every byte flipped", func(t *testing.T) {
		step := 1
		if testing.Short() {
			step = 13
		}
		for i := 0; i < len(file); i += step {
			bad := append([]byte(nil), file...)
			bad[i] ^= 0x01
			if _, err := backend.Verify(store, "", bad, nil); err == nil {
				t.Fatalf("byte %d flipped: accepted", i)
			}
		}
	})
}
