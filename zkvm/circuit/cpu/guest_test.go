package cpu

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/tier"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// traceExample traces an embedded example guest into segments of n steps
// cut at the unit-row budget, as the prover does.
func traceExample(t testing.TB, name string, input []byte, n int) *emu.Execution {
	t.Helper()
	elf, err := guest.Example(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := emu.LoadELF(elf)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := emu.Trace(p, input, emu.Config{SegmentSize: n, MulDivBudget: DefaultMulDivRows(n)})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestGroth16Guest proves and verifies real segments of the fib example
// (traced by zkvm/emu): the first, one that runs the output ecall, and the
// last (halt, padded), with the prover options the fold circuit needs; a
// proof does not verify under another segment's public input.
func TestGroth16Guest(t *testing.T) {
	tier.RequireReal(t)
	const n = 32
	input := binary.LittleEndian.AppendUint32(nil, 10)
	ex := traceExample(t, "fib", input, n)
	last := len(ex.Segments) - 1
	write := -1
	for i := range ex.Segments {
		for _, st := range ex.Segments[i].Steps {
			if st.IOKind == emu.IOWrite && write < 0 {
				write = i
			}
		}
	}
	if write < 0 {
		t.Fatal("fib writes no output")
	}
	t.Logf("fib(10): %d steps, %d segments of %d; output in segment %d", ex.Segments[last].End.Step, len(ex.Segments), n, write)
	g := globals(rand.New(rand.NewPCG(31, 32)), len(input))

	field := ecc.BN254.ScalarField()
	ccs := compile(t, n)
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	var pubs []witness.Witness
	var proofs []groth16.Proof
	for _, i := range []int{0, write, last} {
		c, _, err := Assign(&ex.Segments[i], n, g)
		if err != nil {
			t.Fatal(err)
		}
		w, err := frontend.NewWitness(c, field)
		if err != nil {
			t.Fatal(err)
		}
		proof, err := groth16.Prove(ccs, pk, w, stdgroth16.GetNativeProverOptions(field, field))
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		pub, err := w.Public()
		if err != nil {
			t.Fatal(err)
		}
		if err := groth16.Verify(proof, vk, pub, stdgroth16.GetNativeVerifierOptions(field, field)); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		pubs, proofs = append(pubs, pub), append(proofs, proof)
	}
	if err := groth16.Verify(proofs[0], vk, pubs[1], stdgroth16.GetNativeVerifierOptions(field, field)); err == nil {
		t.Fatal("proof verified under another segment's claim")
	}
}

// TestSolveGuests checks segments spread over real example runs (and the
// last one) with the solver.
func TestSolveGuests(t *testing.T) {
	cases := []struct {
		name  string
		input []byte
	}{{"fib", binary.LittleEndian.AppendUint32(nil, 10)}, {"sort", nil}, {"sha256", []byte("abc")}}
	if testing.Short() {
		cases = cases[:1]
	}
	for _, tc := range cases {
		const n = 64
		ex := traceExample(t, tc.name, tc.input, n)
		g := globals(rand.New(rand.NewPCG(33, 34)), len(tc.input))
		step := max(1, len(ex.Segments)/40) // a spread of segments, and the last
		if testing.Short() {
			step = max(1, len(ex.Segments)/8)
		}
		for i := 0; i < len(ex.Segments); i += step {
			c, _, err := Assign(&ex.Segments[i], n, g)
			if err != nil {
				t.Fatal(err)
			}
			if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("%s segment %d: %v", tc.name, i, err)
			}
		}
		c, _, err := Assign(&ex.Segments[len(ex.Segments)-1], n, g)
		if err != nil {
			t.Fatal(err)
		}
		if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("%s last segment: %v", tc.name, err)
		}
		t.Logf("%s: %d segments", tc.name, len(ex.Segments))
	}
}

// TestSolveLargeSegments solves full N = 1024 segments of the example guests
// (the shape whose register-bus times use the time table and whose unit rows
// are N/8) and rejects a register read whose time is not before its access.
func TestSolveLargeSegments(t *testing.T) {
	if testing.Short() {
		t.Skip("N = 1024 solves skipped under -short")
	}
	const n = 1024
	for _, tc := range []struct {
		name  string
		input []byte
	}{{"fib", binary.LittleEndian.AppendUint32(nil, 30)}, {"sha256", make([]byte, 4096)}} {
		ex := traceExample(t, tc.name, tc.input, n)
		g := globals(rand.New(rand.NewPCG(35, 36)), len(tc.input))
		seg := &ex.Segments[len(ex.Segments)/2]
		c, _, err := Assign(seg, n, g)
		if err != nil {
			t.Fatal(err)
		}
		if err := test.IsSolved(Placeholder(n), c, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("%s segment %d: %v", tc.name, seg.Index, err)
		}
		bad := *c
		bad.Rows = append([]Row(nil), c.Rows...)
		row := len(seg.Steps) / 2
		bad.Rows[row].RegTS[1] = uint64(4*row + 2) // = its own access time
		if err := test.IsSolved(Placeholder(n), &bad, ecc.BN254.ScalarField()); err == nil {
			t.Fatalf("%s: register read at its own time accepted", tc.name)
		}
	}
}
