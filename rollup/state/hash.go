// Package state is the rollup's account state: a sparse Merkle tree of
// fixed depth over BN254 with the width-2 Poseidon2 compression (the same
// function as zkvm/claim.Compress), its leaves, Merkle paths and the
// multiproof a batch carries, and the packings every hash of the rollup
// uses. The chunk circuit (rollup/circuit) recomputes exactly these values.
//
// Every hashed quantity is packed into field elements with a domain tag in
// bits 240..252, so that values of different kinds (a leaf, a signed
// message, a deposit, a withdrawal) can never be equal inputs to the
// compression function:
//
//	leaf          = Compress(PKHash(pk), balance | nonce<<64 | TagLeaf<<240)
//	PKHash(pk)    = Compress(pk.X, pk.Y)
//	inner node    = Compress(left, right)
//	empty leaf    = 0
//
// The packings are injective only when every packed integer is below its
// field width (balance, nonce, amount < 2^64, account index < 2^depth ≤
// 2^64, L1 recipient < 2^160): the circuit range-checks each of them.
package state

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Version of the rollup's hash layout; it is part of every domain tag.
const Version = 1

// Domain tags, placed at bit TagShift of a packed element. Each is below
// 2^13, so a tagged packing stays below the BN254 scalar modulus.
const (
	TagLeaf       = 0x100 + Version // account leaf payload
	TagMessage    = 0x200 + Version // first word of a signed transaction message
	TagDeposit    = 0x300 + Version // deposit entry payload
	TagWithdrawal = 0x400 + Version // withdrawal entry
	TagL1Deposit  = 0x500 + Version // deposit-root entry (what the L1 queue holds)
	TagShift      = 240
)

// Compress is the tree's two-to-one compression (claim.Compress).
func Compress(a, b fr.Element) fr.Element { return claim.Compress(a, b) }

// PKHash binds a BabyJubjub public key into one field element.
func PKHash(pk *tedwards.PointAffine) fr.Element { return Compress(pk.X, pk.Y) }

// PackLeaf packs an account's balance and nonce with TagLeaf.
func PackLeaf(balance, nonce uint64) fr.Element {
	return Pack(Field{balance, 0}, Field{nonce, 64}, Field{TagLeaf, TagShift})
}

// LeafHash is the leaf of an account with public key hash pkh.
func LeafHash(pkh fr.Element, balance, nonce uint64) fr.Element {
	return Compress(pkh, PackLeaf(balance, nonce))
}

// Field is one integer placed at bit Shift of a packed element.
type Field struct {
	Value uint64
	Shift uint
}

// Pack sums fields placed at their shifts. The caller keeps them disjoint.
func Pack(fields ...Field) fr.Element {
	acc := new(big.Int)
	for _, f := range fields {
		acc.Add(acc, new(big.Int).Lsh(new(big.Int).SetUint64(f.Value), f.Shift))
	}
	var e fr.Element
	e.SetBigInt(acc)
	return e
}

// PackBig is Pack with a big integer added at bit 0 (used for the 160-bit
// L1 recipient).
func PackBig(low *big.Int, fields ...Field) fr.Element {
	e := Pack(fields...)
	var l fr.Element
	l.SetBigInt(low)
	e.Add(&e, &l)
	return e
}
