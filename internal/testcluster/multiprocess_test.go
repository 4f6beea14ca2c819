package testcluster_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
	"github.com/zkfleet/zkfleet/internal/tier"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// freePort returns a loopback address that was free a moment ago (the
// coordinator process needs fixed addresses to hand to the workers).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a zkfleet child process whose output is kept for the failure report.
type proc struct {
	cmd *exec.Cmd
	out *os.File
}

func start(t *testing.T, bin, logDir, name string, args ...string) *proc {
	t.Helper()
	out, err := os.Create(filepath.Join(logDir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, out: out}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		out.Close()
		if t.Failed() {
			b, _ := os.ReadFile(out.Name())
			t.Logf("---- %s log ----\n%s", name, tail(string(b), 4000))
		}
	})
	return p
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestMultiProcessRealProof runs the real binary: a coordinator and two
// worker processes prove example:fib with real Groth16 proofs; one worker
// is killed while proving, the job still completes and `zkfleet verify`
// accepts the proof. Keys are the shared development set of
// internal/testkeys, generated on first use.
func TestMultiProcessRealProof(t *testing.T) {
	tier.RequireReal(t)
	keyDir := devkeys.Default(t)
	runMultiProcess(t, keyDir, nil)
}

// TestMultiProcessMock is the same run with the mock prover everywhere: no
// keys, seconds instead of minutes; a worker with the real prover is
// refused by the mock coordinator, and verify rejects the mock proof.
func TestMultiProcessMock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the zkfleet binary")
	}
	runMultiProcess(t, t.TempDir(), []string{"--prover", "mock", "--mock-delay", "20ms"})
}

// runMultiProcess builds zkfleet and runs a coordinator and two workers
// (with proverArgs) as processes, kills one while it proves, and checks
// the job completes and what verify says of its proof.
func runMultiProcess(t *testing.T, keyDir string, proverArgs []string) {
	mock := len(proverArgs) > 0
	dir := t.TempDir()
	bin := filepath.Join(dir, "zkfleet")
	build := exec.Command("go", "build", "-o", bin, "github.com/zkfleet/zkfleet/cmd/zkfleet")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	api, cluster := freePort(t), freePort(t)
	coord := start(t, bin, dir, "coordinator", append([]string{"coordinator", "--api-addr", api, "--cluster-addr", cluster,
		"--metrics-addr", "", "--http-addr", "", "--data-dir", filepath.Join(dir, "data"), "--key-dir", keyDir, "--auto-setup=false",
		"--heartbeat-timeout", "10s"}, proverArgs...)...) // a killed worker is noticed at once: its stream breaks

	conn, err := grpc.NewClient(api, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cl := pb.NewClientServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	// Wait for the coordinator to answer, or to exit for lack of keys.
	exited := make(chan error, 1)
	go func() { exited <- coord.cmd.Wait() }()
	for {
		if _, err := cl.ListJobs(ctx, &pb.ListJobsRequest{}); err == nil {
			break
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(coord.out.Name())
			t.Fatalf("coordinator exited:\n%s", tail(string(b), 2000))
		case <-time.After(100 * time.Millisecond):
		}
	}
	w1 := start(t, bin, dir, "worker1", append([]string{"worker", "--coordinator", cluster, "--id", "w1", "--capacity", "1",
		"--cache-dir", filepath.Join(dir, "cache1")}, proverArgs...)...)
	w2 := start(t, bin, dir, "worker2", append([]string{"worker", "--coordinator", cluster, "--id", "w2", "--capacity", "1",
		"--cache-dir", filepath.Join(dir, "cache2")}, proverArgs...)...)
	_ = w1
	if mock {
		// A worker with the real prover must never join a mock cluster.
		start(t, bin, dir, "worker3", "worker", "--coordinator", cluster, "--id", "w3-real", "--capacity", "1",
			"--cache-dir", filepath.Join(dir, "cache3"))
	}
	for {
		ws, err := cl.ListWorkers(ctx, &pb.ListWorkersRequest{})
		if err == nil && len(ws.Workers) == 2 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("workers did not register")
		case <-time.After(100 * time.Millisecond):
		}
	}
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	input := []byte{100, 0, 0, 0}
	if !mock {
		input = nil // the default input: the key set's proving time is known for it
	}
	sub, err := cl.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: elf, Input: input})
	if err != nil {
		t.Fatal(err)
	}
	stream, err := cl.WatchJob(ctx, &pb.WatchJobRequest{JobId: sub.Job.Id})
	if err != nil {
		t.Fatal(err)
	}
	killed := false
	var last *pb.Job
	for {
		ev, err := stream.Recv()
		if err != nil {
			break
		}
		last = ev.Job
		t.Logf("event %s: %s (%d/%d proved)", ev.Kind, ev.Message, ev.Job.LeavesProved, ev.Job.Leaves)
		if !killed && ev.Job.Phase == pb.JobPhase_JOB_PHASE_PROVE && ev.Job.Leaves > 1 {
			// Kill w2 while it is proving its leaves.
			w2.cmd.Process.Kill()
			killed = true
		}
	}
	if last == nil || last.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job did not complete: %+v", last)
	}
	if !killed {
		t.Logf("job had a single leaf: no worker was killed")
	}
	p, err := cl.GetProof(ctx, &pb.GetProofRequest{JobId: sub.Job.Id})
	if err != nil {
		t.Fatal(err)
	}
	proofFile, elfFile, inputFile := filepath.Join(dir, "fib.proof"), filepath.Join(dir, "fib.elf"), filepath.Join(dir, "fib.in")
	os.WriteFile(proofFile, p.Proof, 0o644)
	os.WriteFile(elfFile, elf, 0o644)
	os.WriteFile(inputFile, input, 0o644)
	verify := exec.Command(bin, "verify", "--proof", proofFile, "--elf", elfFile, "--input", inputFile, "--key-dir", keyDir)
	out, err := verify.CombinedOutput()
	if mock {
		// The job may complete before w2's loss is settled (a duplicate of
		// its leaf on w1 wins; a killed worker keeps its place for the
		// reconnect grace): wait for the worker list to drop it.
		var ws *pb.ListWorkersResponse
		var werr error
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			ws, werr = cl.ListWorkers(ctx, &pb.ListWorkersRequest{})
			if werr == nil && len(ws.Workers) == 1 && ws.Workers[0].Id == "w1" {
				break
			}
			if werr != nil || time.Now().After(deadline) {
				t.Fatalf("workers after the kill (w2 killed, w3-real refused): %v %v", ws, werr)
			}
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "mock proof: not a proof") {
			t.Fatalf("zkfleet verify of a mock proof: %v\n%s", err, out)
		}
		if !last.Mock || !strings.HasPrefix(string(p.Proof), "ZKFLEET MOCK PROOF") {
			t.Fatalf("job not labelled mock (%v) or proof not a mock file", last.Mock)
		}
		return
	}
	if err != nil {
		t.Fatalf("zkfleet verify rejected the cluster's proof: %v\n%s", err, out)
	}
	t.Logf("verify: %s", out)
}
