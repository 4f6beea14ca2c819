// Package hintaudit helps tests show that a circuit constrains every hint
// output: with gnark's test engine it records the calls of a hint and makes
// one call return a different value in one output while every input (and so
// every committed value) stays honest. A circuit whose soundness argument
// says "this hint output is determined by committed values" must then be
// unsatisfiable. It is used by tests only (it imports gnark/test).
package hintaudit

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/test"
)

// Call is one call of a hint: its inputs and honest outputs.
type Call struct{ In, Out []*big.Int }

// Recorder watches the calls of hints in the order the test engine makes
// them (the order of Define, single-threaded). It keeps, per hint, the
// number of calls and the calls an audit attacks (per signature Shape, the
// first call and the first with a nonzero output), so memory stays bounded
// however many calls a big circuit makes.
type Recorder struct {
	mu    sync.Mutex
	hints map[solver.HintID]solver.Hint
	seen  map[solver.HintID]*record
}

type record struct {
	n      int
	state  map[string]int // signature → 1: first call kept, 2: a nonzero one kept
	picked []Picked
}

// Picked is a kept call and its index among the hint's calls.
type Picked struct {
	K int
	Call
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{hints: map[solver.HintID]solver.Hint{}, seen: map[solver.HintID]*record{}}
}

// All returns engine options recording every registered hint (the
// circuit's own and gnark's), to find which ones a circuit calls.
func (r *Recorder) All() []test.TestEngineOption {
	var opts []test.TestEngineOption
	for _, h := range solver.GetRegisteredHints() {
		opts = append(opts, r.Option(h))
	}
	return opts
}

// Called returns the hints called at least once, ordered by name.
func (r *Recorder) Called() []solver.Hint {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []solver.Hint
	for id := range r.seen {
		out = append(out, r.hints[id])
	}
	sort.Slice(out, func(i, j int) bool { return solver.GetHintName(out[i]) < solver.GetHintName(out[j]) })
	return out
}

// Option returns an engine option recording the calls of h (which still
// computes its honest outputs).
func (r *Recorder) Option(h solver.Hint) test.TestEngineOption {
	id := solver.GetHintID(h)
	r.mu.Lock()
	r.hints[id] = h
	r.mu.Unlock()
	return test.WithReplacementHint(id, func(m *big.Int, in, out []*big.Int) error {
		if err := h(m, in, out); err != nil {
			return err
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		rec := r.seen[id]
		if rec == nil {
			rec = &record{state: map[string]int{}}
			r.seen[id] = rec
		}
		k := rec.n
		rec.n++
		c := Call{In: in, Out: out}
		sig := Shape(k, c)
		nonzero := false
		for _, x := range out {
			nonzero = nonzero || x.Sign() != 0
		}
		switch st := rec.state[sig]; {
		case st == 0:
			rec.state[sig] = 1
			if nonzero {
				rec.state[sig] = 2
			}
		case st == 1 && nonzero:
			rec.state[sig] = 2
		default:
			return nil
		}
		rec.picked = append(rec.picked, Picked{K: k, Call: Call{In: copyInts(in), Out: copyInts(out)}})
		return nil
	})
}

// Count returns how many times h was called.
func (r *Recorder) Count(h solver.Hint) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec := r.seen[solver.GetHintID(h)]; rec != nil {
		return rec.n
	}
	return 0
}

// Picked returns the kept calls of h.
func (r *Recorder) Picked(h solver.Hint) []Picked {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec := r.seen[solver.GetHintID(h)]; rec != nil {
		return rec.picked
	}
	return nil
}

func copyInts(xs []*big.Int) []*big.Int {
	out := make([]*big.Int, len(xs))
	for i, x := range xs {
		out[i] = new(big.Int).Set(x)
	}
	return out
}

