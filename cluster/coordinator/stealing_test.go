package coordinator

import (
	"strings"
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// workerTasks is the coordinator's view of each worker's tasks (sent and
// unanswered, plus cancelled ones still running).
func workerTasks(c *Coordinator) map[string]uint32 {
	m := map[string]uint32{}
	for _, w := range c.Workers() {
		m[w.Id] = w.Tasks
	}
	return m
}

// TestIdleWorkerTakesUnstartedLeaves covers issue 18 item 5 (stealing):
// a slow worker (it never answers here) holds only the leaf it started;
// every other leaf goes to the fast worker as it frees its slot, where
// with the old proportional dealing (NoStealing) half of them sat
// unstarted in the slow worker's queue while the fast one idled.
// Duplicates are off: only the dealing is under test.
func TestIdleWorkerTakesUnstartedLeaves(t *testing.T) {
	for _, tc := range []struct {
		name       string
		noStealing bool
		slowHolds  uint32 // tasks sent to the slow worker
		fastDid    int    // contributions the fast worker made meanwhile
	}{
		{"bounded", false, 1, 5},
		{"no stealing", true, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{now: time.Unix(1000, 0)}
			c := newCore(t, clk, Config{NoStealing: tc.noStealing, DuplicateAfter: -1, TaskTimeout: -1})
			slow := newFakeWorker(t, c, "slow", 1)
			slow.hold = true
			fast := newFakeWorker(t, c, "fast", 1)
			id := submit(t, c, 6)
			runAll(t, fast)
			if got := fast.be.Contributions.Load(); got != int64(tc.fastDid) {
				t.Fatalf("fast worker contributed %d leaves, want %d", got, tc.fastDid)
			}
			if got := workerTasks(c); got["slow"] != tc.slowHolds || got["fast"] != 0 {
				t.Fatalf("tasks %v, want slow %d and the fast worker idle", got, tc.slowHolds)
			}
			slow.hold = false
			runAll(t, slow, fast)
			j := terminal(t, c, id)
			if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 0 {
				t.Fatalf("job %s %q, %d retries", j.State, j.Error, j.TaskRetries)
			}
			if !tc.noStealing && slow.be.Contributions.Load() != 1 {
				t.Fatalf("slow worker contributed %d leaves, want only the one it held", slow.be.Contributions.Load())
			}
		})
	}
}

// TestStragglerDuplicated covers issue 18 item 5 (duplicates): the slow
// worker never answers, yet the job completes: its leaf is sent also to
// the idle fast worker, whose result wins. Nobody is charged an attempt
// or quarantined, the statement is the job's, and the slow worker's late
// results are dropped.
func TestStragglerDuplicated(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{TaskTimeout: -1})
	slow := newFakeWorker(t, c, "slow", 1)
	slow.hold = true
	fast := newFakeWorker(t, c, "fast", 1)
	id := submit(t, c, 6)
	runAll(t, fast)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s %q without the slow worker", j.State, j.Error)
	}
	if j.TaskRetries != 0 || j.LeavesProved != 6 || j.FoldsDone != 5 || len(j.Statement) == 0 ||
		j.Statement[0].Name != "leaves" || j.Statement[0].Value != "6" {
		t.Fatalf("job: %d retries, %d leaves, %d folds, statement %v", j.TaskRetries, j.LeavesProved, j.FoldsDone, j.Statement)
	}
	if ev := eventKinds(t, c, id); !strings.Contains(ev, "duplicate") || strings.Contains(ev, "retry") || strings.Contains(ev, "bad_result") {
		t.Fatalf("events %s", ev)
	}
	if n := counterValue(c.Metrics().Duplicates.WithLabelValues("won")); n < 1 {
		t.Fatalf("%v duplicates won", n)
	}
	slow.hold = false
	runAll(t, slow) // its late results: dropped
	for _, w := range c.Workers() {
		if w.Quarantined != "" || w.Tasks != 0 || w.JobId != "" {
			t.Fatalf("worker after the job: %+v", w)
		}
	}
	if ev := eventKinds(t, c, id); strings.Contains(ev, "bad_result") {
		t.Fatalf("late results blamed: %s", ev)
	}
	// Both are free for the next job.
	id2 := submit(t, c, 4)
	runAll(t, slow, fast)
	if j := terminal(t, c, id2); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("next job %s %q", j.State, j.Error)
	}
}

