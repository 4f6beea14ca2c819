package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/committee"
	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
)

// realFib is the real tier's one proof of fib(100), made once per test
// binary by a job that a 3-of-5 committee of `zkfleet node` processes
// attests: TestProveLocalThenVerify checks the proof, TestRealJobAttested
// the attestation, so CI pays for one real proof.
var realFib realFibRun

type realFibRun struct {
	once               sync.Once
	dir                string // removed by TestMain
	keyDir             string
	in, other          string // inputs 100 and 99
	proof, attestation string // files written by prove --attest
	committee          string // committee file
	out                string // prove's --json output
	killed             []uint16
	err                error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if realFib.dir != "" {
		os.RemoveAll(realFib.dir)
	}
	os.Exit(code)
}

// realFibProof makes (once) the attested real proof of fib(100): five
// `zkfleet node` processes whose zkVM verifiers use the shared development
// key set, `attest keygen --threshold 3`, two nodes killed, then `prove
// --local --attest` with the committee.
func realFibProof(t *testing.T) *realFibRun {
	t.Helper()
	tier.RequireReal(t)
	r := &realFib
	r.once.Do(func() {
		// Stays if makeRealFib stops t (t.Fatal) before it returns.
		r.err = errors.New("failed in an earlier test")
		r.err = makeRealFib(t)
	})
	if r.err != nil {
		t.Fatalf("the attested real proof of fib(100): %v", r.err)
	}
	return r
}

