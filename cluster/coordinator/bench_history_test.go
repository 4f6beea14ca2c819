package coordinator_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// seedHistory writes n finished jobs into a fresh data dir as a
// coordinator with the default retention would leave them: the newest
// coordinator.DefaultRetainJobs with input, output and proof, the rest
// pruned to their records.
func seedHistory(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	st.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	start := time.Now().Add(-time.Hour)
	const batch = 5000
	for lo := 0; lo < n; lo += batch {
		err := db.Update(func(tx *bolt.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				id := fmt.Sprintf("jhist-%07d", i)
				at := start.Add(time.Duration(i) * time.Millisecond)
				kept := i >= n-coordinator.DefaultRetainJobs
				rec := store.Job{ID: id, ProgramID: "p", State: int32(pb.JobState_JOB_STATE_COMPLETED), Created: at, Finished: at,
					Attempt: 1, Leaves: 4, Cycles: 4000, Pruned: !kept, OutputStored: kept,
					Events: []store.Event{{Kind: "queued", Time: at}, {Kind: "planned", Time: at}, {Kind: "completed", Time: at}}}
				data, err := json.Marshal(&rec)
				if err != nil {
					return err
				}
				if err := tx.Bucket([]byte("jobs")).Put([]byte(id), data); err != nil {
					return err
				}
				if kept {
					for _, b := range []string{"inputs", "outputs", "proofs"} {
						if err := tx.Bucket([]byte(b)).Put([]byte(id), []byte(b+id)); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkHistory measures the coordinator's per-segment overhead (gRPC,
// scheduling, relaying, folding, persisting) with the zero-cost prover
// over a store holding 0 or 100k finished jobs: the cost must not grow
// with history (the live-job index, small records, retention).
func BenchmarkHistory(b *testing.B) {
	const segments = 64
	for _, finished := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("finished=%d", finished), func(b *testing.B) {
			dir := seedHistory(b, finished)
			loadStart := time.Now()
			c := testcluster.Start(b, testcluster.Options{Backend: &testprover.Backend{}, DataDir: dir, Quiet: true})
			startup := time.Since(loadStart)
			for i := range 2 {
				c.AddWorker(fmt.Sprintf("w%d", i), 2)
			}
			testcluster.WaitFor(b, 10*time.Second, "workers", func() bool { return c.Workers() == 2 })
			el := proveJobs(b, c, segments)
			b.ReportMetric(float64(el.Microseconds())/float64(segments*b.N), "µs/segment")
			b.ReportMetric(startup.Seconds(), "s-startup")
		})
	}
}
