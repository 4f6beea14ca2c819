package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/zkfleet/zkfleet/contracts/solc"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

func runRoot(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb strings.Builder
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	root.SetContext(context.Background())
	err := root.Execute()
	return out.String(), err
}

// tinyKeySet stores a key set whose every key is settletest's tiny circuit
// key (only the fold vk matters to export-verifier).
func tinyKeySet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	store, err := keys.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k, err := settletest.Load()
	if err != nil {
		t.Fatal(err)
	}
	var vk bytes.Buffer
	if _, err := k.VK.WriteTo(&vk); err != nil {
		t.Fatal(err)
	}
	vkID, err := store.PutBlob(bytes.NewReader(vk.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.PutBlob(strings.NewReader("unused by export-verifier"))
	if err != nil {
		t.Fatal(err)
	}
	m := &keys.Manifest{Version: keys.ManifestVersion, Shape: keys.Shape{CPUSteps: 1, MemRows: 1, TapeBytes: 1, ChunkDepth: 1, ChunkSlots: 1}, Circuits: map[string]keys.CircuitKeys{}, Dev: true}
	for _, kind := range keys.Kinds {
		m.Circuits[kind] = keys.CircuitKeys{CCS: other, PK: other, VK: vkID}
	}
	id, err := store.PutManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetName("default", id); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExportVerifierCommand(t *testing.T) {
	keyDir := tinyKeySet(t)
	out := t.TempDir()
	stdout, err := runRoot(t, "export-verifier", "--key-dir", keyDir, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(out, "zkvm", "Verifier.sol"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, settletest.VerifierSource()) {
		t.Fatal("exported verifier differs from the export of the same key")
	}
	if !strings.Contains(stdout, "zkvm: ") {
		t.Fatalf("output %q", stdout)
	}
	if _, err := solc.Find(""); err == nil {
		if _, err := runRoot(t, "export-verifier", "--key-dir", keyDir, "--out", out, "--compile"); err != nil {
			t.Fatal(err)
		}
		bin, err := os.ReadFile(filepath.Join(out, "zkvm", "Verifier.bin"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(common.FromHex(strings.TrimSpace(string(bin))), settletest.VerifierBytecode()) {
			t.Fatal("compiled verifier differs from settletest's")
		}
	} else {
		t.Logf("solcjs not installed, --compile not tested: %v", err)
	}
	if _, err := runRoot(t, "export-verifier", "--key-dir", keyDir, "--key-set", "nosuchset", "--out", out); err == nil {
		t.Fatal("unknown key set accepted")
	}
	if _, err := runRoot(t, "export-verifier", "--key-dir", keyDir); err == nil {
		t.Fatal("missing --out accepted")
	}
}

// TestSettleDeployCommand deploys over JSON-RPC (HTTP on the loopback) to
// a simulated chain that mines every 50 ms, then reads the status back.
func TestSettleDeployCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("mined blocks are polled once a second")
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	b := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: settle.SimFunds}},
		func(nc *node.Config, ec *ethconfig.Config) {
			nc.HTTPHost, nc.HTTPPort, nc.HTTPModules = "127.0.0.1", port, []string{"eth", "net", "web3"}
			ec.Genesis.Config = settle.OsakaConfig()
		})
	stop, done := make(chan struct{}), make(chan struct{})
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

	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := crypto.SaveECDSA(keyFile, key); err != nil {
		t.Fatal(err)
	}
	binFile := filepath.Join(dir, "Verifier.bin")
	if err := os.WriteFile(binFile, []byte(common.Bytes2Hex(settletest.VerifierBytecode())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	genesis := "0x" + strings.Repeat("ab", 32)
	stdout, err := runRoot(t, "settle", "deploy", "--settle-rpc", url, "--settle-key", keyFile, "--verifier-bin", binFile,
		"--genesis-root", genesis, "--first-batch", "5")
	if err != nil {
		t.Fatal(err)
	}
	var d settle.Deployment
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	if d.Verifier == (common.Address{}) || d.RollupSettlement == (common.Address{}) || d.ProgramVerifier == (common.Address{}) || d.Gas["verifier"] == 0 {
		t.Fatalf("deployment %+v", d)
	}
	stdout, err = runRoot(t, "settle", "status", "--settle-rpc", url, "--settle-key", keyFile, "--settle-contract", d.RollupSettlement.Hex())
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		StateRoot   string `json:"state_root"`
		NextBatchID uint64 `json:"next_batch_id"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.StateRoot != common.HexToHash(genesis).Hex() || st.NextBatchID != 5 {
		t.Fatalf("status %s", stdout)
	}
	for _, args := range [][]string{
		{"settle", "deploy", "--settle-rpc", url, "--settle-key", keyFile},
		{"settle", "deploy", "--settle-rpc", url, "--settle-key", keyFile, "--verifier", "0x12", "--verifier-bin", binFile},
		{"settle", "deploy", "--settle-rpc", url, "--settle-key", keyFile, "--verifier-bin", binFile, "--genesis-root", "0x12"},
		{"settle", "deploy", "--settle-rpc", url, "--settle-key", keyFile, "--verifier", d.Verifier.Hex(), "--contracts", "solana"},
		{"settle", "status", "--settle-rpc", url, "--settle-key", keyFile, "--settle-contract", "nothex"},
	} {
		if _, err := runRoot(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
