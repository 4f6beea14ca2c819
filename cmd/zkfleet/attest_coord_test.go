package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestProveAttestMock wires prove --local --attest to a committee of three
// in-process nodes (zkVM verifiers, keys made by attest keygen): the mock
// job is proved, then fails in the attesting phase without reaching a
// node, because a mock placeholder is never attested; no attestation
// file is written, and a missing committee file stops the command.
func TestProveAttestMock(t *testing.T) {
	t.Setenv("ZKFLEET_KEY_DIR", t.TempDir())
	dir := t.TempDir()
	tokenFile, passFile := filepath.Join(dir, "token"), filepath.Join(dir, "pass")
	for f, s := range map[string]string{tokenFile: "attest-coord-test-token\n", passFile: "attest coord test passphrase\n"} {
		if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the cleanups below wait for the nodes
	var urls []string
	for i := range 3 {
		dataDir := filepath.Join(dir, fmt.Sprintf("node%d", i+1))
		done := make(chan error, 1)
		go func() {
			done <- node.Run(ctx, node.Options{DataDir: dataDir, Listen: "127.0.0.1:0", TokenFile: tokenFile, PassphraseFile: passFile,
				Verifier: "zkvm", KeyDir: t.TempDir(), Logger: newQuietLogger()})
		}()
		t.Cleanup(func() {
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("node %d: %v", i+1, err)
			}
		})
		url, err := waitNodeUp(dataDir, done)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, url)
	}
	committeeFile := filepath.Join(dir, "committee.json")
	if out, err := runCLI(t, "attest", "keygen", "--token-file", tokenFile, "--nodes", strings.Join(urls, ","),
		"--threshold", "2", "--out", committeeFile); err != nil {
		t.Fatalf("attest keygen: %v\n%s", err, out)
	}
	proof := filepath.Join(dir, "fib.proof")
	prove := func(committee string) *exitError {
		t.Helper()
		_, err := runCLI(t, "prove", "example:fib", "--local", "--prover", "mock", "--mock-delay", "1ms", "--out", proof,
			"--attest", "--attest-committee", committee, "--attest-token-file", tokenFile)
		var ee *exitError
		if !asExit(err, &ee) {
			t.Fatalf("prove --attest: want an exit error, got %v", err)
		}
		return ee
	}
	if ee := prove(committeeFile); ee.code != 1 || !strings.Contains(ee.msg, "failed: attest: committee: a mock prover's placeholder is not a proof") {
		t.Fatalf("mock job with attest: exit %d %q", ee.code, ee.msg)
	}
	if _, err := os.Stat(attestationFile(proof)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an attestation file exists after a failed attestation: %v", err)
	}
	if ee := prove(filepath.Join(dir, "missing.json")); ee.code != 1 || !strings.Contains(ee.msg, "missing.json") {
		t.Fatalf("missing committee file: exit %d %q", ee.code, ee.msg)
	}
}

// waitNodeUp waits for an in-process node's address and /health.
func waitNodeUp(dataDir string, done <-chan error) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return "", fmt.Errorf("node stopped: %w", err)
		default:
		}
		if raw, err := os.ReadFile(filepath.Join(dataDir, node.AddrFile)); err == nil {
			url := strings.TrimSpace(string(raw))
			if resp, err := http.Get(url + api.PathHealth); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return url, nil
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "", fmt.Errorf("node in %s did not come up", dataDir)
}

// TestProveAttestWritesAttestation drives prove --coordinator --attest
// against a cluster whose "attest" phase signs with a plain Ed25519 key
// (a stand-in for the committee, whose signature is an ordinary Ed25519
// signature): the attestation travels in GetProof and is written next to
// the proof as a file attest.ParseAttestation reads and crypto/ed25519
// accepts for that proof; prove without --attest writes none.
func TestProveAttestWritesAttestation(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	phase := coordinator.PostProof{Name: attest.JobOption, Phase: pb.JobPhase_JOB_PHASE_ATTESTING,
		Run: func(ctx context.Context, j coordinator.PostProofJob) ([]byte, error) {
			claim := attest.Claim{StatementDigest: sha256.Sum256(j.Proof), ProofHash: attest.ProofHash(j.Proof)}
			return json.Marshal(&attest.Attestation{Claim: claim, GroupKey: attest.HexBytes(key.Public().(ed25519.PublicKey)),
				Signature: ed25519.Sign(key, claim.Message()), Signers: []uint16{1, 2}})
		}}
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true, PostProof: []coordinator.PostProof{phase}})
	c.AddWorker("w1", 2)
	dir := t.TempDir()
	elf := filepath.Join(dir, "prog.elf")
	if err := os.WriteFile(elf, testprover.Program(3), 0o644); err != nil {
		t.Fatal(err)
	}
	proofFile := filepath.Join(dir, "out.proof")
	out, err := runCLI(t, "prove", elf, "--coordinator", c.Listen.API.String(), "--out", proofFile, "--attest")
	if err != nil || !strings.Contains(out, "attestation written to "+attestationFile(proofFile)) {
		t.Fatalf("prove --attest: %v %q", err, out)
	}
	proof, err := os.ReadFile(proofFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(attestationFile(proofFile))
	if err != nil {
		t.Fatal(err)
	}
	att, err := attest.ParseAttestation(raw)
	if err != nil {
		t.Fatal(err)
	}
	if att.ProofHash != attest.ProofHash(proof) || !ed25519.Verify(key.Public().(ed25519.PublicKey), att.Message(), att.Signature) {
		t.Fatal("the attestation file does not attest the proof file")
	}
	plain := filepath.Join(dir, "plain.proof")
	if _, err := runCLI(t, "prove", elf, "--coordinator", c.Listen.API.String(), "--out", plain); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(attestationFile(plain)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("prove without --attest wrote an attestation: %v", err)
	}
}
