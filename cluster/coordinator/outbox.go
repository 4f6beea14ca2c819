package coordinator

import (
	"context"
	"sync"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// outbox is an unbounded per-worker message queue: the core appends under
// its lock and never blocks on a slow network; the worker's stream
// goroutine drains it.
type outbox struct {
	mu     sync.Mutex
	items  []*pb.CoordinatorMessage
	notify chan struct{}
	taken  chan struct{} // signalled when the stream goroutine drains items
	closed bool
}

func newOutbox() *outbox {
	return &outbox{notify: make(chan struct{}, 1), taken: make(chan struct{}, 1)}
}

// waitRoom blocks until fewer than max messages are queued, so bulk
// senders (key blobs) do not pile a whole file into memory; false when
// the outbox is closed or ctx ends.
func (o *outbox) waitRoom(ctx context.Context, max int) bool {
	for {
		o.mu.Lock()
		n, closed := len(o.items), o.closed
		o.mu.Unlock()
		if closed {
			return false
		}
		if n < max {
			return true
		}
		select {
		case <-o.taken:
		case <-ctx.Done():
			return false
		}
	}
}

func (o *outbox) push(m *pb.CoordinatorMessage) {
	o.mu.Lock()
	if !o.closed {
		o.items = append(o.items, m)
	}
	o.mu.Unlock()
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

// next returns the queued messages, blocking until there is one; ok is
// false once the outbox is closed or ctx is done.
func (o *outbox) next(ctx context.Context) (msgs []*pb.CoordinatorMessage, ok bool) {
	for {
		o.mu.Lock()
		if o.closed {
			o.mu.Unlock()
			return nil, false
		}
		if len(o.items) > 0 {
			msgs, o.items = o.items, nil
			o.mu.Unlock()
			select {
			case o.taken <- struct{}{}:
			default:
			}
			return msgs, true
		}
		o.mu.Unlock()
		select {
		case <-o.notify:
		case <-ctx.Done():
			return nil, false
		}
	}
}
