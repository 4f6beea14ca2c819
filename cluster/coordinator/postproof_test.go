package coordinator_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// recorder is a post-proof phase that records what it saw.
type recorder struct {
	mu    sync.Mutex
	runs  []string
	seen  map[string]map[string][]byte // phase → results it was given
	idle  map[string]bool              // phase → every worker was free while it ran
	c     *testcluster.Cluster
	block chan struct{} // non-nil: "slow" waits for ctx or this
	// blockOnce: only the first run of "slow" waits.
	blockOnce bool
	// checkIdle: check the workers and the job's phase from the phase
	// (not while the cluster's coordinator is being replaced).
	checkIdle bool
}

func (r *recorder) phase(name string, fail error) coordinator.PostProof {
	return coordinator.PostProof{Name: name, Phase: pb.JobPhase_JOB_PHASE_ATTESTING,
		Run: func(ctx context.Context, j coordinator.PostProofJob) ([]byte, error) {
			idle := true
			if r.checkIdle {
				for _, w := range r.c.Coord.Workers() {
					idle = idle && w.JobId == ""
				}
				if job, _ := r.c.Coord.Job(j.ID); job.Phase != pb.JobPhase_JOB_PHASE_ATTESTING || job.State != pb.JobState_JOB_STATE_RUNNING {
					idle = false
				}
			}
			r.mu.Lock()
			r.runs = append(r.runs, name)
			r.seen[name], r.idle[name] = j.Results, idle
			first := len(r.runs) == 1
			r.mu.Unlock()
			if r.block != nil && name == "slow" && (!r.blockOnce || first) {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-r.block:
				}
			}
			if fail != nil {
				return nil, fail
			}
			return append([]byte(name+":"), j.Proof[:8]...), nil
		}}
}

func postProofCluster(t *testing.T, dataDir string, r *recorder, phases ...coordinator.PostProof) *testcluster.Cluster {
	t.Helper()
	r.seen, r.idle = map[string]map[string][]byte{}, map[string]bool{}
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, DataDir: dataDir, PostProof: phases})
	r.c = c
	c.AddWorker("w1", 2)
	return c
}

func submitWith(t *testing.T, c *testcluster.Cluster, opts ...string) (string, error) {
	t.Helper()
	j, err := c.Coord.Submit(context.Background(), coordinator.SubmitRequest{ELF: testprover.Program(3), PostProof: opts})
	if err != nil {
		return "", err
	}
	return j.Id, nil
}

// TestPostProofPhases: a job's post-proof phases run after finalize in
// the configured order (not the request's), with the workers released,
// each seeing the earlier results; the results are kept with the job,
// also across a restart; a job that asked for none runs none.
func TestPostProofPhases(t *testing.T) {
	r := &recorder{checkIdle: true}
	dir := t.TempDir()
	var c *testcluster.Cluster
	c = postProofCluster(t, dir, r, r.phase("first", nil), r.phase("second", nil))
	id, err := submitWith(t, c, "second", "first")
	if err != nil {
		t.Fatal(err)
	}
	completed(t, c, id)
	if strings.Join(r.runs, ",") != "first,second" {
		t.Fatalf("phases ran %v", r.runs)
	}
	if !r.idle["first"] || !r.idle["second"] {
		t.Fatalf("workers busy or job not in ATTESTING during a phase: %v", r.idle)
	}
	if len(r.seen["first"]) != 0 || !bytes.HasPrefix(r.seen["second"]["first"], []byte("first:")) {
		t.Fatalf("earlier results not passed on: %v", r.seen)
	}
	_, proofJob, err := c.Coord.Proof(id)
	if err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		proof, _, err := c.Coord.Proof(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"first", "second"} {
			res, err := c.Coord.Result(id, name)
			if err != nil || !bytes.Equal(res, append([]byte(name+":"), proof[:8]...)) {
				t.Fatalf("result of %s: %q %v", name, res, err)
			}
		}
	}
	check()
	c.RestartCoordinator()
	check()
	if proofJob.Phase != pb.JobPhase_JOB_PHASE_ATTESTING {
		t.Errorf("completed job's last phase %s, want ATTESTING", proofJob.Phase)
	}

	r.runs = nil
	plain, err := submitWith(t, c)
	if err != nil {
		t.Fatal(err)
	}
	completed(t, c, plain)
	if len(r.runs) != 0 {
		t.Fatalf("a job without options ran %v", r.runs)
	}
	if res, err := c.Coord.Result(plain, "first"); res != nil || err != nil {
		t.Fatalf("result of a phase not asked for: %q %v", res, err)
	}
}

