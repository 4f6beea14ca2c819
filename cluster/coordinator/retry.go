package coordinator

import (
	"fmt"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// DefaultMaxTaskAttempts is how many times one task (a leaf of the current
// phase, or a fold) is sent before its failures fail the job.
const DefaultMaxTaskAttempts = 3

// taskFailed handles a task of j at node that will not deliver: lost with
// worker who, or reported failed by it. A permanent failure fails the job
// at once; a transient one frees the task for reconcile to send again,
// avoiding who, unless the task already had every attempt. It reports
// whether the job failed. The caller emits the event that explains the
// retry (one per TaskFailed, one per lost worker).
func (c *Coordinator) taskFailed(j *job, node int, who, why string, permanent bool, now time.Time) (jobFailed bool) {
	name := j.taskName(node)
	if permanent {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("%s on %s: %s (not retried)", name, who, why))
		return true
	}
	if node < j.leaves() && c.promoteDup(j, node, now) {
		// The leaf's duplicate is still running: it carries on as the
		// task's next attempt (promoteDup), with no new send.
		c.countRetry(j, node, who)
		return false
	}
	if j.tries[node] >= c.cfg.MaxTaskAttempts {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("%s failed %d times; last on %s: %s", name, j.tries[node], who, why))
		return true
	}
	if node < j.leaves() {
		j.leafOwner[node] = ""
	} else {
		delete(j.foldFlight, node)
	}
	c.countRetry(j, node, who)
	return false
}

// countRetry records that node's task is retried away from worker who.
func (c *Coordinator) countRetry(j *job, node int, who string) {
	if j.avoid[node] == nil {
		j.avoid[node] = map[string]bool{}
	}
	j.avoid[node][who] = true
	j.retries++
	c.m.TaskRetries.WithLabelValues(j.taskKind(node)).Inc()
}

// pickWorker chooses the worker for one retried task: a worker of the job
// that has not failed it (fewest tasks), else an idle worker that has
// not (it joins the job), else any worker of the job, else any idle
// worker. nil when the cluster has no worker at all. bounded (dealing
// bounded by capacity, Config.NoStealing unset) takes only workers with
// a free slot, and nil then also means the task waits for one: for a
// worker of the job that has not failed it, or for any when every one has.
func (c *Coordinator) pickWorker(j *job, avoid map[string]bool, bounded bool) *workerState {
	least := func(ws []*workerState, skip map[string]bool) *workerState {
		var best *workerState
		for _, w := range ws {
			if !skip[w.id] && (!bounded || c.freeSlots(w) > 0) && (best == nil || w.tasks < best.tasks) {
				best = w
			}
		}
		return best
	}
	mine, idle := c.jobWorkers(j), c.idleWorkers(j.kind())
	if w := least(mine, avoid); w != nil {
		return w
	}
	for _, w := range idle {
		if !avoid[w.id] {
			return c.join(j, w)
		}
	}
	if bounded {
		for _, w := range mine {
			if !avoid[w.id] {
				return nil // it gets the task when it frees a slot
			}
		}
	}
	if w := least(mine, nil); w != nil {
		return w
	}
	if len(idle) > 0 {
		return c.join(j, idle[0])
	}
	return nil
}

// join adds w to j when it is idle; it returns w.
func (c *Coordinator) join(j *job, w *workerState) *workerState {
	if w != nil && w.jobID == "" {
		w.jobID = j.id
		j.workers[w.id] = true
	}
	return w
}
