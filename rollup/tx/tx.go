// Package tx defines the rollup's transactions, the field elements they
// are hashed to, and BabyJubjub EdDSA keys and signatures over them.
//
// A signed transaction's message is one field element,
//
//	w1  = kind | from<<8 | nonce<<72 | TagMessage<<240
//	w2  = to | amount<<160            (transfer: to is the receiver index;
//	                                   withdrawal: to is the L1 recipient)
//	msg = Compress(w1, w2)
//
// signed with gnark-crypto's EdDSA over the twisted Edwards curve of BN254
// (BabyJubjub) with the Poseidon2 Merkle–Damgård hasher as the challenge
// hash, so the signature is what gnark's std/signature/eddsa checks
// in-circuit. A deposit is not signed (the L1 contract has the funds); its
// entry in the batch hash is Compress(PKHash(pk), kind | to<<8 |
// amount<<72 | TagDeposit<<240); in the deposit root it is DepositQueueEntry,
// Compress(PKHash(pk), amount | TagL1Deposit<<240), without the account
// index the sequencer chose, so an L1 contract can recompute it from its
// own deposit queue of (key, amount).
// The batch hash chains Entry() of every transaction in order.
package tx

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkfleet/zkfleet/rollup/state"
)

// Kind is the transaction type. Its value is part of every message.
type Kind uint8

// Transaction kinds. 0 is reserved for the circuit's empty slot.
const (
	KindTransfer   Kind = 1
	KindWithdrawal Kind = 2
	KindDeposit    Kind = 3
)

