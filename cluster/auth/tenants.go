package auth

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// MinTenantToken is the shortest tenant token accepted.
const MinTenantToken = 16

// Tenants maps client tokens to tenant names. A tenant sees, waits on,
// downloads and cancels only its own jobs; the operator's --token (no
// tenant) sees every job.
type Tenants struct {
	names, tokens []string
}

// tenantsFile is the --tenants file: {"tenants": [{"name": "acme",
// "token": "..."}]}.
var tenantsFile = credFile{label: "tenants", list: "tenants", name: "name", secret: "token", noun: "tenant", min: MinTenantToken}

// LoadTenants reads a tenants file. Names and tokens must be unique,
// names non-empty, tokens at least MinTenantToken bytes; unknown fields
// and trailing data are refused.
func LoadTenants(path string) (*Tenants, error) {
	names, tokens, err := tenantsFile.load(path)
	if err != nil {
		return nil, err
	}
	return &Tenants{names: names, tokens: tokens}, nil
}

// Len is the number of tenants.
func (t *Tenants) Len() int {
	if t == nil {
		return 0
	}
	return len(t.names)
}

// identify returns the caller's tenant ("" for the operator token) from
// its authorization values, comparing against every token in constant
// time.
func identify(authorization []string, admin string, t *Tenants) (tenant string, err error) {
	found, who := false, ""
	for _, v := range authorization {
		tok, ok := strings.CutPrefix(v, "Bearer ")
		if !ok {
			continue
		}
		if admin != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(admin)) == 1 {
			found, who = true, ""
		}
		for i, tt := range t.tokens {
			if subtle.ConstantTimeCompare([]byte(tok), []byte(tt)) == 1 && !found {
				found, who = true, t.names[i]
			}
		}
	}
	if !found {
		return "", ErrUnauthenticated
	}
	return who, nil
}

type tenantKey struct{}

// TenantFrom returns the tenant of an authenticated call ("" for the
// operator, or when the cluster has no tenants).
func TenantFrom(ctx context.Context) string {
	s, _ := ctx.Value(tenantKey{}).(string)
	return s
}

// WithTenant returns ctx carrying tenant (tests and in-process callers).
func WithTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// ClientServerOptions are the client API's interceptors: with tenants,
// every call needs the operator token or a tenant's token, and carries
// the tenant in its context (TenantFrom); without, ServerOptions(admin).
func ClientServerOptions(admin string, t *Tenants) []grpc.ServerOption {
	if t.Len() == 0 {
		return ServerOptions(admin)
	}
	auth := func(ctx context.Context) (context.Context, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		who, err := identify(md.Get("authorization"), admin, t)
		if err != nil {
			return nil, status.Error(codes.Unauthenticated, err.Error())
		}
		return WithTenant(ctx, who), nil
	}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			ctx, err := auth(ctx)
			if err != nil {
				return nil, err
			}
			return h(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			ctx, err := auth(ss.Context())
			if err != nil {
				return err
			}
			return h(srv, &tenantStream{ServerStream: ss, ctx: ctx})
		}),
	}
}

type tenantStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *tenantStream) Context() context.Context { return s.ctx }

// HTTPClient is the HTTP side of ClientServerOptions: with tenants, every
// request needs "Authorization: Bearer <token>" with the operator token or
// a tenant's token (401 otherwise), and carries the tenant in its context
// (TenantFrom); without tenants, HTTP(admin, next).
func HTTPClient(admin string, t *Tenants, next http.Handler) http.Handler {
	if t.Len() == 0 {
		return HTTP(admin, next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, err := identify(r.Header.Values("Authorization"), admin, t)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="zkfleet"`)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithTenant(r.Context(), who)))
	})
}
