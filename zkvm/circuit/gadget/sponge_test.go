package gadget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

type spongeCircuit struct {
	In  []frontend.Variable
	Out frontend.Variable
}

func (c *spongeCircuit) Define(api frontend.API) error {
	h, err := Sponge(api, c.In...)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h, c.Out)
	return nil
}

// TestSpongeNativeMatchesCircuit checks the sponge both ways, for lengths
// around the rate, and that a changed input or length changes it.
func TestSpongeNativeMatchesCircuit(t *testing.T) {
	seen := map[fr.Element]bool{}
	for _, n := range []int{0, 1, 14, 15, 16, 31} {
		in := make([]fr.Element, n)
		for i := range in {
			in[i].SetUint64(uint64(1000*n + i))
		}
		want := claim.Sponge(in...)
		if seen[want] {
			t.Fatalf("n=%d: collision", n)
		}
		seen[want] = true
		w := &spongeCircuit{In: make([]frontend.Variable, n), Out: want.String()}
		for i := range in {
			w.In[i] = in[i].String()
		}
		if err := test.IsSolved(&spongeCircuit{In: make([]frontend.Variable, n)}, w, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if n > 0 {
			w.In[n-1] = 5
			if test.IsSolved(&spongeCircuit{In: make([]frontend.Variable, n)}, w, ecc.BN254.ScalarField()) == nil {
				t.Fatalf("n=%d: changed input accepted", n)
			}
		}
	}
	// Zero padding is not a collision: [x] and [x, 0] differ.
	a, b := claim.Sponge(fr.NewElement(7)), claim.Sponge(fr.NewElement(7), fr.Element{})
	if a.Equal(&b) {
		t.Fatal("padding collision")
	}
}