// TestPostProofFailures: a failing phase fails the job with its name and
// error, and no later phase runs; cancelling a job during a phase ends the
// phase's context; an unknown option and a bad configuration are refused.
func TestPostProofFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("phase fails", func(t *testing.T) {
		r := &recorder{}
		c := postProofCluster(t, "", r, r.phase("first", errors.New("committee said no")), r.phase("second", nil))
		id, err := submitWith(t, c, "first", "second")
		if err != nil {
			t.Fatal(err)
		}
		j, err := c.Wait(ctx, id)
		if err != nil || j.State != pb.JobState_JOB_STATE_FAILED || j.Error != "first: committee said no" {
			t.Fatalf("job %v %q %v", j.GetState(), j.GetError(), err)
		}
		if strings.Join(r.runs, ",") != "first" {
			t.Fatalf("phases ran %v", r.runs)
		}
		if _, err := c.Coord.Result(id, "first"); !errors.Is(err, coordinator.ErrNotCompleted) {
			t.Fatalf("result of a failed job: %v", err)
		}
	})
	t.Run("cancel during the phase", func(t *testing.T) {
		r := &recorder{block: make(chan struct{})}
		c := postProofCluster(t, "", r, r.phase("slow", nil))
		id, err := submitWith(t, c, "slow")
		if err != nil {
			t.Fatal(err)
		}
		testcluster.WaitFor(t, timeout, "the slow phase", func() bool {
			r.mu.Lock()
			defer r.mu.Unlock()
			return len(r.runs) == 1
		})
		if _, err := c.Coord.Cancel(id); err != nil {
			t.Fatal(err)
		}
		j, _ := c.Wait(ctx, id)
		if j.State != pb.JobState_JOB_STATE_CANCELLED {
			t.Fatalf("job %s", j.State)
		}
	})
	t.Run("restart during the phase", func(t *testing.T) {
		r := &recorder{block: make(chan struct{}), blockOnce: true}
		c := postProofCluster(t, t.TempDir(), r, r.phase("slow", nil))
		id, err := submitWith(t, c, "slow")
		if err != nil {
			t.Fatal(err)
		}
		testcluster.WaitFor(t, timeout, "the slow phase", func() bool {
			r.mu.Lock()
			defer r.mu.Unlock()
			return len(r.runs) == 1
		})
		// The phase is cut short by the stop; the restarted coordinator
		// resumes from the FINALIZE checkpoint and runs it again.
		c.RestartCoordinator()
		j := completed(t, c, id)
		r.mu.Lock()
		runs := len(r.runs)
		r.mu.Unlock()
		if runs != 2 || j.Attempt != 2 {
			t.Fatalf("phase ran %d times, attempt %d; want 2 and 2", runs, j.Attempt)
		}
		if res, err := c.Coord.Result(id, "slow"); err != nil || !bytes.HasPrefix(res, []byte("slow:")) {
			t.Fatalf("result after the restart: %q %v", res, err)
		}
	})
	t.Run("unknown option", func(t *testing.T) {
		r := &recorder{}
		c := postProofCluster(t, "", r, r.phase("first", nil))
		if _, err := submitWith(t, c, "settle"); !errors.Is(err, coordinator.ErrInvalid) || !strings.Contains(err.Error(), `"settle"`) {
			t.Fatalf("unknown option: %v", err)
		}
	})
	t.Run("bad configuration", func(t *testing.T) {
		run := func(context.Context, coordinator.PostProofJob) ([]byte, error) { return []byte{1}, nil }
		for name, pp := range map[string][]coordinator.PostProof{
			"duplicate": {{Name: "a", Phase: pb.JobPhase_JOB_PHASE_ATTESTING, Run: run}, {Name: "a", Phase: pb.JobPhase_JOB_PHASE_ATTESTING, Run: run}},
			"no name":   {{Phase: pb.JobPhase_JOB_PHASE_ATTESTING, Run: run}},
			"no phase":  {{Name: "a", Run: run}},
			"no run":    {{Name: "a", Phase: pb.JobPhase_JOB_PHASE_ATTESTING}},
		} {
			if _, err := coordinator.New(coordinator.Config{Backends: engine.Backends{engine.KindRISCV: &testprover.Backend{}}, PostProof: pp}); !errors.Is(err, coordinator.ErrInvalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}
