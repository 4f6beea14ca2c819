package batch

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

func prepared(t *testing.T, slots int) *Prepared {
	t.Helper()
	b := newBatch(t, 16, sampleTxs(t))
	p, err := Prepare(b, Shape{Depth: 16, Slots: slots})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStatementEncoding(t *testing.T) {
	p := prepared(t, 2)
	s := p.Statement
	enc := s.Encode()
	if len(enc) != StatementSize {
		t.Fatalf("encoding of %d bytes, want %d", len(enc), StatementSize)
	}
	// The layout a contract relies on: magic, version, batch id, five
	// roots, four counts, big-endian and packed.
	if !bytes.Equal(enc[:4], []byte("ZKRB")) || binary.BigEndian.Uint16(enc[4:6]) != 1 ||
		binary.BigEndian.Uint64(enc[6:14]) != 42 {
		t.Fatalf("header %x", enc[:14])
	}
	pre := s.PreStateRoot.Bytes()
	if !bytes.Equal(enc[14:46], pre[:]) {
		t.Fatal("pre-state root not at bytes 14..46")
	}
	if binary.BigEndian.Uint64(enc[174:182]) != s.TxCount || binary.BigEndian.Uint64(enc[198:206]) != s.DepositCount {
		t.Fatal("counts not at bytes 174..206")
	}
	if d := s.Digest(); d != sha256.Sum256(enc) {
		t.Fatal("digest is not sha256 of the encoding")
	}
	pi := s.PublicInput()
	d := s.Digest()
	want := new(big.Int).Mod(new(big.Int).SetBytes(d[:]), fr.Modulus())
	if pi.BigInt(new(big.Int)).Cmp(want) != 0 {
		t.Fatal("public input is not the digest mod r")
	}
	back, err := DecodeStatement(enc)
	if err != nil {
		t.Fatal(err)
	}
	if *back != s {
		t.Fatal("statement did not round-trip")
	}
	bad := [][]byte{enc[:len(enc)-1], append(append([]byte(nil), enc...), 0)}
	m := append([]byte(nil), enc...)
	m[0] = 'X'
	bad = append(bad, m)
	nc := append([]byte(nil), enc...)
	copy(nc[14:46], bytes.Repeat([]byte{0xff}, 32)) // ≥ r
	bad = append(bad, nc)
	for i, b := range bad {
		if _, err := DecodeStatement(b); err == nil {
			t.Fatalf("bad encoding %d accepted", i)
		}
	}
}

// TestCombineTreeShape: folding the chunk statements as a balanced tree
// gives the same root statement as folding them left to right, and the
// fold rule rejects what the chain rule rejects.
func TestCombineTreeShape(t *testing.T) {
	p := prepared(t, 2)
	c := p.ChunkStatements()
	comb := func(a, b ChunkStatement) ChunkStatement {
		t.Helper()
		r, err := Combine(&a, &b)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	balanced := comb(comb(c[0], c[1]), comb(c[2], c[3]))
	linear := comb(comb(comb(c[0], c[1]), c[2]), c[3])
	if balanced != linear || balanced.Count != 4 {
		t.Fatal("fold trees of different shapes disagree")
	}
	if err := CheckRoot(&p.Statement, &balanced); err != nil {
		t.Fatal(err)
	}
	var vk fr.Element
	if bc, c0 := balanced.Claim(vk), c[0].Claim(vk); bc.Digest() == c0.Digest() {
		t.Fatal("claim digest ignores the range")
	}
	for name, pair := range map[string][2]ChunkStatement{
		"gap":        {c[0], c[2]},
		"reversed":   {c[1], c[0]},
		"overlap":    {comb(c[0], c[1]), c[1]},
		"same chunk": {c[1], c[1]},
	} {
		if _, err := Combine(&pair[0], &pair[1]); err == nil {
			t.Fatalf("%s: combined", name)
		}
	}
	part := comb(c[1], c[2])
	if err := CheckRoot(&p.Statement, &part); err == nil {
		t.Fatal("a root not starting at chunk 0 accepted")
	}
}

func TestCheckChain(t *testing.T) {
	p := prepared(t, 2) // 7 transactions → 4 chunks
	if len(p.Chunks) != 4 {
		t.Fatalf("%d chunks", len(p.Chunks))
	}
	good := p.ChunkStatements()
	if err := CheckChain(&p.Statement, good); err != nil {
		t.Fatal(err)
	}
	// The same batch without its fourth transaction: the chunks of what
	// was executed cannot prove the submitted batch's statement.
	txs := sampleTxs(t)
	short := append(txs[:3:3], txs[4:]...)
	pd, err := Prepare(newBatch(t, 16, short, 3), Shape{Depth: 16, Slots: 2})
	if err != nil {
		t.Fatal(err)
	}
	if CheckChain(&p.Statement, pd.ChunkStatements()) == nil {
		t.Fatal("chunks of a batch with a dropped transaction prove the full batch")
	}

	clone := func() []ChunkStatement { return append([]ChunkStatement(nil), good...) }
	tests := []struct {
		name   string
		chunks func() []ChunkStatement
		stmt   func(s *Statement)
		want   string
	}{
		{"reordered", func() []ChunkStatement { c := clone(); c[1], c[2] = c[2], c[1]; return c }, nil, "index"},
		{"reordered with renumbered indices", func() []ChunkStatement {
			c := clone()
			c[1], c[2] = c[2], c[1]
			c[1].First, c[2].First = 1, 2
			return c
		}, nil, "post root"},
		{"skipped", func() []ChunkStatement { c := clone(); return append(c[:1], c[2:]...) }, nil, "index"},
		{"skipped last", func() []ChunkStatement { return clone()[:3] }, nil, "last chunk"},
		{"duplicated", func() []ChunkStatement { c := clone(); return append(c[:2], c[1:]...) }, nil, "index"},
		{"duplicated with renumbered index", func() []ChunkStatement {
			c := clone()
			d := c[1]
			out := append(append(c[:2:2], d), c[2:]...)
			for i := range out {
				out[i].First = uint64(i)
			}
			return out
		}, nil, "post root"},
		{"foreign batch", func() []ChunkStatement { c := clone(); c[2].BatchID++; return c }, nil, "batch"},
		{"no chunks", func() []ChunkStatement { return nil }, nil, "no chunks"},
		{"tampered batch hash", clone, func(s *Statement) { s.BatchHash.SetUint64(1) }, "accumulators"},
		{"tampered withdrawal root", clone, func(s *Statement) { s.WithdrawalRoot.SetUint64(1) }, "accumulators"},
		{"tampered deposit root", clone, func(s *Statement) { s.DepositRoot.SetUint64(1) }, "accumulators"},
		{"tampered post-state root", clone, func(s *Statement) { s.PostStateRoot.SetUint64(1) }, "post-state root"},
		{"tampered pre-state root", clone, func(s *Statement) { s.PreStateRoot.SetUint64(1) }, "pre-state root"},
		{"a withdrawal counted as a transfer", clone, func(s *Statement) { s.WithdrawalCount--; s.TransferCount++ }, "counts"},
		{"inconsistent counts", clone, func(s *Statement) { s.TxCount++ }, "counts"},
		{"accumulators not from zero", func() []ChunkStatement { c := clone(); c[0].AccIn.BatchHash.SetUint64(3); return c }, nil, "zero"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := p.Statement
			if tc.stmt != nil {
				tc.stmt(&s)
			}
			err := CheckChain(&s, tc.chunks())
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// FuzzDecodeStatement: the statement decoder accepts exactly the
// encodings Encode produces.
func FuzzDecodeStatement(f *testing.F) {
	s := Statement{BatchID: 3, TxCount: 2, TransferCount: 1, DepositCount: 1}
	s.PreStateRoot.SetUint64(9)
	f.Add(s.Encode())
	f.Add([]byte("ZKRB"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := DecodeStatement(b)
		if err != nil {
			return
		}
		if !bytes.Equal(st.Encode(), b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
	})
}

func TestStatementJSON(t *testing.T) {
	s := prepared(t, 4).Statement
	j := s.JSON()
	back, err := j.Statement()
	if err != nil {
		t.Fatal(err)
	}
	if *back != s {
		t.Fatal("statement did not round-trip through JSON")
	}
	j.BatchHash = HexElem(fr.NewElement(1))
	if _, err := j.Statement(); err == nil {
		t.Fatal("JSON whose fields disagree with its bytes accepted")
	}
}
