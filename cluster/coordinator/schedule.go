package coordinator

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/zkfleet/zkfleet/engine"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// schedule brings every running job up to date (reassigning lost work,
// promoting aggregators, sending ready folds), then starts queued jobs in
// FIFO order while workers are idle.
func (c *Coordinator) schedule(now time.Time) {
	for _, id := range slices.Clone(c.live) { // live jobs only; reconcile may finish one
		if j := c.jobs[id]; j.state == pb.JobState_JOB_STATE_RUNNING {
			c.reconcile(j, now)
		}
	}
	c.dispatch(now)
	c.updateGauges()
}

// idleWorkers lists the idle workers that prove kind.
func (c *Coordinator) idleWorkers(kind string) []*workerState {
	var idle []*workerState
	for _, w := range c.sortedWorkers() {
		if w.jobID == "" && w.kinds[kind] && w.quarantined == "" && w.ready && w.draining == 0 && w.disconnected.IsZero() {
			idle = append(idle, w)
		}
	}
	return idle
}

// dispatch starts queued jobs in order when enough idle capacity of
// their kind exists: the requested capacity, capped at the capacity of
// every worker of the kind (0 = whatever is idle). Order is FIFO within a
// kind: a job that cannot start holds the workers that prove its kind for
// itself, except that a later job of the same kind that fits the idle
// workers now may start (backfill) while the waiting job has been passed
// fewer than Config.MaxBackfill times, so it cannot starve. Jobs of other
// kinds start only on workers the waiting job cannot use. A job whose kind
// no connected worker proves waits without blocking anyone.
func (c *Coordinator) dispatch(now time.Time) {
	blocked := map[string]*job{} // kinds whose head job waits
	usable := func(w *workerState, kind string) bool {
		for k, head := range blocked {
			if w.kinds[k] && (k != kind || head.bypassed >= c.cfg.MaxBackfill) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(c.queue); {
		j := c.jobs[c.queue[i]]
		kind := j.kind()
		head := blocked[kind]
		if head != nil && head.bypassed >= c.cfg.MaxBackfill {
			i++
			continue
		}
		var total uint32
		for _, w := range c.workers {
			if w.kinds[kind] && w.quarantined == "" {
				total += w.capacity
			}
		}
		if total == 0 {
			i++ // nobody proves this kind yet
			continue
		}
		var idle []*workerState
		for _, w := range c.idleWorkers(kind) {
			if usable(w, kind) {
				idle = append(idle, w)
			}
		}
		pick := idle
		if j.reqCap > 0 {
			need, sum := min(j.reqCap, total), uint32(0)
			pick = nil
			for _, w := range idle {
				if sum >= need {
					break
				}
				pick = append(pick, w)
				sum += w.capacity
			}
			if sum < need {
				pick = nil
			}
		}
		if len(pick) == 0 {
			if head == nil {
				blocked[kind] = j
			}
			i++
			continue
		}
		if len(pick) > j.plan.Leaves {
			// More workers than leaves: the extra ones stay free for the next job.
			pick = pick[:j.plan.Leaves]
		}
		if head != nil {
			head.bypassed++
			c.event(head, now, "backfill", fmt.Sprintf("%s started on idle workers while this job waits for capacity (%d of %d passes)",
				j.id, head.bypassed, c.cfg.MaxBackfill))
		}
		c.queue = append(c.queue[:i:i], c.queue[i+1:]...)
		c.start(j, pick, now)
	}
}

func (c *Coordinator) start(j *job, ws []*workerState, now time.Time) {
	j.state = pb.JobState_JOB_STATE_RUNNING
	j.resetRuns()
	for _, w := range ws {
		w.jobID = j.id
		j.workers[w.id] = true
	}
	c.dropCheckpoint(j) // a fresh run must not resume from an older one
	c.event(j, now, "started", fmt.Sprintf("%d workers", len(ws)))
	if j.contributes() {
		c.setPhase(j, now, pb.JobPhase_JOB_PHASE_CONTRIBUTE, "collecting leaf commitments")
	} else {
		c.setPhase(j, now, pb.JobPhase_JOB_PHASE_PROVE, "proving leaves (this kind has no contribution phase)")
	}
	c.persist(j)
	c.reconcile(j, now)
}

func (c *Coordinator) jobWorkers(j *job) []*workerState {
	var ws []*workerState
	for id := range j.workers {
		if w := c.workers[id]; w != nil && w.quarantined == "" && w.disconnected.IsZero() {
			ws = append(ws, w)
		}
	}
	sort.Slice(ws, func(a, b int) bool { return ws[a].id < ws[b].id })
	return ws
}

// grabIdle adds every idle worker to a running job that has lost all of its own.
func (c *Coordinator) grabIdle(j *job) []*workerState {
	idle := c.idleWorkers(j.kind())
	for _, w := range idle {
		w.jobID = j.id
		j.workers[w.id] = true
	}
	return idle
}

// reconcile makes sure every unfinished leaf has a live owner, the job
// has an aggregator once a leaf proof exists, every fold whose children
// exist is in flight as soon as a worker has a free slot for it, and frees
// workers with nothing left to do. Tasks being retried go one by one to a
// worker that has not failed them.
func (c *Coordinator) reconcile(j *job, now time.Time) {
	if j.state != pb.JobState_JOB_STATE_RUNNING || j.proof != nil { // j.proof: in a post-proof phase
		return
	}
	n := j.plan.Leaves
	contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
	var fresh, retried []int
	for leaf := 0; leaf < n; leaf++ {
		unfinished := (contributing && j.commits[leaf] == nil) || (!contributing && !j.proved[leaf])
		switch {
		case !unfinished || j.leafOwner[leaf] != "":
		case len(j.avoid[leaf]) > 0:
			retried = append(retried, leaf)
		default:
			fresh = append(fresh, leaf)
		}
	}
	if len(fresh) > 0 {
		ws := c.jobWorkers(j)
		if len(ws) == 0 {
			ws = c.grabIdle(j)
		}
		if len(ws) > 0 {
			if c.cfg.NoStealing {
				c.deal(j, ws, fresh)
			} else {
				c.dealFree(j, ws, fresh)
			}
		}
	}
	for _, leaf := range retried {
		if w := c.pickWorker(j, j.avoid[leaf], !c.cfg.NoStealing); w != nil {
			c.sendLeaves(j, w, []int{leaf})
		}
	}
	c.duplicate(j, now)
	if contributing {
		return // contributors stay: PROVE sends them their own leaves
	}
	if j.aggregator == "" && j.nProved > 0 {
		c.promote(j, now)
	}
	// Folds run in parallel: each ready node of the canonical tree goes to
	// a worker with a free slot (the aggregator first), so adding workers
	// shortens aggregation instead of queueing n-1 folds on one machine.
	for _, nd := range j.tree[n:] {
		if j.proved[nd.ID] || j.foldFlight[nd.ID] != "" || !j.proved[nd.Left] || !j.proved[nd.Right] {
			continue
		}
		w := c.foldWorker(j, j.avoid[nd.ID])
		if w == nil {
			continue // every worker that may take it is busy: a later schedule sends it
		}
		j.foldFlight[nd.ID] = w.id
		j.tries[nd.ID]++
		j.deadline[nd.ID] = c.taskDeadline(w, w.tasks, now)
		w.tasks++
		w.out.push(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_FoldTask{FoldTask: &pb.FoldTask{
			JobId: j.id, Node: uint32(nd.ID), Left: j.proofs[nd.Left], Right: j.proofs[nd.Right], Kind: j.kind()}}})
	}
	if j.nProved == n && j.phase == pb.JobPhase_JOB_PHASE_PROVE {
		c.setPhase(j, now, pb.JobPhase_JOB_PHASE_AGGREGATE, "every leaf proved")
		c.checkpoint(j)
	}
	root := len(j.tree) - 1
	if j.proved[root] && j.phase != pb.JobPhase_JOB_PHASE_FINALIZE {
		c.setPhase(j, now, pb.JobPhase_JOB_PHASE_FINALIZE, "root proof folded")
		c.checkpoint(j)
		c.startFinalize(j)
	}
	c.releaseDone(j)
}

// releaseDone sends the job's workers done with its tasks back to the
// idle pool; the aggregator stays. A worker still running a copy that
// lost to a duplicate stays until that copy answers (its answer is
// dropped and frees the slot), so the job may still use it meanwhile.
func (c *Coordinator) releaseDone(j *job) {
	for _, w := range c.jobWorkers(j) {
		if w.id != j.aggregator && w.tasks == 0 {
			c.release(j, w)
		}
	}
}

// freeSlots is how many more tasks w can start now.
func (c *Coordinator) freeSlots(w *workerState) int {
	return int(w.capacity) - w.tasks - w.draining
}

// dealFree is the capacity-bounded dealing (Config.NoStealing unset):
// each worker of ws gets at most its free slots of leaves, in contiguous
// runs, the workers with the most free slots first; the rest stay
// unassigned for whichever worker of the job frees a slot next, so no
// worker holds leaves it has not started.
func (c *Coordinator) dealFree(j *job, ws []*workerState, leaves []int) {
	ws = slices.Clone(ws)
	sort.SliceStable(ws, func(a, b int) bool { return c.freeSlots(ws[a]) > c.freeSlots(ws[b]) })
	pos := 0
	for _, w := range ws {
		if !w.ready || pos == len(leaves) {
			continue
		}
		if k := min(c.freeSlots(w), len(leaves)-pos); k > 0 {
			c.sendLeaves(j, w, leaves[pos:pos+k])
			pos += k
		}
	}
}

// duplicate sends stragglers a second time (Config.DuplicateAfter; only
// with capacity-bounded dealing, where a task in flight has started): once
// every unfinished leaf of the phase is in flight, a leaf in flight for
// at least DuplicateAfter, duplicated never before in this phase, goes
// also to a worker of the job with a free slot that has not failed it,
// oldest first, unless a queued job of the kind waits for workers (they
// are released to it instead). The first valid result wins (Handle).
func (c *Coordinator) duplicate(j *job, now time.Time) {
	if c.cfg.NoStealing || c.cfg.DuplicateAfter < 0 || j.state != pb.JobState_JOB_STATE_RUNNING {
		return
	}
	for _, id := range c.queue {
		if c.jobs[id].kind() == j.kind() {
			return
		}
	}
	after := c.cfg.DuplicateAfter
	if after == 0 {
		// Automatic: a straggler has been in flight longer than the
		// median time of the phase's finished leaf tasks.
		if len(j.took) == 0 {
			return
		}
		t := slices.Clone(j.took)
		slices.Sort(t)
		after = t[len(t)/2]
	}
	contributing := j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE
	var cands []int
	for leaf, owner := range j.leafOwner {
		if (contributing && j.commits[leaf] != nil) || (!contributing && j.proved[leaf]) {
			continue
		}
		if owner == "" {
			return // leaves still to deal: no straggler yet
		}
		if j.dup[leaf] == "" && !j.dupTried[leaf] && !j.sentAt[leaf].IsZero() && now.Sub(j.sentAt[leaf]) >= after {
			cands = append(cands, leaf)
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return j.sentAt[cands[a]].Before(j.sentAt[cands[b]]) })
	for _, leaf := range cands {
		var best *workerState
		for _, w := range c.jobWorkers(j) {
			if w.id == j.leafOwner[leaf] || j.avoid[leaf][w.id] || !w.ready || c.freeSlots(w) <= 0 {
				continue
			}
			if best == nil || c.freeSlots(w) > c.freeSlots(best) {
				best = w
			}
		}
		if best == nil {
			continue
		}
		j.dup[leaf], j.dupTried[leaf] = best.id, true
		best.tasks++
		c.pushLeaves(j, best, []int{leaf})
		c.m.Duplicates.WithLabelValues("sent").Inc()
		c.event(j, now, "duplicate", fmt.Sprintf("%s in flight on %s for %v; also sent to %s (first result wins)",
			j.taskName(leaf), j.leafOwner[leaf], now.Sub(j.sentAt[leaf]), best.id))
	}
}

// settleCopies applies the first valid result of a leaf task sent twice:
// winner becomes the leaf's owner and the other holder's copy is marked
// lost (its late answer only frees its slot). It returns a note for the
// event ("" when the task had a single holder).
func (c *Coordinator) settleCopies(j *job, kind string, leaf int, winner string, now time.Time) string {
	if !j.sentAt[leaf].IsZero() && len(j.took) < 1<<16 {
		j.took = append(j.took, now.Sub(j.sentAt[leaf]))
	}
	d := j.dup[leaf]
	if d == "" {
		return ""
	}
	delete(j.dup, leaf)
	loser := d
	if d == winner {
		loser, j.leafOwner[leaf] = j.leafOwner[leaf], winner
		c.m.Duplicates.WithLabelValues("won").Inc()
	} else {
		c.m.Duplicates.WithLabelValues("lost").Inc()
	}
	if w := c.workers[loser]; w != nil && w.jobID == j.id {
		j.lost[taskKey{kind, leaf}] = loser
	}
	return fmt.Sprintf("; sent twice, first result wins: the copy on %s is dropped", loser)
}

// lateCopy consumes an answer (result or failure) of w for a task whose
// copy on w lost to another holder's result: it frees the slot and
// reports true; the answer itself is ignored.
func (c *Coordinator) lateCopy(j *job, w *workerState, k taskKey) bool {
	if j.lost[k] != w.id || w.id == "" {
		return false
	}
	delete(j.lost, k)
	c.doneTask(j, w.id)
	return true
}

// promoteDup makes the duplicate holder of leaf its owner (the other
// holder failed or is gone); false when the leaf has no duplicate.
func (c *Coordinator) promoteDup(j *job, leaf int, now time.Time) bool {
	d := j.dup[leaf]
	if d == "" {
		return false
	}
	delete(j.dup, leaf)
	j.leafOwner[leaf] = d
	j.tries[leaf]++ // the copy is now the task's attempt
	if w := c.workers[d]; w != nil {
		j.deadline[leaf] = c.taskDeadline(w, 0, now)
	}
	return true
}

// forgetCopies drops w's duplicates and lost copies in j (w was released,
// dropped or quarantined).
func (j *job) forgetCopies(id string) {
	for leaf, d := range j.dup {
		if d == id {
			delete(j.dup, leaf)
		}
	}
	for k, l := range j.lost {
		if l == id {
			delete(j.lost, k)
		}
	}
}

// foldWorker chooses the worker for a ready fold, capacity-aware like
// the dealing of leaves: a worker with a free slot (tasks sent and not
// answered < capacity), the aggregator first, then the job's workers with
// the most free slots, then idle workers (one joins the job). Workers with
// no fold of the job in flight come first: a real fold takes every core
// (the Groth16 backend runs one at a time per process), so a second fold
// on a busy folder would only queue while another machine could run it.
// Workers that failed or lost this fold are passed over while any other
// worker could take it, even a busy one: the fold then waits rather than
// going back to where it failed. nil means the fold waits; every answered
// task schedules again.
func (c *Coordinator) foldWorker(j *job, avoid map[string]bool) *workerState {
	free := func(w *workerState) int { return int(w.capacity) - w.tasks }
	folding := map[string]bool{}
	for _, id := range j.foldFlight {
		folding[id] = true
	}
	cands := c.jobWorkers(j)
	sort.SliceStable(cands, func(a, b int) bool {
		if aa, ba := cands[a].id == j.aggregator, cands[b].id == j.aggregator; aa != ba {
			return aa
		}
		return free(cands[a]) > free(cands[b])
	})
	cands = append(cands, c.idleWorkers(j.kind())...)
	pick := func(ok func(w *workerState) bool) *workerState {
		for _, w := range cands {
			if free(w) > 0 && ok(w) {
				return c.join(j, w)
			}
		}
		return nil
	}
	if w := pick(func(w *workerState) bool { return !avoid[w.id] && !folding[w.id] }); w != nil {
		return w
	}
	if w := pick(func(w *workerState) bool { return !avoid[w.id] }); w != nil {
		return w
	}
	for _, w := range cands {
		if !avoid[w.id] {
			return nil // a worker that has not failed the fold gets it once it has a slot
		}
	}
	return pick(func(*workerState) bool { return true })
}

// promote picks an aggregator when the job has none (the first one was
// lost, or the job resumed after a restart): a job worker with the least
// work left, else an idle worker.
func (c *Coordinator) promote(j *job, now time.Time) {
	ws := c.jobWorkers(j)
	if len(ws) == 0 {
		ws = c.idleWorkers(j.kind())
		if len(ws) == 0 {
			return
		}
		ws = ws[:1]
		ws[0].jobID = j.id
		j.workers[ws[0].id] = true
	}
	best := ws[0]
	for _, w := range ws[1:] {
		if w.tasks < best.tasks {
			best = w
		}
	}
	j.aggregator = best.id
	c.event(j, now, "aggregator", best.id+" promoted (the job had no aggregator)")
}

// deal splits leaves among ws in proportion to capacity (largest
// remainder), in contiguous runs, and sends the tasks.
func (c *Coordinator) deal(j *job, ws []*workerState, leaves []int) {
	var capSum uint64
	for _, w := range ws {
		capSum += uint64(w.capacity)
	}
	share := make([]int, len(ws))
	rem := make([]uint64, len(ws))
	given := 0
	for i, w := range ws {
		num := uint64(len(leaves)) * uint64(w.capacity)
		share[i], rem[i] = int(num/capSum), num%capSum
		given += share[i]
	}
	idx := make([]int, len(ws))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rem[idx[a]] > rem[idx[b]] })
	for k := 0; given < len(leaves); k++ {
		share[idx[k%len(idx)]]++
		given++
	}
	pos := 0
	for i, w := range ws {
		part := leaves[pos : pos+share[i]]
		pos += share[i]
		if len(part) > 0 {
			c.sendLeaves(j, w, part)
		}
	}
}

