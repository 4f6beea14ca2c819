package committee

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
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
	"syscall"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/node"
)

// The zkfleet binary is built once for the package's process tests.
var zkfleetBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if zkfleetBin.dir != "" {
		os.RemoveAll(zkfleetBin.dir)
	}
	os.Exit(code)
}

// buildZkfleet builds the zkfleet binary (once) and returns its path.
func buildZkfleet(t *testing.T) string {
	t.Helper()
	b := &zkfleetBin
	b.once.Do(func() {
		mod, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			b.err = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		if b.dir, err = os.MkdirTemp("", "zkfleet-attest-test"); err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(b.dir, "zkfleet")
		cmd := exec.Command("go", "build", "-o", b.path, "./cmd/zkfleet")
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// nodeProc is a `zkfleet node` process.
type nodeProc struct {
	t       *testing.T
	bin     string
	args    []string
	dataDir string
	url     string
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
}

func (p *nodeProc) start() { p.startTLS("") }

// startTLS starts the node and waits for its health endpoint, trusting
// caFile for an https node.
func (p *nodeProc) startTLS(caFile string) {
	t := p.t
	t.Helper()
	client := http.DefaultClient
	if caFile != "" {
		c, err := NewClient(ClientOptions{CAFile: caFile})
		if err != nil {
			t.Fatal(err)
		}
		client = c.http
	}
	_ = os.Remove(filepath.Join(p.dataDir, node.AddrFile))
	p.stderr = &bytes.Buffer{}
	p.cmd = exec.Command(p.bin, append([]string{"node", "--data-dir", p.dataDir, "--listen", "127.0.0.1:0"}, p.args...)...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd := p.cmd
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if raw, err := os.ReadFile(filepath.Join(p.dataDir, node.AddrFile)); err == nil {
			p.url = strings.TrimSpace(string(raw))
			if resp, err := client.Get(p.url + api.PathHealth); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node did not come up: %s", p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *nodeProc) stop(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	_ = p.cmd.Wait()
}

func run(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%v: %s", err, errb.String())
	}
	return out.String(), nil
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCommitteeOfProcesses runs a 3-of-5 committee of separate `zkfleet
// node` processes on loopback, driven by the `zkfleet attest` commands:
// key generation, an attestation that crypto/ed25519 accepts, another one
// with two nodes killed, a replayed commitment refused before and after a
// node restart, and a refusal to attest an invalid proof.
func TestCommitteeOfProcesses(t *testing.T) {
	bin := buildZkfleet(t)
	dir := t.TempDir()
	token := hex.EncodeToString(randomBytes(t, 24))
	tokenFile := writeFile(t, dir, "token", token+"\n")
	passFile := writeFile(t, dir, "passphrase", "process test passphrase\n")
	proverPub, proverPriv, _ := ed25519.GenerateKey(rand.Reader)

	nodes := make([]*nodeProc, 5)
	var urls []string
	for i := range nodes {
		nodes[i] = &nodeProc{t: t, bin: bin, dataDir: filepath.Join(dir, fmt.Sprintf("node%d", i+1)), args: []string{
			"--token-file", tokenFile, "--passphrase-file", passFile,
			"--verifier", "trusted-prover", "--prover-key", hex.EncodeToString(proverPub),
		}}
		nodes[i].start()
		urls = append(urls, nodes[i].url)
	}

	committeeFile := filepath.Join(dir, "committee.json")
	if _, err := run(t, bin, "attest", "keygen", "--token-file", tokenFile, "--nodes", strings.Join(urls, ","), "--threshold", "3", "--out", committeeFile); err != nil {
		t.Fatalf("keygen: %v", err)
	}
	cfg, err := LoadConfig(committeeFile)
	if err != nil {
		t.Fatal(err)
	}

	sign := func(name string, digest attest.Digest, signer ed25519.PrivateKey) (*attest.Attestation, error) {
		proof := writeFile(t, dir, name+".proof", string(ed25519.Sign(signer, node.TrustedProverMessage(digest))))
		attFile := filepath.Join(dir, name+".att.json")
		if _, err := run(t, bin, "attest", "sign", "--token-file", tokenFile, "--committee", committeeFile,
			"--proof", proof, "--statement-digest", digest.String(), "--out", attFile); err != nil {
			return nil, err
		}
		raw, err := os.ReadFile(attFile)
		if err != nil {
			t.Fatal(err)
		}
		var att attest.Attestation
		if err := json.Unmarshal(raw, &att); err != nil {
			t.Fatal(err)
		}
		claim := attest.Claim{StatementDigest: digest, ProofHash: attest.ProofHash(ed25519.Sign(signer, node.TrustedProverMessage(digest)))}
		if !ed25519.Verify(ed25519.PublicKey(cfg.GroupKey), claim.Message(), att.Signature) {
			t.Fatalf("%s: crypto/ed25519 rejects the attestation", name)
		}
		if out, err := run(t, bin, "attest", "verify", "--attestation", attFile, "--committee", committeeFile, "--proof", proof, "--statement-digest", digest.String()); err != nil || !strings.Contains(out, "VALID") {
			t.Fatalf("%s: zkfleet attest verify: %v %s", name, err, out)
		}
		return &att, nil
	}

	if _, err := sign("all", attest.Digest{1}, proverPriv); err != nil {
		t.Fatalf("attest with five nodes: %v", err)
	}

	nodes[1].stop(syscall.SIGKILL)
	nodes[4].stop(syscall.SIGKILL)
	att, err := sign("two-down", attest.Digest{2}, proverPriv)
	if err != nil {
		t.Fatalf("attest with two nodes killed: %v", err)
	}
	for _, id := range att.Signers {
		if id == 2 || id == 5 {
			t.Fatalf("killed node %d among the signers %v", id, att.Signers)
		}
	}

	// A stranger's "proof" is refused by every live node.
	_, err = sign("invalid", attest.Digest{3}, func() ed25519.PrivateKey { _, k, _ := ed25519.GenerateKey(rand.Reader); return k }())
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("invalid proof: want a refusal, got %v", err)
	}

	// Replay a commitment on node 1, then restart it and replay again.
	c, err := NewClient(ClientOptions{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	live := []*nodeProc{nodes[0], nodes[2], nodes[3]}
	var ids []string
	var comms []api.Commitment
	for _, n := range live {
		var r api.CommitmentResponse
		if err := c.call(ctx, n.url, api.PathCommitment, &api.CommitmentRequest{GroupKey: cfg.GroupKey}, &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.NonceID)
		comms = append(comms, r.Commitment)
	}
	digest := attest.Digest{4}
	fr := api.FragmentRequest{GroupKey: cfg.GroupKey, NonceID: ids[0], StatementDigest: digest,
		Proof: ed25519.Sign(proverPriv, node.TrustedProverMessage(digest)), Commitments: comms}
	var resp api.FragmentResponse
	if err := c.call(ctx, nodes[0].url, api.PathFragment, &fr, &resp); err != nil {
		t.Fatalf("first use of the nonce: %v", err)
	}
	var ne *NodeError
	if err := c.call(ctx, nodes[0].url, api.PathFragment, &fr, &resp); !errors.As(err, &ne) || ne.Status != http.StatusConflict {
		t.Fatalf("replayed commitment: want 409, got %v", err)
	}
	nodes[0].stop(syscall.SIGTERM)
	nodes[0].start()
	if err := c.call(ctx, nodes[0].url, api.PathFragment, &fr, &resp); !errors.As(err, &ne) || ne.Status != http.StatusConflict {
		t.Fatalf("replayed commitment after restart: want 409, got %v", err)
	}
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}
