package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/math/uints"

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
	u32, err := uints.New[uints.U32](api)
	if err != nil {
		return nil, fmt.Errorf("uint32: %w", err)
	}
	u64, err := uints.New[uints.U64](api)
	if err != nil {
		return nil, fmt.Errorf("uint64: %w", err)
	}
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return nil, fmt.Errorf("bytes: %w", err)
	}
	enc := make([]uints.U8, 0, settle.ProgramStatementLen)
	enc = append(enc, uints.NewU8Array([]byte(settle.ProgramMagic))...)
	enc = append(enc, uints.NewU8(settle.ProgramVersion>>8), uints.NewU8(settle.ProgramVersion&0xff))
	for _, w := range []frontend.Variable{s.ProgramID, s.InputHash, s.OutputHash} {
		// With as many digits as the field has bits, bits.ToBinary also
		// asserts that the digits are at most r − 1: the decomposition of
		// the canonical value, never of value + r.
		b := bits.ToBinary(api, w, bits.WithNbDigits(api.Compiler().FieldBitLen()))
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
	// ValueOf splits into range-checked bytes and asserts they recompose
	// the value: a 32- and a 64-bit range check.
	enc = append(enc, u32.UnpackMSB(u32.ValueOf(s.ExitCode))...)
	enc = append(enc, u64.UnpackMSB(u64.ValueOf(s.Cycles))...)
	if len(enc) != settle.ProgramStatementLen {
		return nil, fmt.Errorf("statement encoding of %d bytes, want %d", len(enc), settle.ProgramStatementLen)
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
