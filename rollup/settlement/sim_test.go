package settlement_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
	rollupkind "github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/settlement"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
)

// TestPlayL1OnSim: on a simulated chain (a real EVM with the settlement
// contract and a real Groth16 verifier of the final proofs' shape) a batch
// of deposits settles only when its deposits are queued on L1: the phase
// refuses without PlayL1 (the contract's DepositsNotQueued), and with it
// queues them itself and settles.
func TestPlayL1OnSim(t *testing.T) {
	ctx := context.Background()
	genesis, first, bodies := chainOf(t, 1)
	k, err := settletest.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The tiny circuit stands in for the wrap: it proves any public input.
	chainProof := func(spec engine.Spec) func([]byte) ([]byte, error) {
		return func([]byte) ([]byte, error) {
			p, err := rollupkind.Prepare(ctx, spec, shape)
			if err != nil {
				return nil, err
			}
			s, _ := settlement.Statement(p)
			return k.Prove(s.DigestBig())
		}
	}
	job := coordinator.PostProofJob{ID: "j1", Spec: engine.Spec{Kind: rollupkind.Kind, Input: bodies[0]}, Proof: []byte("root")}
	for _, playL1 := range []bool{false, true} {
		sim, err := settle.NewSim(ctx, quiet)
		if err != nil {
			t.Fatal(err)
		}
		defer sim.Close()
		v, _, err := sim.DeployVerifier(ctx, settletest.VerifierBytecode())
		if err != nil {
			t.Fatal(err)
		}
		rc, _, err := sim.DeployRollup(ctx, v, genesis, first)
		if err != nil {
			t.Fatal(err)
		}
		ph := settlement.Phase(rc, settlement.Config{Shape: shape, ChainProof: chainProof(job.Spec), PlayL1: playL1, Poll: 10 * time.Millisecond, Log: quiet})
		_, err = ph.Run(ctx, job)
		var rev *settle.RevertError
		switch {
		case !playL1 && (!errors.As(err, &rev) || !strings.Contains(rev.Reason, "DepositsNotQueued")):
			t.Fatalf("settled without its deposits queued: %v", err)
		case playL1 && err != nil:
			t.Fatalf("PlayL1: %v", err)
		}
		st, err := rc.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]uint64{false: first, true: first + 1}[playL1]; st.NextBatchID != want {
			t.Fatalf("PlayL1 %v: chain's next batch %d, want %d", playL1, st.NextBatchID, want)
		}
	}
}