// sendLeaves gives w the leaves for the job's current phase.
func (c *Coordinator) sendLeaves(j *job, w *workerState, leaves []int) {
	now := c.cfg.Clock()
	for i, l := range leaves {
		j.leafOwner[l] = w.id
		j.tries[l]++
		j.deadline[l] = c.taskDeadline(w, w.tasks+i, now)
		j.sentAt[l] = now
		j.recordDealt(l, now)
	}
	w.tasks += len(leaves)
	c.pushLeaves(j, w, leaves)
}

// pushLeaves sends w the message for leaves of the current phase: an
// Assign with the job's spec the first time, else (the worker holds the
// spec) an Assign with an empty spec in CONTRIBUTE or a Challenge in
// PROVE, so the ELF and input cross the wire once per worker.
func (c *Coordinator) pushLeaves(j *job, w *workerState, leaves []int) {
	ids := make([]uint32, len(leaves))
	for i, l := range leaves {
		ids[i] = uint32(l)
	}
	if j.phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE || !j.hasSpec[w.id] {
		a := &pb.Assign{JobId: j.id, Leaves: ids, Spec: &pb.JobSpec{}}
		if !j.hasSpec[w.id] {
			a.Spec = &pb.JobSpec{Kind: j.kind(), Elf: j.spec.ELF, Input: j.spec.Input, MaxCycles: j.spec.MaxCycles}
		}
		a.Phase = pb.TaskPhase_TASK_PHASE_CONTRIBUTE
		if j.phase != pb.JobPhase_JOB_PHASE_CONTRIBUTE {
			a.Phase, a.Challenge = pb.TaskPhase_TASK_PHASE_PROVE, j.challenge
		}
		j.hasSpec[w.id] = true
		w.out.push(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Assign{Assign: a}})
		return
	}
	w.out.push(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Challenge{Challenge: &pb.Challenge{
		JobId: j.id, Challenge: j.challenge, Leaves: ids}}})
}

