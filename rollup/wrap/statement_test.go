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

	"github.com/zkfleet/zkfleet/rollup/batch"
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

func assignPI(s *batch.Statement) *piCircuit {
	pi := s.PublicInput()
	return &piCircuit{PublicInput: pi.BigInt(new(big.Int)), Statement: assignStatement(s)}
}

func randomStatement(rng *rand.Rand) batch.Statement {
	e := func() fr.Element {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		var x fr.Element
		x.SetBytes(b[:]) // reduced mod r
		return x
	}
	w, d, tr := rng.Uint64()>>2, rng.Uint64()>>2, rng.Uint64()>>2
	return batch.Statement{
		BatchID: rng.Uint64(), PreStateRoot: e(), PostStateRoot: e(), BatchHash: e(), WithdrawalRoot: e(), DepositRoot: e(),
		TxCount: tr + w + d, TransferCount: tr, WithdrawalCount: w, DepositCount: d,
	}
}

// TestStatementPublicInput checks the in-circuit digest against
// batch.Statement.PublicInput on random statements and on the extremes
// (roots 0 and r − 1, 64-bit fields all ones), and that a digest off by
// one or a batch id or count of 2^64 is refused.
func TestStatementPublicInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var minus1 fr.Element
	minus1.SetInt64(-1)
	stmts := []batch.Statement{
		{},
		{BatchID: math.MaxUint64, PreStateRoot: minus1, PostStateRoot: minus1, BatchHash: minus1, WithdrawalRoot: minus1, DepositRoot: minus1,
			TxCount: math.MaxUint64, TransferCount: math.MaxUint64, WithdrawalCount: math.MaxUint64, DepositCount: math.MaxUint64},
	}
	for range 6 {
		stmts = append(stmts, randomStatement(rng))
	}
	f := ecc.BN254.ScalarField()
	reduced := 0
	for i := range stmts {
		s := &stmts[i]
		d := s.Digest()
		if new(big.Int).SetBytes(d[:]).Cmp(f) >= 0 {
			reduced++
		}
		if err := test.IsSolved(&piCircuit{}, assignPI(s), f); err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
	if reduced == 0 {
		t.Fatal("no digest at or above r: the reduction was not exercised")
	}

	s := &stmts[2]
	t.Run("digest + 1", func(t *testing.T) {
		a := assignPI(s)
		a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
		if test.IsSolved(&piCircuit{}, a, f) == nil {
			t.Fatal("accepted")
		}
	})
	for _, c := range []struct {
		name  string
		zero  func(*batch.Statement)
		field func(*Statement) *frontend.Variable
	}{
		{"batch id", func(s *batch.Statement) { s.BatchID = 0 }, func(s *Statement) *frontend.Variable { return &s.BatchID }},
		{"tx count", func(s *batch.Statement) { s.TxCount = 0 }, func(s *Statement) *frontend.Variable { return &s.TxCount }},
		{"transfer count", func(s *batch.Statement) { s.TransferCount = 0 }, func(s *Statement) *frontend.Variable { return &s.TransferCount }},
		{"withdrawal count", func(s *batch.Statement) { s.WithdrawalCount = 0 }, func(s *Statement) *frontend.Variable { return &s.WithdrawalCount }},
		{"deposit count", func(s *batch.Statement) { s.DepositCount = 0 }, func(s *Statement) *frontend.Variable { return &s.DepositCount }},
	} {
		t.Run(c.name+" of 2^64", func(t *testing.T) {
			// 2^64 has the eight low bytes of 0: the public input is the
			// one of 0, and with a byte-splitting hint that returns them
			// (gnark's refuses a value above 64 bits) only the check that
			// the bytes recompose the value can refuse it.
			z := *s
			c.zero(&z)
			a := assignPI(&z)
			*c.field(&a.Statement) = new(big.Int).Lsh(big.NewInt(1), 64)
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
	t.Run("non-canonical root", func(t *testing.T) {
		z := *s
		z.WithdrawalRoot.SetUint64(0xdead)
		target := big.NewInt(0xdead)
		a := assignPI(&z)
		a.PublicInput = nonCanonicalPublicInput(t, &z, 3, target)
		hit := false
		err := test.IsSolved(&piCircuit{}, a, f, nonCanonicalBits(t, target, &hit))
		expectCanonicityFailure(t, err, hit)
	})
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

// nonCanonicalPublicInput is the public input of stmt's encoding with root
// number i (0: pre-state root … 4: deposit root), whose value is v, written
// as the 32-byte big-endian v + r.
func nonCanonicalPublicInput(t *testing.T, stmt *batch.Statement, i int, v *big.Int) *big.Int {
	t.Helper()
	w := new(big.Int).Add(v, fr.Modulus())
	if w.BitLen() > fr.Bits {
		t.Fatalf("%v + r does not fit %d bits", v, fr.Bits)
	}
	enc := stmt.Encode()
	off := 14 + 32*i
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
		t.Fatal("a non-canonical root decomposition was accepted")
	}
	t.Logf("refused: %.160s", err)
	bound := new(big.Int).Sub(fr.Modulus(), big.NewInt(1))
	if !strings.Contains(err.Error(), " > "+bound.String()) {
		t.Fatalf("refused, but not by the canonicity check: %v", err)
	}
}
