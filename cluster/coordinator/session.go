package coordinator

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Session is one connected worker as seen by a transport's stream handler.
type Session struct {
	c       *Coordinator
	w       *workerState
	keySets map[string]KeySet
}

// ID returns the worker id.
func (s *Session) ID() string { return s.w.id }

// KeySets are the key sets of the kinds the worker was accepted for.
func (s *Session) KeySets() map[string]KeySet { return s.keySets }

// Attach registers a worker that proves kinds. The coordinator keeps the
// kinds it serves with the same prover (real or mock) and refuses a
// worker left with none (ErrNoKind). A worker reconnecting with the same
// id replaces its old session (whose work is reassigned).
func (c *Coordinator) Attach(id string, capacity uint32, kinds []WorkerKind) (*Session, error) {
	return c.AttachWith(id, capacity, kinds, AttachOptions{})
}

// AttachOptions are what a worker says of itself beyond its capacity and kinds.
type AttachOptions struct {
	// AnnouncesState: the worker reports readiness and its running tasks
	// in heartbeats (pb.Register.announces_state). It is dealt nothing
	// until ready, and slots of cancelled tasks stay busy until it reports
	// them ended.
	AnnouncesState bool
	// Instance identifies the worker process ("" = unknown: a new
	// registration always replaces an old session of the id, as before).
	Instance string
}

// AttachWith is Attach with options.
func (c *Coordinator) AttachWith(id string, capacity uint32, kinds []WorkerKind, opt AttachOptions) (*Session, error) {
	if id == "" || capacity == 0 {
		return nil, fmt.Errorf("%w: worker needs an id and a capacity ≥ 1", ErrInvalid)
	}
	keep, sets := map[string]bool{}, map[string]KeySet{}
	var refused []string
	for _, k := range kinds {
		ks, ok := c.cfg.KeySets[k.Kind]
		if !ok || ks.Mock != k.Mock || c.backends[k.Kind] == nil {
			refused = append(refused, describeKind(k.Kind, k.Mock))
			continue
		}
		keep[k.Kind], sets[k.Kind] = true, ks
	}
	if len(keep) == 0 {
		var served []string
		for _, k := range c.backends.Kinds() {
			served = append(served, describeKind(k, c.cfg.KeySets[k].Mock))
		}
		return nil, fmt.Errorf("%w: worker %s proves %v; this coordinator serves %v", ErrNoKind, id, refused, served)
	}
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if old := c.workers[id]; old != nil {
		live := old.disconnected.IsZero()
		switch {
		case opt.Instance != "" && old.instance == opt.Instance:
			// The same process reconnecting: its tasks are sent again,
			// without counting as failed attempts.
			c.log.Info("worker reconnected; resuming", "worker", id)
			if j := c.jobs[old.jobID]; j != nil {
				c.reclaim(j, old, now)
				old.draining = 0
			}
			delete(c.workers, id)
			old.out.close()
		case live && opt.Instance != "" && old.instance != "":
			return nil, fmt.Errorf("%w: worker id %s is held by a live session of another process; pick another --id", ErrIDTaken, id)
		default:
			c.log.Info("worker re-registered; replacing old session", "worker", id)
			c.dropWorker(old, now)
		}
	}
	w := &workerState{id: id, capacity: capacity, kinds: keep, mock: c.Mock(), lastSeen: now, out: newOutbox(),
		announces: opt.AnnouncesState, ready: !opt.AnnouncesState, instance: opt.Instance}
	if q, ok := c.quarantined[id]; ok {
		if now.Before(q.until) {
			w.quarantined = q.why // a reconnect does not lift a quarantine
		} else {
			delete(c.quarantined, id)
			c.m.Quarantined.Set(float64(len(c.quarantined)))
		}
	}
	c.workers[id] = w
	c.log.Info("worker registered", "worker", id, "capacity", capacity, "kinds", len(keep), "mock", w.mock)
	if len(refused) > 0 {
		c.log.Warn("worker proves kinds this coordinator does not serve", "worker", id, "ignored", refused)
	}
	c.schedule(now)
	return &Session{c: c, w: w, keySets: sets}, nil
}

