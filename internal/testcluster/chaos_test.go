package testcluster_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// chaosJob is one submitted job and what must become of it.
type chaosJob struct {
	id   string
	name string
	// good jobs complete with this statement; bad ones fail with a
	// reason containing wantErr.
	good    bool
	output  []byte
	exit    uint32
	cycles  uint64
	wantErr string
}

// peakRSS is a process's peak resident set (VmHWM), in bytes; 0 if unknown.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestChaos is the reliability test of issue 18: a coordinator and three
// worker processes with the mock prover, 50 jobs of mixed sizes (looping,
// faulting and malformed guests among them), workers SIGKILLed and
// restarted at random, one coordinator SIGKILL and restart, and a worker
// sending damaged results. Every good job completes with the statement of
// a native run, every bad one fails (or is refused) with a clear reason,
// none is lost or duplicated, the garbage worker is quarantined and no
// honest one is, and the coordinator's peak RSS stays under 1 GiB.
func TestChaos(t *testing.T) {
	start0 := time.Now()
	const maxCycles = 1 << 21
	dir := t.TempDir()
	bin := filepath.Join(dir, "zkfleet")
	build := exec.Command("go", "build", "-o", bin, "github.com/zkfleet/zkfleet/cmd/zkfleet")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	built := time.Since(start0)
	api, clusterAddr := freePort(t), freePort(t)
	mockArgs := []string{"--prover", "mock", "--mock-delay", "2ms"}
	coordArgs := append([]string{"coordinator", "--api-addr", api, "--cluster-addr", clusterAddr, "--metrics-addr", "",
		"--data-dir", filepath.Join(dir, "data"), "--key-dir", dir, "--auto-setup=false", "--heartbeat-timeout", "3s",
		"--max-task-attempts", "100", "--max-cycles", strconv.Itoa(maxCycles)}, mockArgs...)
	var peak int64
	coordN := 0
	startCoord := func() *proc {
		coordN++
		return start(t, bin, dir, fmt.Sprintf("coordinator%d", coordN), coordArgs...)
	}
	coord := startCoord()

	conn, err := grpc.NewClient(api, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cl := pb.NewClientServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	waitUp := func() {
		for {
			if _, err := cl.ListJobs(ctx, &pb.ListJobsRequest{}); err == nil {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatal("coordinator did not come up")
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	waitUp()

	var mu sync.Mutex // guards workers
	workers := map[string]*proc{}
	startWorker := func(id string, capacity int, extra ...string) {
		args := append([]string{"worker", "--coordinator", clusterAddr, "--id", id, "--capacity", strconv.Itoa(capacity),
			"--cache-dir", filepath.Join(dir, "cache-"+id)}, mockArgs...)
		p := start(t, bin, dir, fmt.Sprintf("%s-%d", id, time.Now().UnixNano()), append(args, extra...)...)
		mu.Lock()
		workers[id] = p
		mu.Unlock()
	}
	honest := []string{"w1", "w2", "w3"}
	for i, id := range honest {
		startWorker(id, 1+i%2)
	}

	// The jobs: good guests of mixed sizes with their native statement,
	// looping and faulting guests that must fail, malformed ones refused.
	fib, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	sha, err := guest.Example("sha256")
	if err != nil {
		t.Fatal(err)
	}
	var jobs []*chaosJob
	refused := 0
	submit := func(i int) {
		var elf, input []byte
		j := &chaosJob{name: fmt.Sprintf("job%02d", i)}
		switch {
		case i%10 == 3:
			elf, j.wantErr, j.name = testprover.LoopingELF(), "cycle limit", j.name+"-looping"
		case i%10 == 7:
			elf, j.wantErr, j.name = testprover.FaultingELF(), "illegal instruction", j.name+"-faulting"
		case i%25 == 11:
			_, err := cl.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: []byte("\x7fELF malformed guest")})
			if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "bad program") {
				t.Errorf("malformed guest: %v, want InvalidArgument (bad program)", err)
			}
			refused++
			return
		case i%2 == 0:
			elf, input = fib, binary.LittleEndian.AppendUint32(nil, uint32(5+i*11))
			j.name += "-fib"
		default:
			elf, input = sha, make([]byte, 16*i)
			for k := range input {
				input[k] = byte(i + k)
			}
			j.name += "-sha256"
		}
		if j.wantErr == "" {
			prog, err := emu.LoadELF(elf)
			if err != nil {
				t.Fatal(err)
			}
			res, err := emu.Run(prog, input, emu.Config{MaxCycles: maxCycles})
			if err != nil {
				t.Fatalf("%s natively: %v", j.name, err)
			}
			j.good, j.output, j.exit, j.cycles = true, res.Output, res.ExitCode, res.Cycles
		}
		r, err := cl.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: elf, Input: input})
		if err != nil {
			t.Fatalf("submit %s: %v", j.name, err)
		}
		j.id = r.Job.Id
		jobs = append(jobs, j)
	}
	for i := range 40 {
		submit(i)
	}

	// Chaos: SIGKILL an honest worker at random and restart it, until
	// every job is terminal.
	stopChaos := make(chan struct{})
	chaosDone := make(chan struct{})
	kills := 0
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	t.Logf("chaos seed time %v", time.Now().UnixNano())
	go func() {
		defer close(chaosDone)
		for {
			select {
			case <-stopChaos:
				return
			case <-time.After(time.Duration(150+rng.Intn(350)) * time.Millisecond):
			}
			id := honest[rng.Intn(len(honest))]
			mu.Lock()
			p := workers[id]
			mu.Unlock()
			p.cmd.Process.Kill()
			p.cmd.Wait()
			kills++
			time.Sleep(time.Duration(50+rng.Intn(200)) * time.Millisecond)
			startWorker(id, 1+rng.Intn(2))
		}
	}()

	// The chaos stops before the test ends, however it ends (a worker
	// started after the test would use a finished t).
	stop := sync.OnceFunc(func() {
		close(stopChaos)
		<-chaosDone
	})
	defer stop()

	// One coordinator SIGKILL and restart, while jobs run.
	time.Sleep(1500 * time.Millisecond)
	peak = max(peak, peakRSS(coord.cmd.Process.Pid))
	coord.cmd.Process.Kill()
	coord.cmd.Wait()
	coord = startCoord()
	waitUp()
	// The garbage worker joins, then the last jobs come.
	startWorker("evil", 2, "--mock-corrupt")
	for {
		ws, err := cl.ListWorkers(ctx, &pb.ListWorkersRequest{})
		if err != nil {
			t.Fatal(err)
		}
		joined := false
		for _, w := range ws.Workers {
			joined = joined || w.Id == "evil"
		}
		if joined {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := 40; i < 50; i++ {
		submit(i)
	}

	// Wait until every job is terminal.
	var final []*pb.Job
	for {
		final = final[:0]
		for page := ""; ; {
			r, err := cl.ListJobs(ctx, &pb.ListJobsRequest{PageToken: page})
			if err != nil {
				t.Fatal(err)
			}
			final = append(final, r.Jobs...)
			if page = r.NextPageToken; page == "" {
				break
			}
		}
		done := 0
		for _, j := range final {
			if j.State == pb.JobState_JOB_STATE_COMPLETED || j.State == pb.JobState_JOB_STATE_FAILED || j.State == pb.JobState_JOB_STATE_CANCELLED {
				done++
			}
		}
		if done == len(final) && len(final) >= len(jobs) {
			break
		}
		select {
		case <-ctx.Done():
			for _, j := range final {
				t.Logf("job %s: %v %v %s", j.Id, j.State, j.Phase, j.Error)
			}
			t.Fatalf("only %d of %d jobs terminal after %v", done, len(final), time.Since(start0))
		case <-time.After(100 * time.Millisecond):
		}
	}
	stop()
	peak = max(peak, peakRSS(coord.cmd.Process.Pid))

	// None lost, none duplicated, each as expected.
	byID := map[string]*pb.Job{}
	for _, j := range final {
		if byID[j.Id] != nil {
			t.Errorf("job %s listed twice", j.Id)
		}
		byID[j.Id] = j
	}
	if len(final) != len(jobs) {
		t.Errorf("%d jobs listed, %d submitted", len(final), len(jobs))
	}
	completed, failed := 0, 0
	for _, want := range jobs {
		got := byID[want.id]
		if got != nil && want.good && got.State == pb.JobState_JOB_STATE_COMPLETED {
			// Job lists carry no outputs: the job itself does.
			j, err := cl.WaitJob(ctx, &pb.WaitJobRequest{JobId: got.Id, TimeoutMs: 1})
			if err != nil {
				t.Fatal(err)
			}
			got = j
		}
		switch {
		case got == nil:
			t.Errorf("%s (%s) lost", want.name, want.id)
		case want.good && got.State != pb.JobState_JOB_STATE_COMPLETED:
			t.Errorf("%s: %v %s, want completed", want.name, got.State, got.Error)
		case want.good && (string(got.Output) != string(want.output) || got.ExitCode != want.exit || got.Cycles != want.cycles):
			t.Errorf("%s: statement output %x exit %d cycles %d, native run %x %d %d", want.name, got.Output, got.ExitCode, got.Cycles,
				want.output, want.exit, want.cycles)
		case !want.good && (got.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(got.Error, want.wantErr)):
			t.Errorf("%s: %v %q, want failed with %q", want.name, got.State, got.Error, want.wantErr)
		case want.good:
			completed++
		default:
			failed++
		}
	}
	for _, want := range jobs {
		if !want.good {
			continue
		}
		p, err := cl.GetProof(ctx, &pb.GetProofRequest{JobId: want.id})
		if err != nil || !strings.HasPrefix(string(p.Proof), "ZKFLEET MOCK PROOF") {
			t.Errorf("proof of %s: %v", want.name, err)
		}
	}
	ws, err := cl.ListWorkers(ctx, &pb.ListWorkersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	evilCaught := false
	for _, w := range ws.Workers {
		if w.Id == "evil" {
			evilCaught = w.Quarantined != ""
			t.Logf("evil worker: quarantined %q", w.Quarantined)
		} else if w.Quarantined != "" {
			t.Errorf("honest worker %s quarantined: %s", w.Id, w.Quarantined)
		}
	}
	if !evilCaught {
		t.Errorf("the worker sending garbage is not quarantined: %v", ws.Workers)
	}
	const memBound = 1 << 30
	if peak == 0 {
		t.Logf("coordinator RSS unknown (no /proc)")
	} else if peak > memBound {
		t.Errorf("coordinator peak RSS %d MiB, bound %d MiB", peak>>20, memBound>>20)
	}
	t.Logf("chaos: %d jobs (%d completed, %d failed as expected) + %d malformed refused; %d worker SIGKILLs, 1 coordinator SIGKILL; coordinator peak RSS %d MiB; build %v, run %v",
		len(jobs), completed, failed, refused, kills, peak>>20, built.Round(time.Millisecond), (time.Since(start0) - built).Round(time.Millisecond))
}
