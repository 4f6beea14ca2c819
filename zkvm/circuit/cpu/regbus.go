package cpu

import (
	"fmt"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/multicommit"

	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// regBus keeps the register file of a segment off the row state: it is a
// segment-local offline memory check (Blum et al., "Checking the correctness
// of memories", with the log-derivative multiset test of Haböck, "Multivariate
// lookups based on logarithmic derivatives"). Selecting rs1/rs2 out of 32 row
// variables and updating 31 of them cost ~130 constraints per step; four bus
// slots cost ~25.
//
// Every row makes four accesses, slot k at local time t = 4·row + k + 1:
// each reads (idx, v, oldT) with oldT < t and writes (idx, v', t), where
// v' = v except for the rd slot. The register file is written at time 0
// from the start registers and read at the end into the end registers.
// With writes at distinct times per register and every read older than its
// access, the multiset equality reads = writes forces every read to return
// the latest value written to its register.
//
// The tuples are fingerprinted idx + a·v + a²·t and the test is
// Σ writes 1/(b − fp) − Σ reads 1/(b − fp) = 0, with a, b drawn from the
// circuit's BSB22 commitment (std/multicommit, shared with the lookups and
// the unit bus, so the circuit still has exactly one commitment) over every
// value the prover chooses for the bus: the read values and times, the
// instruction words (which give the indices), the start and end registers,
// and the phase-1 commitment and input length that fix everything the
// written values are computed from (see the package doc, "Soundness"). The bus
// never leaves the segment, so it needs neither the global challenge nor
// room in the phase-1 commitment.
type regBus struct {
	inRange func(v frontend.Variable) // proves 0 ≤ v < 2^k, 4·rows + 4 ≤ 2^k ≪ p

	row    int // current row
	acc    []regAccess
	commit []frontend.Variable // values the challenge must depend on
}

// regAccess is one read-then-write of a register.
type regAccess struct {
	idx, v, oldT frontend.Variable
	newV         frontend.Variable // nil: v is written back
	t            int
}

// newRegBus makes the bus of a segment of the given rows; check must prove
// 0 ≤ v < 2^k for some 2^k ≤ 2^p/4 that covers every time, 4·rows + 4.
func newRegBus(check func(v frontend.Variable), rows int) *regBus {
	return &regBus{inRange: check}
}

// read is slot k of the current row: it reads register idx (whose value the
// row witness gives) and, for k < 3, writes the same value back.
func (b *regBus) read(api frontend.API, r *Row, k int, idx frontend.Variable) frontend.Variable {
	t := 4*b.row + k + 1
	// oldT < t. oldT must equal the time of some write, all of which are in
	// [0, 4·rows + 4), so a bound of 4·rows + 4 (or the power of two above
	// it) on t − 1 − oldT suffices: a smaller oldT is negative and matches
	// no write.
	b.inRange(api.Sub(t-1, r.RegTS[k]))
	b.acc = append(b.acc, regAccess{idx: idx, v: r.Reg[k], oldT: r.RegTS[k], t: t})
	b.commit = append(b.commit, r.Reg[k], r.RegTS[k])
	return r.Reg[k]
}

// write sets the value the rd slot (the last read of the row) writes.
func (b *regBus) write(v frontend.Variable) {
	b.acc[len(b.acc)-1].newV = v
}

// nextRow moves to the next row.
func (b *regBus) nextRow() { b.row++ }

// check schedules the multiset test: start holds x1..x31 at time 0, end the
// values read at the end with the times of their last writes (x0 included,
// whose end value is 0). bind are further values the circuit's one BSB22
// commitment must cover (the phase-1 commitment and the input length: see
// the package doc, "Soundness").
func (b *regBus) check(api frontend.API, instrs, start, end, endT, bind []frontend.Variable) {
	vars := append([]frontend.Variable{}, b.commit...)
	vars = append(vars, bind...)
	vars = append(vars, instrs...)
	vars = append(vars, start...)
	vars = append(vars, end...)
	vars = append(vars, endT...)
	multicommit.WithCommitment(api, func(api frontend.API, cmt frontend.Variable) error {
		alpha := cmt
		beta, err := gadget.Hash(api, regBusTag, cmt)
		if err != nil {
			return fmt.Errorf("cpu: register bus challenge: %w", err)
		}
		alpha2 := api.Mul(alpha, alpha)
		inv := func(fp frontend.Variable) frontend.Variable { return api.Inverse(api.Sub(beta, fp)) }
		var sum frontend.Variable = 0
		for r := 0; r < 32; r++ {
			var v frontend.Variable = 0
			if r > 0 {
				v = start[r-1]
			}
			sum = api.Add(sum, inv(api.Add(r, api.Mul(alpha, v)))) // init, t = 0
			var e frontend.Variable = 0
			if r > 0 {
				e = end[r-1]
			}
			sum = api.Sub(sum, inv(api.Add(r, api.Mul(alpha, e), api.Mul(alpha2, endT[r]))))
		}
		for _, a := range b.acc {
			av := api.Mul(alpha, a.v)
			sum = api.Sub(sum, inv(api.Add(a.idx, av, api.Mul(alpha2, a.oldT))))
			if a.newV != nil {
				av = api.Mul(alpha, a.newV)
			}
			sum = api.Add(sum, inv(api.Add(a.idx, av, api.Mul(alpha2, a.t))))
		}
		api.AssertIsEqual(sum, 0)
		return nil
	}, vars...)
}

// regBusTag separates the register-bus challenge from other hash uses.
const regBusTag = 0x72656762757301 // "regbus" | 1
