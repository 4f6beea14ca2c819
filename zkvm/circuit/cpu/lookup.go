package cpu

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/multicommit"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// lookups are constant tables checked with one log-derivative argument
// (Haböck, "Multivariate lookups based on logarithmic derivatives") under a
// challenge from the circuit's BSB22 commitment (std/multicommit, so the
// circuit keeps exactly one commitment):
//
//	and:   (a, b, a AND b)            a, b < 16        256 rows
//	msb:   (n, n >> 3)                n < 16            16 rows
//	msb8:  (v, v >> 7)                v < 256          256 rows
//	shift: (v, 2^(v AND 31))          v < 256          256 rows
//	small: (v, w)                     v < 2^w, w ∈ 3..11 2^w rows per width used
//	time:  (v)                        v < timeBound     timeBound rows
//	decode: (key, alt)                legal (class, funct3, funct7, offset) ~270 rows
//
// A query of c columns costs c constraints (c−1 products with powers of
// the challenge and one inverse) but a constant column is free, so a range
// check of width ≤ 11 costs one; a table row costs one. Splitting both
// 32-bit operands into nibbles and looking up every nibble pair replaces
// their 64 bits and 32 bit products, and table membership is also the range
// check of the nibbles. All range checks of the circuit use the small table
// (rowCtx.Check and split cut wider values into pieces of at most 11 bits):
// a 32-bit value costs three lookups.
type lookups struct {
	tables [numTables]lookupTable
	ranges []smallQuery // built into the small table by check
}

// smallQuery is a range check of v to w bits.
type smallQuery struct {
	v frontend.Variable
	w int
}

// lookupTable is one constant table and the queries made to it.
type lookupTable struct {
	rows    [][]uint64
	queries [][]frontend.Variable
	idx     []frontend.Variable // row index of each query (for the counts)
}

const (
	tAnd = iota
	tMsb
	tMsb8
	tShift
	tSmall
	tTime
	tDecode
	numTables
)

const (
	smallMin = 3
	smallMax = 11
)

// newLookups builds the tables; timeBound > 0 adds the time table
// [0, timeBound) (the register bus's time differences, when they are wider
// than the small table).
func newLookups(timeBound int) *lookups {
	l := &lookups{}
	for v := 0; v < timeBound; v++ {
		l.tables[tTime].rows = append(l.tables[tTime].rows, []uint64{uint64(v)})
	}
	for i := 0; i < 256; i++ {
		a, b := uint64(i&15), uint64(i>>4)
		l.tables[tAnd].rows = append(l.tables[tAnd].rows, []uint64{a, b, a & b})
	}
	for n := uint64(0); n < 16; n++ {
		l.tables[tMsb].rows = append(l.tables[tMsb].rows, []uint64{n, n >> 3})
	}
	l.tables[tDecode].rows = decodeRows().rows
	for v := uint64(0); v < 256; v++ {
		l.tables[tMsb8].rows = append(l.tables[tMsb8].rows, []uint64{v, v >> 7})
		l.tables[tShift].rows = append(l.tables[tShift].rows, []uint64{v, 1 << (v & 31)})
	}
	return l
}

func (l *lookups) query(t int, idx frontend.Variable, q ...frontend.Variable) {
	l.tables[t].queries = append(l.tables[t].queries, q)
	l.tables[t].idx = append(l.tables[t].idx, idx)
}

// word splits a 32-bit value into nibbles (recomposition constrained; the
// nibbles are range checked by their lookups). v must be below 2^32 whatever
// the witness (a register value or an operand).
func (l *lookups) word(c *rowCtx, v frontend.Variable) []frontend.Variable {
	n := c.hint(splitHint, 8, v, 4, 4, 4, 4, 4, 4, 4, 4)
	var acc frontend.Variable = 0
	for k := range n {
		acc = c.api.Add(acc, c.api.Mul(n[k], pow2(4*k)))
	}
	c.assertEq(acc, v, 33) // v is a 32-bit register value or operand
	return n
}

