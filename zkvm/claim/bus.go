package claim

import "github.com/consensys/gnark-crypto/ecc/bn254/fr"

// The bus is a log-derivative multiset argument shared by all leaves of a
// job. Every tuple t = (tag, a, b, c) is fingerprinted as
//
//	fp(t) = tag + α·a + α²·b + α³·c
//
// and contributes ±mult/(β − fp(t)) to the proof's BusSum. The signs:
//
//	memory  (TagMem, addr, value, ts): a write/initialisation is +1, a read
//	        (of the previous value and its timestamp) or a final value is −1.
//	        Every access by the CPU reads (addr, old, oldTs) and writes
//	        (addr, new, ts) with oldTs < ts; the memory table writes
//	        (addr, init, 0) and reads (addr, final, finalTs) once per address.
//	fetch   (TagFetch, pc, instr, 0): the memory table offers +m for every
//	        executable image word; each CPU step takes −1.
//	input   (TagInput, index, byte, 0): the input table offers +m per byte;
//	        each byte the CPU reads takes −1.
//	output  (TagOutput, index, byte, 0): each byte the CPU writes to fd 1 is
//	        +1; the output table takes −1 per byte.
//
// Memory addresses are word addresses (byte address with the low two bits
// clear); values are 32-bit words.
const (
	TagMem    = 1
	TagFetch  = 2
	TagInput  = 3
	TagOutput = 4
)

// Fingerprint computes tag + α·a + α²·b + α³·c.
func Fingerprint(alpha fr.Element, tag, a, b, c uint64) fr.Element {
	var acc, x fr.Element
	// Horner: ((c·α + b)·α + a)·α + tag
	acc.SetUint64(c)
	acc.Mul(&acc, &alpha)
	x.SetUint64(b)
	acc.Add(&acc, &x)
	acc.Mul(&acc, &alpha)
	x.SetUint64(a)
	acc.Add(&acc, &x)
	acc.Mul(&acc, &alpha)
	x.SetUint64(tag)
	acc.Add(&acc, &x)
	return acc
}

// Term is mult/(β − fp) with mult a signed multiplicity.
func Term(beta, fp fr.Element, mult int64) fr.Element {
	var d, m fr.Element
	d.Sub(&beta, &fp)
	d.Inverse(&d)
	if mult >= 0 {
		m.SetUint64(uint64(mult))
	} else {
		m.SetUint64(uint64(-mult))
		m.Neg(&m)
	}
	d.Mul(&d, &m)
	return d
}