// TestLateDuplicateWhileRunning: the copy that lost answers while the
// job still runs. Its result is dropped without penalty, its slot is
// freed, the winner's proof stays, and the job completes with a proof the
// backend's Finalize accepts (it recomputes the canonical tree).
func TestLateDuplicateWhileRunning(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{TaskTimeout: -1})
	slow := newFakeWorker(t, c, "slow", 1)
	fast := newFakeWorker(t, c, "fast", 1)
	id := submit(t, c, 4)
	phase := func() pb.JobPhase {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.jobs[id].phase
	}
	for i := 0; phase() == pb.JobPhase_JOB_PHASE_CONTRIBUTE; i++ {
		if i > 100 {
			t.Fatal("contributions never finished")
		}
		fast.step()
		slow.step()
	}
	slow.hold = true // it proves its PROVE leaf, but slowly
	lostLeaf := -1
	for i := 0; lostLeaf < 0; i++ {
		if i > 100 || !fast.step() {
			t.Fatal("the fast worker's duplicate never won")
		}
		c.mu.Lock()
		for k, w := range c.jobs[id].lost {
			if w == "slow" && k.kind == "prove" {
				lostLeaf = k.node
			}
		}
		c.mu.Unlock()
	}
	if s, _ := c.Job(id); s.State != pb.JobState_JOB_STATE_RUNNING {
		t.Fatalf("job %s before the late copy", s.State)
	}
	c.mu.Lock()
	winner := c.jobs[id].leafOwner[lostLeaf]
	c.mu.Unlock()
	if winner != "fast" || workerTasks(c)["slow"] != 1 {
		t.Fatalf("leaf %d won by %q; tasks %v (the losing copy keeps its slot until it answers)", lostLeaf, winner, workerTasks(c))
	}
	slow.hold = false
	slow.step() // the late copy
	c.mu.Lock()
	j := c.jobs[id]
	lost, owner := len(j.lost), j.leafOwner[lostLeaf]
	held := 0 // what the job has sent the slow worker since (its freed slot may take a fold)
	for leaf, w := range j.leafOwner {
		if w == "slow" && !j.proved[leaf] {
			held++
		}
	}
	for _, w := range j.foldFlight {
		if w == "slow" {
			held++
		}
	}
	for _, w := range j.dup {
		if w == "slow" {
			held++
		}
	}
	c.mu.Unlock()
	if lost != 0 || owner != "fast" || workerTasks(c)["slow"] != uint32(held) {
		t.Fatalf("after the late copy: %d lost copies, leaf owner %q, tasks %v, slow holds %d", lost, owner, workerTasks(c), held)
	}
	runAll(t, slow, fast)
	s := terminal(t, c, id)
	if s.State != pb.JobState_JOB_STATE_COMPLETED || s.TaskRetries != 0 {
		t.Fatalf("job %s %q, %d retries", s.State, s.Error, s.TaskRetries)
	}
	for _, w := range c.Workers() {
		if w.Quarantined != "" {
			t.Fatalf("%s quarantined: %s", w.Id, w.Quarantined)
		}
	}
	if n := counterValue(c.Metrics().Duplicates.WithLabelValues("won")); n < 1 {
		t.Fatalf("%v duplicates won", n)
	}
}

// TestLosingCopyKeepsSlotBusy: the slow worker announces its state; its
// straggler loses to a duplicate and the job completes. The copy still
// runs (the prover may ignore the Cancel), so the worker is not dealt the
// next job until a heartbeat reports the slot free.
func TestLosingCopyKeepsSlotBusy(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{TaskTimeout: -1})
	s, err := c.AttachWith("slow", 1, riscvOnly, AttachOptions{AnnouncesState: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Handle(hb(true, 0))
	fast := newFakeWorker(t, c, "fast", 1)
	id := submit(t, c, 3)
	if got := assigned(drain(t, s)); len(got) != 1 {
		t.Fatalf("slow worker dealt %v, want one leaf", got)
	}
	s.Handle(hb(true, 1)) // proving it, forever
	runAll(t, fast)
	if j := terminal(t, c, id); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %s %q", j.State, j.Error)
	}
	drain(t, s) // the Cancel
	id2 := submit(t, c, 2)
	s.Handle(hb(true, 1))
	if got := assigned(drain(t, s)); len(got) != 0 {
		t.Fatalf("dealt %v behind the losing copy still running", got)
	}
	if w := workerTasks(c); w["slow"] != 1 {
		t.Fatalf("tasks %v: the losing copy's slot is busy", w)
	}
	s.Handle(hb(true, 0)) // it ended
	runAll(t, fast)
	if j := terminal(t, c, id2); j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("next job %s %q", j.State, j.Error)
	}
}

// TestDuplicateCarriesOnWhenOwnerLost: the straggler's owner is lost
// while its duplicate runs. The duplicate carries on as the task (one
// retry counted for the loss, no new send), and the job completes.
func TestDuplicateCarriesOnWhenOwnerLost(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c := newCore(t, clk, Config{TaskTimeout: -1, HeartbeatTimeout: 10 * time.Second})
	slow := newFakeWorker(t, c, "slow", 1)
	slow.hold = true
	fast := newFakeWorker(t, c, "fast", 1)
	id := submit(t, c, 3)
	leaf := -1
	for i := 0; leaf < 0; i++ {
		if i > 100 || !fast.step() {
			t.Fatal("no duplicate sent")
		}
		c.mu.Lock()
		for l, w := range c.jobs[id].dup {
			if w == "fast" {
				leaf = l
			}
		}
		c.mu.Unlock()
	}
	// The duplicate is queued for fast; slow goes silent and is dropped.
	clk.Add(6 * time.Second)
	fast.heartbeat()
	clk.Add(6 * time.Second)
	fast.heartbeat()
	if ws := c.Workers(); len(ws) != 1 || ws[0].Id != "fast" {
		t.Fatalf("workers %v", ws)
	}
	c.mu.Lock()
	owner, dups := c.jobs[id].leafOwner[leaf], len(c.jobs[id].dup)
	c.mu.Unlock()
	if owner != "fast" || dups != 0 {
		t.Fatalf("leaf %d owner %q, %d duplicates after its owner was lost", leaf, owner, dups)
	}
	runAll(t, fast)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED || j.TaskRetries != 1 {
		t.Fatalf("job %s %q, %d retries", j.State, j.Error, j.TaskRetries)
	}
	if n := fast.be.Contributions.Load(); n != 3 {
		t.Fatalf("fast made %d contributions, want 3 (the duplicate was not sent again)", n)
	}
}
