package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// MinWorkerSecret is the shortest per-worker secret accepted.
const MinWorkerSecret = 16

// ErrPermissionDenied: an authenticated caller asks for something its
// credentials do not allow (a worker registering under another worker's
// id).
var ErrPermissionDenied = errors.New("permission denied")

// Workers maps per-worker secrets to worker ids (the coordinator's
// --workers-file). A worker's secret is its identity on the cluster
// port: it may register under its own id only.
type Workers struct {
	ids, secrets []string
	listed       map[string]bool
}

// workersFile is the --workers-file: {"workers": [{"id": "w1",
// "secret": "..."}]}.
var workersFile = credFile{label: "workers file", list: "workers", name: "id", secret: "secret", noun: "worker", min: MinWorkerSecret}

// LoadWorkers reads a workers file. Ids and secrets must be unique, ids
// non-empty, secrets at least MinWorkerSecret bytes; unknown fields and
// trailing data are refused.
func LoadWorkers(path string) (*Workers, error) {
	ids, secrets, err := workersFile.load(path)
	if err != nil {
		return nil, err
	}
	w := &Workers{ids: ids, secrets: secrets, listed: map[string]bool{}}
	for _, id := range ids {
		w.listed[id] = true
	}
	return w, nil
}

// Len is the number of listed workers.
func (w *Workers) Len() int {
	if w == nil {
		return 0
	}
	return len(w.ids)
}

// Listed reports whether id has its own secret in the file.
func (w *Workers) Listed(id string) bool { return w != nil && w.listed[id] }

// identifyWorker returns the worker id whose secret the authorization
// values carry, or "" with shared true for the shared secret. Every
// value is compared against every secret in constant time; a listed
// secret wins over the shared one.
func identifyWorker(authorization []string, shared string, w *Workers) (id string, viaShared bool, err error) {
	found := false
	for _, v := range authorization {
		tok, ok := strings.CutPrefix(v, "Bearer ")
		if !ok {
			continue
		}
		for i, s := range w.secrets {
			if subtle.ConstantTimeCompare([]byte(tok), []byte(s)) == 1 && !found {
				found, id = true, w.ids[i]
			}
		}
		if shared != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(shared)) == 1 && !viaShared {
			viaShared = true
		}
	}
	switch {
	case found:
		return id, false, nil
	case viaShared:
		return "", true, nil
	}
	return "", false, ErrUnauthenticated
}

// workerCaller is how a cluster-port call authenticated: id is the
// worker its secret names ("" for the shared secret); workers are the
// listed ids the shared secret may not claim.
type workerCaller struct {
	id      string
	workers *Workers
}

type workerKey struct{}

// WithWorker returns ctx authenticated as worker id by its own secret
// (tests and in-process callers).
func WithWorker(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, workerKey{}, workerCaller{id: id})
}

// WorkerFrom returns the worker id a cluster-port call authenticated as
// by its own secret ("" for the shared secret, or without a workers
// file).
func WorkerFrom(ctx context.Context) string {
	c, _ := ctx.Value(workerKey{}).(workerCaller)
	return c.id
}

// AuthorizeWorkerID checks that the caller of ctx may register as id: a
// worker authenticated by its own secret only as its own id; a worker
// holding the shared secret only as an id the workers file does not
// list. Without a workers file (no identity in ctx) any id is allowed.
// The error wraps ErrPermissionDenied.
func AuthorizeWorkerID(ctx context.Context, id string) error {
	c, ok := ctx.Value(workerKey{}).(workerCaller)
	switch {
	case !ok:
		return nil
	case c.id != "" && id != c.id:
		return fmt.Errorf("%w: the secret presented is worker %q's; it cannot register as %q", ErrPermissionDenied, c.id, id)
	case c.id == "" && c.workers.Listed(id):
		return fmt.Errorf("%w: worker id %q has its own secret in the coordinator's workers file; the shared worker secret cannot claim it", ErrPermissionDenied, id)
	}
	return nil
}

// WorkerServerOptions are the cluster port's interceptors. Without a
// workers file, ServerOptions(shared). With one, a call needs a listed
// worker's secret or, when shared is set, the shared secret; its context
// carries who it is, for AuthorizeWorkerID. Both may be given: listed
// ids are bound to their secrets, and shared-secret workers may take any
// other id (a migration path; drop --worker-secret to require every
// worker to be listed).
func WorkerServerOptions(shared string, w *Workers) []grpc.ServerOption {
	if w.Len() == 0 {
		return ServerOptions(shared)
	}
	authn := func(ctx context.Context) (context.Context, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		id, _, err := identifyWorker(md.Get("authorization"), shared, w)
		if err != nil {
			return nil, status.Error(codes.Unauthenticated, err.Error())
		}
		return context.WithValue(ctx, workerKey{}, workerCaller{id: id, workers: w}), nil
	}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			ctx, err := authn(ctx)
			if err != nil {
				return nil, err
			}
			return h(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			ctx, err := authn(ss.Context())
			if err != nil {
				return err
			}
			return h(srv, &tenantStream{ServerStream: ss, ctx: ctx})
		}),
	}
}

// CheckShared refuses a shared worker secret equal to a listed worker's
// secret: it would make that worker's secret everyone's.
func (w *Workers) CheckShared(shared string) error {
	if w == nil || shared == "" {
		return nil
	}
	for i, s := range w.secrets {
		if subtle.ConstantTimeCompare([]byte(shared), []byte(s)) == 1 {
			return fmt.Errorf("workers file: worker %q's secret is also the shared --worker-secret", w.ids[i])
		}
	}
	return nil
}