// Replace returns an engine option making call k of h return a different
// value in output j: a bit (0 or 1) is flipped, any other value incremented
// (modulo the field, by the engine). Every other call and output is
// honest. hit is set when the replacement happens.
func Replace(h solver.Hint, k, j int, hit *bool) test.TestEngineOption {
	var mu sync.Mutex
	n := 0
	return test.WithReplacementHint(solver.GetHintID(h), func(m *big.Int, in, out []*big.Int) error {
		if err := h(m, in, out); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if n == k {
			*hit = true
			Lie(out[j])
		}
		n++
		return nil
	})
}

// Lie changes x to a different value: 1−x for a bit, x+1 otherwise.
func Lie(x *big.Int) {
	if x.Sign() >= 0 && x.Cmp(big.NewInt(1)) <= 0 {
		x.SetUint64(1 - x.Uint64())
		return
	}
	x.Add(x, big.NewInt(1))
}

// Outputs chooses the outputs of a call to replace: all of them for up to
// 16 outputs, else (a table of counts, say) the first nonzero one and the
// first zero one.
func Outputs(c Call) []int {
	if len(c.Out) <= 16 {
		js := make([]int, len(c.Out))
		for j := range js {
			js[j] = j
		}
		return js
	}
	var js []int
	for _, nonzero := range []bool{true, false} {
		for j, x := range c.Out {
			if (x.Sign() != 0) == nonzero {
				js = append(js, j)
				break
			}
		}
	}
	return js
}

// Shape is the default signature of a call: its numbers of inputs and
// outputs (with gnark's decomposition hints, the width checked).
func Shape(_ int, c Call) string { return fmt.Sprint(len(c.In), len(c.Out)) }

// Limits bound an audit's replacements (0: no bound): per hint, and in
// all. Each replacement is one solve, so big circuits (the fold) need them.
type Limits struct{ PerHint, Total int }

// Audit runs the hint audit of a circuit. solve must solve one fixed,
// honest witness with the given engine options. Audit records which hints
// the solve calls (every registered hint is watched), then for each of them,
// each call the recorder keeps (per signature Shape, the first call and the
// first with a nonzero output: calls of one signature are constrained
// alike, so these stand for the rest) and each output Outputs chooses,
// replaces that one output and requires solve to fail. It returns the names
// of the hints called.
func Audit(t *testing.T, solve func(opts ...test.TestEngineOption) error, lim Limits) []string {
	t.Helper()
	rec := NewRecorder()
	if err := solve(rec.All()...); err != nil {
		t.Fatalf("honest witness rejected: %v", err)
	}
	var names []string
	total := 0
	for _, h := range rec.Called() {
		name := solver.GetHintName(h)
		names = append(names, name)
		t.Logf("%s: %d calls", name, rec.Count(h))
		n := 0
		for _, p := range rec.Picked(h) {
			for _, j := range Outputs(p.Call) {
				if lim.PerHint > 0 && n == lim.PerHint || lim.Total > 0 && total == lim.Total {
					break
				}
				n++
				total++
				k, was := p.K, p.Out[j]
				short := name[strings.LastIndex(name, "/")+1:]
				t.Run(fmt.Sprintf("%s/call%d/out%d", short, k, j), func(t *testing.T) {
					hit := false
					err := solve(Replace(h, k, j, &hit))
					if !hit {
						t.Fatal("replacement not applied")
					}
					if err == nil {
						t.Fatalf("output %d of call %d of %s replaced (%v → a different value) and still solved", j, k, name, was)
					}
				})
			}
		}
	}
	return names
}

// The compiled side. gnark's R1CS builder adds hints of its own that the
// test engine never calls (IsZero's inverse, the BSB22 commitment and its
// blinding mask), so an audit is also run with the real solver on the
// compiled constraint system. The solver may run hints concurrently, so a
// replacement there is keyed by the call's inputs, not its index: every call
// with exactly those inputs gets the different output (for a hint called
// once, its one call).

// DontCare says, for a hint (by name), a call's inputs and an output index,
// whether that output is by design unconstrained; the caller's soundness
// argument must say why it reaches nothing.
type DontCare func(name string, in []*big.Int, j int) bool

