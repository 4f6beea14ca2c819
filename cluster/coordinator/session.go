package coordinator

import (
	"context"
	"fmt"
	"time"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Session is one connected worker as seen by the gRPC stream handler.
type Session struct {
	c *Coordinator
	w *workerState
}

// ID returns the worker id.
func (s *Session) ID() string { return s.w.id }

// Attach registers a worker. A worker reconnecting with the same id
// replaces its old session (whose work is reassigned).
func (c *Coordinator) Attach(id string, capacity uint32) (*Session, error) {
	if id == "" || capacity == 0 {
		return nil, fmt.Errorf("%w: worker needs an id and a capacity ≥ 1", ErrInvalid)
	}
	now := c.enter()
	defer c.mu.Unlock()
	if old := c.workers[id]; old != nil {
		c.log.Info("worker reconnected; replacing old session", "worker", id)
		c.dropWorker(old, now)
	}
	w := &workerState{id: id, capacity: capacity, lastSeen: now, out: newOutbox()}
	c.workers[id] = w
	c.log.Info("worker registered", "worker", id, "capacity", capacity)
	c.schedule(now)
	return &Session{c: c, w: w}, nil
}

// Next blocks for the next messages to send to the worker; ok is false
// when the session is over.
func (s *Session) Next(ctx context.Context) ([]*pb.CoordinatorMessage, bool) {
	return s.w.out.next(ctx)
}

// Send queues an out-of-band message (key chunks) behind the core's
// messages, first waiting until the queue is short; false when the
// session is over.
func (s *Session) Send(ctx context.Context, m *pb.CoordinatorMessage) bool {
	if !s.w.out.waitRoom(ctx, 4) {
		return false
	}
	s.w.out.push(m)
	return true
}

// Close detaches the worker (stream ended); its work is reassigned.
func (s *Session) Close() {
	now := s.c.enter()
	defer s.c.mu.Unlock()
	if s.c.workers[s.w.id] == s.w {
		s.c.dropWorker(s.w, now)
		s.c.schedule(now)
	}
}

// dropWorker forgets w and frees everything it held.
func (c *Coordinator) dropWorker(w *workerState, now time.Time) {
	delete(c.workers, w.id)
	w.out.close()
	c.m.WorkersLost.Inc()
	j := c.jobs[w.jobID]
	if j == nil || j.state != pb.JobState_JOB_STATE_RUNNING {
		return
	}
	delete(j.workers, w.id)
	delete(j.hasSpec, w.id)
	for leaf, owner := range j.leafOwner {
		if owner == w.id {
			j.leafOwner[leaf] = ""
		}
	}
	for node, owner := range j.foldFlight {
		if owner == w.id {
			delete(j.foldFlight, node)
		}
	}
	msg := w.id + " lost"
	if j.aggregator == w.id {
		j.aggregator = ""
		msg += " (was aggregator)"
	}
	c.event(j, now, "worker_lost", msg)
}

// Handle applies one worker message. Messages of a replaced or expired
// session are ignored (ok false: the stream should end).
func (s *Session) Handle(m *pb.WorkerMessage) (ok bool) {
	c := s.c
	now := c.enter()
	defer c.mu.Unlock()
	w := s.w
	if c.workers[w.id] != w {
		return false
	}
	w.lastSeen = now
	switch x := m.Msg.(type) {
	case *pb.WorkerMessage_Heartbeat:
		return true
	case *pb.WorkerMessage_Contribution:
		j := c.runningJob(x.Contribution.JobId)
		if j == nil || j.phase != pb.JobPhase_JOB_PHASE_CONTRIBUTE || int(x.Contribution.Leaf) >= j.plan.Leaves {
			return true
		}
		leaf := int(x.Contribution.Leaf)
		if j.commits[leaf] != nil {
			return true
		}
		j.commits[leaf] = x.Contribution.Commitment
		j.nCommits++
		c.doneTask(j, j.leafOwner[leaf])
		c.m.Contributions.Inc()
		c.event(j, now, "contribution", fmt.Sprintf("leaf %d from %s", leaf, w.id))
		if j.nCommits == j.plan.Leaves {
			c.startProving(j, now)
		}
	case *pb.WorkerMessage_LeafProof:
		j := c.runningJob(x.LeafProof.JobId)
		if j == nil || j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || int(x.LeafProof.Leaf) >= j.plan.Leaves {
			return true
		}
		leaf := int(x.LeafProof.Leaf)
		if j.proofs[leaf] != nil {
			return true
		}
		j.proofs[leaf] = x.LeafProof.Proof
		j.nProved++
		c.doneTask(j, j.leafOwner[leaf])
		c.m.LeavesProved.Inc()
		c.event(j, now, "leaf_proved", fmt.Sprintf("leaf %d from %s", leaf, w.id))
		if j.aggregator == "" && j.workers[w.id] {
			// The first worker to deliver a leaf proof aggregates: it is
			// by construction the one with capacity to spare.
			j.aggregator = w.id
			c.event(j, now, "aggregator", w.id+" promoted")
		}
	case *pb.WorkerMessage_FoldResult:
		j := c.runningJob(x.FoldResult.JobId)
		node := int(x.FoldResult.Node)
		if j == nil || j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || node < j.plan.Leaves || node >= len(j.tree) || j.proofs[node] != nil {
			return true
		}
		j.proofs[node] = x.FoldResult.Proof
		j.nFolds++
		c.doneTask(j, j.foldFlight[node])
		delete(j.foldFlight, node)
		c.m.Aggregations.Inc()
		c.event(j, now, "fold", fmt.Sprintf("node %d from %s", node, w.id))
	case *pb.WorkerMessage_TaskFailed:
		j := c.runningJob(x.TaskFailed.JobId)
		if j == nil {
			return true
		}
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("worker %s: node %d: %s", w.id, x.TaskFailed.Node, x.TaskFailed.Error))
	default:
		return true
	}
	c.schedule(now)
	return true
}

func (c *Coordinator) runningJob(id string) *job {
	if j := c.jobs[id]; j != nil && j.state == pb.JobState_JOB_STATE_RUNNING {
		return j
	}
	return nil
}

func (c *Coordinator) doneTask(j *job, owner string) {
	if w := c.workers[owner]; w != nil && w.jobID == j.id && w.tasks > 0 {
		w.tasks--
	}
}
