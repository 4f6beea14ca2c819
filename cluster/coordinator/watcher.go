package coordinator

import (
	"context"
	"fmt"
	"sync"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// DefaultWatchBuffer is how many events a watcher may have pending before
// its backlog collapses into one snapshot.
const DefaultWatchBuffer = 1024

// Watcher is one subscription to a job's events. The core pushes under
// its lock and never blocks: a watcher that falls max events behind has
// its backlog replaced by a single "snapshot" event (every event carries
// the whole job, so the latest one says all the skipped ones did), and
// the events after it follow as usual. The terminal event is pushed last
// and is never skipped, so a watcher always learns how the job ended.
//
// Lock order: Coordinator.mu, then Watcher.mu.
type Watcher struct {
	stop func()

	mu      sync.Mutex
	items   []*pb.JobEvent
	max     int
	closed  bool // no more events will be pushed
	stopped bool // the reader went away
	notify  chan struct{}
}

func newWatcher(max int) *Watcher {
	return &Watcher{max: max, notify: make(chan struct{}, 1)}
}

// push queues ev, collapsing the backlog when it is full.
func (w *Watcher) push(ev *pb.JobEvent) {
	w.mu.Lock()
	if w.closed || w.stopped {
		w.mu.Unlock()
		return
	}
	if len(w.items) >= w.max {
		last := w.items[len(w.items)-1]
		skipped := len(w.items)
		w.items = append(w.items[:0], &pb.JobEvent{Kind: "snapshot", UnixMs: last.UnixMs, Job: last.Job,
			Message: fmt.Sprintf("watcher fell behind: %d events skipped", skipped)})
	}
	w.items = append(w.items, ev)
	w.mu.Unlock()
	w.wake()
}

// close ends the subscription once the queued events are read.
func (w *Watcher) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wake()
}

func (w *Watcher) wake() {
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// Next returns the pending events, blocking until there is one. ok is
// false once every event was read after the last one was pushed, when
// the watcher was stopped, or when ctx ends.
func (w *Watcher) Next(ctx context.Context) (evs []*pb.JobEvent, ok bool) {
	for {
		w.mu.Lock()
		if w.stopped {
			w.mu.Unlock()
			return nil, false
		}
		if len(w.items) > 0 {
			evs, w.items = w.items, nil
			w.mu.Unlock()
			return evs, true
		}
		closed := w.closed
		w.mu.Unlock()
		if closed {
			return nil, false
		}
		select {
		case <-w.notify:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// Stop unsubscribes; pending events are dropped.
func (w *Watcher) Stop() {
	w.mu.Lock()
	w.stopped, w.items = true, nil
	w.mu.Unlock()
	w.wake()
	if w.stop != nil {
		w.stop()
	}
}
