package wrap

import (
	"crypto/sha256"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// piCircuit is the statement half of the wrap alone.
type piCircuit struct {
	PublicInput frontend.Variable `gnark:",public"`
	Statement   Statement
}

func (c *piCircuit) Define(api frontend.API) error {
	pi, err := c.Statement.PublicInput(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(pi, c.PublicInput)
	return nil
}

func assignPI(t testing.TB, s *settle.ProgramStatement) *piCircuit {
	t.Helper()
	st, err := assignStatement(s)
	if err != nil {
		t.Fatal(err)
	}
	return &piCircuit{PublicInput: s.DigestBig(), Statement: st}
}

func randomStatement(rng *rand.Rand) settle.ProgramStatement {
	e := func() [32]byte {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		var x fr.Element
		x.SetBytes(b[:]) // reduced mod r
		return x.Bytes()
	}
	return settle.ProgramStatement{
		ProgramID: e(), InputHash: e(), OutputHash: e(), ExitCode: rng.Uint32(), Cycles: rng.Uint64(),
	}
}

// TestStatementPublicInput checks the in-circuit digest against
// settle.ProgramStatement.DigestBig (SHA-256 of the packing mod r, what
// ProgramVerifier recomputes) on random statements, on the extremes (words
// 0 and r − 1, exit code and cycles all ones) and on the fixture's, and
// that a digest off by one, an exit code of 2^32 or cycles of 2^64, and a
// non-canonical word are refused.
func TestStatementPublicInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	minus1 := claim.U64(0)
	minus1.SetInt64(-1)
	m := minus1.Bytes()
	j := testJob(t)
	full := j.statement()
	stmts := []settle.ProgramStatement{
		{},
		{ProgramID: m, InputHash: m, OutputHash: m, ExitCode: math.MaxUint32, Cycles: math.MaxUint64},
		StatementOf(&full),
	}
	for range 6 {
		stmts = append(stmts, randomStatement(rng))
	}
	f := ecc.BN254.ScalarField()
	reduced := 0
	for i := range stmts {
		s := &stmts[i]
		d := sha256.Sum256(s.Packed())
		if new(big.Int).SetBytes(d[:]).Cmp(f) >= 0 {
			reduced++
		}
		if e := s.Digest(); e.BigInt(new(big.Int)).Cmp(s.DigestBig()) != 0 {
			t.Fatalf("statement %d: Digest and DigestBig differ", i)
		}
		if err := test.IsSolved(&piCircuit{}, assignPI(t, s), f); err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
	if reduced == 0 {
		t.Fatal("no digest at or above r: the reduction was not exercised")
	}

	s := &stmts[3]
	t.Run("digest + 1", func(t *testing.T) {
		a := assignPI(t, s)
		a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		if test.IsSolved(&piCircuit{}, a, f) == nil {
			t.Fatal("accepted")
		}
	})
	for _, c := range []struct {
		name  string
		bits  uint
		zero  func(*settle.ProgramStatement)
		field func(*Statement) *frontend.Variable
	}{
		{"exit code", 32, func(s *settle.ProgramStatement) { s.ExitCode = 0 }, func(s *Statement) *frontend.Variable { return &s.ExitCode }},
		{"cycles", 64, func(s *settle.ProgramStatement) { s.Cycles = 0 }, func(s *Statement) *frontend.Variable { return &s.Cycles }},
	} {
		t.Run(c.name+" out of range", func(t *testing.T) {
			// 2^n has the low bytes of 0: the public input is the one of
			// 0, and with a byte-splitting hint that returns them
			// (gnark's refuses a value above 64 bits) only the check that
			// the bytes recompose the value can refuse it.
			z := *s
			c.zero(&z)
			a := assignPI(t, &z)
			*c.field(&a.Statement) = new(big.Int).Lsh(big.NewInt(1), c.bits)
			err := test.IsSolved(&piCircuit{}, a, f, lowBytes(t))
			if err == nil {
				t.Fatal("accepted")
			}
			t.Logf("refused: %.160s", err)
			if !strings.Contains(err.Error(), "assertIsEqual") {
				t.Fatalf("refused, but not by the recomposition of the bytes: %v", err)
			}
		})
	}
	for i, name := range []string{"program id", "input hash", "output hash"} {
		t.Run("non-canonical "+name, func(t *testing.T) {
			z := *s
			target := big.NewInt(0xdead + int64(i))
			w := claim.Bytes32(claim.U64(target.Uint64()))
			*[]*[32]byte{&z.ProgramID, &z.InputHash, &z.OutputHash}[i] = w
			a := assignPI(t, &z)
			a.PublicInput = nonCanonicalPublicInput(t, &z, i, target)
			hit := false
			err := test.IsSolved(&piCircuit{}, a, f, nonCanonicalBits(t, target, &hit))
			expectCanonicityFailure(t, err, hit)
		})
	}
}

// lowBytes makes gnark's byte-splitting hint return the low bytes of any
// value instead of failing on one of more than 64 bits.
func lowBytes(t *testing.T) test.TestEngineOption {
	t.Helper()
	h := hintNamed(t, "github.com/consensys/gnark/std/math/uints.toBytes")
	return test.WithReplacementHint(solver.GetHintID(h), func(_ *big.Int, in, out []*big.Int) error {
		v := new(big.Int).Set(in[1])
		for i := range out {
			out[i].SetUint64(uint64(v.Uint64() & 0xff))
			v.Rsh(v, 8)
		}
		return nil
	})
}

func hintNamed(t *testing.T, name string) solver.Hint {
	t.Helper()
	for _, h := range solver.GetRegisteredHints() {
		if solver.GetHintName(h) == name {
			return h
		}
	}
	t.Fatalf("hint %s is not registered", name)
	return nil
}

// nonCanonicalPublicInput is the public input of stmt's packing with word
// number i (0: program id, 1: input hash, 2: output hash), whose value is
// v, written as the 32-byte big-endian v + r.
func nonCanonicalPublicInput(t *testing.T, stmt *settle.ProgramStatement, i int, v *big.Int) *big.Int {
	t.Helper()
	w := new(big.Int).Add(v, fr.Modulus())
	if w.BitLen() > fr.Bits {
		t.Fatalf("%v + r does not fit %d bits", v, fr.Bits)
	}
	enc := stmt.Packed()
	off := len(settle.ProgramMagic) + 2 + 32*i
	w.FillBytes(enc[off : off+32])
	d := sha256.Sum256(enc)
	return new(big.Int).Mod(new(big.Int).SetBytes(d[:]), fr.Modulus())
}

// nonCanonicalBits replaces the outputs of gnark's bit decomposition hint
// when it decomposes target into 254 bits: the bits of target + r, which
// satisfy Σ b_i·2^i = target in the field and are booleans, so that only
// the check that the digits are at most r − 1 can refuse them.
func nonCanonicalBits(t *testing.T, target *big.Int, hit *bool) test.TestEngineOption {
	t.Helper()
	nBits := hintNamed(t, "github.com/consensys/gnark/std/math/bits.nBits")
	return test.WithReplacementHint(solver.GetHintID(nBits), func(m *big.Int, in, out []*big.Int) error {
		if err := nBits(m, in, out); err != nil {
			return err
		}
		if len(out) == fr.Bits && in[0].Cmp(target) == 0 {
			w := new(big.Int).Add(target, m)
			for i := range out {
				out[i].SetUint64(uint64(w.Bit(i)))
			}
			*hit = true
		}
		return nil
	})
}

// expectCanonicityFailure requires err to be the refusal of digits above
// r − 1 (the test engine's message for it).
func expectCanonicityFailure(t *testing.T, err error, hit bool) {
	t.Helper()
	if !hit {
		t.Fatal("the decomposition was not replaced")
	}
	if err == nil {
		t.Fatal("a non-canonical word decomposition was accepted")
	}
	t.Logf("refused: %.160s", err)
	bound := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
	if !strings.Contains(err.Error(), " > "+bound.String()) {
		t.Fatalf("refused, but not by the canonicity check: %v", err)
	}
}