func makeRealFib(t *testing.T) error {
	r := &realFib
	r.keyDir = devkeys.Default(t)
	var err error
	if r.dir, err = os.MkdirTemp("", "zkfleet-real-fib"); err != nil {
		return err
	}
	r.in, r.other = filepath.Join(r.dir, "n100"), filepath.Join(r.dir, "n99")
	for name, n := range map[string]uint32{r.in: 100, r.other: 99} {
		if err := os.WriteFile(name, binary.LittleEndian.AppendUint32(nil, n), 0o644); err != nil {
			return err
		}
	}
	bin, err := buildZkfleetBinary(r.dir)
	if err != nil {
		return err
	}
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return err
	}
	tokenFile, passFile := filepath.Join(r.dir, "node-token"), filepath.Join(r.dir, "node-passphrase")
	if err := os.WriteFile(tokenFile, []byte(hex.EncodeToString(tok)+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(passFile, []byte("real tier node passphrase\n"), 0o600); err != nil {
		return err
	}
	var nodes []*exec.Cmd
	defer func() {
		for _, c := range nodes {
			if c.ProcessState == nil {
				_ = c.Process.Kill()
				_ = c.Wait()
			}
		}
	}()
	var urls []string
	for i := range 5 {
		dataDir := filepath.Join(r.dir, fmt.Sprintf("node%d", i+1))
		var stderr bytes.Buffer
		c := exec.Command(bin, "node", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--token-file", tokenFile,
			"--passphrase-file", passFile, "--verifier", "zkvm", "--key-dir", r.keyDir)
		c.Stderr = &stderr
		if err := c.Start(); err != nil {
			return err
		}
		nodes = append(nodes, c)
		url, err := waitNode(dataDir, &stderr)
		if err != nil {
			return err
		}
		urls = append(urls, url)
	}
	r.committee = filepath.Join(r.dir, "committee.json")
	if out, err := runCLI(t, "attest", "keygen", "--token-file", tokenFile, "--nodes", strings.Join(urls, ","),
		"--threshold", "3", "--out", r.committee); err != nil {
		return fmt.Errorf("attest keygen: %w\n%s", err, out)
	}
	// Three of five sign: nodes 2 and 5 are gone before the job starts.
	for _, id := range []uint16{2, 5} {
		if err := nodes[id-1].Process.Kill(); err != nil {
			return err
		}
		_ = nodes[id-1].Wait()
		r.killed = append(r.killed, id)
	}
	r.proof = filepath.Join(r.dir, "fib.proof")
	r.attestation = attestationFile(r.proof)
	r.out, err = runCLI(t, "prove", "--local", "example:fib", "--input", r.in, "--key-dir", r.keyDir,
		"--auto-setup=false", "--out", r.proof, "--json", "--attest", "--attest-committee", r.committee,
		"--attest-token-file", tokenFile, "--attest-timeout", "10m")
	if err != nil {
		return fmt.Errorf("prove --local --attest: %w\n%s", err, r.out)
	}
	var res struct {
		Attestation string `json:"attestation"`
	}
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Attestation != r.attestation {
		return fmt.Errorf("prove --json names attestation %q, want %q (%v)", res.Attestation, r.attestation, err)
	}
	return nil
}

// buildZkfleetBinary builds the zkfleet command into dir: the committee
// nodes are separate processes.
func buildZkfleetBinary(dir string) (string, error) {
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	bin := filepath.Join(dir, "zkfleet")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/zkfleet")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// waitNode waits for a node to write its address and answer /health.
func waitNode(dataDir string, stderr *bytes.Buffer) (string, error) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if raw, err := os.ReadFile(filepath.Join(dataDir, node.AddrFile)); err == nil {
			url := strings.TrimSpace(string(raw))
			if resp, err := http.Get(url + api.PathHealth); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return url, nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("node in %s did not come up: %s", dataDir, stderr)
}

// TestRealJobAttested is issue 15's resolve condition: a real job (the
// real Groth16 proof of fib(100)) attested by a 3-of-5 committee of
// separate `zkfleet node` processes, each verifying the proof with the
// zkVM verifier before signing, two of them killed, and the attestation
// verified with crypto/ed25519 and by `zkfleet verify --attestation`.
func TestRealJobAttested(t *testing.T) {
	r := realFibProof(t)
	cfg, err := committee.LoadConfig(r.committee)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := os.ReadFile(r.proof)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(r.attestation)
	if err != nil {
		t.Fatalf("prove --attest wrote no attestation: %v", err)
	}
	var att attest.Attestation
	if err := json.Unmarshal(raw, &att); err != nil {
		t.Fatal(err)
	}
	digest, err := node.ProofFileStatementDigest(proof)
	if err != nil {
		t.Fatal(err)
	}
	claim := attest.Claim{StatementDigest: digest, ProofHash: attest.ProofHash(proof)}
	if att.Claim != claim {
		t.Fatalf("attestation names %+v, the proof is %+v", att.Claim, claim)
	}
	if !ed25519.Verify(ed25519.PublicKey(cfg.GroupKey), claim.Message(), att.Signature) {
		t.Fatal("crypto/ed25519 rejects the attestation under the committee's group key")
	}
	if len(att.Signers) != 3 {
		t.Fatalf("signers %v, want 3", att.Signers)
	}
	for _, s := range att.Signers {
		for _, k := range r.killed {
			if s == k {
				t.Fatalf("killed node %d among the signers %v", k, att.Signers)
			}
		}
	}
	base := []string{"verify", "--proof", r.proof, "--elf", "example:fib", "--input", r.in, "--key-dir", r.keyDir, "--attestation", r.attestation}
	if out, err := runCLI(t, append(base, "--committee", r.committee)...); err != nil || !strings.Contains(out, "VALID attestation") {
		t.Fatalf("verify --attestation --committee: %v\n%s", err, out)
	}
	if out, err := runCLI(t, append(base, "--group-key", hex.EncodeToString(cfg.GroupKey))...); err != nil || !strings.Contains(out, "VALID attestation") {
		t.Fatalf("verify --attestation --group-key: %v\n%s", err, out)
	}
	stranger, _, _ := ed25519.GenerateKey(rand.Reader)
	var ee *exitError
	if _, err := runCLI(t, append(base, "--group-key", hex.EncodeToString(stranger))...); !asExit(err, &ee) || !strings.Contains(ee.msg, "INVALID attestation") {
		t.Fatalf("verify --attestation under another group key: %v", err)
	}
	// The attestation is of this input's statement: with another input the
	// proof itself is refused.
	other := []string{"verify", "--proof", r.proof, "--elf", "example:fib", "--input", r.other, "--key-dir", r.keyDir,
		"--attestation", r.attestation, "--committee", r.committee}
	if out, err := runCLI(t, other...); err == nil {
		t.Fatalf("verify with another input accepted: %s", out)
	}
}
