package worker

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// session is the worker's state for one coordinator stream.
type session struct {
	w      *Worker
	gen    uint64                    // the Worker's connection attempt, for readiness
	sets   map[string]string         // kind → announced key set
	bes    map[string]engine.Backend // by kind; set before keysReady is closed
	ctx    context.Context
	cancel context.CancelFunc
	stream pb.WorkerService_ConnectClient
	out    chan *pb.WorkerMessage
	sem    chan struct{} // capacity slots
	wg     sync.WaitGroup

	keysReady chan struct{} // closed once every key blob is cached
	keyMu     sync.Mutex
	keyPipes  map[string]*io.PipeWriter
	keyErrs   chan error

	jobsMu sync.Mutex
	jobs   map[string]*jobTasks
}

// jobTasks is what the worker holds for one job.
type jobTasks struct {
	spec   engine.Spec
	kind   string
	ctx    context.Context
	cancel context.CancelFunc
}

// newSession shares the stream's context: cancel ends the whole
// connection (a broken send, a failed key fetch, a backend that cannot open).
func newSession(ctx context.Context, cancel context.CancelFunc, w *Worker, gen uint64, sets map[string]string, stream pb.WorkerService_ConnectClient) *session {
	return &session{w: w, gen: gen, sets: sets, ctx: ctx, cancel: cancel, stream: stream,
		out: make(chan *pb.WorkerMessage, 64), sem: w.slots,
		keysReady: make(chan struct{}), keyPipes: map[string]*io.PipeWriter{}, jobs: map[string]*jobTasks{}}
}

// stop cancels every task of the session and waits for them.
func (s *session) stop() {
	s.cancel()
	s.keyMu.Lock()
	for _, p := range s.keyPipes {
		p.CloseWithError(context.Canceled)
	}
	s.keyMu.Unlock()
	s.wg.Wait()
}

// send queues a message for the coordinator unless the session is over.
func (s *session) send(m *pb.WorkerMessage) {
	select {
	case s.out <- m:
	case <-s.ctx.Done():
	}
}

// sendLoop is the stream's only writer: messages and heartbeats.
func (s *session) sendLoop(hb time.Duration) {
	if hb <= 0 {
		hb = time.Second
	}
	t := time.NewTicker(hb)
	defer t.Stop()
	for {
		var m *pb.WorkerMessage
		select {
		case m = <-s.out:
		case <-t.C:
			m = s.heartbeat()
		case <-s.ctx.Done():
			return
		}
		if err := s.stream.Send(m); err != nil {
			s.cancel()
			return
		}
	}
}

// heartbeat reports readiness (keys cached) and the slots in use,
// cancelled tasks still running included.
func (s *session) heartbeat() *pb.WorkerMessage {
	ready := false
	select {
	case <-s.keysReady:
		ready = true
	default:
	}
	return &pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{Ready: ready, Running: uint32(len(s.sem))}}}
}

// fetchKeys requests every blob the cache lacks; tasks wait on keysReady.
func (s *session) fetchKeys(blobs []string) {
	cache := s.w.cfg.Keys
	var missing []string
	for _, id := range blobs {
		if cache == nil || cache.Has(id) {
			s.w.m.KeyHits.Inc()
			continue
		}
		s.w.m.KeyMisses.Inc()
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		s.ready()
		return
	}
	s.w.log.Info("fetching key blobs from coordinator", "count", len(missing))
	s.w.setReadiness(s.gen, fmt.Sprintf("registered; fetching %d key blobs", len(missing)))
	s.keyErrs = make(chan error, len(missing))
	var wg sync.WaitGroup
	// At most keyRequestsInFlight requests at a time: the coordinator
	// refuses a worker that asks for more at once (rpc.MaxKeyRequestsPerWorker).
	sem := make(chan struct{}, keyRequestsInFlight)
	for _, id := range missing {
		pr, pw := io.Pipe()
		s.keyMu.Lock()
		s.keyPipes[id] = pw
		s.keyMu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-s.ctx.Done():
				pr.CloseWithError(s.ctx.Err())
				s.keyErrs <- fmt.Errorf("key blob %s: %w", id, s.ctx.Err())
				return
			}
			defer func() { <-sem }()
			s.send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_KeyRequest{KeyRequest: &pb.KeyRequest{BlobId: id}}})
			err := cache.PutBlobExpect(id, pr)
			pr.CloseWithError(err)
			if err != nil {
				s.keyErrs <- fmt.Errorf("key blob %s: %w", id, err)
			}
		}()
	}
	go func() {
		wg.Wait()
		select {
		case err := <-s.keyErrs:
			s.w.log.Error("key fetch failed; dropping connection", "err", err)
			s.cancel()
		default:
			s.w.log.Info("key blobs cached")
			s.ready()
		}
	}()
}

// keyRequestsInFlight bounds a worker's concurrent key-blob requests, well
// under what the coordinator serves per worker (16).
const keyRequestsInFlight = 8

// ready opens the backend of every kind for its key set and lets tasks
// run; a backend that cannot open ends the session (and is retried on
// reconnect).
func (s *session) ready() {
	bes := map[string]engine.Backend{}
	for kind, setID := range s.sets {
		be, err := s.w.backend(kind, setID)
		if err != nil {
			s.w.log.Error("cannot open prover backend; dropping connection", "err", err)
			s.w.setReadiness(s.gen, fmt.Sprintf("cannot open the prover backend: %v", err))
			s.cancel()
			return
		}
		bes[kind] = be
	}
	s.bes = bes
	close(s.keysReady)
	s.w.setReadiness(s.gen, "")
	go s.send(s.heartbeat()) // ready: the coordinator may deal tasks now
}

