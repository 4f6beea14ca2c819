package cpu

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/multicommit"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// nibbles is the bitwise unit's lookup: two constant tables of 4-bit values
// checked with one log-derivative argument (Haböck, "Multivariate lookups
// based on logarithmic derivatives") under a challenge from the circuit's
// BSB22 commitment (std/multicommit, so still one commitment):
//
//	and:  (a, b, a AND b)             for a, b < 16 (256 rows)
//	bits: (n, n >> 3, n AND 1, 2^n)   for n < 16    (16 rows)
//
// Splitting both 32-bit operands into nibbles and looking up every nibble
// pair costs ~3 constraints per pair instead of ~12 for their eight bits
// and four bit products, and the table membership is also the range check
// of the nibbles.
type nibbles struct {
	and, bits   [][]frontend.Variable // queries
	andI, bitsI []frontend.Variable   // row index of each query
}

const (
	andRows  = 256
	bitsRows = 16
)

// andRow and bitsRow are the constant table rows.
func andRow(i int) [3]uint64 {
	return [3]uint64{uint64(i & 15), uint64(i >> 4), uint64(i & 15 & (i >> 4))}
}
func bitsRow(n int) [4]uint64 {
	return [4]uint64{uint64(n), uint64(n >> 3), uint64(n & 1), 1 << n}
}

// word splits a 32-bit value into nibbles (recomposition constrained; the
// nibbles are range checked by their lookups).
func (t *nibbles) word(c *rowCtx, v frontend.Variable) []frontend.Variable {
	n := c.hint(splitHint, 8, v, 4, 4, 4, 4, 4, 4, 4, 4)
	var acc frontend.Variable = 0
	for k := range n {
		acc = c.api.Add(acc, c.api.Mul(n[k], pow2(4*k)))
	}
	c.api.AssertIsEqual(acc, v)
	return n
}

// andNib looks up a AND b for nibbles a, b.
func (t *nibbles) andNib(c *rowCtx, a, b frontend.Variable) frontend.Variable {
	x := c.hint(nibbleHint, 1, 0, a, b)[0]
	t.and = append(t.and, []frontend.Variable{a, b, x})
	t.andI = append(t.andI, c.api.Add(a, c.api.Mul(b, 16)))
	return x
}

// bitsNib looks up (n >> 3, n AND 1, 2^n) for a nibble n.
func (t *nibbles) bitsNib(c *rowCtx, n frontend.Variable) (msb, lsb, pow frontend.Variable) {
	x := c.hint(nibbleHint, 3, 1, n)
	t.bits = append(t.bits, []frontend.Variable{n, x[0], x[1], x[2]})
	t.bitsI = append(t.bitsI, n)
	return x[0], x[1], x[2]
}

// check schedules the lookup argument over every query made.
func (t *nibbles) check(api frontend.API) error {
	if len(t.and) == 0 && len(t.bits) == 0 {
		return nil
	}
	andM, err := api.Compiler().NewHint(countHint, andRows, append([]frontend.Variable{andRows}, t.andI...)...)
	if err != nil {
		return fmt.Errorf("cpu: nibble counts: %w", err)
	}
	bitsM, err := api.Compiler().NewHint(countHint, bitsRows, append([]frontend.Variable{bitsRows}, t.bitsI...)...)
	if err != nil {
		return fmt.Errorf("cpu: nibble counts: %w", err)
	}
	var vars []frontend.Variable
	for _, q := range t.and {
		vars = append(vars, q...)
	}
	for _, q := range t.bits {
		vars = append(vars, q...)
	}
	vars = append(vars, andM...)
	vars = append(vars, bitsM...)
	multicommit.WithCommitment(api, func(api frontend.API, cmt frontend.Variable) error {
		x := cmt
		r, err := gadget.Hash(api, nibbleTag, cmt)
		if err != nil {
			return fmt.Errorf("cpu: nibble challenge: %w", err)
		}
		rp := []frontend.Variable{1, r, api.Mul(r, r)}
		rp = append(rp, api.Mul(rp[2], r))
		// fp of a row of constants is linear in the powers of r.
		fp := func(cols []frontend.Variable) frontend.Variable {
			var acc frontend.Variable = cols[0]
			for j := 1; j < len(cols); j++ {
				acc = api.Add(acc, api.Mul(rp[j], cols[j]))
			}
			return api.Sub(x, acc)
		}
		var sum frontend.Variable = 0
		for _, q := range t.and {
			sum = api.Add(sum, api.Inverse(fp(q)))
		}
		for _, q := range t.bits {
			sum = api.Add(sum, api.Inverse(fp(q)))
		}
		for i := 0; i < andRows; i++ {
			row := andRow(i)
			sum = api.Sub(sum, api.Div(andM[i], fp([]frontend.Variable{row[0], row[1], row[2]})))
		}
		for n := 0; n < bitsRows; n++ {
			row := bitsRow(n)
			sum = api.Sub(sum, api.Div(bitsM[n], fp([]frontend.Variable{row[0], row[1], row[2], row[3]})))
		}
		api.AssertIsEqual(sum, 0)
		return nil
	}, vars...)
	return nil
}

// nibbleTag separates the nibble-lookup challenge from other hash uses.
const nibbleTag = 0x6e6962626c6501 // "nibble" | 1

// nibbleHint: (0, a, b) → a AND b; (1, n) → (n >> 3, n AND 1, 2^n).
func nibbleHint(_ *big.Int, in, out []*big.Int) error {
	a := in[1].Uint64() & 15
	switch in[0].Uint64() {
	case 0:
		out[0].SetUint64(a & in[2].Uint64() & 15)
	default:
		out[0].SetUint64(a >> 3)
		out[1].SetUint64(a & 1)
		out[2].SetUint64(1 << a)
	}
	return nil
}

// countHint: (rows, idx...) → how many times each row index is queried.
func countHint(_ *big.Int, in, out []*big.Int) error {
	rows := in[0].Uint64()
	for i := range out {
		out[i].SetUint64(0)
	}
	for _, x := range in[1:] {
		if x.IsUint64() && x.Uint64() < rows {
			out[x.Uint64()].Add(out[x.Uint64()], big.NewInt(1))
		}
	}
	return nil
}
