package progress

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock advances only when told; its tickers fire when the test sends.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	tick chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), tick: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTicker(time.Duration) (<-chan time.Time, func()) { return c.tick, func() {} }

// advance moves time on and delivers one tick (blocking until a reporter
// goroutine has taken it, so its output is written when advance returns...
// almost: the write follows the receive, hence syncBuffer + waitFor).
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	c.tick <- now
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, buf *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("output %q never contained %q", buf.String(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLinesReportStartTicksAndEnd(t *testing.T) {
	var buf syncBuffer
	clk := newFakeClock()
	l := NewLines(&buf, 30*time.Second)
	l.clock = clk
	end := l.Start("setup: fold keys", 10*time.Minute)
	waitFor(t, &buf, "setup: fold keys: started, about 10 min\n")
	clk.advance(150 * time.Second)
	waitFor(t, &buf, "setup: fold keys: 2m30s of about 10 min (25%)\n")
	clk.advance(10 * time.Minute)
	waitFor(t, &buf, "setup: fold keys: 12m30s elapsed, past the estimate of 10 min\n")
	end(nil)
	end(nil) // idempotent
	if got := buf.String(); !strings.HasSuffix(got, "setup: fold keys: done in 12m30s\n") || strings.Count(got, "done in") != 1 {
		t.Fatalf("end line missing or repeated:\n%s", got)
	}
}

func TestLinesReportFailure(t *testing.T) {
	var buf syncBuffer
	clk := newFakeClock()
	l := NewLines(&buf, time.Second)
	l.clock = clk
	end := l.Start("setup: cpu keys", 0)
	clk.advance(3 * time.Second)
	waitFor(t, &buf, "setup: cpu keys: 3s elapsed\n")
	end(errors.New("out of memory"))
	if got := buf.String(); !strings.Contains(got, "setup: cpu keys: failed after 3s: out of memory\n") {
		t.Fatalf("no failure line:\n%s", got)
	}
}

func TestBarRedrawsAndClears(t *testing.T) {
	var buf syncBuffer
	clk := newFakeClock()
	b := NewBar(&buf)
	b.clock = clk
	b.width = 10
	end := b.Start("fold", 100*time.Second)
	if got := buf.String(); got != "[..........] fold 0s of about 2 min (0%)\n" {
		t.Fatalf("first draw %q", got)
	}
	clk.advance(50 * time.Second)
	waitFor(t, &buf, "\x1b[1A\x1b[2K[#####.....] fold 50s of about 2 min (50%)\n")
	end(nil)
	got := buf.String()
	if !strings.HasSuffix(got, "\x1b[1A\x1b[2Kfold: done in 50s\n") {
		t.Fatalf("bar not cleared before the end line: %q", got)
	}
}

func TestBarUnknownEstimateBounces(t *testing.T) {
	a, b := bar(0, 0, 10), bar(time.Second, 0, 10)
	if a == b || strings.Count(a, "#") != 1 || strings.Count(b, "#") != 1 {
		t.Fatalf("bounce %q then %q", a, b)
	}
	if got := bar(time.Hour, time.Minute, 10); got != "[##########]" {
		t.Fatalf("late bar %q, want full", got)
	}
}

func TestFromContext(t *testing.T) {
	if From(context.Background()) != Discard {
		t.Fatal("no reporter in a bare context should discard")
	}
	var buf syncBuffer
	l := NewLines(&buf, time.Hour)
	if From(With(context.Background(), l)) != Reporter(l) {
		t.Fatal("With/From lost the reporter")
	}
	// A non-terminal writer gets lines.
	if _, ok := For(&buf, time.Minute).(*Lines); !ok {
		t.Fatal("For(non-terminal) is not a line reporter")
	}
}
