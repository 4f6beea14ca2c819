package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/zkvm/agg"
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
	p, err := agg.NewPacker(api)
	if err != nil {
		return nil, err
	}
	p.Const([]byte(batch.StatementMagic)...)
	p.Const(batch.StatementVersion>>8, batch.StatementVersion&0xff)
	p.U64(s.BatchID)
	for _, root := range []frontend.Variable{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		p.Field(root)
	}
	for _, v := range []frontend.Variable{s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		p.U64(v)
	}
	if p.Len() != batch.StatementSize {
		return nil, fmt.Errorf("statement encoding of %d bytes, want %d", p.Len(), batch.StatementSize)
	}
	return p.DigestModR()
}
