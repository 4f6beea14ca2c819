package settle_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/zkfleet/zkfleet/contracts/solc"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

func TestAccumulators(t *testing.T) {
	d := []settle.Deposit{
		{PubKeyX: big.NewInt(1), PubKeyY: big.NewInt(2), Amount: 4},
		{PubKeyX: big.NewInt(5), PubKeyY: big.NewInt(6), Amount: 8},
	}
	acc, err := settle.DepositAccumulator(d)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: entry = C(C(x, y), amount | 0x501<<240), chained from zero.
	el := func(v *big.Int) (e fr.Element) { e.SetBigInt(v); return e }
	tagged := func(tag int64, low *big.Int) fr.Element {
		return el(new(big.Int).Or(new(big.Int).Lsh(big.NewInt(tag), 240), low))
	}
	e0 := claim.Compress(claim.Compress(el(big.NewInt(1)), el(big.NewInt(2))), tagged(0x501, big.NewInt(4)))
	e1 := claim.Compress(claim.Compress(el(big.NewInt(5)), el(big.NewInt(6))), tagged(0x501, big.NewInt(8)))
	want := claim.Compress(claim.Compress(fr.Element{}, e0), e1)
	if acc != common.Hash(want.Bytes()) {
		t.Fatalf("deposit accumulator %s, want %x", acc.Hex(), want.Bytes())
	}
	if empty, _ := settle.DepositAccumulator(nil); empty != (common.Hash{}) {
		t.Fatal("no deposits do not give the zero accumulator")
	}
	swapped, _ := settle.DepositAccumulator([]settle.Deposit{d[1], d[0]})
	if swapped == acc {
		t.Fatal("deposit order does not matter")
	}
	if _, err := settle.DepositAccumulator([]settle.Deposit{{PubKeyX: new(big.Int).Set(frModulus()), PubKeyY: big.NewInt(1)}}); err == nil {
		t.Fatal("public key outside the field accepted")
	}

	w := settle.Withdrawal{Recipient: common.HexToAddress("0x00000000000000000000000000000000000000ff"), Amount: 3}
	entry := tagged(0x401, new(big.Int).Or(new(big.Int).Lsh(big.NewInt(3), 160), big.NewInt(0xff)))
	if got := w.Entry(); !got.Equal(&entry) {
		t.Fatal("withdrawal entry is not recipient | amount<<160 | 0x401<<240")
	}
	wantW := claim.Compress(claim.Compress(fr.Element{}, entry), entry)
	if got := settle.WithdrawalAccumulator([]settle.Withdrawal{w, w}); got != common.Hash(wantW.Bytes()) {
		t.Fatalf("withdrawal accumulator %s", got.Hex())
	}
	if settle.WithdrawalAccumulator(nil) != (common.Hash{}) {
		t.Fatal("no withdrawals do not give the zero accumulator")
	}

	// The rollup's DepositQueueEntry and WithdrawalEntry of the same
	// transactions (rollup branch, commit ac0139e).
	dv := settle.Deposit{PubKeyX: big.NewInt(11), PubKeyY: big.NewInt(12), Amount: 1000}
	de, err := dv.Entry()
	if err != nil {
		t.Fatal(err)
	}
	if got := de.Text(16); got != "63bfdb3ea072f2d0bb17dfe6a8eac970e3e0817fbd60a9a070fafe35e371e6b" {
		t.Errorf("deposit entry %s differs from the rollup's", got)
	}
	var addr common.Address
	for i := range addr {
		addr[i] = byte(i + 1)
	}
	wv := settle.Withdrawal{Recipient: addr, Amount: 77}
	we := wv.Entry()
	if got := we.Text(16); got != "4010000000000000000004d0102030405060708090a0b0c0d0e0f1011121314" {
		t.Errorf("withdrawal entry %s differs from the rollup's", got)
	}
}

func frModulus() *big.Int { return ecc.BN254.ScalarField() }

// noCommitment has one public input and no commitment.
type noCommitment struct {
	D    frontend.Variable `gnark:",public"`
	A, B frontend.Variable
}

func (c *noCommitment) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.A, c.B), c.D)
	return nil
}

// twoPublic has two public inputs and one commitment.
type twoPublic struct {
	D, E frontend.Variable `gnark:",public"`
	A    frontend.Variable
}