func (k Kind) String() string {
	switch k {
	case KindTransfer:
		return "transfer"
	case KindWithdrawal:
		return "withdrawal"
	case KindDeposit:
		return "deposit"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Signed reports whether transactions of this kind carry a signature.
func (k Kind) Signed() bool { return k == KindTransfer || k == KindWithdrawal }

// Address is a 20-byte L1 (EVM) address.
type Address [20]byte

// Big is the address as an unsigned integer (big-endian, like uint160 on
// the EVM).
func (a Address) Big() *big.Int { return new(big.Int).SetBytes(a[:]) }

// SignatureSize is the size of an encoded signature: compressed R, then S
// (gnark-crypto's encoding).
const SignatureSize = 64

// Tx is one rollup transaction.
//
//   - transfer: From pays Amount to the existing account To; Nonce is From's
//     current nonce; signed by From.
//   - withdrawal: From pays Amount out to the L1 address Recipient; signed.
//   - deposit: Amount arrives from L1 for the account To, which either holds
//     PubKey already or is empty and is created with PubKey.
type Tx struct {
	Kind      Kind
	From      uint64
	To        uint64
	Recipient Address
	Amount    uint64
	Nonce     uint64
	PubKey    tedwards.PointAffine // deposit only
	Signature [SignatureSize]byte  // transfer and withdrawal
}

// MessageWords are the two packed words of a signed transaction's message.
func (t *Tx) MessageWords() (w1, w2 fr.Element) {
	w1 = state.Pack(
		state.Field{Value: uint64(t.Kind)},
		state.Field{Value: t.From, Shift: 8},
		state.Field{Value: t.Nonce, Shift: 72},
		state.Field{Value: state.TagMessage, Shift: state.TagShift})
	amt := state.Field{Value: t.Amount, Shift: 160}
	if t.Kind == KindWithdrawal {
		w2 = state.PackBig(t.Recipient.Big(), amt)
	} else {
		w2 = state.Pack(state.Field{Value: t.To}, amt)
	}
	return w1, w2
}

// Message is the field element a signed transaction's signature covers.
func (t *Tx) Message() fr.Element {
	w1, w2 := t.MessageWords()
	return state.Compress(w1, w2)
}

// DepositWord is the packed payload of a deposit entry.
func (t *Tx) DepositWord() fr.Element {
	return state.Pack(
		state.Field{Value: uint64(KindDeposit)},
		state.Field{Value: t.To, Shift: 8},
		state.Field{Value: t.Amount, Shift: 72},
		state.Field{Value: state.TagDeposit, Shift: state.TagShift})
}

// Entry is what the batch hash absorbs for this transaction: the message
// of a signed transaction, the deposit entry of a deposit.
func (t *Tx) Entry() fr.Element {
	if t.Kind == KindDeposit {
		return state.Compress(state.PKHash(&t.PubKey), t.DepositWord())
	}
	return t.Message()
}

// DepositQueueEntry is what the deposit root absorbs for a deposit.
func (t *Tx) DepositQueueEntry() fr.Element {
	return state.Compress(state.PKHash(&t.PubKey), state.Pack(
		state.Field{Value: t.Amount},
		state.Field{Value: state.TagL1Deposit, Shift: state.TagShift}))
}

// WithdrawalEntry is what the withdrawal accumulator absorbs.
func (t *Tx) WithdrawalEntry() fr.Element {
	return state.PackBig(t.Recipient.Big(),
		state.Field{Value: t.Amount, Shift: 160},
		state.Field{Value: state.TagWithdrawal, Shift: state.TagShift})
}

// hasher is the EdDSA challenge hash H(R, A, msg): gnark-crypto's Poseidon2
// Merkle–Damgård hasher, the native twin of gnark's std/hash/poseidon2.
func hasher() hash.Hash { return poseidon2.NewMerkleDamgardHasher() }

// Key is a BabyJubjub EdDSA signing key.
type Key struct{ priv *eddsa.PrivateKey }

// NewKey derives a key from 32 bytes of entropy read from r.
func NewKey(r io.Reader) (*Key, error) {
	priv, err := eddsa.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("tx: generate key: %w", err)
	}
	return &Key{priv: priv}, nil
}

// KeyFromBytes decodes a key written by Bytes.
func KeyFromBytes(b []byte) (*Key, error) {
	var priv eddsa.PrivateKey
	if _, err := priv.SetBytes(b); err != nil {
		return nil, fmt.Errorf("tx: decode key: %w", err)
	}
	return &Key{priv: &priv}, nil
}

// Bytes encodes the key (secret: keep it private).
func (k *Key) Bytes() []byte { return k.priv.Bytes() }

// Public is the key's public point.
func (k *Key) Public() tedwards.PointAffine { return k.priv.PublicKey.A }

// Sign signs a transfer or withdrawal in place.
func (k *Key) Sign(t *Tx) error {
	if !t.Kind.Signed() {
		return fmt.Errorf("tx: a %s is not signed", t.Kind)
	}
	sig, err := k.SignMessage(t.Message())
	if err != nil {
		return err
	}
	t.Signature = sig
	return nil
}

// SignMessage signs a raw message element (Sign signs t.Message()).
func (k *Key) SignMessage(m fr.Element) ([SignatureSize]byte, error) {
	var out [SignatureSize]byte
	mb := m.Bytes()
	sig, err := k.priv.Sign(mb[:], hasher())
	if err != nil {
		return out, fmt.Errorf("tx: sign: %w", err)
	}
	if len(sig) != SignatureSize {
		return out, fmt.Errorf("tx: signature of %d bytes", len(sig))
	}
	copy(out[:], sig)
	return out, nil
}

// ErrBadSignature is returned for a signature that does not verify.
var ErrBadSignature = errors.New("signature does not verify")

// VerifySignature checks t's signature under pk (which must be a non-zero
// point of the prime-order subgroup).
func VerifySignature(pk *tedwards.PointAffine, t *Tx) error {
	if !t.Kind.Signed() {
		return fmt.Errorf("tx: a %s is not signed", t.Kind)
	}
	pub := eddsa.PublicKey{A: *pk}
	m := t.Message()
	mb := m.Bytes()
	ok, err := pub.Verify(t.Signature[:], mb[:], hasher())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if !ok {
		return ErrBadSignature
	}
	return nil
}

// DecodeSignature splits an encoded signature into R and S, checking that
// R is on the curve and S is below the subgroup order.
func DecodeSignature(b [SignatureSize]byte) (r tedwards.PointAffine, s *big.Int, err error) {
	var sig eddsa.Signature
	if _, err := sig.SetBytes(b[:]); err != nil {
		return r, nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return sig.R, new(big.Int).SetBytes(sig.S[:]), nil
}

// ValidPubKey reports whether pk may own an account: on the curve, in the
// prime-order subgroup and not the identity (a small-order key would let
// anyone sign for it).
func ValidPubKey(pk *tedwards.PointAffine) error {
	if !pk.IsOnCurve() {
		return errors.New("public key is not on the curve")
	}
	if pk.IsZero() {
		return errors.New("public key is the identity")
	}
	if !pk.IsInSubGroup() {
		return errors.New("public key is not in the prime-order subgroup")
	}
	return nil
}
