package gadget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

type imageStepCircuit struct {
	H, Addr, Word, Exec frontend.Variable
	Out                 frontend.Variable
}

func (c *imageStepCircuit) Define(api frontend.API) error {
	h, err := ImageStep(api, c.H, c.Addr, c.Word, c.Exec)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h, c.Out)
	return nil
}

// TestImageStepNativeMatchesCircuit checks the image step both ways, and
// that each input is bound.
func TestImageStepNativeMatchesCircuit(t *testing.T) {
	h := claim.U64(987654321)
	for _, tc := range []struct {
		addr, word uint32
		exec       bool
	}{{0, 0, false}, {0x10074, 0xdeadbeef, true}, {0xfffffffc, 0xffffffff, true}, {0x20000, 7, false}} {
		want := claim.ImageStep(h, tc.addr, tc.word, tc.exec)
		w := &imageStepCircuit{H: h.String(), Addr: tc.addr, Word: tc.word, Exec: b2i(tc.exec), Out: want.String()}
		if err := test.IsSolved(&imageStepCircuit{}, w, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		for name, bad := range map[string]*imageStepCircuit{
			"addr": {H: w.H, Addr: tc.addr + 4, Word: w.Word, Exec: w.Exec, Out: w.Out},
			"word": {H: w.H, Addr: w.Addr, Word: tc.word ^ 1, Exec: w.Exec, Out: w.Out},
			"exec": {H: w.H, Addr: w.Addr, Word: w.Word, Exec: 1 - b2i(tc.exec), Out: w.Out},
			"h":    {H: 1, Addr: w.Addr, Word: w.Word, Exec: w.Exec, Out: w.Out},
		} {
			if test.IsSolved(&imageStepCircuit{}, bad, ecc.BN254.ScalarField()) == nil {
				t.Fatalf("%+v: changed %s accepted", tc, name)
			}
		}
	}
}

// TestImageHashIsMerkleDamgard pins the running image hash to the claim
// hash of the packed words, and Hash to a chain of Compress.
func TestImageHashIsMerkleDamgard(t *testing.T) {
	var h fr.Element
	var words []fr.Element
	for i := uint32(0); i < 5; i++ {
		h = claim.ImageStep(h, 0x10000+4*i, 3*i+1, i < 3)
		words = append(words, claim.ImageWord(0x10000+4*i, 3*i+1, i < 3))
	}
	if want := claim.Hash(words...); !h.Equal(&want) {
		t.Fatal("image running hash is not Hash of the packed words")
	}
	a, b := claim.U64(11), claim.U64(22)
	c := claim.Compress(claim.Compress(fr.Element{}, a), b)
	if want := claim.Hash(a, b); !c.Equal(&want) {
		t.Fatal("Hash(a, b) is not Compress(Compress(0, a), b)")
	}
	// Injective packing: the fields do not overlap.
	x, y := claim.ImageWord(4, 0, false), claim.ImageWord(0, 1, false)
	if x.Equal(&y) {
		t.Fatal("packing collision")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type tapeStepCircuit struct{ H, Block, Out frontend.Variable }

func (c *tapeStepCircuit) Define(api frontend.API) error {
	h, err := TapeStep(api, c.H, c.Block)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h, c.Out)
	return nil
}

// TestTapeStepNativeMatchesCircuit checks the tape step both ways and pins
// the running tape hash to the claim hash of its blocks.
func TestTapeStepNativeMatchesCircuit(t *testing.T) {
	data := []byte("the quick brown fox jumps over the lazy dog, twice over")
	h := claim.TapeRunningHash(data[:31])
	block := claim.PackTapeBlock(data[31:])
	want := claim.TapeStep(h, block)
	w := &tapeStepCircuit{H: h.String(), Block: block.String(), Out: want.String()}
	if err := test.IsSolved(&tapeStepCircuit{}, w, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	other := claim.PackTapeBlock(data[32:])
	w.Block = other.String()
	if test.IsSolved(&tapeStepCircuit{}, w, ecc.BN254.ScalarField()) == nil {
		t.Fatal("changed block accepted")
	}
	if full := claim.TapeRunningHash(data); !full.Equal(&want) {
		t.Fatal("TapeRunningHash is not the chain of TapeStep")
	}
	if md := claim.Hash(claim.PackTapeBlock(data[:31]), block); !md.Equal(&want) {
		t.Fatal("TapeRunningHash is not Hash of the blocks")
	}
}