func describeKind(kind string, mock bool) string {
	if mock {
		return kind + " (mock prover)"
	}
	return kind
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

// Close detaches the worker (stream ended). A worker that named its
// instance keeps its place for Config.ReconnectGrace (it gets no new
// work): if the same instance reconnects, its tasks are sent again
// without counting as failed attempts; otherwise it is dropped then and
// its work reassigned. Other workers are dropped at once.
func (s *Session) Close() {
	now := s.c.lockAndExpire()
	defer s.c.mu.Unlock()
	if s.c.workers[s.w.id] != s.w {
		return
	}
	if s.w.instance != "" && !s.c.closed {
		s.w.disconnected = now
		s.w.out.close()
		return
	}
	s.c.dropWorker(s.w, now)
	s.c.schedule(now)
}

// dropWorker forgets w and frees everything it held: each of its
// unfinished tasks counts as a failed attempt and is sent again by the
// next schedule (or fails the job once it had every attempt).
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
	j.forgetCopies(w.id) // its duplicates and lost copies: the other holders carry on
	var held []int
	contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
	for leaf, owner := range j.leafOwner {
		if owner != w.id {
			continue
		}
		// A leaf keeps its owner after it is done (PROVE sends each leaf
		// to its contributor); only unfinished ones were lost.
		if (contributing && j.commits[leaf] != nil) || (!contributing && j.proved[leaf]) {
			j.leafOwner[leaf] = ""
			continue
		}
		held = append(held, leaf)
	}
	for node, owner := range j.foldFlight {
		if owner == w.id {
			held = append(held, node)
		}
	}
	sort.Ints(held)
	msg := w.id + " lost"
	if j.aggregator == w.id {
		j.aggregator = ""
		msg += " (was aggregator)"
	}
	if len(held) > 0 {
		msg += fmt.Sprintf("; %d unfinished tasks sent again", len(held))
	}
	c.event(j, now, "worker_lost", msg)
	for _, node := range held {
		if c.taskFailed(j, node, w.id, "worker lost", false, now) {
			return
		}
	}
}

