package coordinator_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
)

// BenchmarkCoordinator measures the cluster's own cost end to end (gRPC,
// scheduling, relaying proofs, folding) with the zero-cost prover: every
// iteration proves one job of 256 segments.
func BenchmarkCoordinator(b *testing.B) {
	const segments = 256
	for _, workers := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			c := testcluster.Start(b, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true})
			for i := 0; i < workers; i++ {
				c.AddWorker(fmt.Sprintf("w%02d", i), 2)
			}
			testcluster.WaitFor(b, 10*time.Second, "workers", func() bool { return c.Workers() == workers })
			el := proveJobs(b, c, segments)
			b.ReportMetric(float64(segments*b.N)/el.Seconds(), "segments/s")
			b.ReportMetric(float64(el.Microseconds())/float64(segments*b.N), "µs/segment")
		})
	}
}
