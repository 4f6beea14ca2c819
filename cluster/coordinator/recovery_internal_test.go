package coordinator

import (
	"strings"
	"testing"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestAttemptsSurviveRestart: a leaf that failed twice before a restart
// has one attempt left after it (MaxTaskAttempts 3), not three.
func TestAttemptsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	st := openStore(t, dir)
	c := newCore(t, clk, Config{Store: st, MaxTaskAttempts: 3})
	a, b := newFakeWorker(t, c, "a", 1), newFakeWorker(t, c, "b", 1)
	failures := 0
	failLeaf0 := func(op string, node int) (string, bool) {
		if op != "prove" || node != 0 {
			return "", false
		}
		failures++
		if failures == 2 {
			a.hold, b.hold = true, true // stop answering: the coordinator "crashes" now
		}
		return "prover ran out of memory", false
	}
	a.fail, b.fail = failLeaf0, failLeaf0
	id := submit(t, c, 2)
	runAll(t, a, b)
	if failures != 2 {
		t.Fatalf("%d failures before the restart", failures)
	}
	c.Close(t.Context())
	st.Close()

	st = openStore(t, dir)
	t.Cleanup(func() { st.Close() })
	c = newCore(t, clk, Config{Store: st, MaxTaskAttempts: 3})
	after := 0
	w := newFakeWorker(t, c, "c", 2)
	w.fail = func(op string, node int) (string, bool) {
		if op == "prove" && node == 0 {
			after++
			return "prover ran out of memory", false
		}
		return "", false
	}
	runAll(t, w)
	j := terminal(t, c, id)
	if j.State != pb.JobState_JOB_STATE_FAILED || !strings.Contains(j.Error, "failed 3 times") || after != 1 {
		t.Fatalf("job %s %q after %d more failures; want failed after 1", j.State, j.Error, after)
	}
}