// Handle applies one worker message. Messages of a replaced or expired
// session are ignored (ok false: the stream should end). A result
// (contribution, leaf proof, fold) is accepted only from the worker
// holding its task, and checked first when the backend can check it
// (engine.ResultChecker, outside the lock): a result that does not check
// is the producer's fault (badResult).
func (s *Session) Handle(m *pb.WorkerMessage) (ok bool) {
	c := s.c
	checkErr := s.check(m)
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	w := s.w
	if c.closed || c.workers[w.id] != w {
		return false
	}
	w.lastSeen = now
	switch x := m.Msg.(type) {
	case *pb.WorkerMessage_Heartbeat:
		if !w.announces || !c.workerState(w, x.Heartbeat) {
			return true
		}
	case *pb.WorkerMessage_Contribution:
		j := c.runningJob(x.Contribution.JobId)
		leaf := int(x.Contribution.Leaf)
		if j != nil && c.lateCopy(j, w, taskKey{"contribute", leaf}) {
			break // the other copy won: only the slot is freed
		}
		if j == nil || j.phase != pb.JobPhase_JOB_PHASE_CONTRIBUTE || leaf >= j.plan.Leaves {
			return true
		}
		if j.commits[leaf] != nil || !j.holds(leaf, w.id) {
			return true // done already, or not this worker's task
		}
		if checkErr != nil {
			c.badResult(j, w, leaf, checkErr, now)
			break
		}
		j.commits[leaf] = x.Contribution.Commitment
		j.nCommits++
		c.doneTask(j, w.id)
		note := c.settleCopies(j, "contribute", leaf, w.id, now)
		c.m.Contributions.Inc()
		c.m.TaskAttempts.WithLabelValues("contribute").Observe(float64(j.tries[leaf]))
		c.event(j, now, "contribution", fmt.Sprintf("leaf %d from %s%s%s", leaf, w.id, attemptNote(j.tries[leaf]), note))
		if j.nCommits == j.plan.Leaves {
			c.startProving(j, now)
		}
	case *pb.WorkerMessage_LeafProof:
		j := c.runningJob(x.LeafProof.JobId)
		leaf := int(x.LeafProof.Leaf)
		if j != nil && c.lateCopy(j, w, taskKey{"prove", leaf}) {
			break // the other copy won: only the slot is freed
		}
		if j == nil || j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || leaf >= j.plan.Leaves {
			return true
		}
		if j.proved[leaf] || !j.holds(leaf, w.id) {
			return true
		}
		if checkErr != nil {
			c.badResult(j, w, leaf, checkErr, now)
			break
		}
		j.proofs[leaf], j.proved[leaf] = x.LeafProof.Proof, true
		j.nProved++
		j.recordProved(leaf, w.id, now)
		c.persistPartial(j, leaf, x.LeafProof.Proof)
		c.doneTask(j, w.id)
		note := c.settleCopies(j, "prove", leaf, w.id, now)
		c.m.LeavesProved.Inc()
		c.m.TaskAttempts.WithLabelValues("prove").Observe(float64(j.tries[leaf]))
		c.event(j, now, "leaf_proved", fmt.Sprintf("leaf %d from %s%s%s", leaf, w.id, attemptNote(j.tries[leaf]), note))
		if j.aggregator == "" && j.workers[w.id] {
			// The first worker to deliver a leaf proof aggregates: it is
			// by construction the one with capacity to spare.
			j.aggregator = w.id
			c.event(j, now, "aggregator", w.id+" promoted")
		}
	case *pb.WorkerMessage_FoldResult:
		j := c.runningJob(x.FoldResult.JobId)
		node := int(x.FoldResult.Node)
		if j == nil || j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || node < j.plan.Leaves || node >= len(j.tree) || j.proved[node] {
			return true
		}
		nd := j.tree[node]
		if !j.proved[nd.Left] || !j.proved[nd.Right] || j.foldFlight[node] != w.id {
			return true // not asked for yet, or not of this worker
		}
		if checkErr != nil {
			c.badResult(j, w, node, checkErr, now)
			break
		}
		j.proofs[node], j.proved[node] = x.FoldResult.Proof, true
		j.proofs[nd.Left], j.proofs[nd.Right] = nil, nil // folded in; never needed again
		j.nFolds++
		c.persistPartial(j, node, x.FoldResult.Proof)
		c.doneTask(j, j.foldFlight[node])
		delete(j.foldFlight, node)
		c.m.Aggregations.Inc()
		c.m.TaskAttempts.WithLabelValues("fold").Observe(float64(j.tries[node]))
		c.event(j, now, "fold", fmt.Sprintf("node %d from %s%s", node, w.id, attemptNote(j.tries[node])))
	case *pb.WorkerMessage_TaskFailed:
		if !c.handleTaskFailed(w, x.TaskFailed, now) {
			return true
		}
	default:
		return true
	}
	c.schedule(now)
	return true
}

// workerState applies a heartbeat's readiness and running count; it
// reports whether w may now take work it could not before.
func (c *Coordinator) workerState(w *workerState, hb *pb.Heartbeat) (freed bool) {
	if hb.Ready && !w.ready {
		w.ready, freed = true, true
		c.log.Info("worker ready", "worker", w.id)
	}
	if w.draining > 0 {
		// Slots beyond the tasks we dealt it and it has not answered are
		// cancelled tasks still running.
		left := max(0, int(hb.Running)-w.tasks)
		if left < w.draining {
			w.draining = left
			freed = freed || left == 0
		}
	}
	return freed
}

// checkTimeout bounds one result check.
const checkTimeout = 30 * time.Second

