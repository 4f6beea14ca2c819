package rpc_test

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/rpc"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// holeProxy forwards TCP connections to an upstream address until
// Blackhole: from then on the connections open at that moment swallow
// whatever either side sends and never close (a half-open connection: a
// host that vanished, a NAT that forgot the flow), and new connections
// are closed at once, until Restore lets new ones through again.
type holeProxy struct {
	ln       net.Listener
	upstream string
	refuse   atomic.Bool
	accepted atomic.Int32

	mu    sync.Mutex
	pairs []*holePair
}

type holePair struct {
	a, b  net.Conn
	holed atomic.Bool
}

func startHoleProxy(t *testing.T, upstream string) *holeProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &holeProxy{ln: ln, upstream: upstream}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *holeProxy) addr() string { return p.ln.Addr().String() }

func (p *holeProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refuse.Load() {
			c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.upstream)
		if err != nil {
			c.Close()
			continue
		}
		p.accepted.Add(1)
		pair := &holePair{a: c, b: u}
		p.mu.Lock()
		p.pairs = append(p.pairs, pair)
		p.mu.Unlock()
		go pair.pipe(u, c)
		go pair.pipe(c, u)
	}
}

// pipe copies src to dst. A holed pair reads and drops everything, and
// keeps dst open when src ends: the far side learns nothing.
func (h *holePair) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !h.holed.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil && !h.holed.Load() {
				src.Close()
				return
			}
		}
		if err != nil {
			if !h.holed.Load() {
				dst.Close()
			}
			return
		}
	}
}

// Blackhole makes every open connection half-open and refuses new ones.
func (p *holeProxy) Blackhole() {
	p.refuse.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.pairs {
		h.holed.Store(true)
	}
}

// Restore forwards new connections again (the holed ones stay holed).
func (p *holeProxy) Restore() { p.refuse.Store(false) }

func (p *holeProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.pairs {
		h.a.Close()
		h.b.Close()
	}
}

// TestHalfOpenConnectionIsNoticed: a worker's connection goes half-open
// (a proxy between it and the coordinator swallows all traffic without
// closing anything). The heartbeat timeout is ten minutes, so only the
// gRPC keepalives can notice: the coordinator drops the worker's session
// and the worker's stream fails, both well within the bound; when the
// path works again the worker reconnects and proves.
func TestHalfOpenConnectionIsNoticed(t *testing.T) {
	// gRPC raises a server's ping interval to at least 1 s and a client's
	// to at least 10 s; the timeouts are ours.
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true,
		HeartbeatTimeout: 10 * time.Minute, Keepalive: rpc.Keepalive{Time: time.Second, Timeout: time.Second}})
	proxy := startHoleProxy(t, c.Listen.Cluster.String())
	w := c.AddWorkerWith("w1", 1, testcluster.WorkerOptions{Coordinator: proxy.addr(),
		Keepalive: rpc.Keepalive{Time: 10 * time.Second, Timeout: time.Second}})
	testcluster.WaitFor(t, 10*time.Second, "w1 to register through the proxy", func() bool { return c.Workers() == 1 })
	if err := w.W.Health(); err != nil {
		t.Fatalf("w1 not ready: %v", err)
	}
	lost, reconnects, accepted := counter(c.Coord.Metrics().WorkersLost), counter(w.W.Metrics().Reconnects), proxy.accepted.Load()

	start := time.Now()
	proxy.Blackhole()
	// Bounds are generous (a loaded machine); the keepalives take about
	// 2 s on the coordinator's side (plus its reconnect grace) and 11 s on
	// the worker's, the heartbeat timeout ten minutes.
	const bound = 90 * time.Second
	testcluster.WaitFor(t, bound, "the coordinator to drop the half-open worker", func() bool {
		return len(c.Coord.Workers()) == 0 && counter(c.Coord.Metrics().WorkersLost) > lost
	})
	t.Logf("coordinator dropped the worker after %v", time.Since(start).Round(time.Millisecond))
	testcluster.WaitFor(t, bound, "the worker to notice its stream is dead", func() bool {
		return counter(w.W.Metrics().Reconnects) > reconnects && w.W.Health() != nil
	})
	t.Logf("worker noticed after %v", time.Since(start).Round(time.Millisecond))
	if n := proxy.accepted.Load(); n != accepted {
		t.Fatalf("proxy forwarded %d new connections while black-holed", n-accepted)
	}

	proxy.Restore()
	testcluster.WaitFor(t, bound, "the worker to reconnect through the proxy", func() bool {
		return c.Workers() == 1 && w.W.Health() == nil
	})
	if n := proxy.accepted.Load(); n <= accepted {
		t.Fatal("the worker is ready again without a new connection through the proxy")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, err := c.Submit(ctx, testprover.Program(3), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Wait(ctx, id)
	if err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job after the reconnect: %v %v", j.GetState(), err)
	}
}