// startProving derives the global challenge and sends every contributor
// its own leaves to prove.
func (c *Coordinator) startProving(j *job, now time.Time) {
	be, err := c.backends.For(j.kind())
	if err != nil {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("challenge: %v", err))
		return
	}
	ch, err := be.Challenge(j.commits)
	if err != nil {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("challenge: %v", err))
		return
	}
	j.challenge = ch
	c.event(j, now, "challenge", "global challenge derived from every commitment")
	c.setPhase(j, now, pb.JobPhase_JOB_PHASE_PROVE, "proving leaves")
	c.checkpoint(j)
	// Proving a leaf is a new task: its attempts start again.
	for leaf := range j.plan.Leaves {
		j.tries[leaf] = 0
		delete(j.avoid, leaf)
		j.sentAt[leaf] = time.Time{}
	}
	clear(j.dup)
	clear(j.dupTried)
	j.took = nil
	byWorker := map[string][]int{}
	for leaf, owner := range j.leafOwner {
		if owner != "" && c.workers[owner] != nil {
			byWorker[owner] = append(byWorker[owner], leaf)
		} else {
			j.leafOwner[leaf] = ""
		}
	}
	for _, w := range c.jobWorkers(j) {
		leaves := byWorker[w.id]
		if !c.cfg.NoStealing {
			// Bounded dealing: a contributor proves its own leaves as far
			// as its free slots go; the rest go to whoever frees a slot.
			k := min(len(leaves), max(0, c.freeSlots(w)))
			for _, l := range leaves[k:] {
				j.leafOwner[l] = ""
			}
			leaves = leaves[:k]
		}
		if len(leaves) > 0 {
			c.sendLeaves(j, w, leaves)
		}
	}
}

