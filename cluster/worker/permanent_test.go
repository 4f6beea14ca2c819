package worker_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
)

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("%w: not an ELF", engine.ErrBadProgram), true},
		{fmt.Errorf("leaf 3: %w: unsupported syscall", engine.ErrExecution), true},
		{fmt.Errorf("fold: %w: children do not chain", engine.ErrBadProof), true},
		{fmt.Errorf("%w: cpu proving key: no such file", engine.ErrNoKey), false},
		{errors.New("out of memory"), false},
		{context.DeadlineExceeded, false},
	} {
		if got := worker.Permanent(tc.err); got != tc.want {
			t.Errorf("Permanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
