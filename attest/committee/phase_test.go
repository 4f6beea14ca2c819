package committee

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/client"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// mockStatementPrefix separates the test statement digests of mock files.
const mockStatementPrefix = "zkfleet/test-mock-statement/v1\x00"

// mockDigest is the test statement digest of a mock proof file.
func mockDigest(file []byte) attest.Digest {
	return sha256.Sum256(append([]byte(mockStatementPrefix), file...))
}

// mockFileVerifier is the nodes' verifier in the fast tier: it accepts a
// mock prover's file (never a proof; the zkVM verifier refuses those, see
// attest/node) when the request names the file's test digest, so the
// cluster, the phase and the committee run for real without a real proof.
type mockFileVerifier struct{}

func (mockFileVerifier) Verify(ctx context.Context, req *attest.Request) error {
	if _, isMock, _ := engine.ProofKind(req.Proof); !isMock {
		return fmt.Errorf("%w: not a mock file", node.ErrProofRejected)
	}
	if mockDigest(req.Proof) != req.StatementDigest {
		return fmt.Errorf("%w: statement digest is not the file's", node.ErrProofRejected)
	}
	return nil
}

// mockJobRequest is the phase's request for a mock job in these tests.
func mockJobRequest(j coordinator.PostProofJob) (*attest.Request, error) {
	if !j.Mock {
		return nil, errors.New("test request builder: not a mock job")
	}
	return &attest.Request{StatementDigest: mockDigest(j.Proof), Proof: j.Proof, ELF: j.Spec.ELF, Input: j.Spec.Input}, nil
}

// attestingCluster starts a committee of n in-process nodes (threshold t,
// the mock-file verifier) and a mock-prover cluster whose attesting phase
// uses it with request (nil: the zkVM request).
func attestingCluster(t *testing.T, n, threshold int, request RequestFunc) (*harness, *Config, *client.Client) {
	t.Helper()
	h := startNodes(t, n, mockFileVerifier{}, nil)
	ctx := context.Background()
	cfg, err := Keygen(ctx, h.client, h.urls, threshold, quiet)
	if err != nil {
		t.Fatal(err)
	}
	com, err := New(cfg, h.client, quiet)
	if err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t, testcluster.Options{Backend: mock.RISCV(mock.DefaultShape, 0), Mock: true, Quiet: true,
		DataDir: t.TempDir(), PostProof: []coordinator.PostProof{com.PostProof(request)}})
	c.AddWorker("w1", 2)
	cl, err := client.Dial(c.Listen.API.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return h, cfg, cl
}

func fibELF(t *testing.T) []byte {
	t.Helper()
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	return elf
}

// TestAttestingPhase: a job submitted with attest goes through the
// attesting phase after finalize, completes only with a 3-of-5
// attestation that crypto/ed25519 accepts for the job's proof file, and
// keeps it across GetProof; a job without the option has none.
func TestAttestingPhase(t *testing.T) {
	_, cfg, cl := attestingCluster(t, 5, 3, mockJobRequest)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	elf := fibELF(t)

	var phases []string
	skipped := false // a slow watcher's backlog collapses into one snapshot event
	proof, job, err := cl.Prove(ctx, client.Request{ELF: elf, Input: []byte{12, 0, 0, 0}, Attest: true}, func(ev *pb.JobEvent) error {
		switch ev.Kind {
		case "finalize", "attesting", "attest_done", "completed":
			phases = append(phases, ev.Kind)
		case "snapshot":
			skipped = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("prove with attest: %v", err)
	}
	want := []string{"finalize", "attesting", "attest_done", "completed"}
	if !skipped && strings.Join(phases, " ") != strings.Join(want, " ") {
		t.Fatalf("events %v, want %v", phases, want)
	}
	// With events skipped, those seen still come in this order and the
	// terminal one is never skipped.
	next := 0
	for _, p := range phases {
		for next < len(want) && want[next] != p {
			next++
		}
		if next == len(want) {
			t.Fatalf("events %v out of the order %v", phases, want)
		}
	}
	if len(phases) == 0 || phases[len(phases)-1] != "completed" {
		t.Fatalf("events %v do not end with completed", phases)
	}
	att, err := cl.Attestation(ctx, job.Id)
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(ed25519.PublicKey(cfg.GroupKey), att.Message(), att.Signature) {
		t.Fatal("crypto/ed25519 rejects the job's attestation")
	}
	if err := attest.VerifyAttestation(cfg.PublicKey(), att); err != nil {
		t.Fatal(err)
	}
	if att.ProofHash != attest.ProofHash(proof) || att.StatementDigest != mockDigest(proof) || len(att.Signers) != 3 {
		t.Fatalf("attestation %+v does not name the job's proof and statement", att.Claim)
	}

	plain, err := cl.Submit(ctx, client.Request{ELF: elf, Input: []byte{5, 0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if j, err := cl.Watch(ctx, plain.Id, nil); err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job without attest: %v %v", j.GetState(), err)
	}
	if _, err := cl.Attestation(ctx, plain.Id); err == nil || !strings.Contains(err.Error(), "no attestation") {
		t.Fatalf("job without attest: want no attestation, got %v", err)
	}
}

// TestAttestingPhaseFailures: a committee that cannot sign fails the job
// with the faulty nodes named (never completed without the attestation
// asked for), a mock job is never sent to zkVM verifiers, and a
// coordinator without a committee refuses the option.
func TestAttestingPhaseFailures(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	elf := fibELF(t)
	fails := func(t *testing.T, cl *client.Client) *pb.Job {
		t.Helper()
		_, job, err := cl.Prove(ctx, client.Request{ELF: elf, Attest: true}, nil)
		var jerr *client.JobError
		if !errors.As(err, &jerr) || job.State != pb.JobState_JOB_STATE_FAILED {
			t.Fatalf("want a failed job, got %v (%v)", job.GetState(), err)
		}
		if _, err := cl.Attestation(ctx, job.Id); status.Code(err) != codes.FailedPrecondition {
			t.Fatalf("attestation of a failed job: %v", err)
		}
		return job
	}

	t.Run("nodes down", func(t *testing.T) {
		h, _, cl := attestingCluster(t, 3, 2, mockJobRequest)
		h.servers[1].Close()
		h.servers[2].Close()
		job := fails(t, cl)
		for _, want := range []string{"attest:", "fewer than 2", "node 2 (" + h.urls[1] + "): unreachable", "node 3 (" + h.urls[2] + "): unreachable"} {
			if !strings.Contains(job.Error, want) {
				t.Errorf("job error %q lacks %q", job.Error, want)
			}
		}
	})
	t.Run("mock job with the zkvm request", func(t *testing.T) {
		_, _, cl := attestingCluster(t, 3, 2, nil)
		job := fails(t, cl)
		if !strings.Contains(job.Error, ErrMockJob.Error()) {
			t.Errorf("job error %q does not refuse the mock placeholder", job.Error)
		}
	})
	t.Run("no committee", func(t *testing.T) {
		c := testcluster.Start(t, testcluster.Options{Backend: mock.RISCV(mock.DefaultShape, 0), Mock: true, Quiet: true})
		cl, err := client.Dial(c.Listen.API.String())
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		if _, err := cl.Submit(ctx, client.Request{ELF: elf, Attest: true}); status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `"attest"`) {
			t.Fatalf("attest without a committee: want InvalidArgument, got %v", err)
		}
	})
}
