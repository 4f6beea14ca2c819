package coordinator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// sleeper is a test prover whose every task takes d (honouring cancel).
func sleeper(d time.Duration) *testprover.Backend {
	return &testprover.Backend{Hook: func(ctx context.Context, op string, _ int) error {
		if op == "finalize" {
			return nil
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
}

// BenchmarkSlowWorker: one job of 32 segments on a fast worker (5 ms a
// task) and a slow one (100 ms a task), two slots each. With the old
// dealing (NoStealing) the slow worker holds half the leaves of each phase;
// with dealing bounded by free slots the fast worker takes what the slow
// one has not started, and duplicated stragglers cut the last wait.
func BenchmarkSlowWorker(b *testing.B) {
	const segments = 32
	for _, tc := range []struct {
		name       string
		noStealing bool
		dupAfter   time.Duration
	}{
		{"proportional", true, -1},
		{"free-slots", false, -1},
		{"free-slots+duplicates", false, 0},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := testcluster.Start(b, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true,
				NoStealing: tc.noStealing, DuplicateAfter: tc.dupAfter})
			c.AddWorkerWith("fast", 2, testcluster.WorkerOptions{Backend: sleeper(5 * time.Millisecond)})
			c.AddWorkerWith("slow", 2, testcluster.WorkerOptions{Backend: sleeper(100 * time.Millisecond)})
			testcluster.WaitFor(b, 10*time.Second, "workers", func() bool { return c.Workers() == 2 })
			el := proveJobs(b, c, segments)
			b.ReportMetric(float64(el.Milliseconds())/float64(b.N), "ms/job")
		})
	}
}

// proveJobs resets the timer, proves b.N jobs of segments segments one
// after the other (distinct inputs) and returns the time they took.
func proveJobs(b *testing.B, c *testcluster.Cluster, segments int) time.Duration {
	b.Helper()
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		id, err := c.Submit(ctx, testprover.Program(segments), []byte(fmt.Sprint(i)), 0)
		if err != nil {
			b.Fatal(err)
		}
		j, err := c.Wait(ctx, id)
		if err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
			b.Fatalf("job: %v %v", j, err)
		}
	}
	return time.Since(start)
}
