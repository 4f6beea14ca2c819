package tx

import (
	"bytes"
	"errors"
	"testing"

	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

func testKey(t *testing.T, b byte) *Key {
	t.Helper()
	k, err := NewKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	k := testKey(t, 1)
	pk := k.Public()
	if err := ValidPubKey(&pk); err != nil {
		t.Fatal(err)
	}
	base := Tx{Kind: KindTransfer, From: 3, To: 9, Amount: 500, Nonce: 7}
	if err := k.Sign(&base); err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(&pk, &base); err != nil {
		t.Fatalf("valid signature rejected: %v", err)
	}
	other := testKey(t, 2).Public()
	tests := []struct {
		name string
		mut  func(*Tx)
		pk   *tedwards.PointAffine
	}{
		{"amount", func(x *Tx) { x.Amount++ }, &pk},
		{"nonce", func(x *Tx) { x.Nonce++ }, &pk},
		{"receiver", func(x *Tx) { x.To++ }, &pk},
		{"sender", func(x *Tx) { x.From++ }, &pk},
		{"kind", func(x *Tx) { x.Kind = KindWithdrawal }, &pk},
		{"signature byte", func(x *Tx) { x.Signature[40] ^= 1 }, &pk},
		{"other key", func(x *Tx) {}, &other},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := base
			tc.mut(&x)
			if err := VerifySignature(tc.pk, &x); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("tampered transaction: %v", err)
			}
		})
	}
}

func TestKeyRoundTripAndDeterminism(t *testing.T) {
	a, b := testKey(t, 5), testKey(t, 5)
	pa, pb := a.Public(), b.Public()
	if !pa.Equal(&pb) {
		t.Fatal("same entropy, different keys")
	}
	c, err := KeyFromBytes(a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	pc := c.Public()
	if !pc.Equal(&pa) {
		t.Fatal("key did not round-trip")
	}
	x := Tx{Kind: KindWithdrawal, From: 1, Recipient: Address{0xde, 0xad}, Amount: 1, Nonce: 0}
	y := x
	if err := a.Sign(&x); err != nil {
		t.Fatal(err)
	}
	if err := c.Sign(&y); err != nil {
		t.Fatal(err)
	}
	if x.Signature != y.Signature {
		t.Fatal("signing is not deterministic")
	}
}

func TestEntriesDiffer(t *testing.T) {
	pk := testKey(t, 3).Public()
	tr := Tx{Kind: KindTransfer, From: 1, To: 2, Amount: 5, Nonce: 0}
	wd := Tx{Kind: KindWithdrawal, From: 1, Amount: 5, Nonce: 0}
	wd.Recipient[19] = 2 // same integer as tr.To
	dp := Tx{Kind: KindDeposit, To: 2, Amount: 5, PubKey: pk}
	e := []Tx{tr, wd, dp}
	for i := range e {
		for j := i + 1; j < len(e); j++ {
			a, b := e[i].Entry(), e[j].Entry()
			if a.Equal(&b) {
				t.Fatalf("%s and %s share an entry", e[i].Kind, e[j].Kind)
			}
		}
	}
	if err := testKey(t, 4).Sign(&dp); err == nil {
		t.Fatal("signed a deposit")
	}
}

func TestValidPubKeyRejects(t *testing.T) {
	var id tedwards.PointAffine
	id.X.SetZero()
	id.Y.SetOne()
	if ValidPubKey(&id) == nil {
		t.Fatal("identity accepted")
	}
	var off tedwards.PointAffine
	off.X.SetUint64(1)
	off.Y.SetUint64(2)
	if ValidPubKey(&off) == nil {
		t.Fatal("point off the curve accepted")
	}
}

func TestDepositQueueEntryOmitsIndex(t *testing.T) {
	pk := testKey(t, 6).Public()
	a := Tx{Kind: KindDeposit, To: 1, Amount: 9, PubKey: pk}
	b := a
	b.To = 2
	qa, qb := a.DepositQueueEntry(), b.DepositQueueEntry()
	if !qa.Equal(&qb) {
		t.Fatal("the deposit-queue entry depends on the account index")
	}
	ea, eb := a.Entry(), b.Entry()
	if ea.Equal(&eb) || ea.Equal(&qa) {
		t.Fatal("the batch-hash entry of a deposit does not bind its index")
	}
}