func (s *session) keyChunk(c *pb.KeyChunk) error {
	s.keyMu.Lock()
	pw := s.keyPipes[c.BlobId]
	s.keyMu.Unlock()
	if pw == nil {
		return nil
	}
	if c.Error != "" {
		pw.CloseWithError(fmt.Errorf("coordinator: %s", c.Error))
		return nil
	}
	// A write error means PutBlobExpect gave up; its error is reported there.
	if _, err := pw.Write(c.Data); err == nil && c.Eof {
		pw.Close()
	}
	if c.Eof {
		s.keyMu.Lock()
		delete(s.keyPipes, c.BlobId)
		s.keyMu.Unlock()
	}
	return nil
}

func (s *session) handle(m *pb.CoordinatorMessage) error {
	switch x := m.Msg.(type) {
	case *pb.CoordinatorMessage_Assign:
		a := x.Assign
		if sp := a.Spec; sp == nil || (sp.Kind == "" && len(sp.Elf) == 0 && len(sp.Input) == 0) {
			// The coordinator sends the spec once per job: a later Assign
			// carries none. Without it (the job was dropped here) the
			// failure is transient: the coordinator sends the leaves again,
			// with the spec.
			if jt, _ := s.job(a.JobId, nil); jt == nil {
				for _, leaf := range a.Leaves {
					s.send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{JobId: a.JobId,
						Phase: a.Phase, Node: leaf, Error: "assign for a job this worker has no spec of"}}})
				}
				return nil
			}
		}
		jt, spec := s.job(a.JobId, a.Spec)
		op := "contribute"
		if a.Phase == pb.TaskPhase_TASK_PHASE_PROVE {
			op = "prove"
		}
		for _, leaf := range a.Leaves {
			s.run(jt, task{jobID: a.JobId, op: op, node: leaf, spec: spec, challenge: a.Challenge})
		}
	case *pb.CoordinatorMessage_Challenge:
		c := x.Challenge
		jt, spec := s.job(c.JobId, nil)
		if jt == nil {
			// Transient: the coordinator sends the leaves again, with the spec.
			for _, leaf := range c.Leaves {
				s.send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_TaskFailed{TaskFailed: &pb.TaskFailed{JobId: c.JobId,
					Phase: pb.TaskPhase_TASK_PHASE_PROVE, Node: leaf, Error: "challenge for a job this worker has no spec of"}}})
			}
			return nil
		}
		for _, leaf := range c.Leaves {
			s.run(jt, task{jobID: c.JobId, op: "prove", node: leaf, spec: spec, challenge: c.Challenge})
		}
	case *pb.CoordinatorMessage_FoldTask:
		f := x.FoldTask
		jt, _ := s.job(f.JobId, &pb.JobSpec{})
		s.run(jt, task{jobID: f.JobId, op: "fold", node: f.Node, foldKind: f.Kind, left: f.Left, right: f.Right})
	case *pb.CoordinatorMessage_Cancel:
		s.jobsMu.Lock()
		if jt := s.jobs[x.Cancel.JobId]; jt != nil {
			jt.cancel()
			delete(s.jobs, x.Cancel.JobId)
		}
		s.jobsMu.Unlock()
	case *pb.CoordinatorMessage_KeyChunk:
		return s.keyChunk(x.KeyChunk)
	}
	return nil
}

// job returns the job's task group, creating it when spec is given, and a
// copy of the job spec for tasks to use without the lock.
func (s *session) job(id string, spec *pb.JobSpec) (*jobTasks, engine.Spec) {
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	jt := s.jobs[id]
	if jt == nil && spec != nil {
		ctx, cancel := context.WithCancel(s.ctx)
		jt = &jobTasks{ctx: ctx, cancel: cancel}
		s.jobs[id] = jt
	}
	if jt != nil && spec != nil && (len(spec.Elf) > 0 || len(spec.Input) > 0 || spec.Kind != "") {
		jt.spec = engine.Spec{Kind: spec.Kind, ELF: spec.Elf, Input: spec.Input, MaxCycles: spec.MaxCycles}
	}
	if jt == nil {
		return nil, engine.Spec{}
	}
	return jt, jt.spec
}

// Permanent reports whether a task error would recur on any worker: the
// inputs themselves are bad (a malformed program, a guest fault or cycle
// limit, a partial proof that does not verify or chain). The coordinator
// fails the job at once on those and retries anything else (a missing
// key, I/O, memory) elsewhere. It is engine.Permanent.
func Permanent(err error) bool { return engine.Permanent(err) }

// backend is the session's backend of kind ("" = the default kind).
func (s *session) backend(kind string) (engine.Backend, error) {
	if kind == "" {
		kind = engine.DefaultKind
	}
	be := s.bes[kind]
	if be == nil {
		// The coordinator deals only kinds it accepted the worker for.
		return nil, fmt.Errorf("%w %q on this worker", engine.ErrUnknownKind, kind)
	}
	return be, nil
}

// run starts a task once keys are cached; Worker.runTask waits for a
// capacity slot and runs it. A task whose job is cancelled ends silently
// (a heartbeat says its slot is free); any other error is reported as
// TaskFailed.
func (s *session) run(jt *jobTasks, t task) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx := jt.ctx
		select {
		case <-s.keysReady:
		case <-ctx.Done():
			return
		}
		msg, held := s.w.runTask(ctx, t, s.backend)
		if msg == nil {
			if held {
				// The prover may have ignored the cancel: say at once
				// that the slot is free now.
				s.send(s.heartbeat())
			}
			return
		}
		s.send(msg)
	}()
}