// andNib looks up a AND b for nibbles a, b.
func (l *lookups) andNib(c *rowCtx, a, b frontend.Variable) frontend.Variable {
	x := c.hint(nibbleHint, 1, 0, a, b)[0]
	l.query(tAnd, c.api.Add(a, c.api.Mul(b, 16)), a, b, x)
	return x
}

// msbNib looks up the top bit of a nibble n.
func (l *lookups) msbNib(c *rowCtx, n frontend.Variable) frontend.Variable {
	x := c.hint(nibbleHint, 1, 1, n)[0]
	l.query(tMsb, n, n, x)
	return x
}

// msbByte looks up the top bit of a byte v.
func (l *lookups) msbByte(c *rowCtx, v frontend.Variable) frontend.Variable {
	x := c.hint(nibbleHint, 1, 3, v)[0]
	l.query(tMsb8, v, v, x)
	return x
}

// shiftPow looks up 2^(v AND 31) for a byte v (the shift amount of a shift
// whose second operand has low byte v).
func (l *lookups) shiftPow(c *rowCtx, v frontend.Variable) frontend.Variable {
	x := c.hint(nibbleHint, 1, 2, v)[0]
	l.query(tShift, v, v, x)
	return x
}

// small checks 0 ≤ v < 2^w for smallMin ≤ w ≤ smallMax.
func (l *lookups) small(c *rowCtx, v frontend.Variable, w int) {
	if w < smallMin || w > smallMax {
		panic(fmt.Sprintf("cpu: small range check of width %d", w))
	}
	l.ranges = append(l.ranges, smallQuery{v: v, w: w})
}

// buildSmall fills the small table with the rows of the widths queried
// only, and turns the range checks into its queries.
func (l *lookups) buildSmall(api frontend.API) {
	var used [smallMax + 1]bool
	for _, q := range l.ranges {
		used[q.w] = true
	}
	var offset [smallMax + 1]int
	t := &l.tables[tSmall]
	for w := smallMin; w <= smallMax; w++ {
		if !used[w] {
			continue
		}
		offset[w] = len(t.rows)
		for v := 0; v < 1<<w; v++ {
			t.rows = append(t.rows, []uint64{uint64(v), uint64(w)})
		}
	}
	for _, q := range l.ranges {
		l.query(tSmall, api.Add(q.v, offset[q.w]), q.v, q.w)
	}
	l.ranges = nil
}

// decode looks up a row's decode key (decode.go: legal, aligned; the
// offset in bits 14–15) with the alt bit the caller got from decodeAlt.
func (l *lookups) decode(c *rowCtx, key, alt frontend.Variable) {
	x := c.hint(decodeKeyHint, 2, key) // alt, row index
	l.query(tDecode, x[1], key, alt)
}

// decodeAlt is the alt bit of a decode key without its offset (checked by
// the decode lookup of the full key).
func (l *lookups) decodeAlt(c *rowCtx, key frontend.Variable) frontend.Variable {
	return c.hint(decodeKeyHint, 2, key)[0]
}

// time checks 0 ≤ v < timeBound with one lookup.
func (l *lookups) time(v frontend.Variable) {
	if len(l.tables[tTime].rows) == 0 {
		panic("cpu: no time table")
	}
	l.query(tTime, v, v)
}