// check checks a result message with the job's backend when it can
// (engine.ResultChecker), without the lock; nil for anything else, or a
// message Handle will ignore anyway (not this worker's task).
func (s *Session) check(m *pb.WorkerMessage) error {
	c, w := s.c, s.w
	var jobID string
	node, kind := 0, ""
	var result []byte
	switch x := m.Msg.(type) {
	case *pb.WorkerMessage_Contribution:
		jobID, node, kind, result = x.Contribution.JobId, int(x.Contribution.Leaf), "contribute", x.Contribution.Commitment
	case *pb.WorkerMessage_LeafProof:
		jobID, node, kind, result = x.LeafProof.JobId, int(x.LeafProof.Leaf), "prove", x.LeafProof.Proof
	case *pb.WorkerMessage_FoldResult:
		jobID, node, kind, result = x.FoldResult.JobId, int(x.FoldResult.Node), "fold", x.FoldResult.Proof
	default:
		return nil
	}
	c.mu.Lock()
	j := c.runningJob(jobID)
	if j == nil || node < 0 || node >= len(j.tree) {
		c.mu.Unlock()
		return nil
	}
	rc, _ := c.backends[j.kind()].(engine.ResultChecker)
	holds := (kind != "fold" && node < j.plan.Leaves && j.holds(node, w.id)) || (kind == "fold" && j.foldFlight[node] == w.id)
	if rc == nil || !holds {
		c.mu.Unlock()
		return nil
	}
	spec, tree, challenge := j.spec, j.tree, j.challenge
	commits := append([][]byte(nil), j.commits...)
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(c.ctx, checkTimeout)
	defer cancel()
	var err error
	if kind == "contribute" {
		err = rc.CheckContribution(ctx, spec, node, result)
	} else {
		err = rc.CheckPartial(ctx, spec, tree, node, challenge, commits, result)
	}
	if err != nil && ctx.Err() != nil {
		return nil // not checked (closing, or too slow): the fold and Finalize still check it
	}
	if err != nil {
		c.m.BadResults.WithLabelValues(kind).Inc()
	}
	return err
}

// badResult handles a result of w for node of j that does not check: the
// task is sent again to another worker (an attempt is charged, as for a
// failure) and w is quarantined: it gets no more work and every task it
// holds goes elsewhere. The workers that would have folded the bad
// result are never blamed: it is never folded.
func (c *Coordinator) badResult(j *job, w *workerState, node int, why error, now time.Time) {
	c.doneTask(j, w.id)
	msg := fmt.Sprintf("bad result from %s: %v", w.id, why)
	if node < j.leaves() && j.dup[node] == w.id {
		// A bad duplicate: the task's owner still runs it; nothing is charged.
		delete(j.dup, node)
		c.log.Warn("worker sent a result that does not check; quarantined", "worker", w.id, "job", j.id, "task", j.taskName(node), "err", why)
		c.event(j, now, "bad_result", fmt.Sprintf("%s (duplicate): %s; the copy on %s carries on", j.taskName(node), msg, j.leafOwner[node]))
		c.quarantine(w, msg, now)
		return
	}
	c.log.Warn("worker sent a result that does not check; quarantined", "worker", w.id, "job", j.id, "task", j.taskName(node), "err", why)
	c.event(j, now, "bad_result", fmt.Sprintf("%s: %s; sending it again elsewhere", j.taskName(node), msg))
	c.taskFailed(j, node, w.id, msg, false, now) // may fail the job, after its last attempt
	c.quarantine(w, msg, now)
}

// quarantine stops dealing work to w for Config.QuarantineFor (also
// across reconnects: the id is remembered) and takes back every task it
// holds, without charging them as attempts.
func (c *Coordinator) quarantine(w *workerState, why string, now time.Time) {
	w.quarantined = why
	c.quarantined[w.id] = quarantineEntry{why: why, until: now.Add(c.cfg.QuarantineFor)}
	c.m.Quarantined.Set(float64(len(c.quarantined)))
	if j := c.jobs[w.jobID]; j != nil {
		c.reclaim(j, w, now)
	}
}

