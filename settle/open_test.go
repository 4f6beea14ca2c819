package settle_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
)

func TestOpenSim(t *testing.T) {
	ctx := context.Background()
	genesis := fieldRoot("genesis")
	s, release, err := settle.Open(ctx, settle.Config{Mode: settle.ModeSim, VerifierBytecode: settletest.VerifierBytecode(), Genesis: genesis, FirstBatchID: 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = release() })
	if s.Name() != "sim" {
		t.Fatalf("name %q", s.Name())
	}
	st := settle.BatchStatement{BatchID: 0, PreStateRoot: genesis, PostStateRoot: fieldRoot("one"), TxCount: 1, TransferCount: 1}
	proof := prove(t, st.DigestBig())
	rec, err := s.Settle(ctx, &st, nil, proof)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Mock || rec.GasUsed == 0 || rec.TxHash == (common.Hash{}) {
		t.Fatalf("record %+v", rec)
	}
	_, err = s.Settle(ctx, &st, nil, proof)
	wantRevert(t, err, "WrongBatchId")
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range map[string]settle.Config{
		"unknown mode":       {Mode: "solana"},
		"sim without bin":    {Mode: settle.ModeSim},
		"rpc without url":    {Mode: settle.ModeRPC, KeyFile: "k", Contract: common.HexToAddress("0x01")},
		"rpc without key":    {Mode: settle.ModeRPC, RPC: "http://127.0.0.1:1", Contract: common.HexToAddress("0x01")},
		"rpc without target": {Mode: settle.ModeRPC, RPC: "http://127.0.0.1:1", KeyFile: "k"},
	} {
		if _, _, err := settle.Open(ctx, cfg, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestOpenRPC settles over real JSON-RPC (HTTP on the loopback) against a
// simulated chain that mines a block every 50 ms.
func TestOpenRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("mined blocks are polled once a second")
	}
	ctx := context.Background()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	b := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: settle.SimFunds}},
		func(nc *node.Config, ec *ethconfig.Config) {
			nc.HTTPHost = "127.0.0.1"
			nc.HTTPPort = port
			nc.HTTPModules = []string{"eth", "net", "web3"}
			ec.Genesis.Config = settle.OsakaConfig()
		})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				b.Commit()
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done; _ = b.Close() })

	keyFile := filepath.Join(t.TempDir(), "key")
	if err := crypto.SaveECDSA(keyFile, key); err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	c, err := settle.DialRPC(ctx, url, keyFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, _, err := c.DeployVerifier(ctx, settletest.VerifierBytecode())
	if err != nil {
		t.Fatal(err)
	}
	genesis := fieldRoot("genesis")
	rc, _, err := c.DeployRollup(ctx, v, genesis, 1)
	if err != nil {
		t.Fatal(err)
	}

	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := settle.Open(ctx, settle.Config{Mode: settle.ModeRPC, RPC: url, KeyFile: keyFile, Contract: rc.Address()}, nil); err == nil {
		t.Fatal("world-readable key file accepted")
	}
	if err := os.Chmod(keyFile, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := settle.Open(ctx, settle.Config{Mode: settle.ModeRPC, RPC: url, KeyFile: keyFile, Contract: common.HexToAddress("0x1234")}, nil); err == nil {
		t.Fatal("address without code accepted")
	}
	s, release, err := settle.Open(ctx, settle.Config{Mode: settle.ModeRPC, RPC: url, KeyFile: keyFile, Contract: rc.Address()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = release() }()
	st := settle.BatchStatement{BatchID: 1, PreStateRoot: genesis, PostStateRoot: fieldRoot("one"), TxCount: 1, TransferCount: 1}
	proof := prove(t, st.DigestBig())
	bad := st
	bad.PostStateRoot = fieldRoot("stolen")
	_, err = s.Settle(ctx, &bad, nil, proof)
	wantRevert(t, err, "ProofInvalid")
	rec, err := s.Settle(ctx, &st, nil, proof)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Settler != "rpc" || rec.BatchID != 1 {
		t.Fatalf("record %+v", rec)
	}
}

// TestPendingSettlement sends a settlement to a chain that does not mine:
// the error says the outcome is unknown (not a refusal), with the hash.
func TestPendingSettlement(t *testing.T) {
	ctx := context.Background()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: settle.SimFunds}},
		func(_ *node.Config, ec *ethconfig.Config) { ec.Genesis.Config = settle.OsakaConfig() })
	t.Cleanup(func() { _ = b.Close() })
	c, err := settle.NewClient(ctx, b.Client(), key, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Deployment needs blocks: mine them until deployed.
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				b.Commit()
			}
		}
	}()
	v, _, err := c.DeployVerifier(ctx, settletest.VerifierBytecode())
	if err != nil {
		t.Fatal(err)
	}
	genesis := fieldRoot("genesis")
	rc, _, err := c.DeployRollup(ctx, v, genesis, 1)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	st := settle.BatchStatement{BatchID: 1, PreStateRoot: genesis, PostStateRoot: fieldRoot("one"), TxCount: 1, TransferCount: 1}
	proof := prove(t, st.DigestBig())
	short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	_, err = rc.Settle(short, &st, nil, proof)
	var pe *settle.PendingError
	if !errors.As(err, &pe) || !errors.Is(err, settle.ErrPending) || errors.Is(err, settle.ErrReverted) || pe.TxHash == (common.Hash{}) {
		t.Fatalf("got %v, want a PendingError", err)
	}
	// Once mined, the batch is settled: a resend is refused.
	b.Commit()
	if s, err := rc.State(ctx); err != nil || s.NextBatchID != 2 {
		t.Fatalf("state after mining: %+v, %v", s, err)
	}
	_, err = rc.Settle(ctx, &st, nil, proof)
	wantRevert(t, err, "WrongBatchId")
}
