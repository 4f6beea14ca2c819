package coordinator

import (
	"strings"
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestTaskDeadline covers issue 18 item 5 (deadlines): a worker whose
// prover hangs while its heartbeats tick loses its overdue tasks to
// another worker after the task timeout (scaled by its queue: the k-th
// task of a capacity-c worker gets k/c+1 timeouts); its late result is
// ignored and the job completes.
func TestTaskDeadline(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	// NoStealing: both leaves queue on the hung worker (with the default
	// dealing only one would be sent to it; stealing_test.go).
	c := newCore(t, clk, Config{TaskTimeout: time.Minute, HeartbeatTimeout: time.Hour, NoStealing: true})
	hung := newFakeWorker(t, c, "hung", 1)
	hung.hold = true
	id := submit(t, c, 2) // both leaves on the hung worker: deadlines +1 min and +2 min
	good := newFakeWorker(t, c, "good", 1)
	clk.Add(61 * time.Second)
	hung.heartbeat()
	c.Tick()
	c.mu.Lock()
	owners := append([]string(nil), c.jobs[id].leafOwner...)
	c.mu.Unlock()
	if owners[0] != "good" || owners[1] != "hung" {
		t.Fatalf("owners after one timeout: %v, want leaf 0 moved to good, leaf 1 (second in line) still on hung", owners)
	}
	clk.Add(time.Minute)
	hung.heartbeat()
	c.Tick()
	runAll(t, good)
	j, _ := c.Job(id)
	if j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job %v %s", j.State, j.Error)
	}
	if j.TaskRetries < 2 || !strings.Contains(eventKinds(t, c, id), "retry") {
		t.Fatalf("retries %d, events %s", j.TaskRetries, eventKinds(t, c, id))
	}
	hung.hold = false
	runAll(t, hung) // its late results change nothing
	if j2, _ := c.Job(id); j2.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job after the late results: %v", j2.State)
	}
}