// BuilderDontCare are the builder's own hint outputs that constraints leave
// free on purpose: IsZero's inverse of 0 (the result 1 − x·m is 1 whatever
// m), the blinding mask of a BSB22 commitment (random by design) and the
// commitment value itself, which the verifier recomputes from D (the fold:
// h(D) times the commitment base), not the solver.
func BuilderDontCare(name string, in []*big.Int, _ int) bool {
	switch name {
	case "github.com/consensys/gnark/constraint/solver.InvZeroHint":
		return in[0].Sign() == 0
	case "github.com/consensys/gnark/internal/hints.Randomize",
		"github.com/consensys/gnark/frontend/cs.Bsb22CommitmentComputePlaceholder":
		return true
	}
	return false
}

// AuditCompiled runs the hint audit with the real solver: solve must run
// the solver on one honest witness with the given options (for instance
// ccs.IsSolved(w, opts...)). Hints whose name has a prefix in skip (a
// package whose hints the engine audit covers call by call) are only
// recorded. It returns the names of the hints called.
func AuditCompiled(t *testing.T, solve func(opts ...solver.Option) error, skip []string, dontCare DontCare) []string {
	t.Helper()
	type picked struct {
		name string
		h    solver.Hint
		c    Call
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var picks []picked
	names := map[string]int{} // calls per hint
	var opts []solver.Option
	for _, h := range solver.GetRegisteredHints() {
		h, name := h, solver.GetHintName(h)
		opts = append(opts, solver.OverrideHint(solver.GetHintID(h), func(m *big.Int, in, out []*big.Int) error {
			if err := h(m, in, out); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			names[name]++
			c := Call{In: in, Out: out}
			key := name + " " + Shape(0, c)
			nonzero := false
			for _, x := range out {
				nonzero = nonzero || x.Sign() != 0
			}
			switch st := seen[key]; {
			case st == 0:
				seen[key] = 1
				if nonzero {
					seen[key] = 2
				}
			case st == 1 && nonzero:
				seen[key] = 2
			default:
				return nil
			}
			picks = append(picks, picked{name: name, h: h, c: Call{In: copyInts(in), Out: copyInts(out)}})
			return nil
		}))
	}
	if err := solve(opts...); err != nil {
		t.Fatalf("honest witness rejected: %v", err)
	}
	sort.Slice(picks, func(i, j int) bool { return picks[i].name < picks[j].name })
	for i, p := range picks {
		skipped := false
		for _, s := range skip {
			skipped = skipped || strings.HasPrefix(p.name, s)
		}
		if skipped {
			continue
		}
		for _, j := range Outputs(p.c) {
			short := p.name[strings.LastIndex(p.name, "/")+1:]
			t.Run(fmt.Sprintf("%s/pick%d/out%d", short, i, j), func(t *testing.T) {
				hit := false
				var hmu sync.Mutex
				err := solve(solver.OverrideHint(solver.GetHintID(p.h), func(m *big.Int, in, out []*big.Int) error {
					if err := p.h(m, in, out); err != nil {
						return err
					}
					// A hint called once is matched whatever its inputs
					// (the BSB22 commitment's include a fresh random mask).
					if names[p.name] == 1 || sameInts(in, p.c.In) {
						hmu.Lock()
						hit = true
						hmu.Unlock()
						Lie(out[j])
					}
					return nil
				}))
				if !hit {
					t.Fatal("replacement not applied")
				}
				if dontCare != nil && dontCare(p.name, p.c.In, j) {
					if err != nil {
						t.Fatalf("documented don't-care output is constrained after all: %v", err)
					}
					return
				}
				if err == nil {
					t.Fatalf("output %d of %s (inputs %v) replaced and still solved", j, p.name, p.c.In)
				}
			})
		}
	}
	var out []string
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func sameInts(a, b []*big.Int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Cmp(b[i]) != 0 {
			return false
		}
	}
	return true
}
