package prover

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/internal/testprover"
	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// TestPlanJobMatchesNewJob: the streamed plan is the plan of the traced job.
func TestPlanJobMatchesNewJob(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"fib", []byte{20, 0, 0, 0}},
		{"sha256", make([]byte, 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			elf, err := guest.Example(tc.name)
			if err != nil {
				t.Skipf("no example %s: %v", tc.name, err)
			}
			spec := JobSpec{ELF: elf, Input: tc.input}
			j, err := NewJob(spec, testShape)
			if err != nil {
				t.Fatal(err)
			}
			want := j.Plan("set")
			got, err := PlanJob(context.Background(), spec, testShape, "set")
			if err != nil {
				t.Fatal(err)
			}
			if got.Leaves != want.Leaves || got.Cycles != want.Cycles || got.ProgramID != want.ProgramID ||
				got.OutputHash != want.OutputHash || got.InputHash != want.InputHash || got.ExitCode != want.ExitCode {
				t.Fatalf("streamed plan %+v, traced plan %+v", got, want)
			}
		})
	}
}

// TestPlanJobLoopingGuest: the 88-byte looping guest stops at the cycle
// limit with an execution error, in bounded memory (a whole trace of
// 2^24 steps would take over a gigabyte), and stops at once when
// cancelled.
func TestPlanJobLoopingGuest(t *testing.T) {
	elf := testprover.LoopingELF()
	if len(elf) != 88 {
		t.Fatalf("looping ELF is %d bytes", len(elf))
	}
	t.Run("cycle limit, bounded memory", func(t *testing.T) {
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		const cycles = uint64(1 << 24)
		_, err := PlanJob(context.Background(), JobSpec{ELF: elf, MaxCycles: cycles}, testShape, "set")
		close(stop)
		<-done
		if !errors.Is(err, ErrExecution) || !errors.Is(err, emu.ErrExec) {
			t.Fatalf("err = %v, want an execution error (cycle limit)", err)
		}
		const bound = 128 << 20
		if p := peak.Load(); p > bound {
			t.Fatalf("heap in use peaked at %d MiB planning %d cycles, bound %d MiB", p>>20, cycles, bound>>20)
		}
		t.Logf("peak heap in use %d MiB for %d cycles", peak.Load()>>20, cycles)
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := PlanJob(ctx, JobSpec{ELF: elf, MaxCycles: emu.MaxCyclesLimit}, testShape, "set")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the context's error", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("cancelled plan took %v", d)
		}
	})
}

// TestCommitmentsMatchJob: the streamed commitments are the traced job's,
// leaf by leaf (the coordinator checks contributions against them).
func TestCommitmentsMatchJob(t *testing.T) {
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	spec := JobSpec{ELF: elf, Input: []byte{30, 0, 0, 0}}
	j, err := NewJob(spec, testShape)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Commitments(context.Background(), spec, testShape)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != j.Leaves() {
		t.Fatalf("%d commitments for %d leaves", len(got), j.Leaves())
	}
	for i := range got {
		c, err := j.Commit(i)
		if err != nil {
			t.Fatal(err)
		}
		if want := claim.Bytes32(c); string(got[i]) != string(want[:]) {
			t.Fatalf("leaf %d: streamed commitment differs", i)
		}
	}
}
