// Package progress shows how far a long, silent computation has come: a
// key setup that compiles circuits of millions of constraints and runs
// Groth16 setups of many minutes, during which the library reports nothing.
//
// A Reporter is told when each stage starts, with an estimate of how long it
// takes (derived by the caller, e.g. from a constraint count), and when it
// ends. On a terminal it redraws one bar per running stage; elsewhere (a log
// file, CI) it prints a line when a stage starts, every Interval while it
// runs, and when it ends. The estimate is only an estimate: past it the bar
// stays full and says so.
package progress

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Reporter receives the stages of a long computation.
type Reporter interface {
	// Start announces a stage and returns the function that ends it.
	// estimate ≤ 0 means unknown.
	Start(name string, estimate time.Duration) (end func(err error))
}

type ctxKey struct{}

// With returns a context that carries r; From finds it again.
func With(ctx context.Context, r Reporter) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// From returns the Reporter carried by ctx, or one that reports nothing.
func From(ctx context.Context) Reporter {
	if r, ok := ctx.Value(ctxKey{}).(Reporter); ok {
		return r
	}
	return Discard
}

// Discard reports nothing.
var Discard Reporter = discard{}

type discard struct{}

func (discard) Start(string, time.Duration) func(error) { return func(error) {} }

// For returns the reporter that suits w: a redrawn bar if w is a terminal,
// lines every interval otherwise.
func For(w io.Writer, interval time.Duration) Reporter {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return NewBar(w)
	}
	return NewLines(w, interval)
}

// clock is what the reporters need of time; tests replace it.
type clock interface {
	Now() time.Time
	NewTicker(d time.Duration) (<-chan time.Time, func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Lines prints a line per stage start and end, and one every interval while
// a stage runs.
type Lines struct {
	w        io.Writer
	interval time.Duration
	clock    clock
	mu       sync.Mutex // serialises writes
}

// NewLines returns a line reporter writing to w.
func NewLines(w io.Writer, interval time.Duration) *Lines {
	return &Lines{w: w, interval: interval, clock: realClock{}}
}

// Start implements Reporter.
func (l *Lines) Start(name string, estimate time.Duration) func(error) {
	start := l.clock.Now()
	l.printf("%s: started%s\n", name, estimateText(estimate))
	tick, stop := l.clock.NewTicker(l.interval)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-quit:
				return
			case <-tick:
				l.printf("%s: %s\n", name, status(l.clock.Now().Sub(start), estimate))
			}
		}
	}()
	var once sync.Once
	return func(err error) {
		once.Do(func() {
			close(quit)
			wg.Wait()
			stop()
			elapsed := l.clock.Now().Sub(start).Round(time.Second)
			if err != nil {
				l.printf("%s: failed after %s: %v\n", name, elapsed, err)
				return
			}
			l.printf("%s: done in %s\n", name, elapsed)
		})
	}
}

func (l *Lines) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}

// Bar redraws one line per running stage on a terminal, a few times a
// second.
type Bar struct {
	w      io.Writer
	width  int
	clock  clock
	period time.Duration

	mu      sync.Mutex
	running []*barStage
	drawn   int // lines drawn by the last redraw
	stop    func()
	quit    chan struct{}
	done    chan struct{}
}

type barStage struct {
	name     string
	start    time.Time
	estimate time.Duration
}

// NewBar returns a bar reporter drawing on the terminal w.
func NewBar(w io.Writer) *Bar {
	return &Bar{w: w, width: 30, clock: realClock{}, period: 250 * time.Millisecond}
}

// Start implements Reporter.
func (b *Bar) Start(name string, estimate time.Duration) func(error) {
	s := &barStage{name: name, start: b.clock.Now(), estimate: estimate}
	b.mu.Lock()
	b.running = append(b.running, s)
	if len(b.running) == 1 {
		b.startTicker()
	}
	b.redrawLocked()
	b.mu.Unlock()
	var once sync.Once
	return func(err error) {
		once.Do(func() { b.end(s, err) })
	}
}

func (b *Bar) startTicker() {
	tick, stop := b.clock.NewTicker(b.period)
	b.stop, b.quit, b.done = stop, make(chan struct{}), make(chan struct{})
	quit, done := b.quit, b.done
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			case <-tick:
				b.mu.Lock()
				b.redrawLocked()
				b.mu.Unlock()
			}
		}
	}()
}

func (b *Bar) end(s *barStage, err error) {
	b.mu.Lock()
	b.clearLocked()
	for i, r := range b.running {
		if r == s {
			b.running = append(b.running[:i], b.running[i+1:]...)
			break
		}
	}
	elapsed := b.clock.Now().Sub(s.start).Round(time.Second)
	if err != nil {
		fmt.Fprintf(b.w, "%s: failed after %s: %v\n", s.name, elapsed, err)
	} else {
		fmt.Fprintf(b.w, "%s: done in %s\n", s.name, elapsed)
	}
	var quit, done chan struct{}
	if len(b.running) == 0 {
		b.stop()
		quit, done = b.quit, b.done
	} else {
		b.redrawLocked()
	}
	b.mu.Unlock()
	if quit != nil {
		close(quit)
		<-done
	}
}

// clearLocked erases the lines of the last redraw.
func (b *Bar) clearLocked() {
	for i := 0; i < b.drawn; i++ {
		fmt.Fprint(b.w, "\x1b[1A\x1b[2K")
	}
	b.drawn = 0
}

func (b *Bar) redrawLocked() {
	b.clearLocked()
	now := b.clock.Now()
	for _, s := range b.running {
		elapsed := now.Sub(s.start)
		fmt.Fprintf(b.w, "%s %s %s\n", bar(elapsed, s.estimate, b.width), s.name, status(elapsed, s.estimate))
		b.drawn++
	}
}

// bar draws [#####.....] for elapsed out of estimate, or a bouncing block
// when the estimate is unknown.
func bar(elapsed, estimate time.Duration, width int) string {
	if estimate <= 0 {
		pos := int(elapsed/(250*time.Millisecond)) % width
		return "[" + strings.Repeat(".", pos) + "#" + strings.Repeat(".", width-pos-1) + "]"
	}
	n := int(float64(width) * min(1, float64(elapsed)/float64(estimate)))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

// status says how far a stage is: "3m10s of about 14m (23%)", or "past the
// estimate of 14m" once it runs late.
func status(elapsed, estimate time.Duration) string {
	e := elapsed.Round(time.Second)
	switch {
	case estimate <= 0:
		return fmt.Sprintf("%s elapsed", e)
	case elapsed > estimate:
		return fmt.Sprintf("%s elapsed, past the estimate of %s", e, round(estimate))
	default:
		return fmt.Sprintf("%s of about %s (%d%%)", e, round(estimate), int(100*float64(elapsed)/float64(estimate)))
	}
}

func estimateText(estimate time.Duration) string {
	if estimate <= 0 {
		return ""
	}
	return fmt.Sprintf(", about %s", round(estimate))
}

// round keeps an estimate as coarse as it is: seconds under a minute,
// then whole minutes.
func round(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
}
