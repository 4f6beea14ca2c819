package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
)

// Statement is settle.ProgramStatement as circuit variables: the three
// 32-byte words as the field elements they are the canonical encoding of.
type Statement struct {
	ProgramID, InputHash, OutputHash frontend.Variable
	ExitCode, Cycles                 frontend.Variable
}

// StatementOf is the EVM statement of a proof file's statement: its
// program id, input and output hashes, exit code and cycles. The key set
// (pinned by the wrap's constants), the output bytes (bound by the output
// hash) and the leaf count (a witness of the wrap) are not part of it.
func StatementOf(st *agg.Statement) settle.ProgramStatement {
	return settle.ProgramStatement{
		ProgramID: st.ProgramID, InputHash: st.InputHash, OutputHash: st.OutputHash,
		ExitCode: st.ExitCode, Cycles: st.Cycles,
	}
}

// assignStatement converts s, refusing a 32-byte word that is not a
// canonical field element (no claim can match it: CheckRoot refuses it).
func assignStatement(s *settle.ProgramStatement) (Statement, error) {
	var out Statement
	for _, w := range []struct {
		name string
		b    [32]byte
		v    *frontend.Variable
	}{
		{"program id", s.ProgramID, &out.ProgramID},
		{"input hash", s.InputHash, &out.InputHash},
		{"output hash", s.OutputHash, &out.OutputHash},
	} {
		var e fr.Element
		if err := e.SetBytesCanonical(w.b[:]); err != nil {
			return out, fmt.Errorf("wrap: statement %s is not a canonical field element: %w", w.name, err)
		}
		*w.v = e.BigInt(new(big.Int))
	}
	out.ExitCode, out.Cycles = s.ExitCode, s.Cycles
	return out, nil
}

// PublicInput mirrors settle.ProgramStatement.Digest: SHA-256 of the
// statement's 114-byte packing (settle.ProgramStatement.Packed) reduced
// mod r. It asserts that the exit code is below 2^32 and the cycle count
// below 2^64 (their 4- and 8-byte encodings are then exact) and encodes
// each 32-byte word by its canonical 254-bit decomposition.
func (s *Statement) PublicInput(api frontend.API) (frontend.Variable, error) {
	p, err := agg.NewPacker(api)
	if err != nil {
		return nil, err
	}
	p.Const([]byte(settle.ProgramMagic)...)
	p.Const(settle.ProgramVersion>>8, settle.ProgramVersion&0xff)
	for _, w := range []frontend.Variable{s.ProgramID, s.InputHash, s.OutputHash} {
		p.Field(w)
	}
	p.U32(s.ExitCode)
	p.U64(s.Cycles)
	if p.Len() != settle.ProgramStatementLen {
		return nil, fmt.Errorf("statement encoding of %d bytes, want %d", p.Len(), settle.ProgramStatementLen)
	}
	return p.DigestModR()
}
