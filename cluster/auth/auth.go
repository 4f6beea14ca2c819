// Package auth holds the cluster's shared-secret authentication: a bearer
// token for the client API and a separate worker secret for the cluster
// port, checked with a constant-time compare by one function (Check) that
// the gRPC interceptors and the HTTP middleware both call.
package auth

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// ErrUnauthenticated: the request carries no "Bearer <secret>"
// authorization, or a wrong one.
var ErrUnauthenticated = errors.New("missing or wrong bearer token")

// Check accepts the request when one of its authorization values is
// "Bearer <secret>" (any request when secret is empty); else it returns
// ErrUnauthenticated.
func Check(authorization []string, secret string) error {
	if secret == "" {
		return nil
	}
	for _, v := range authorization {
		tok, ok := strings.CutPrefix(v, "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(tok), []byte(secret)) == 1 {
			return nil
		}
	}
	return ErrUnauthenticated
}

func check(ctx context.Context, secret string) error {
	md, _ := metadata.FromIncomingContext(ctx)
	if err := Check(md.Get("authorization"), secret); err != nil {
		return status.Error(codes.Unauthenticated, err.Error())
	}
	return nil
}

// HTTP wraps next so that every request needs "Authorization: Bearer
// secret" (401 otherwise); next itself when secret is empty.
func HTTP(secret string, next http.Handler) http.Handler {
	if secret == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := Check(r.Header.Values("Authorization"), secret); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="zkfleet"`)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ServerOptions returns interceptors requiring "authorization: Bearer
// secret" on every call; none when secret is empty.
func ServerOptions(secret string) []grpc.ServerOption {
	if secret == "" {
		return nil
	}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			if err := check(ctx, secret); err != nil {
				return nil, err
			}
			return h(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			if err := check(ss.Context(), secret); err != nil {
				return err
			}
			return h(srv, ss)
		}),
	}
}

// bearer attaches a secret to every call.
type bearer struct {
	secret string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.secret}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// DialOptions returns the client side: TLS trusting caFile (insecure when
// caFile is empty and tlsOn is false) and the bearer secret when set.
func DialOptions(secret string, tlsOn bool, caFile string) ([]grpc.DialOption, error) {
	var opts []grpc.DialOption
	if tlsOn || caFile != "" {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if caFile != "" {
			pem, err := os.ReadFile(caFile)
			if err != nil {
				return nil, fmt.Errorf("tls ca: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("tls ca %s: no certificate found", caFile)
			}
			cfg.RootCAs = pool
		}
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	} else {
		opts = append(opts, grpc.WithTransportCredentials(insecureCreds()))
	}
	if secret != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(bearer{secret: secret, secure: tlsOn || caFile != ""}))
	}
	return opts, nil
}

// ServerTLS loads a certificate and key for the gRPC listeners.
func ServerTLS(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
