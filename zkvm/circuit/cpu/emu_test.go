package cpu

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestSolveEmuTraces proves segments traced by zkvm/emu itself, and checks the
// Assign claim's bus sum against an independent native sum over the trace.
func TestSolveEmuTraces(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{16, 32} {
		input := []byte("hi!")
		p := emu.ProgramFromWords(progBase, genProgram(rng))
		ex, err := emu.Trace(p, input, emu.Config{SegmentSize: n, MulDivBudget: DefaultMulDivRows(n)})
		if err != nil {
			t.Fatal(err)
		}
		g := globals(rng, len(input))
		alpha, beta := claim.BusChallenges(g.Challenge)
		var total claim.Claim
		for i := range ex.Segments {
			seg := &ex.Segments[i]
			c, cl, err := Assign(seg, n, g)
			if err != nil {
				t.Fatal(err)
			}
			if !testing.Short() || i%3 == 0 || i == len(ex.Segments)-1 {
				if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
					t.Fatalf("N=%d segment %d: %v", n, i, err)
				}
			}
			// Independent bus sum: fetch from pc/instr, memory from the
			// access, tapes from the IO fields.
			var want claim.Claim
			for k, st := range seg.Steps {
				terms := []struct {
					tag, a, b, c uint64
					m            int64
				}{{claim.TagFetch, uint64(st.PC), uint64(st.Instr), 0, -1}}
				if st.Mem.Valid {
					ts := seg.Start.Step + uint64(k) + 1
					terms = append(terms, struct {
						tag, a, b, c uint64
						m            int64
					}{claim.TagMem, uint64(st.Mem.Addr), uint64(st.Mem.Old), st.Mem.OldTS, -1}, struct {
						tag, a, b, c uint64
						m            int64
					}{claim.TagMem, uint64(st.Mem.Addr), uint64(st.Mem.New), ts, 1})
				}
				if st.IOKind == emu.IORead {
					terms = append(terms, struct {
						tag, a, b, c uint64
						m            int64
					}{claim.TagInput, uint64(st.IOIndex), uint64(st.IOByte), 0, -1})
				}
				if st.IOKind == emu.IOWrite {
					terms = append(terms, struct {
						tag, a, b, c uint64
						m            int64
					}{claim.TagOutput, uint64(st.IOIndex), uint64(st.IOByte), 0, 1})
				}
				for _, x := range terms {
					tm := claim.Term(beta, claim.Fingerprint(alpha, x.tag, x.a, x.b, x.c), x.m)
					want.BusSum.Add(&want.BusSum, &tm)
				}
			}
			if !want.BusSum.Equal(&cl.BusSum) {
				t.Fatalf("segment %d: bus sum mismatch", i)
			}
			if i == 0 {
				total = cl
				continue
			}
			var ok bool
			if total, ok = claim.Fold(&total, &cl); !ok {
				t.Fatalf("segment %d does not chain", i)
			}
		}
		// The segments chain: folding them all must succeed.
		if !total.End[claim.CPUHalted].Equal(ptr(claim.U64(1))) {
			t.Fatalf("N=%d: folded claim does not end halted", n)
		}
		if code := total.End[claim.CPUExitCode]; !code.Equal(ptr(claim.U64(42))) {
			t.Fatalf("N=%d: exit code %s", n, code.String())
		}
	}
}

func ptr[T any](v T) *T { return &v }
