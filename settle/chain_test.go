package settle_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/zkfleet/zkfleet/contracts/bindings"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
)

var (
	keysOnce sync.Once
	keys     *settletest.Keys
	keysErr  error
)

func tinyKeys(t *testing.T) *settletest.Keys {
	t.Helper()
	keysOnce.Do(func() { keys, keysErr = settletest.Load() })
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keys
}

// chain is a simulated chain with the tiny circuit's verifier deployed.
type chain struct {
	sim         *settle.Sim
	verifier    common.Address
	verifierGas uint64
}

func newChain(t *testing.T, extra ...*ecdsa.PrivateKey) *chain {
	t.Helper()
	ctx := context.Background()
	sim, err := settle.NewSim(ctx, nil, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	addr, gas, err := sim.DeployVerifier(ctx, settletest.VerifierBytecode())
	if err != nil {
		t.Fatal(err)
	}
	return &chain{sim: sim, verifier: addr, verifierGas: gas}
}

func prove(t *testing.T, d *big.Int) []byte {
	t.Helper()
	p, err := tinyKeys(t).Prove(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func hash(s string) [32]byte { return crypto.Keccak256Hash([]byte(s)) }

// fieldRoot is a root that is a canonical field element, like the rollup's
// Poseidon2 roots.
func fieldRoot(s string) [32]byte {
	var e fr.Element
	e.SetBytes(crypto.Keccak256([]byte(s)))
	return e.Bytes()
}

func wantRevert(t *testing.T, err error, reason string) {
	t.Helper()
	var re *settle.RevertError
	if !errors.As(err, &re) {
		t.Fatalf("got error %v, want a revert with %q", err, reason)
	}
	if !errors.Is(err, settle.ErrReverted) {
		t.Fatalf("RevertError does not wrap ErrReverted")
	}
	if !strings.HasPrefix(re.Reason, reason) {
		t.Fatalf("revert reason %q, want %q", re.Reason, reason)
	}
}

// TestDigestMatchesContract checks the Go twins of the contract's hashes
// on the EVM: statement digests, deposit entries (two Poseidon2
// compressions each) and withdrawal accumulators.
func TestDigestMatchesContract(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	rc, _, err := c.sim.DeployRollup(ctx, c.verifier, fieldRoot("genesis"), 1)
	if err != nil {
		t.Fatal(err)
	}
	pc, _, err := c.sim.DeployProgram(ctx, c.verifier)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rb := func() (b [32]byte) {
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b
	}
	for i := range 8 {
		s := settle.BatchStatement{
			BatchID: rng.Uint64(), PreStateRoot: rb(), PostStateRoot: rb(), BatchHash: rb(),
			WithdrawalRoot: rb(), DepositRoot: rb(), TxCount: rng.Uint64(), TransferCount: rng.Uint64(), DepositCount: rng.Uint64(), WithdrawalCount: rng.Uint64(),
		}
		if i == 0 {
			s = settle.BatchStatement{} // all zero
		}
		got, err := rc.StatementDigest(ctx, &s)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.DigestBig(); got.Cmp(want) != 0 {
			t.Fatalf("batch statement %d: contract digest %x, Go %x", i, got, want)
		}
		e := s.Digest()
		if e.BigInt(new(big.Int)).Cmp(got) != 0 {
			t.Fatalf("batch statement %d: Digest and DigestBig differ", i)
		}
		if len(s.Packed()) != settle.BatchStatementLen {
			t.Fatalf("packed length %d", len(s.Packed()))
		}
		kx := rb()
		d := settle.Deposit{PubKeyX: new(big.Int).Mod(new(big.Int).SetBytes(kx[:]), fr.Modulus()), PubKeyY: big.NewInt(int64(i)), Amount: rng.Uint64()}
		wantEntry, err := d.Entry()
		if err != nil {
			t.Fatal(err)
		}
		gotEntry, err := rc.DepositEntry(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if gotEntry.Cmp(wantEntry.BigInt(new(big.Int))) != 0 {
			t.Fatalf("deposit %d: contract entry %x, Go %x", i, gotEntry, wantEntry.BigInt(new(big.Int)))
		}
		ws := make([]settle.Withdrawal, i)
		for j := range ws {
			a := rb()
			ws[j] = settle.Withdrawal{Recipient: common.BytesToAddress(a[:20]), Amount: rng.Uint64()}
		}
		gotAcc, err := rc.WithdrawalAccumulator(ctx, ws)
		if err != nil {
			t.Fatal(err)
		}
		if want := settle.WithdrawalAccumulator(ws); gotAcc != want {
			t.Fatalf("%d withdrawals: contract accumulator %x, Go %x", i, gotAcc, want)
		}
		p := settle.ProgramStatement{ProgramID: rb(), InputHash: rb(), OutputHash: rb(), ExitCode: rng.Uint32(), Cycles: rng.Uint64()}
		got, err = pc.StatementDigest(ctx, &p)
		if err != nil {
			t.Fatal(err)
		}
		if want := p.DigestBig(); got.Cmp(want) != 0 {
			t.Fatalf("program statement %d: contract digest %x, Go %x", i, got, want)
		}
		if len(p.Packed()) != settle.ProgramStatementLen {
			t.Fatalf("packed length %d", len(p.Packed()))
		}
	}
}

// TestVerifierOnChain runs the exported verifier's pairing check directly:
// a real proof verifies, the same proof under another digest and altered
// proofs revert. It measures the verification's gas.
func TestVerifierOnChain(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	v := bindings.NewGroth16Verifier()
	d := big.NewInt(0).SetBytes(crypto.Keccak256([]byte("digest")))
	d.Mod(d, fr.Modulus())
	proof := prove(t, d)
	call := func(proof []byte, d *big.Int) (uint64, error) {
		data, err := v.TryPackVerifyProof(proof, [1]*big.Int{d})
		if err != nil {
			return 0, err
		}
		msg := ethereum.CallMsg{From: c.sim.From(), To: &c.verifier, Data: data}
		if _, err := c.sim.Backend.Client().CallContract(ctx, msg, nil); err != nil {
			return 0, err
		}
		return c.sim.Backend.Client().EstimateGas(ctx, msg)
	}
	if _, err := call(proof, d); err != nil {
		t.Fatalf("valid proof refused: %v", err)
	}
	// The gas of a transaction that only calls verifyProof (21000 intrinsic
	// and the calldata included).
	data, err := v.TryPackVerifyProof(proof, [1]*big.Int{d})
	if err != nil {
		t.Fatal(err)
	}
	chainID, err := c.sim.Backend.Client().ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := v.Instance(c.sim.Backend.Client(), c.verifier).RawTransact(bind.NewKeyedTransactor(c.sim.Key, chainID), data)
	if err != nil {
		t.Fatal(err)
	}
	c.sim.Backend.Commit()
	rcpt, err := bind.WaitMined(ctx, c.sim.Backend.Client(), tx.Hash())
	if err != nil || rcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("verifyProof transaction: %v, %+v", err, rcpt)
	}
	t.Logf("verifyProof transaction gas %d; verifier deployment gas %d", rcpt.GasUsed, c.verifierGas)

	other := new(big.Int).Add(d, big.NewInt(1))
	if _, err := call(proof, other); err == nil {
		t.Fatal("proof verified under another digest")
	}
	if _, err := call(proof, new(big.Int).Add(d, fr.Modulus())); err == nil {
		t.Fatal("unreduced public input accepted")
	}
	for _, off := range []int{0, 40, 64, 100, 150, 200, 230, 256, 290, 320, 350, 383} {
		bad := append([]byte(nil), proof...)
		bad[off] ^= 1
		if _, err := call(bad, d); err == nil {
			t.Fatalf("proof with byte %d flipped verified", off)
		}
	}
	if _, err := call(proof[:len(proof)-1], d); err == nil {
		t.Fatal("truncated proof verified")
	}
}

func TestProgramVerifier(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	pc, _, err := c.sim.DeployProgram(ctx, c.verifier)
	if err != nil {
		t.Fatal(err)
	}
	s := settle.ProgramStatement{ProgramID: hash("program"), InputHash: hash("in"), OutputHash: hash("out"), ExitCode: 0, Cycles: 123456}
	proof := prove(t, s.DigestBig())
	d, err := pc.Verify(ctx, &s, proof)
	if err != nil {
		t.Fatalf("valid program proof refused: %v", err)
	}
	if d.Cmp(s.DigestBig()) != 0 {
		t.Fatalf("verify returned digest %x, want %x", d, s.DigestBig())
	}
	tampered := map[string]func(s *settle.ProgramStatement){
		"program id":  func(s *settle.ProgramStatement) { s.ProgramID[0] ^= 1 },
		"input hash":  func(s *settle.ProgramStatement) { s.InputHash[31] ^= 1 },
		"output hash": func(s *settle.ProgramStatement) { s.OutputHash[5] ^= 1 },
		"exit code":   func(s *settle.ProgramStatement) { s.ExitCode = 1 },
		"cycles":      func(s *settle.ProgramStatement) { s.Cycles++ },
	}
	for name, tamper := range tampered {
		t.Run(name, func(t *testing.T) {
			bad := s
			tamper(&bad)
			_, err := pc.Verify(ctx, &bad, proof)
			wantRevert(t, err, "ProofInvalid")
			if _, err := pc.Record(ctx, &bad, proof); err == nil {
				t.Fatal("tampered statement recorded")
			}
		})
	}
	if ok, err := pc.Verified(ctx, s.DigestBig()); err != nil || ok {
		t.Fatalf("verified before record: %v %v", ok, err)
	}
	rcpt, err := pc.Record(ctx, &s, proof)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ProgramVerifier.record gas: %d", rcpt.GasUsed)
	if ok, err := pc.Verified(ctx, s.DigestBig()); err != nil || !ok {
		t.Fatalf("not verified after record: %v %v", ok, err)
	}
}

// rollupBatch is one batch of the settlement test: its statement, its
// withdrawals and its proof.
type rollupBatch struct {
	s           settle.BatchStatement
	withdrawals []settle.Withdrawal
	proof       []byte
}

func makeBatch(t *testing.T, id uint64, pre [32]byte, deposits []settle.Deposit, ws []settle.Withdrawal) *rollupBatch {
	t.Helper()
	acc, err := settle.DepositAccumulator(deposits)
	if err != nil {
		t.Fatal(err)
	}
	b := &rollupBatch{withdrawals: ws}
	b.s = settle.BatchStatement{
		BatchID: id, PreStateRoot: pre, PostStateRoot: fieldRoot("root after " + string(rune('0'+id))),
		BatchHash: fieldRoot("batch " + string(rune('0'+id))), WithdrawalRoot: settle.WithdrawalAccumulator(ws), DepositRoot: acc,
		TxCount: uint64(len(deposits) + len(ws) + 3), TransferCount: 3, DepositCount: uint64(len(deposits)), WithdrawalCount: uint64(len(ws)),
	}
	b.proof = prove(t, b.s.DigestBig())
	return b
}

func TestRollupSettlement(t *testing.T) {
	ctx := context.Background()
	alice, _ := crypto.GenerateKey()
	c := newChain(t, alice)
	genesis := fieldRoot("genesis")
	rc, deployGas, err := c.sim.DeployRollup(ctx, c.verifier, genesis, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("RollupSettlement deployment gas %d, verifier deployment gas %d", deployGas, c.verifierGas)

	// Deposits come from another account than the one that settles.
	aliceClient, err := c.sim.ClientFor(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	aliceRollup, err := aliceClient.Rollup(ctx, rc.Address())
	if err != nil {
		t.Fatal(err)
	}
	deposits := []settle.Deposit{
		{PubKeyX: big.NewInt(11), PubKeyY: big.NewInt(12), Amount: 1_000_000_000},
		{PubKeyX: big.NewInt(21), PubKeyY: big.NewInt(22), Amount: 500},
		{PubKeyX: big.NewInt(11), PubKeyY: big.NewInt(12), Amount: 7},
	}
	for _, d := range deposits {
		rcpt, err := aliceRollup.Deposit(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("deposit gas %d", rcpt.GasUsed)
	}
	t.Run("bad deposits", func(t *testing.T) {
		for name, d := range map[string]settle.Deposit{
			"zero amount":      {PubKeyX: big.NewInt(1), PubKeyY: big.NewInt(2), Amount: 0},
			"key not in field": {PubKeyX: fr.Modulus(), PubKeyY: big.NewInt(2), Amount: 5},
		} {
			if _, err := aliceRollup.Deposit(ctx, d); err == nil {
				t.Errorf("%s: deposit accepted", name)
			}
		}
	})

	bob := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
	carol := common.HexToAddress("0x00000000000000000000000000000000000ca201")
	ws1 := []settle.Withdrawal{{Recipient: bob, Amount: 300}, {Recipient: carol, Amount: 20}, {Recipient: bob, Amount: 1}}

	b1 := makeBatch(t, 1, genesis, deposits[:2], ws1)
	b2 := makeBatch(t, 2, b1.s.PostStateRoot, deposits[2:], nil)
	b3 := makeBatch(t, 3, b2.s.PostStateRoot, nil, ws1[:1])

	state := func() settle.State {
		t.Helper()
		st, err := rc.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return *st
	}

	// Refusals before batch 1: each leaves the contract's state unchanged.
	refuseWith := func(t *testing.T, s settle.BatchStatement, ws []settle.Withdrawal, proof []byte, reason string) {
		t.Helper()
		before := state()
		_, err := rc.Settle(ctx, &s, ws, proof)
		wantRevert(t, err, reason)
		if after := state(); after != before {
			t.Fatalf("refused settlement changed the state: %+v → %+v", before, after)
		}
	}
	refuse := func(t *testing.T, s settle.BatchStatement, proof []byte, reason string) {
		t.Helper()
		refuseWith(t, s, ws1, proof, reason)
	}
	t.Run("out of order", func(t *testing.T) { refuseWith(t, b2.s, nil, b2.proof, "WrongBatchId") })
	t.Run("wrong pre-root", func(t *testing.T) {
		s := b1.s
		s.PreStateRoot = fieldRoot("elsewhere")
		refuse(t, s, prove(t, s.DigestBig()), "WrongPreStateRoot")
	})
	t.Run("inconsistent counts", func(t *testing.T) {
		s := b1.s
		s.TxCount++
		refuse(t, s, prove(t, s.DigestBig()), "BadCounts")
	})
	t.Run("deposits not queued", func(t *testing.T) {
		more := append(append([]settle.Deposit(nil), deposits...), settle.Deposit{PubKeyX: big.NewInt(1), PubKeyY: big.NewInt(1), Amount: 9})
		b := makeBatch(t, 1, genesis, more, ws1)
		refuse(t, b.s, b.proof, "DepositsNotQueued")
	})
	t.Run("deposit root mismatch", func(t *testing.T) {
		// A proof for a batch that claims other deposits than the queued ones.
		forged := []settle.Deposit{deposits[0], {PubKeyX: big.NewInt(21), PubKeyY: big.NewInt(22), Amount: 5000}}
		b := makeBatch(t, 1, genesis, forged, ws1)
		refuse(t, b.s, b.proof, "DepositRootMismatch")
	})
	t.Run("skipped deposit", func(t *testing.T) {
		b := makeBatch(t, 1, genesis, deposits[1:2], ws1)
		refuse(t, b.s, b.proof, "DepositRootMismatch")
	})
	t.Run("withdrawal dropped", func(t *testing.T) {
		refuseWith(t, b1.s, ws1[:2], b1.proof, "WithdrawalCountMismatch")
	})
	t.Run("withdrawal redirected", func(t *testing.T) {
		ws := append([]settle.Withdrawal(nil), ws1...)
		ws[1].Recipient = bob
		refuseWith(t, b1.s, ws, b1.proof, "WithdrawalRootMismatch")
	})
	t.Run("withdrawal inflated", func(t *testing.T) {
		ws := append([]settle.Withdrawal(nil), ws1...)
		ws[0].Amount++
		refuseWith(t, b1.s, ws, b1.proof, "WithdrawalRootMismatch")
	})
	t.Run("withdrawals reordered", func(t *testing.T) {
		refuseWith(t, b1.s, []settle.Withdrawal{ws1[1], ws1[0], ws1[2]}, b1.proof, "WithdrawalRootMismatch")
	})
	tamperings := map[string]func(s *settle.BatchStatement){
		"post root":      func(s *settle.BatchStatement) { s.PostStateRoot[31] ^= 1 },
		"batch hash":     func(s *settle.BatchStatement) { s.BatchHash[31] ^= 1 },
		"transfer count": func(s *settle.BatchStatement) { s.TxCount++; s.TransferCount++ },
	}
	for name, tamper := range tamperings {
		t.Run("tampered statement/"+name, func(t *testing.T) {
			s := b1.s
			tamper(&s)
			refuse(t, s, b1.proof, "ProofInvalid")
		})
	}
	t.Run("tampered statement/withdrawals", func(t *testing.T) {
		// Consistent withdrawals and root, but not the proven ones.
		ws := append([]settle.Withdrawal(nil), ws1...)
		ws[2].Recipient = carol
		s := b1.s
		s.WithdrawalRoot = settle.WithdrawalAccumulator(ws)
		refuseWith(t, s, ws, b1.proof, "ProofInvalid")
	})
	for _, off := range []int{3, 70, 230, 270, 340} {
		t.Run("tampered proof", func(t *testing.T) {
			bad := append([]byte(nil), b1.proof...)
			bad[off] ^= 0x10
			before := state()
			_, err := rc.Settle(ctx, &b1.s, ws1, bad)
			var re *settle.RevertError
			if !errors.As(err, &re) {
				t.Fatalf("byte %d: got %v, want a revert", off, err)
			}
			if after := state(); after != before {
				t.Fatal("state changed")
			}
			t.Logf("byte %d flipped: %s", off, re.Reason)
		})
	}
	t.Run("proof of another batch", func(t *testing.T) { refuse(t, b1.s, b3.proof, "ProofInvalid") })

	// Settle the three batches in order.
	var settleGas []uint64
	for _, b := range []*rollupBatch{b1, b2, b3} {
		rec, err := rc.Settle(ctx, &b.s, b.withdrawals, b.proof)
		if err != nil {
			t.Fatalf("batch %d: %v", b.s.BatchID, err)
		}
		if rec.Mock || rec.Settler != "sim" || rec.BatchID != b.s.BatchID || rec.Digest.Big().Cmp(b.s.DigestBig()) != 0 || rec.PostStateRoot != b.s.PostStateRoot {
			t.Fatalf("batch %d: record %+v", b.s.BatchID, rec)
		}
		settleGas = append(settleGas, rec.GasUsed)
		if got, err := rc.Settled(ctx, b.s.BatchID); err != nil || got == nil || *got != *rec {
			t.Fatalf("batch %d read back: %+v, %v; settled %+v", b.s.BatchID, got, err, rec)
		}
		st := state()
		if st.StateRoot != b.s.PostStateRoot || st.NextBatchID != b.s.BatchID+1 {
			t.Fatalf("after batch %d: state %+v", b.s.BatchID, st)
		}
	}
	t.Logf("settle gas: batch 1 (2 deposits, 3 withdrawals) %d, batch 2 (1 deposit) %d, batch 3 (1 withdrawal) %d", settleGas[0], settleGas[1], settleGas[2])
	if st := state(); st.PendingDeposits != 0 || st.DepositsConsumed != 3 {
		t.Fatalf("deposits after settling: %+v", st)
	}

	if got, err := rc.Settled(ctx, b3.s.BatchID+1); err != nil || got != nil {
		t.Fatalf("an unsettled batch read back: %+v, %v", got, err)
	}
	t.Run("replayed batch", func(t *testing.T) { refuse(t, b1.s, b1.proof, "WrongBatchId") })
	t.Run("replayed last batch", func(t *testing.T) { refuseWith(t, b3.s, b3.withdrawals, b3.proof, "WrongBatchId") })

	// Withdrawals: bob was credited 300 + 1 (batch 1) + 300 (batch 3) gwei,
	// carol 20.
	balance := func(a common.Address) *big.Int {
		t.Helper()
		b, err := c.sim.Backend.Client().BalanceAt(ctx, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	gwei := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.GWei)) }
	for _, w := range []struct {
		who  common.Address
		gwei int64
	}{{bob, 601}, {carol, 20}} {
		credited, err := rc.Withdrawable(ctx, w.who)
		if err != nil {
			t.Fatal(err)
		}
		if credited.Cmp(gwei(w.gwei)) != 0 {
			t.Fatalf("%s credited %v wei, want %d gwei", w.who.Hex(), credited, w.gwei)
		}
		before := balance(w.who)
		rcpt, err := rc.Withdraw(ctx, w.who)
		if err != nil {
			t.Fatal(err)
		}
		if got := new(big.Int).Sub(balance(w.who), before); got.Cmp(gwei(w.gwei)) != 0 {
			t.Fatalf("%s paid %v wei, want %d gwei", w.who.Hex(), got, w.gwei)
		}
		t.Logf("withdraw gas %d", rcpt.GasUsed)
		_, err = rc.Withdraw(ctx, w.who)
		wantRevert(t, err, "NothingToWithdraw")
	}
	_, err = rc.Withdraw(ctx, common.HexToAddress("0x0000000000000000000000000000000000000d0d"))
	wantRevert(t, err, "NothingToWithdraw")
}