// reclaim frees every unfinished task w holds in j for reconcile to send
// elsewhere, without charging an attempt, and releases w from j.
func (c *Coordinator) reclaim(j *job, w *workerState, now time.Time) {
	if j.state == pb.JobState_JOB_STATE_RUNNING {
		contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
		for leaf, owner := range j.leafOwner {
			if owner != w.id {
				continue
			}
			if (contributing && j.commits[leaf] != nil) || (!contributing && j.proved[leaf]) {
				continue
			}
			j.tries[leaf] = max(0, j.tries[leaf]-1) // this send does not count
			if !c.promoteDup(j, leaf, now) {        // a duplicate carries on as the task
				j.leafOwner[leaf] = ""
			}
		}
		j.forgetCopies(w.id)
		for node, owner := range j.foldFlight {
			if owner == w.id {
				delete(j.foldFlight, node)
				j.tries[node] = max(0, j.tries[node]-1)
			}
		}
		if j.aggregator == w.id {
			j.aggregator = ""
		}
	}
	c.release(j, w)
}

// handleTaskFailed applies a TaskFailed of w if it is about a task w
// holds now (a late report about a task already reassigned or done is
// ignored); it reports whether anything changed.
func (c *Coordinator) handleTaskFailed(w *workerState, f *pb.TaskFailed, now time.Time) bool {
	j := c.runningJob(f.JobId)
	if j == nil {
		return false
	}
	node := int(f.Node)
	lateKind := map[pb.TaskPhase]string{pb.TaskPhase_TASK_PHASE_CONTRIBUTE: "contribute", pb.TaskPhase_TASK_PHASE_PROVE: "prove"}[f.Phase]
	if lateKind != "" && c.lateCopy(j, w, taskKey{lateKind, node}) {
		return true // a copy that lost failed: its slot is free, nothing else
	}
	contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
	switch {
	case node < j.plan.Leaves:
		wantPhase := pb.TaskPhase_TASK_PHASE_PROVE
		if contributing {
			wantPhase = pb.TaskPhase_TASK_PHASE_CONTRIBUTE
		}
		finished := (contributing && j.commits[node] != nil) || (!contributing && j.proved[node])
		if f.Phase != wantPhase || !j.holds(node, w.id) || finished {
			return false
		}
		if j.dup[node] == w.id {
			// The duplicate failed: the owner's copy carries on, nothing
			// is charged, and the leaf is not duplicated again this phase.
			delete(j.dup, node)
			c.doneTask(j, w.id)
			delete(j.hasSpec, w.id)
			c.event(j, now, "duplicate_failed", fmt.Sprintf("duplicate of %s on %s failed: %s; the copy on %s carries on",
				j.taskName(node), w.id, f.Error, j.leafOwner[node]))
			return true
		}
	case node < len(j.tree):
		if contributing || j.foldFlight[node] != w.id || j.proved[node] {
			return false
		}
	default:
		return false
	}
	c.doneTask(j, w.id)
	// A prove task may fail because the worker lost the job's spec (it
	// was released and re-dealt): the next send to it carries the spec.
	delete(j.hasSpec, w.id)
	tries := j.tries[node]
	if c.taskFailed(j, node, w.id, f.Error, f.Permanent, now) {
		return true
	}
	c.event(j, now, "retry", fmt.Sprintf("%s failed on %s (attempt %d of %d): %s; sending it again",
		j.taskName(node), w.id, tries, c.cfg.MaxTaskAttempts, f.Error))
	return true
}

// attemptNote marks results that needed more than one attempt.
func attemptNote(tries int) string {
	if tries > 1 {
		return fmt.Sprintf(" (attempt %d)", tries)
	}
	return ""
}

// holds reports whether worker id holds leaf's task of the current
// phase: as its owner or as its duplicate.
func (j *job) holds(leaf int, id string) bool {
	return id != "" && (j.leafOwner[leaf] == id || j.dup[leaf] == id)
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
