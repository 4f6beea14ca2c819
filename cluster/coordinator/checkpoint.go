package coordinator

import (
	"errors"
	"fmt"
	"time"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// checkpoint stores what j needs to resume in its current phase (one
// write per phase change: PROVE, AGGREGATE, FINALIZE). Like persist, a
// store failure is logged: the job then reruns from scratch after a restart.
func (c *Coordinator) checkpoint(j *job) {
	if c.cfg.Store == nil {
		return
	}
	cp := &store.Checkpoint{Phase: int32(j.phase), KeySet: j.plan.KeySet, Challenge: j.challenge, Retries: j.retries}
	for id, n := range j.tries {
		if n > 0 && !j.proved[id] {
			if cp.Tries == nil {
				cp.Tries = map[int]int{}
			}
			cp.Tries[id] = n
		}
	}
	if j.phase != pb.JobPhase_JOB_PHASE_PROVE {
		cp.Proofs = map[int][]byte{}
		for id, p := range j.proofs {
			if p != nil && j.proved[id] {
				cp.Proofs[id] = p
			}
		}
	}
	c.storeWrote("put_checkpoint", j.id, c.cfg.Store.PutCheckpoint(j.id, cp))
}

// persistPartial stores a leaf or fold proof as it is accepted, so a
// restart resumes with exactly the proved nodes (not only those of the
// last phase change).
func (c *Coordinator) persistPartial(j *job, node int, proof []byte) {
	if c.cfg.Store == nil {
		return
	}
	c.storeWrote("put_partial", j.id, c.cfg.Store.PutPartial(j.id, node, proof))
}

func (c *Coordinator) dropCheckpoint(j *job) {
	if c.cfg.Store == nil {
		return
	}
	c.storeWrote("delete_checkpoint", j.id, c.cfg.Store.DeleteCheckpoint(j.id))
}

// storedCheckpoint returns j's checkpoint, or nil when it has none.
func (c *Coordinator) storedCheckpoint(id string) *store.Checkpoint {
	cp, err := c.cfg.Store.Checkpoint(id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.log.Warn("unreadable checkpoint; the job reruns", "job", id, "err", err)
		}
		return nil
	}
	return cp
}

// resume restores a job interrupted by a restart from its checkpoint, in
// RUNNING state and the checkpoint's phase, with no workers yet: the next
// schedule deals its unproved leaves (PROVE) or promotes an aggregator
// and sends the ready folds (AGGREGATE); in FINALIZE the caller starts finalize. It returns an
// error, leaving j to rerun from scratch, when the checkpoint does not
// fit the job or this coordinator's key set.
func (c *Coordinator) resume(j *job, rec *store.Job, cp *store.Checkpoint, now time.Time) error {
	n := int(rec.Leaves)
	phase := pb.JobPhase(cp.Phase)
	switch {
	case n < 1:
		return errors.New("job record has no plan")
	case len(cp.Challenge) == 0 && !rec.NoContribution:
		return errors.New("checkpoint has no challenge")
	case phase != pb.JobPhase_JOB_PHASE_PROVE && phase != pb.JobPhase_JOB_PHASE_AGGREGATE && phase != pb.JobPhase_JOB_PHASE_FINALIZE:
		return fmt.Errorf("checkpoint in phase %s", phase)
	case c.cfg.KeySets[j.kind()].ID != "" && cp.KeySet != "" && cp.KeySet != c.cfg.KeySets[j.kind()].ID:
		return fmt.Errorf("checkpoint proved under key set %s, cluster serves %s", cp.KeySet, c.cfg.KeySets[j.kind()].ID)
	case rec.Tree != nil && !engine.CheckTree(rec.Tree, n):
		return errors.New("job record has a malformed fold tree")
	}
	j.plan = planOf(rec)
	j.plan.KeySet = cp.KeySet
	j.tree = j.plan.FoldTree()
	j.resetRuns()
	j.nCommits, j.challenge = n, cp.Challenge
	j.retries = cp.Retries
	for id, t := range cp.Tries {
		if id >= 0 && id < len(j.tries) && t > 0 {
			j.tries[id] = t
		}
	}
	for id, p := range cp.Proofs {
		if id < 0 || id >= len(j.tree) || len(p) == 0 {
			return fmt.Errorf("checkpoint proof of node %d does not fit a tree of %d leaves", id, n)
		}
		j.proofs[id], j.proved[id] = p, true
	}
	// Everything under a stored node was folded into it. engine.Tree lists
	// parents after their children, so one backward pass covers all.
	for i := len(j.tree) - 1; i >= n; i-- {
		if nd := j.tree[i]; j.proved[i] {
			j.proved[nd.Left], j.proved[nd.Right] = true, true
			j.proofs[nd.Left], j.proofs[nd.Right] = nil, nil // folded in
		}
	}
	for id, d := range j.proved {
		switch {
		case d && id < n:
			j.nProved++
		case d:
			j.nFolds++
		}
	}
	root := len(j.tree) - 1
	if (phase == pb.JobPhase_JOB_PHASE_AGGREGATE && j.nProved != n) || (phase == pb.JobPhase_JOB_PHASE_FINALIZE && !j.proved[root]) {
		return fmt.Errorf("checkpoint in phase %s lacks proofs", phase)
	}
	j.state = pb.JobState_JOB_STATE_RUNNING
	j.phase, j.phaseStart = phase, now
	c.m.Resumed.Inc()
	c.event(j, now, "resumed", fmt.Sprintf("coordinator restarted; resuming in phase %s from %d stored partial proofs",
		phaseName(phase), len(cp.Proofs)))
	c.persist(j)
	return nil
}
