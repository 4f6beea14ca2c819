package coordinator

import (
	"context"
	"fmt"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// PostProof is a phase a job may ask for that runs after its proof is
// final and before it completes (attesting, settling, …). The job shows
// Phase while Run works; Run's result is kept with the job (Result) and
// persisted with it, so it must be small (a signature, a receipt, not a
// proof). An error fails the job with the phase's name and the error: a
// job never completes without a result it asked for.
//
// Run is called without the coordinator's lock, on a goroutine Close
// waits for; ctx ends when the job is cancelled or the coordinator
// closes. A coordinator restarted during the phase finalizes the proof
// again and runs the job's phases again, so Run must be idempotent.
type PostProof struct {
	// Name is the submit option that asks for the phase ("attest").
	Name  string
	Phase pb.JobPhase
	Run   func(ctx context.Context, j PostProofJob) ([]byte, error)
}

// PostProofJob is what a post-proof phase gets: the job and its final
// proof file.
type PostProofJob struct {
	ID    string
	Spec  engine.Spec
	Proof []byte
	Mock  bool
	// Results of the phases that ran before this one, by name.
	Results map[string][]byte
}

// checkPostProof refuses a configuration with unnamed, duplicate or
// phase-less post-proof phases.
func checkPostProof(pp []PostProof) error {
	seen := map[string]bool{}
	for _, p := range pp {
		if p.Name == "" || p.Run == nil || p.Phase == pb.JobPhase_JOB_PHASE_UNSPECIFIED || seen[p.Name] {
			return fmt.Errorf("coordinator: %w: bad post-proof phase %q", ErrInvalid, p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// postProofOptions checks a submit request's options against the
// configured phases and returns them in the configured order.
func (c *Coordinator) postProofOptions(names []string) ([]string, error) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []string
	for _, p := range c.cfg.PostProof {
		if want[p.Name] {
			out = append(out, p.Name)
			delete(want, p.Name)
		}
	}
	for n := range want {
		return nil, fmt.Errorf("%w: this coordinator does not offer the job option %q", ErrInvalid, n)
	}
	return out, nil
}

// proofFinal is called, under the lock, when j's proof file is final: it
// starts the first post-proof phase j asked for, or completes j.
func (c *Coordinator) proofFinal(j *job, now time.Time) {
	// The proof needs no worker any more, however long the phases take.
	for id := range j.workers {
		if w := c.workers[id]; w != nil {
			c.release(j, w)
		}
	}
	j.aggregator = ""
	j.proofAt = now
	c.nextPostProof(j, now)
}

// nextPostProof runs the first of j's phases without a result, or
// completes j when every phase has one.
func (c *Coordinator) nextPostProof(j *job, now time.Time) {
	for _, p := range c.cfg.PostProof {
		if !j.wantsPost(p.Name) || j.results[p.Name] != nil {
			continue
		}
		if c.closed {
			return // the FINALIZE checkpoint serves the restart
		}
		c.setPhase(j, now, p.Phase, p.Name)
		c.persist(j)
		ctx, cancel := context.WithCancel(c.ctx)
		j.stopFinalize = cancel
		in := PostProofJob{ID: j.id, Spec: j.spec, Proof: j.proof, Mock: j.mock(), Results: map[string][]byte{}}
		for k, v := range j.results {
			in.Results[k] = v
		}
		attempt, p := j.attempt, p
		c.goTracked(func() {
			defer cancel()
			out, err := p.Run(ctx, in)
			c.postProofDone(ctx, j, attempt, p, out, err)
		})
		return
	}
	c.finish(j, now, pb.JobState_JOB_STATE_COMPLETED, fmt.Sprintf("proof of %d bytes", len(j.proof)))
}

func (c *Coordinator) postProofDone(ctx context.Context, j *job, attempt uint32, p PostProof, out []byte, err error) {
	now := c.lockAndExpire()
	defer c.mu.Unlock()
	if j.terminal() || j.attempt != attempt || ctx.Err() != nil {
		// Cancelled, or the coordinator is closing: a restart finalizes
		// again from the checkpoint and reruns the phase.
		return
	}
	j.stopFinalize = nil
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("phase %s returned no result", p.Name)
	}
	if err != nil {
		c.finish(j, now, pb.JobState_JOB_STATE_FAILED, fmt.Sprintf("%s: %v", p.Name, err))
		c.schedule(now)
		return
	}
	if j.results == nil {
		j.results = map[string][]byte{}
	}
	j.results[p.Name] = out
	c.event(j, now, p.Name+"_done", fmt.Sprintf("%s result of %d bytes", p.Name, len(out)))
	c.persist(j)
	c.nextPostProof(j, now)
	c.schedule(now)
}

// Result returns the result of the post-proof phase name of a completed
// job; nil when the job did not ask for the phase.
func (c *Coordinator) Result(id, name string) ([]byte, error) {
	c.lockAndExpire()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: job %s", ErrNotFound, id)
	}
	if j.state != pb.JobState_JOB_STATE_COMPLETED {
		return nil, fmt.Errorf("%w: job %s is %s", ErrNotCompleted, id, j.state)
	}
	if !j.wantsPost(name) {
		return nil, nil
	}
	r := j.results[name]
	if r == nil {
		// A completed job that asked for the phase always has its result.
		return nil, fmt.Errorf("%w: %s result of job %s is missing", ErrNotFound, name, id)
	}
	return r, nil
}

// Offers reports whether jobs may ask for the post-proof phase name.
func (c *Coordinator) Offers(name string) bool {
	for _, p := range c.cfg.PostProof {
		if p.Name == name {
			return true
		}
	}
	return false
}
