// Package claim defines what every zkfleet proof (leaf or fold) states
// publicly, and the native (out-of-circuit) hash, fingerprint, tree and
// challenge functions that circuits, the cluster and the verifier must agree on.
//
// It is the contract between zkvm/emu (which computes expected values),
// zkvm/circuit (which constrains them), zkvm/agg (which folds claims) and
// the cluster (which derives the global challenge). Changing anything here
// changes every circuit: bump Version.
package claim

import (
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Version is bound into every hash domain below; bump it when the layout or a
// hash definition changes, so old proofs and keys are rejected cleanly.
// Bumping it changes TagClaim, TagFoldCommit and TagVKSet and so the fold
// circuit. A change of a hash only leaf circuits compute (ImageStep,
// TapeStep, RegsDigest, Sponge) changes the leaf verifying keys instead, and
// with them the VK-set digest every proof is bound to, which rejects old
// proofs as cleanly without a new fold key.
const Version = 1

// Domain tags separate the uses of the one hash function. They are small
// field elements absorbed first.
const (
	TagClaim      = 0x636c61696d00 + Version // hash of a Claim (the single public input)
	TagLeafCommit = 0x6c65616600 + Version   // leaf commitment (each circuit adds its kind)
	TagFoldCommit = 0x666f6c6400 + Version   // combination of two commitments
	TagChallenge  = 0x6368616c00 + Version   // global challenge from the root commitment
	TagAlpha      = 0x616c706800 + Version   // bus linear-combination challenge
	TagBeta       = 0x6265746100 + Version   // bus denominator challenge
	TagRegs       = 0x7265677300 + Version   // register-file digest
	TagProgram    = 0x70726f6700 + Version   // program id
	TagTape       = 0x7461706500 + Version   // input/output hash finalisation
	TagVKSet      = 0x766b736500 + Version   // digest of the allowed verifying keys
	TagImage      = 0x696d6700 + Version     // program-image word (packed into ImageWord)
)

// Hash is Poseidon2 (BN254, width 2, Merkle–Damgård with zero IV) over field
// elements: exactly what gnark's std/hash/poseidon2.New computes in-circuit
// when the same elements are written in the same order.
func Hash(elems ...fr.Element) fr.Element {
	h := poseidon2.NewMerkleDamgardHasher()
	for i := range elems {
		b := elems[i].Bytes()
		h.Write(b[:])
	}
	var out fr.Element
	out.SetBytes(h.Sum(nil))
	return out
}

// U64 is a small helper turning an integer into a field element.
func U64(v uint64) fr.Element {
	var e fr.Element
	e.SetUint64(v)
	return e
}

// TapeBlockBytes is how many tape (input or output) bytes are packed into one
// field element before hashing: 31 bytes always fit below the BN254 modulus.
const TapeBlockBytes = 31

// PackTapeBlock packs up to 31 bytes little-endian into one field element:
// byte i contributes b[i]·256^i.
func PackTapeBlock(b []byte) fr.Element {
	if len(b) > TapeBlockBytes {
		panic("claim: tape block longer than 31 bytes")
	}
	var buf [32]byte // big-endian for SetBytes
	for i, v := range b {
		buf[31-i] = v
	}
	var e fr.Element
	e.SetBytes(buf[:])
	return e
}

// TapeStep advances a tape running hash by one packed block:
// h' = Compress(h, block). The running hash of the empty tape is zero, so
// the running hash of blocks b1..bn is Hash(b1, …, bn); the tape length is
// bound beside it (the cursor lane, TapeDigest).
func TapeStep(h fr.Element, block fr.Element) fr.Element {
	return Compress(h, block)
}

// TapeRunningHash is the running hash over a whole tape: blocks of 31 bytes,
// the last one possibly shorter (zero-padded by packing).
func TapeRunningHash(data []byte) fr.Element {
	var h fr.Element
	for off := 0; off < len(data); off += TapeBlockBytes {
		end := min(off+TapeBlockBytes, len(data))
		h = TapeStep(h, PackTapeBlock(data[off:end]))
	}
	return h
}

// TapeDigest finalises a tape running hash with its length; this is the
// input_hash / output_hash of the statement.
func TapeDigest(running fr.Element, length uint64) fr.Element {
	return Hash(U64(TagTape), running, U64(length))
}

// TapeHash is TapeDigest(TapeRunningHash(data), len(data)).
func TapeHash(data []byte) fr.Element {
	return TapeDigest(TapeRunningHash(data), uint64(len(data)))
}

// RegsPerElem is how many 32-bit registers RegsDigest packs into one field
// element (224 bits).
const RegsPerElem = 7

// RegsDigest is the digest of the register file x1..x31 (x0 is always 0 and
// not included): Sponge(TagRegs, p0, …, p4) where p_j packs x_{7j+1}..x_{7j+7}
// little-endian, 32 bits each (p4 holds x29..x31). Six elements are one
// permutation of the width-16 sponge (~560 constraints plus 31 range checks
// in-circuit) instead of 32 width-2 compressions (~6,000).
func RegsDigest(regs *[32]uint32) fr.Element {
	elems := make([]fr.Element, 0, 1+(31+RegsPerElem-1)/RegsPerElem)
	elems = append(elems, U64(TagRegs))
	for off := 1; off < 32; off += RegsPerElem {
		acc := new(big.Int)
		for i := min(off+RegsPerElem, 32) - 1; i >= off; i-- {
			acc.Lsh(acc, 32).Or(acc, new(big.Int).SetUint64(uint64(regs[i])))
		}
		var e fr.Element
		e.SetBigInt(acc)
		elems = append(elems, e)
	}
	return Sponge(elems...)
}

// Compress is the width-2 Poseidon2 compression that Hash chains
// (Merkle–Damgård from a zero state): Compress(h, x) is the right lane of the
// permutation of (h, x), plus x. Hash(x1, …, xn) equals
// Compress(…Compress(Compress(0, x1), x2)…, xn). Running hashes advance by
// one Compress per element (~186 constraints in-circuit) instead of a Hash
// of the running value and the element (two compressions).
func Compress(h, x fr.Element) fr.Element {
	st := [2]fr.Element{h, x}
	if err := compressPerm().Permutation(st[:]); err != nil {
		panic(err) // only for a wrong state width
	}
	var out fr.Element
	out.Add(&st[1], &x)
	return out
}

var compressPerm = sync.OnceValue(poseidon2.NewDefaultPermutation)

// ImageWord packs one program-image word into a single field element:
// addr | word<<32 | exec<<64 | TagImage<<65 (exec is 1 for words of
// executable segments). With addr and word below 2^32 the packing is
// injective, and the tag keeps image words apart from every other use of
// the width-2 compression.
func ImageWord(addr, word uint32, exec bool) fr.Element {
	v := new(big.Int).SetUint64(TagImage)
	v.Lsh(v, 1)
	if exec {
		v.SetBit(v, 0, 1)
	}
	v.Lsh(v, 32).Or(v, new(big.Int).SetUint64(uint64(word)))
	v.Lsh(v, 32).Or(v, new(big.Int).SetUint64(uint64(addr)))
	var e fr.Element
	e.SetBigInt(v)
	return e
}

// ImageStep advances the program-image running hash by one image word:
// h' = Compress(h, ImageWord(addr, word, exec)). Image words are hashed in
// strictly increasing address order from h = 0, so the image hash of words
// w1..wn is Hash(ImageWord(w1), …, ImageWord(wn)): a Merkle–Damgård chain
// whose only unbound thing, the number of words, cannot differ between two
// images without a compression collision or a preimage of the zero state.
func ImageStep(h fr.Element, addr, word uint32, exec bool) fr.Element {
	return Compress(h, ImageWord(addr, word, exec))
}

// ProgramID binds every loaded byte (through the image running hash) and the
// entry point: Hash(TagProgram, imageHash, entry).
func ProgramID(imageHash fr.Element, entry uint32) fr.Element {
	return Hash(U64(TagProgram), imageHash, U64(uint64(entry)))
}

// Bytes32 renders a field element as its canonical 32-byte big-endian form.
func Bytes32(e fr.Element) [32]byte { return e.Bytes() }

// FromBytes32 parses a canonical 32-byte big-endian field element; it fails
// if the value is not reduced.
func FromBytes32(b []byte) (fr.Element, error) {
	var e fr.Element
	if err := e.SetBytesCanonical(b); err != nil {
		return e, err
	}
	return e, nil
}
