package mock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/guest"
)

// prove runs the whole pipeline of spec on b the way the cluster does.
func prove(t *testing.T, b *Backend, spec engine.Spec) (*engine.Plan, [][]byte, []byte) {
	t.Helper()
	ctx := context.Background()
	p, err := b.Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	var challenge []byte
	if p.Contribute {
		commits := make([][]byte, p.Leaves)
		for i := range commits {
			if commits[i], err = b.Contribute(ctx, spec, i); err != nil {
				t.Fatal(err)
			}
		}
		if challenge, err = b.Challenge(commits); err != nil {
			t.Fatal(err)
		}
	}
	tree := p.FoldTree()
	proofs := make([][]byte, len(tree))
	for _, nd := range tree {
		if nd.Left < 0 {
			proofs[nd.ID], err = b.ProveLeaf(ctx, spec, nd.ID, challenge)
		} else {
			proofs[nd.ID], err = b.Fold(ctx, proofs[nd.Left], proofs[nd.Right])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return p, proofs, challenge
}

func fib(t *testing.T) engine.Spec {
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	return engine.Spec{Kind: engine.KindRISCV, ELF: elf, Input: []byte{20, 0, 0, 0}}
}

func TestRISCVMockPipeline(t *testing.T) {
	b := RISCV(DefaultShape, 0)
	spec := fib(t)
	p, proofs, _ := prove(t, b, spec)
	if !p.Mock || p.KeySet != KeySet || p.Kind != engine.KindRISCV || !p.Contribute {
		t.Fatalf("plan not labelled as a mock RISC-V plan: %+v", p)
	}
	if p.ExitCode != 0 || p.Cycles == 0 || len(p.Output) == 0 || p.ProgramID == ([32]byte{}) {
		t.Fatalf("plan lacks the guest's statement: %+v", p)
	}
	file, err := b.Finalize(context.Background(), spec, proofs[len(proofs)-1])
	if err != nil {
		t.Fatal(err)
	}
	kind, mock, err := engine.ProofKind(file)
	if err != nil || !mock || kind != engine.KindRISCV {
		t.Fatalf("ProofKind = %q %v %v", kind, mock, err)
	}
	if !strings.Contains(string(file), "MOCK") || !strings.Contains(string(file), "proves nothing") {
		t.Fatalf("mock file does not say what it is:\n%s", file)
	}
	if b.Finalized.Load() != 1 || b.LeafProofs.Load() != int64(p.Leaves) || b.Folds.Load() != int64(p.Leaves-1) {
		t.Fatalf("counters: %d finalized, %d leaves, %d folds for %d leaves", b.Finalized.Load(), b.LeafProofs.Load(), b.Folds.Load(), p.Leaves)
	}
}

func TestMockFinalizeRejects(t *testing.T) {
	b := RISCV(DefaultShape, 0)
	spec := fib(t)
	p, proofs, challenge := prove(t, b, spec)
	if p.Leaves < 3 {
		t.Fatalf("need 3 leaves, plan has %d", p.Leaves)
	}
	ctx := context.Background()
	otherSpec := spec
	otherSpec.Input = []byte{21, 0, 0, 0}
	otherLeaf, err := b.ProveLeaf(ctx, otherSpec, 0, challenge)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		run  func() error
	}{
		{"root of a subtree", func() error { _, err := b.Finalize(ctx, spec, proofs[p.Leaves]); return err }},
		{"garbage root", func() error { _, err := b.Finalize(ctx, spec, []byte("garbage")); return err }},
		{"reordered fold", func() error { _, err := b.Fold(ctx, proofs[1], proofs[0]); return err }},
		{"gap in fold", func() error { _, err := b.Fold(ctx, proofs[0], proofs[2]); return err }},
		{"leaf under another challenge", func() error {
			l, err := b.ProveLeaf(ctx, spec, 0, make([]byte, 32))
			if err != nil {
				return err
			}
			_, err = b.Fold(ctx, l, proofs[1])
			return err
		}},
		{"leaf of another input", func() error {
			// Same range and challenge, wrong spec: only Finalize's tree
			// recomputation can see it.
			ps := append([][]byte(nil), proofs...)
			ps[0] = otherLeaf
			for _, nd := range p.FoldTree()[p.Leaves:] {
				if ps[nd.ID], err = b.Fold(ctx, ps[nd.Left], ps[nd.Right]); err != nil {
					return err
				}
			}
			root := ps[len(ps)-1]
			_, err := b.Finalize(ctx, spec, root)
			return err
		}},
		{"leaf out of range", func() error { _, err := b.ProveLeaf(ctx, spec, p.Leaves, challenge); return err }},
		{"other kind", func() error { _, err := b.Plan(ctx, engine.Spec{Kind: "rollup"}); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestRISCVMockPlanErrors(t *testing.T) {
	b := RISCV(DefaultShape, 0)
	spec := fib(t)
	cases := []struct {
		name string
		spec engine.Spec
		want error
	}{
		{"not an ELF", engine.Spec{ELF: []byte("nope")}, engine.ErrBadProgram},
		{"cycle limit", engine.Spec{ELF: spec.ELF, Input: spec.Input, MaxCycles: 10}, engine.ErrExecution},
		{"limit above the emulator's", engine.Spec{ELF: spec.ELF, MaxCycles: 1 << 41}, engine.ErrLimit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := b.Plan(context.Background(), tc.spec); !errors.Is(err, tc.want) {
				t.Fatalf("Plan: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestMockDelayHonoursContext(t *testing.T) {
	b := RISCV(DefaultShape, time.Hour)
	spec := fib(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.Contribute(ctx, spec, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Contribute with an hour's delay: %v", err)
	}
}

func TestMockWithoutContribution(t *testing.T) {
	b := New("demo", func(_ context.Context, s engine.Spec) (*engine.Plan, error) {
		return &engine.Plan{Leaves: len(s.Input)}, nil
	}, 0)
	spec := engine.Spec{Kind: "demo", Input: []byte("abcde")}
	_, proofs, _ := prove(t, b, spec)
	if _, err := b.Finalize(context.Background(), spec, proofs[len(proofs)-1]); err != nil {
		t.Fatal(err)
	}
}
