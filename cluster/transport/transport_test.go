package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
)

func TestTables(t *testing.T) {
	cases := []struct {
		err  error
		grpc codes.Code
		http int
	}{
		{nil, codes.OK, http.StatusOK},
		{fmt.Errorf("job x: %w", coordinator.ErrNotFound), codes.NotFound, http.StatusNotFound},
		{coordinator.ErrInvalid, codes.InvalidArgument, http.StatusBadRequest},
		{fmt.Errorf("%w: not an ELF", engine.ErrBadProgram), codes.InvalidArgument, http.StatusBadRequest},
		{fmt.Errorf("%w: max cycles", engine.ErrLimit), codes.InvalidArgument, http.StatusBadRequest},
		{fmt.Errorf("%w %q", engine.ErrUnknownKind, "x"), codes.InvalidArgument, http.StatusBadRequest},
		{fmt.Errorf("%w: ebreak", engine.ErrExecution), codes.FailedPrecondition, http.StatusUnprocessableEntity},
		{coordinator.ErrNotCompleted, codes.FailedPrecondition, http.StatusConflict},
		{engine.ErrNoKey, codes.FailedPrecondition, http.StatusServiceUnavailable},
		{coordinator.ErrClosed, codes.Unavailable, http.StatusServiceUnavailable},
		{auth.ErrUnauthenticated, codes.Unauthenticated, http.StatusUnauthorized},
		{fmt.Errorf("%w: worker w1 as w2", auth.ErrPermissionDenied), codes.PermissionDenied, http.StatusForbidden},
		{context.Canceled, codes.Canceled, 499},
		{context.DeadlineExceeded, codes.DeadlineExceeded, http.StatusGatewayTimeout},
		{errors.New("disk full"), codes.Internal, http.StatusInternalServerError},
		// A core error wrapping an engine error answers as the first row it matches.
		{fmt.Errorf("%w: %w", coordinator.ErrInvalid, engine.ErrUnknownKind), codes.InvalidArgument, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.err), func(t *testing.T) {
			if got := GRPCCode(tc.err); got != tc.grpc {
				t.Errorf("GRPCCode = %v, want %v", got, tc.grpc)
			}
			if got := HTTPStatus(tc.err); got != tc.http {
				t.Errorf("HTTPStatus = %d, want %d", got, tc.http)
			}
			if tc.err != nil {
				if s, _ := status.FromError(GRPCError(tc.err)); s.Code() != tc.grpc || s.Message() != tc.err.Error() {
					t.Errorf("GRPCError = %v", s)
				}
			}
		})
	}
}
