package gadget

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// RegsDigest mirrors claim.RegsDigest for registers x1..x31. It
// range-checks every register to 32 bits itself: the packing of
// claim.RegsPerElem registers per element is injective only on 32-bit
// values, and a digest that two register files share would let a segment
// start from registers its predecessor did not end with.
func RegsDigest(api frontend.API, x []frontend.Variable) (frontend.Variable, error) {
	rc := rangecheck.New(api)
	elems := make([]frontend.Variable, 0, 1+(len(x)+claim.RegsPerElem-1)/claim.RegsPerElem)
	elems = append(elems, claim.TagRegs)
	for off := 0; off < len(x); off += claim.RegsPerElem {
		var acc frontend.Variable = 0
		for i := 0; i < claim.RegsPerElem && off+i < len(x); i++ {
			rc.Check(x[off+i], 32)
			acc = api.Add(acc, api.Mul(x[off+i], pow2(uint(32*i))))
		}
		elems = append(elems, acc)
	}
	return Sponge(api, elems...)
}