// startFinalize runs the backend's Finalize of j's root proof on a
// tracked goroutine, with a context that Cancel (any terminal state) and
// Close end. Called with c.mu held.
func (c *Coordinator) startFinalize(j *job) {
	if c.closed {
		return // the job stays in FINALIZE; its checkpoint serves the restart
	}
	ctx, cancel := context.WithCancel(c.ctx)
	j.stopFinalize = cancel
	// The spec is copied under the lock: a cancel during finalize frees
	// the job's ELF and input (releaseBulk).
	attempt, root, spec := j.attempt, j.proofs[len(j.tree)-1], j.spec
	c.goTracked(func() {
		defer cancel()
		c.finalize(ctx, j, spec, attempt, root)
	})
}

func (c *Coordinator) finalize(ctx context.Context, j *job, spec engine.Spec, attempt uint32, root []byte) {
	var proof []byte
	be, err := c.backends.For(spec.KindOrDefault())
	if err == nil {
		proof, err = be.Finalize(ctx, spec, root)
	}
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	if j.terminal() || j.attempt != attempt {
		return
	}
	if ctx.Err() != nil {
		// The coordinator is closing: the job stays in FINALIZE and its
		// checkpoint lets a restarted coordinator finish it.
		return
	}
	j.stopFinalize = nil
	if err != nil {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("finalize: %v", err))
	} else {
		j.proof = proof
		if c.cfg.Store != nil {
			err := c.cfg.Store.PutProof(j.id, proof)
			c.storeWrote("put_proof", j.id, err)
			j.proofStored = err == nil
		}
		c.proofFinal(j, now)
	}
	c.schedule(now)
}
