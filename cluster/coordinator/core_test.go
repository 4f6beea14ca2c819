package coordinator

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// fakeClock is the injected clock of core tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fakeClock) Add(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// drain returns the messages queued for a session without blocking.
func drain(t *testing.T, s *Session) []*pb.CoordinatorMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	msgs, _ := s.Next(ctx)
	return msgs
}

func assigned(msgs []*pb.CoordinatorMessage) []uint32 {
	var leaves []uint32
	for _, m := range msgs {
		if a := m.GetAssign(); a != nil {
			leaves = append(leaves, a.Leaves...)
		}
	}
	return leaves
}

// TestHeartbeatExpiryReassigns drives the core directly with a fake
// clock: a worker that stops sending is dropped by enter() and its
// leaves go to the other worker.
func TestHeartbeatExpiryReassigns(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	c, err := New(Config{Backend: &testprover.Backend{}, Clock: clk.Now, HeartbeatTimeout: 10 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NoStealing: true}) // proportional dealing
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Attach("a", 1, riscvOnly)
	b, _ := c.Attach("b", 1, riscvOnly)
	job := submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(4)})
	la, lb := assigned(drain(t, a)), assigned(drain(t, b))
	if len(la) != 2 || len(lb) != 2 {
		t.Fatalf("dealing: a %v b %v", la, lb)
	}
	clk.Add(6 * time.Second)
	if !b.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{}}}) {
		t.Fatal("live worker refused")
	}
	clk.Add(6 * time.Second) // a silent for 12 s, b for 6 s
	ws := c.Workers()
	if len(ws) != 1 || ws[0].Id != "b" {
		t.Fatalf("workers after expiry: %v", ws)
	}
	if got := assigned(drain(t, b)); len(got) != 2 || got[0] != la[0] || got[1] != la[1] {
		t.Fatalf("a's leaves %v not reassigned to b: %v", la, got)
	}
	if a.Handle(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Heartbeat{Heartbeat: &pb.Heartbeat{}}}) {
		t.Fatal("expired session still accepted")
	}
	j, _ := c.Job(job.Id)
	if j.State != pb.JobState_JOB_STATE_RUNNING || len(j.Workers) != 1 {
		t.Fatalf("job: %+v", j)
	}
}

func TestDealProportional(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	// NoStealing: every leaf dealt at once (stealing_test.go covers the
	// default, capacity-bounded dealing).
	c, _ := New(Config{Backend: &testprover.Backend{}, Clock: clk.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NoStealing: true})
	s1, _ := c.Attach("w1", 1, riscvOnly)
	s2, _ := c.Attach("w2", 2, riscvOnly)
	s5, _ := c.Attach("w5", 5, riscvOnly)
	submitPlanned(t, c, SubmitRequest{ELF: testprover.Program(17)})
	// 17 leaves by 1:2:5 → 2.125, 4.25, 10.625 → 2, 4, 11 (largest remainder).
	got := []int{len(assigned(drain(t, s1))), len(assigned(drain(t, s2))), len(assigned(drain(t, s5)))}
	if got[0] != 2 || got[1] != 4 || got[2] != 11 {
		t.Fatalf("shares %v", got)
	}
}
