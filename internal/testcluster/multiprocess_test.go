package testcluster_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testkeys/devkeys"
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
	if testing.Short() {
		t.Skip("real proofs: skipped under -short")
	}
	keyDir := devkeys.Default(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "zkfleet")
	build := exec.Command("go", "build", "-o", bin, "github.com/zkfleet/zkfleet/cmd/zkfleet")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	api, cluster := freePort(t), freePort(t)
	coord := start(t, bin, dir, "coordinator", "coordinator", "--api-addr", api, "--cluster-addr", cluster,
		"--metrics-addr", "", "--data-dir", filepath.Join(dir, "data"), "--key-dir", keyDir, "--auto-setup=false",
		"--heartbeat-timeout", "10s") // a killed worker is noticed at once: its stream breaks

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
	w1 := start(t, bin, dir, "worker1", "worker", "--coordinator", cluster, "--id", "w1", "--capacity", "1", "--cache-dir", filepath.Join(dir, "cache1"))
	w2 := start(t, bin, dir, "worker2", "worker", "--coordinator", cluster, "--id", "w2", "--capacity", "1", "--cache-dir", filepath.Join(dir, "cache2"))
	_ = w1
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
	sub, err := cl.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: elf})
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
	proofFile, elfFile := filepath.Join(dir, "fib.proof"), filepath.Join(dir, "fib.elf")
	os.WriteFile(proofFile, p.Proof, 0o644)
	os.WriteFile(elfFile, elf, 0o644)
	verify := exec.Command(bin, "verify", "--proof", proofFile, "--elf", elfFile, "--key-dir", keyDir)
	out, err := verify.CombinedOutput()
	if err != nil {
		t.Fatalf("zkfleet verify rejected the cluster's proof: %v\n%s", err, out)
	}
	t.Logf("verify: %s", out)
}