func (c *twoPublic) Define(api frontend.API) error {
	cm, err := api.(frontend.Committer).Commit(c.A)
	if err != nil {
		return err
	}
	api.AssertIsEqual(api.Mul(c.A, c.E), c.D)
	api.AssertIsDifferent(cm, c.A)
	return nil
}

func TestExportVerifierShape(t *testing.T) {
	for name, c := range map[string]frontend.Circuit{"no commitment": &noCommitment{}, "two public inputs": &twoPublic{}} {
		t.Run(name, func(t *testing.T) {
			ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
			if err != nil {
				t.Fatal(err)
			}
			_, vk, err := groth16.Setup(ccs)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := settle.ExportVerifier(vk, &buf); !errors.Is(err, settle.ErrVerifyingKey) {
				t.Fatalf("got %v, want ErrVerifyingKey", err)
			}
			if buf.Len() != 0 {
				t.Fatal("wrote a verifier for an unsupported key")
			}
		})
	}
	if err := settle.ExportVerifier(groth16.NewVerifyingKey(ecc.BLS12_381), &bytes.Buffer{}); !errors.Is(err, settle.ErrVerifyingKey) {
		t.Fatalf("BLS12-381 key: got %v", err)
	}
}

// TestCommittedVerifier checks that settletest's committed Verifier.sol is
// the export of its committed verifying key, and, where solcjs is
// installed, that the committed bytecode is its compilation.
func TestCommittedVerifier(t *testing.T) {
	k := tinyKeys(t)
	var buf bytes.Buffer
	if err := settle.ExportVerifier(k.VK, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), settletest.VerifierSource()) {
		t.Fatal("settletest/keys/Verifier.sol is not the export of keys/tiny.vk: run go generate ./settle/...")
	}
	c, err := solc.Find("")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("solcjs is not installed in CI: %v", err)
		}
		t.Skipf("solcjs not installed, bytecode freshness not checked: %v", err)
	}
	code, err := settle.CompileVerifier(context.Background(), k.VK, c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(code, settletest.VerifierBytecode()) {
		t.Fatal("settletest/keys/Verifier.bin is not the compilation of Verifier.sol: run go generate ./settle/...")
	}
}

