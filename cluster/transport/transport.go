// Package transport holds what every API transport of the coordinator
// shares: one table from the core's and the engine's error classes to
// gRPC codes, one to HTTP statuses. The gRPC servers (cluster/rpc) and
// any HTTP API use these tables, so a given failure answers the same way
// on every transport.
package transport

import (
	"context"
	"errors"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/engine"
)

// class is one row of the tables: an error class and how each transport
// answers it. Rows are tried in order; the first whose class the error
// wraps wins.
type class struct {
	err  error
	grpc codes.Code
	http int
}

var table = []class{
	{auth.ErrUnauthenticated, codes.Unauthenticated, http.StatusUnauthorized},
	{auth.ErrPermissionDenied, codes.PermissionDenied, http.StatusForbidden},
	{coordinator.ErrNotFound, codes.NotFound, http.StatusNotFound},
	{coordinator.ErrInvalid, codes.InvalidArgument, http.StatusBadRequest},
	{engine.ErrBadProgram, codes.InvalidArgument, http.StatusBadRequest},
	{engine.ErrLimit, codes.InvalidArgument, http.StatusBadRequest},
	{engine.ErrUnknownKind, codes.InvalidArgument, http.StatusBadRequest},
	{engine.ErrExecution, codes.FailedPrecondition, http.StatusUnprocessableEntity},
	{coordinator.ErrNotCompleted, codes.FailedPrecondition, http.StatusConflict},
	{coordinator.ErrNoKind, codes.FailedPrecondition, http.StatusConflict},
	{engine.ErrNoKey, codes.FailedPrecondition, http.StatusServiceUnavailable},
	{coordinator.ErrClosed, codes.Unavailable, http.StatusServiceUnavailable},
	{coordinator.ErrQueueFull, codes.ResourceExhausted, http.StatusTooManyRequests},
	{coordinator.ErrIDTaken, codes.AlreadyExists, http.StatusConflict},
	{context.Canceled, codes.Canceled, 499}, // client closed request
	{context.DeadlineExceeded, codes.DeadlineExceeded, http.StatusGatewayTimeout},
}

func lookup(err error) (class, bool) {
	for _, c := range table {
		if errors.Is(err, c.err) {
			return c, true
		}
	}
	return class{}, false
}

// GRPCCode is the gRPC code of err (Internal for anything unclassified).
func GRPCCode(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	if c, ok := lookup(err); ok {
		return c.grpc
	}
	return codes.Internal
}

// GRPCError turns err into a gRPC status error with its code and message.
func GRPCError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(GRPCCode(err), err.Error())
}

// HTTPStatus is the HTTP status of err (500 for anything unclassified).
func HTTPStatus(err error) int {
	if err == nil {
		return http.StatusOK
	}
	if c, ok := lookup(err); ok {
		return c.http
	}
	return http.StatusInternalServerError
}
