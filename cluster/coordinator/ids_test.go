package coordinator

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/store"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestIDsDoNotRepeatAcrossRestart: a coordinator restarted within the
// same second (fake clock frozen) starts its counter at 1 again; the new
// job must get a fresh id and the completed job's record must survive.
func TestIDsDoNotRepeatAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	open := func() (*store.Store, *Coordinator) {
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(Config{Backend: &testprover.Backend{}, Store: st, Clock: clk.Now, Logger: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		return st, c
	}
	st, c := open()
	first, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Cancel(first.Id); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, c = open()
	t.Cleanup(func() { c.Close(context.Background()); st.Close() })
	second, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(2)})
	if err != nil {
		t.Fatal(err)
	}
	if second.Id == first.Id {
		t.Fatalf("id %s repeated after a restart in the same second", first.Id)
	}
	j, err := c.Job(first.Id)
	if err != nil || j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("first job after restart: %+v %v", j, err)
	}
}

// TestFreshIDSkipsTakenIDs: even a generator that repeats itself (here a
// fixed sequence) cannot make Submit reuse an id held in memory or in
// the store.
func TestFreshIDSkipsTakenIDs(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutJob(&store.Job{ID: "stored", State: int32(pb.JobState_JOB_STATE_COMPLETED)}); err != nil {
		t.Fatal(err)
	}
	seq := []string{"a", "a", "stored", "b", "b", "b", "b", "b", "b", "b", "b", "b"}
	next := func() string { id := seq[0]; seq = seq[1:]; return id }
	c, err := New(Config{Backend: &testprover.Backend{}, Store: st, NewID: next, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	var got []string
	for range 2 {
		j, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1)})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, j.Id)
	}
	if got[0] != "a" || got[1] != "b" {
		t.Fatalf("ids %v, want [a b]", got)
	}
	if _, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1)}); err == nil {
		t.Fatal("a generator stuck on a taken id was not refused")
	}
}

// TestRestartKeepsQueueOrder: jobs queued when the coordinator stops are
// queued again in their original order after it restarts.
func TestRestartKeepsQueueOrder(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Backend: &testprover.Backend{}, Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 20 {
		j, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1 + i%3), Input: []byte{byte(i)}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, j.Id)
	}
	c.Close(context.Background())
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err = New(Config{Backend: &testprover.Backend{}, Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		got := append([]string(nil), c.queue...)
		c.mu.Unlock()
		if len(got) == len(want) {
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("queue after restart %v, want %v", got, want)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs queued again", len(got), len(want))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