func TestDecodeRevert(t *testing.T) {
	settlement, err := abi.JSON(strings.NewReader(bindingsABI()))
	if err != nil {
		t.Fatal(err)
	}
	wrongID, err := settlement.Errors["WrongBatchId"].Inputs.Pack(uint64(3), uint64(5))
	if err != nil {
		t.Fatal(err)
	}
	id := settlement.Errors["WrongBatchId"].ID
	wrongID = append(append([]byte(nil), id[:4]...), wrongID...)
	str, err := abi.NewType("string", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := abi.Arguments{{Type: str}}.Pack("invalid proof length")
	if err != nil {
		t.Fatal(err)
	}
	msg = append([]byte{0x08, 0xc3, 0x79, 0xa0}, msg...)
	for _, c := range []struct {
		data []byte
		want string
	}{
		{nil, "no reason given"},
		{wrongID, "WrongBatchId(expected=3, got=5)"},
		{crypto.Keccak256([]byte("ProofInvalid()"))[:4], "ProofInvalid()"},
		{crypto.Keccak256([]byte("CommitmentInvalid()"))[:4], "CommitmentInvalid()"},
		{msg, "invalid proof length"},
		{[]byte{1, 2, 3}, "unknown revert data 0x010203"},
		{wrongID[:10], "unknown revert data"},
	} {
		if got := settle.DecodeRevert(c.data); !strings.HasPrefix(got, c.want) {
			t.Errorf("DecodeRevert(%x) = %q, want %q", c.data, got, c.want)
		}
	}
}

func FuzzDecodeRevert(f *testing.F) {
	f.Add([]byte{})
	f.Add(crypto.Keccak256([]byte("WrongBatchId(uint64,uint64)"))[:4])
	f.Add(append([]byte{0x08, 0xc3, 0x79, 0xa0}, make([]byte, 64)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if settle.DecodeRevert(data) == "" {
			t.Fatal("empty reason")
		}
	})
}

func TestMockSettler(t *testing.T) {
	ctx := context.Background()
	genesis := fieldRoot("genesis")
	m := settle.NewMockSettler(genesis, 7, nil)
	if m.Name() != "MOCK" {
		t.Fatalf("name %q", m.Name())
	}
	ws := []settle.Withdrawal{{Recipient: common.HexToAddress("0x01"), Amount: 5}}
	s := settle.BatchStatement{BatchID: 7, PreStateRoot: genesis, PostStateRoot: fieldRoot("next"), WithdrawalCount: 1, WithdrawalRoot: settle.WithdrawalAccumulator(ws)}
	_, err := m.Settle(ctx, &s, nil, []byte("not a proof"))
	wantRevert(t, err, "WithdrawalRootMismatch")
	rec, err := m.Settle(ctx, &s, ws, []byte("not a proof"))
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Mock || rec.Settler != "MOCK" || !bytes.HasPrefix(rec.TxHash[:], []byte("MOCK")) || rec.Digest.Big().Cmp(s.DigestBig()) != 0 {
		t.Fatalf("record not labelled as a mock: %+v", rec)
	}
	_, err = m.Settle(ctx, &s, ws, nil)
	wantRevert(t, err, "WrongBatchId")
	s2 := settle.BatchStatement{BatchID: 8, PreStateRoot: genesis}
	_, err = m.Settle(ctx, &s2, nil, nil)
	wantRevert(t, err, "WrongPreStateRoot")
}

// TestDigestVectors locks the digest format: the rollup's and the zkVM's
// final circuits must compute these values for these statements (the
// contract twin is checked by TestDigestMatchesContract).
func TestDigestVectors(t *testing.T) {
	var b settle.BatchStatement
	b.BatchID = 1
	for i := range 32 {
		b.PreStateRoot[i], b.PostStateRoot[i], b.BatchHash[i], b.WithdrawalRoot[i], b.DepositRoot[i] = 1, 2, 3, 4, 5
	}
	b.TxCount, b.TransferCount, b.WithdrawalCount, b.DepositCount = 64, 59, 3, 2
	p := settle.ProgramStatement{ExitCode: 7, Cycles: 1000}
	for i := range 32 {
		p.ProgramID[i], p.InputHash[i], p.OutputHash[i] = 0xa, 0xb, 0xc
	}
	// The encodings written out by hand.
	rep := func(v byte) string { return strings.Repeat(string([]byte{v}), 32) }
	wantBatch := "ZKRB\x00\x01" + "\x00\x00\x00\x00\x00\x00\x00\x01" + rep(1) + rep(2) + rep(3) + rep(4) + rep(5) +
		"\x00\x00\x00\x00\x00\x00\x00\x40" + "\x00\x00\x00\x00\x00\x00\x00\x3b" +
		"\x00\x00\x00\x00\x00\x00\x00\x03" + "\x00\x00\x00\x00\x00\x00\x00\x02"
	wantProgram := "ZKRP\x00\x01" + rep(0xa) + rep(0xb) + rep(0xc) + "\x00\x00\x00\x07" + "\x00\x00\x00\x00\x00\x00\x03\xe8"
	// The rollup's Statement.PublicInput of the same statement (rollup
	// branch, commit ac0139e).
	if got := b.DigestBig().Text(16); got != "141220a36bbd166cf88dcb460f2e5b282065830a30bd1d3aebade03eb80c8036" {
		t.Errorf("batch digest %s differs from the rollup's public input", got)
	}
	if string(b.Packed()) != wantBatch || len(wantBatch) != settle.BatchStatementLen {
		t.Fatalf("batch encoding %x", b.Packed())
	}
	if string(p.Packed()) != wantProgram || len(wantProgram) != settle.ProgramStatementLen {
		t.Fatalf("program encoding %x", p.Packed())
	}
	for _, c := range []struct {
		name string
		got  *big.Int
		enc  string
	}{
		{"batch", b.DigestBig(), wantBatch},
		{"program", p.DigestBig(), wantProgram},
	} {
		sum := sha256.Sum256([]byte(c.enc))
		want := new(big.Int).Mod(new(big.Int).SetBytes(sum[:]), frModulus())
		if c.got.Cmp(want) != 0 {
			t.Errorf("%s digest %x, want sha256 mod r = %x", c.name, c.got, want)
		}
	}
}
