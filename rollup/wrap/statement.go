package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/math/uints"

	"github.com/zkfleet/zkfleet/rollup/batch"
)

// Statement is batch.Statement as circuit variables.
type Statement struct {
	BatchID                                                             frontend.Variable
	PreStateRoot, PostStateRoot, BatchHash, WithdrawalRoot, DepositRoot frontend.Variable
	TxCount, TransferCount, WithdrawalCount, DepositCount               frontend.Variable
}

func assignStatement(s *batch.Statement) Statement {
	e := func(x fr.Element) frontend.Variable { return x.BigInt(new(big.Int)) }
	return Statement{
		BatchID:      s.BatchID,
		PreStateRoot: e(s.PreStateRoot), PostStateRoot: e(s.PostStateRoot), BatchHash: e(s.BatchHash),
		WithdrawalRoot: e(s.WithdrawalRoot), DepositRoot: e(s.DepositRoot),
		TxCount: s.TxCount, TransferCount: s.TransferCount, WithdrawalCount: s.WithdrawalCount, DepositCount: s.DepositCount,
	}
}

// PublicInput mirrors batch.Statement.PublicInput: SHA-256 of the
// statement's encoding (batch.Statement.Encode) reduced mod r. It asserts
// that the batch id and the four counts are below 2^64 (their 8-byte
// encodings are then exact) and encodes each root by its canonical
// 254-bit decomposition.
func (s *Statement) PublicInput(api frontend.API) (frontend.Variable, error) {
	u64, err := uints.New[uints.U64](api)
	if err != nil {
		return nil, fmt.Errorf("uint64: %w", err)
	}
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return nil, fmt.Errorf("bytes: %w", err)
	}
	enc := make([]uints.U8, 0, batch.StatementSize)
	enc = append(enc, uints.NewU8Array([]byte(batch.StatementMagic))...)
	enc = append(enc, uints.NewU8(batch.StatementVersion>>8), uints.NewU8(batch.StatementVersion&0xff))
	// ValueOf splits into eight range-checked bytes and asserts they
	// recompose the value: a 64-bit range check.
	word := func(v frontend.Variable) { enc = append(enc, u64.UnpackMSB(u64.ValueOf(v))...) }
	word(s.BatchID)
	for _, root := range []frontend.Variable{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		// With as many digits as the field has bits, bits.ToBinary also
		// asserts that the digits are at most r − 1: the decomposition of
		// the canonical value, never of value + r.
		b := bits.ToBinary(api, root, bits.WithNbDigits(api.Compiler().FieldBitLen()))
		for k := 0; k < 32; k++ { // big-endian: byte k holds bits 8(31−k) … 8(31−k)+7
			acc := frontend.Variable(0)
			for j := 7; j >= 0; j-- {
				acc = api.Add(acc, acc)
				if i := 8*(31-k) + j; i < len(b) {
					acc = api.Add(acc, b[i])
				}
			}
			enc = append(enc, bapi.ValueOf(acc))
		}
	}
	for _, v := range []frontend.Variable{s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		word(v)
	}
	if len(enc) != batch.StatementSize {
		return nil, fmt.Errorf("statement encoding of %d bytes, want %d", len(enc), batch.StatementSize)
	}

	h, err := sha2.New(api)
	if err != nil {
		return nil, fmt.Errorf("sha2: %w", err)
	}
	h.Write(enc)
	digest := h.Sum()
	// The digest as a big-endian integer, in the native field: every byte
	// is range-checked to 8 bits, so this is the digest mod r.
	acc := frontend.Variable(0)
	for _, b := range digest {
		acc = api.Add(api.Mul(acc, 256), bapi.Value(b))
	}
	return acc, nil
}
