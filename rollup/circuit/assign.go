package circuit

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// Assign turns a prepared chunk into a full witness assignment under the
// rollup's verifying-key set vkSet: its public Digest is
// ch.Statement.Claim(vkSet).Digest().
func Assign(shape batch.Shape, ch *batch.Chunk, vkSet fr.Element) (*Chunk, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	if len(ch.Slots) != shape.Slots {
		return nil, fmt.Errorf("circuit: chunk of %d slots, shape has %d", len(ch.Slots), shape.Slots)
	}
	st := &ch.Statement
	if st.Count != 1 {
		return nil, fmt.Errorf("circuit: a chunk statement covers %d chunks, want 1", st.Count)
	}
	cl := st.Claim(vkSet)
	c := &Chunk{
		Digest:   elem(cl.Digest()),
		VKSet:    elem(vkSet),
		BatchID:  st.BatchID,
		First:    st.First,
		PreRoot:  elem(st.PreRoot),
		PostRoot: elem(st.PostRoot),
		AccIn:    [3]frontend.Variable{elem(st.AccIn.BatchHash), elem(st.AccIn.Withdrawals), elem(st.AccIn.Deposits)},
		AccOut:   [3]frontend.Variable{elem(st.AccOut.BatchHash), elem(st.AccOut.Withdrawals), elem(st.AccOut.Deposits)},
		CountIn:  [3]frontend.Variable{st.CountIn.Txs, st.CountIn.Withdrawals, st.CountIn.Deposits},
		CountOut: [3]frontend.Variable{st.CountOut.Txs, st.CountOut.Withdrawals, st.CountOut.Deposits},
		Slots:    make([]Slot, shape.Slots),
	}
	for i := range ch.Slots {
		s, err := assignSlot(shape.Depth, &ch.Slots[i])
		if err != nil {
			return nil, fmt.Errorf("circuit: slot %d: %w", i, err)
		}
		c.Slots[i] = s
	}
	return c, nil
}

func assignSlot(depth int, s *batch.Slot) (Slot, error) {
	t := &s.Tx
	out := Slot{
		IsTransfer:   b2v(t.Kind == tx.KindTransfer),
		IsWithdrawal: b2v(t.Kind == tx.KindWithdrawal),
		IsDeposit:    b2v(t.Kind == tx.KindDeposit),
		From:         s.SenderPath.Index,
		To:           s.ReceiverPath.Index,
		Recipient:    t.Recipient.Big(),
		Amount:       t.Amount,
		Nonce:        s.SenderNonce,

		SenderBalance:   s.SenderBalance,
		ReceiverPKHash:  elem(s.ReceiverPKHash),
		ReceiverBalance: s.ReceiverBalance,
		ReceiverNonce:   s.ReceiverNonce,
		ReceiverNew:     b2v(s.ReceiverNew),
	}
	if t.Kind != tx.KindWithdrawal {
		out.Recipient = 0
	}
	if t.Kind == 0 {
		out.Amount = 0
	}
	out.Owner.X, out.Owner.Y = elem(s.Owner.X), elem(s.Owner.Y)
	if t.Kind.Signed() {
		r, sc, err := tx.DecodeSignature(t.Signature)
		if err != nil {
			return out, err
		}
		out.SigR.X, out.SigR.Y, out.SigS = elem(r.X), elem(r.Y), sc
	} else {
		// A dummy on the curve and S = 0: IsValid is computed but not
		// asserted for unsigned slots.
		out.SigR.X, out.SigR.Y, out.SigS = elem(s.Owner.X), elem(s.Owner.Y), 0
	}
	var err error
	if out.SenderPath, err = assignPath(depth, s.SenderPath.Index, s.SenderPath.Siblings); err != nil {
		return out, err
	}
	if out.ReceiverPath, err = assignPath(depth, s.ReceiverPath.Index, s.ReceiverPath.Siblings); err != nil {
		return out, err
	}
	return out, nil
}

func assignPath(depth int, index uint64, sibs []fr.Element) (Path, error) {
	if len(sibs) != depth {
		return Path{}, fmt.Errorf("path of %d siblings, depth %d", len(sibs), depth)
	}
	if depth < 64 && index>>depth != 0 {
		return Path{}, fmt.Errorf("index %d outside depth %d", index, depth)
	}
	p := newPath(depth)
	for l := 0; l < depth; l++ {
		p.Bits[l] = (index >> l) & 1
		p.Siblings[l] = elem(sibs[l])
	}
	return p, nil
}

func b2v(b bool) frontend.Variable {
	if b {
		return 1
	}
	return 0
}

func elem(e fr.Element) frontend.Variable { return e.BigInt(new(big.Int)) }
