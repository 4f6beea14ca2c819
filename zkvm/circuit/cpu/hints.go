package cpu

import (
	"errors"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
)

func init() {
	solver.RegisterHint(decodeHint, ecallHint, splitHint, divHint, nibbleHint, countHint, mulDivHint, mulDivRowsHint, decodeKeyHint)
}

// Hints compute auxiliary witness values while solving. Every output is
// constrained in row.go; the hints only spare the prover a native re-implementation.

// decodeHint: instr → numClasses class flags (one-hot, or all zero for an
// illegal word).
func decodeHint(_ *big.Int, in, out []*big.Int) error {
	for i := range out {
		out[i].SetUint64(0)
	}
	if !in[0].IsUint64() || in[0].Uint64() >= 1<<32 {
		return nil
	}
	if k, _ := classOf(decodeOp(uint32(in[0].Uint64()))); k >= 0 {
		out[k].SetUint64(1)
	}
	return nil
}

// ecallHint: (isEcall, a7) → one-hot (read, write, exit, exit_group), all
// zero for another syscall or a row that is no ecall.
func ecallHint(_ *big.Int, in, out []*big.Int) error {
	for i := range out {
		out[i].SetUint64(0)
	}
	if in[0].Sign() == 0 || !in[1].IsUint64() {
		return nil
	}
	for i, sys := range []uint64{sysRead, sysWrite, sysExit, sysExitGroup} {
		if in[1].Uint64() == sys {
			out[i].SetUint64(1)
		}
	}
	return nil
}

// splitHint: (v, w_1..w_k) → limbs of v, little-endian, of widths w_i (the
// last limb takes whatever is left).
func splitHint(_ *big.Int, in, out []*big.Int) error {
	if len(in) != len(out)+1 {
		return errors.New("cpu: splitHint arity")
	}
	v := new(big.Int).Set(in[0])
	for i := range out {
		w := uint(in[i+1].Uint64())
		if i == len(out)-1 {
			out[i].Set(v)
			break
		}
		mask := new(big.Int).Lsh(big.NewInt(1), w)
		mask.Sub(mask, big.NewInt(1))
		out[i].And(v, mask)
		v.Rsh(v, w)
	}
	return nil
}

// divHint: (a, b, signed) → (q, r) with RISC-V DIV[U]/REM[U] semantics
// (division by zero: q = all ones, r = a; signed overflow: q = a, r = 0).
func divHint(_ *big.Int, in, out []*big.Int) error {
	a, b := uint32(in[0].Uint64()), uint32(in[1].Uint64())
	var q, r uint32
	switch {
	case b == 0:
		q, r = 0xffffffff, a
	case in[2].Sign() == 0:
		q, r = a/b, a%b
	case a == 0x80000000 && b == 0xffffffff:
		q, r = a, 0
	default:
		q, r = uint32(int32(a)/int32(b)), uint32(int32(a)%int32(b))
	}
	out[0].SetUint64(uint64(q))
	out[1].SetUint64(uint64(r))
	return nil
}
