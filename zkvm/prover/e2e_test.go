package prover

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/internal/testkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
	"github.com/zkfleet/zkfleet/rollup/batch"
	rollupcircuit "github.com/zkfleet/zkfleet/rollup/circuit"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// The key set includes the rollup's chunk circuit, which its backend
// package registers; that package imports this one, so the tests register
// the circuit themselves (as rollup/backend does).
func init() {
	RegisterLeafCircuit("chunk", func(s keys.Shape) (frontend.Circuit, error) {
		return rollupcircuit.New(batch.Shape{Depth: s.ChunkDepth, Slots: s.ChunkSlots})
	})
}

// devKeys returns the shared development key set (internal/testkeys),
// generating or updating it first if the circuits changed.
func devKeys(t testing.TB) (*keys.Store, string) {
	return testkeys.Default(t, func(ctx context.Context, store *keys.Store) (string, error) {
		return Setup(ctx, store, DefaultShape, testLogger(t))
	})
}

func TestGroth16EndToEnd(t *testing.T) {
	tier.RequireReal(t)
	ctx := context.Background()
	store, setID := devKeys(t)
	b, err := NewGroth16(store, setID)
	if err != nil {
		t.Fatal(err)
	}
	spec := fibSpec(t, 12)
	plan, err := b.Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plan: %d leaves, %d cycles, output %q", plan.Leaves, plan.Cycles, plan.Output)
	coms := make([][]byte, plan.Leaves)
	for i := range coms {
		if coms[i], err = b.Contribute(ctx, spec, i); err != nil {
			t.Fatal(err)
		}
	}
	gamma, err := b.Challenge(coms)
	if err != nil {
		t.Fatal(err)
	}
	nodes := claim.Tree(plan.Leaves)
	parts := make([][]byte, len(nodes))
	for _, nd := range nodes {
		t0 := time.Now()
		if nd.Left < 0 {
			parts[nd.ID], err = b.ProveLeaf(ctx, spec, nd.ID, gamma)
		} else {
			parts[nd.ID], err = b.Fold(ctx, parts[nd.Left], parts[nd.Right])
		}
		if err != nil {
			t.Fatalf("node %d: %v", nd.ID, err)
		}
		t.Logf("node %d (left %d, right %d): %v", nd.ID, nd.Left, nd.Right, time.Since(t0).Round(time.Millisecond))
	}
	// Folding out of order must be refused before any proving.
	if plan.Leaves >= 3 {
		if _, err := b.Fold(ctx, parts[0], parts[2]); !errors.Is(err, ErrBadProof) {
			t.Fatalf("fold of non-adjacent leaves: %v", err)
		}
	}
	file, err := b.Finalize(ctx, spec, parts[len(parts)-1])
	if err != nil {
		t.Fatal(err)
	}
	st, err := agg.Verify(store, "", file, spec.ELF, spec.Input)
	if err != nil {
		t.Fatalf("valid proof rejected: %v", err)
	}
	if st.ExitCode != plan.ExitCode || st.Cycles != plan.Cycles || string(st.Output) != string(plan.Output) {
		t.Fatalf("statement %+v disagrees with plan %+v", st, plan)
	}

	mustReject := func(name string, f, elf, in []byte) {
		t.Helper()
		if _, err := agg.Verify(store, "", f, elf, in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	mustReject("other input", file, spec.ELF, []byte{13, 0, 0, 0})
	if other, err := os.ReadFile("../../guest/bin/sort.elf"); err == nil {
		mustReject("other ELF", file, other, spec.Input)
	}
	f, err := agg.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*agg.File){
		"exit code": func(f *agg.File) { f.ExitCode ^= 1 },
		"output":    func(f *agg.File) { f.Output = append([]byte("X"), f.Output...) },
		"cycles":    func(f *agg.File) { f.Cycles++ },
		"leaves":    func(f *agg.File) { f.Leaves++ },
	} {
		g := *f
		mut(&g)
		raw, err := g.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		mustReject(name, raw, spec.ELF, spec.Input)
	}
	for _, i := range []int{0, 9, 12, 50, 150, len(file) / 2, len(file) - 200, len(file) - 40, len(file) - 1} {
		x := append([]byte{}, file...)
		x[i] ^= 0x04
		mustReject("flipped byte", x, spec.ELF, spec.Input)
	}
}