// check schedules the lookup argument over every query made.
func (l *lookups) check(api frontend.API) error {
	l.buildSmall(api)
	var vars []frontend.Variable
	var counts [numTables][]frontend.Variable
	for i := range l.tables {
		t := &l.tables[i]
		if len(t.rows) == 0 {
			if len(t.queries) != 0 {
				return fmt.Errorf("cpu: queries to an empty lookup table")
			}
			continue
		}
		m, err := api.Compiler().NewHint(countHint, len(t.rows), append([]frontend.Variable{len(t.rows)}, t.idx...)...)
		if err != nil {
			return fmt.Errorf("cpu: lookup counts: %w", err)
		}
		counts[i] = m
		for _, q := range t.queries {
			vars = append(vars, q...)
		}
		vars = append(vars, m...)
	}
	multicommit.WithCommitment(api, func(api frontend.API, cmt frontend.Variable) error {
		x := cmt
		r, err := gadget.Hash(api, lookupTag, cmt)
		if err != nil {
			return fmt.Errorf("cpu: lookup challenge: %w", err)
		}
		rp := []frontend.Variable{1, r, api.Mul(r, r)}
		rp = append(rp, api.Mul(rp[2], r))
		// x − Σ r^j·col_j; linear for a row of constants.
		fp := func(cols []frontend.Variable) frontend.Variable {
			acc := cols[0]
			for j := 1; j < len(cols); j++ {
				acc = api.Add(acc, api.Mul(rp[j], cols[j]))
			}
			return api.Sub(x, acc)
		}
		for i := range l.tables {
			t := &l.tables[i]
			if len(t.rows) == 0 {
				continue
			}
			var sum frontend.Variable = 0
			for _, q := range t.queries {
				sum = api.Add(sum, api.Inverse(fp(q)))
			}
			for k, row := range t.rows {
				cols := make([]frontend.Variable, len(row))
				for j := range row {
					cols[j] = row[j]
				}
				// x − row ≠ 0 but with negligible probability: one constraint.
				sum = api.Sub(sum, api.DivUnchecked(counts[i][k], fp(cols)))
			}
			api.AssertIsEqual(sum, 0)
		}
		return nil
	}, vars...)
	return nil
}

// lookupTag separates the lookup challenge from other hash uses.
const lookupTag = 0x6c6f6f6b757001 // "lookup" | 1

// nibbleHint: (0, a, b) → a AND b; (1, n) → n >> 3; (2, v) → 2^(v AND 31);
// (3, v) → v >> 7 for a byte v.
func nibbleHint(_ *big.Int, in, out []*big.Int) error {
	a := in[1].Uint64()
	switch in[0].Uint64() {
	case 0:
		out[0].SetUint64(a & in[2].Uint64() & 15)
	case 1:
		out[0].SetUint64(a & 15 >> 3)
	case 3:
		out[0].SetUint64(a & 255 >> 7)
	default:
		out[0].SetUint64(1 << (a & 31))
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

// decodeTable is the decode table: the legal (key, alt) rows and the row
// of each key.
type decodeTable struct {
	rows  [][]uint64
	index map[uint64]int
}

// decodeRows builds the decode table once.
var decodeRows = sync.OnceValue(func() decodeTable {
	t := decodeTable{index: map[uint64]int{}}
	for k := class(0); k <= numClasses; k++ {
		for f3 := uint32(0); f3 < 8; f3++ {
			for f7m := uint32(0); f7m < 128; f7m++ {
				ok, alt := legal(k, f3, f7m)
				if !ok {
					continue
				}
				a := uint64(0)
				if alt {
					a = 1
				}
				for off := uint32(0); off < 4; off++ {
					if aligned(k, f3, off) {
						key := decodeKey(k, f3, f7m) | uint64(off)<<14
						t.index[key] = len(t.rows)
						t.rows = append(t.rows, []uint64{key, a})
					}
				}
			}
		}
	}
	return t
})

// decodeKeyHint: key → (alt, row index) of a legal key, (0, rows) for an
// illegal one (which no row matches).
func decodeKeyHint(_ *big.Int, in, out []*big.Int) error {
	t := decodeRows()
	out[0].SetUint64(0)
	out[1].SetUint64(uint64(len(t.rows)))
	if !in[0].IsUint64() {
		return nil
	}
	if i, ok := t.index[in[0].Uint64()]; ok {
		out[0].SetUint64(t.rows[i][1])
		out[1].SetUint64(uint64(i))
	}
	return nil
}
