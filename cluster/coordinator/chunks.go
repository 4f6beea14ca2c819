package coordinator

import (
	"fmt"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// leafRecord is what the coordinator remembers of one leaf's proving task
// in the current run (in memory only: a restart forgets it).
type leafRecord struct {
	dealt  time.Time // the proving task last sent
	worker string    // the worker whose proof was accepted
	proved time.Time // when that proof was accepted
}

// recordDealt notes that leaf's proving task was sent at now. Commitment
// tasks are not proving tasks and are not recorded.
func (j *job) recordDealt(leaf int, now time.Time) {
	if j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || leaf >= len(j.leafRec) {
		return
	}
	j.leafRec[leaf].dealt = now
}

// recordProved notes that worker's proof of leaf was accepted at now.
func (j *job) recordProved(leaf int, worker string, now time.Time) {
	if leaf < len(j.leafRec) {
		j.leafRec[leaf].worker, j.leafRec[leaf].proved = worker, now
	}
}

// LeafRecord is one leaf (a chunk, for rollup batches) of a job's current
// run: which worker's proof was accepted, and when.
type LeafRecord struct {
	Leaf   int
	Worker string    // "" while unproved, or proved before a coordinator restart
	Dealt  time.Time // zero when unknown
	Proved time.Time // zero while unproved
}

// ProvingTime is Proved − Dealt: from the task being sent to its proof
// being accepted (so it includes time queued on the worker); 0 when
// either is unknown.
func (r LeafRecord) ProvingTime() time.Duration {
	if r.Dealt.IsZero() || r.Proved.IsZero() || r.Proved.Before(r.Dealt) {
		return 0
	}
	return r.Proved.Sub(r.Dealt)
}

// LeafRecords returns the per-leaf records of job id's current run (none
// before it is planned).
func (c *Coordinator) LeafRecords(id string) ([]LeafRecord, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	out := make([]LeafRecord, 0, len(j.leafRec))
	for i, r := range j.leafRec {
		rec := LeafRecord{Leaf: i, Dealt: r.dealt}
		if i < len(j.proved) && j.proved[i] {
			rec.Worker, rec.Proved = r.worker, r.proved
		}
		out = append(out, rec)
	}
	return out, nil
}

// ProofFinalAt is when job id's proof file became final, before any
// post-proof phase (attesting, settling); zero until then, or when it
// happened before a coordinator restart.
func (c *Coordinator) ProofFinalAt(id string) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return time.Time{}, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	return j.proofAt, nil
}
