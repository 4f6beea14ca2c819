package auth

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const (
	w1Secret = "w1-secret-0123456789"
	w2Secret = "w2-secret-0123456789"
)

func testWorkers(t *testing.T) *Workers {
	t.Helper()
	ws, err := LoadWorkers(writeTenants(t, `{"workers":[{"id":"w1","secret":"`+w1Secret+`"},{"id":"w2","secret":"`+w2Secret+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestLoadWorkers(t *testing.T) {
	ws := testWorkers(t)
	if ws.Len() != 2 || !ws.Listed("w1") || !ws.Listed("w2") || ws.Listed("w3") {
		t.Fatalf("good file: %d workers, listed w1 %v w2 %v w3 %v", ws.Len(), ws.Listed("w1"), ws.Listed("w2"), ws.Listed("w3"))
	}
	for _, tc := range []struct{ name, body, want string }{
		{"not json", `{`, "unexpected EOF"},
		{"unknown top-level field", `{"workers":[],"admins":[]}`, `unknown field "admins"`},
		{"unknown entry field", `{"workers":[{"id":"w1","secret":"` + w1Secret + `","role":"x"}]}`, `unknown field "role"`},
		{"trailing data", `{"workers":[{"id":"w1","secret":"` + w1Secret + `"}]} {}`, "data after"},
		{"empty", `{"workers":[]}`, "no worker"},
		{"no id", `{"workers":[{"secret":"` + w1Secret + `"}]}`, "entry 0 has no id"},
		{"short secret", `{"workers":[{"id":"w1","secret":"short"}]}`, `worker "w1": secret shorter than 16 bytes`},
		{"id twice", `{"workers":[{"id":"w1","secret":"` + w1Secret + `"},{"id":"w1","secret":"` + w2Secret + `"}]}`, `worker "w1" listed twice`},
		{"shared secret", `{"workers":[{"id":"w1","secret":"` + w1Secret + `"},{"id":"w2","secret":"` + w1Secret + `"}]}`, `worker "w2" reuses another worker's secret`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadWorkers(writeTenants(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := LoadWorkers(t.TempDir() + "/missing.json"); err == nil {
		t.Fatal("a missing file loads")
	}
}

func TestCheckShared(t *testing.T) {
	ws := testWorkers(t)
	if err := ws.CheckShared("shared-secret"); err != nil {
		t.Fatal(err)
	}
	if err := ws.CheckShared(""); err != nil {
		t.Fatal(err)
	}
	if err := ws.CheckShared(w2Secret); err == nil || !strings.Contains(err.Error(), `"w2"`) {
		t.Fatalf("shared secret equal to w2's: %v", err)
	}
	var none *Workers
	if err := none.CheckShared("x"); err != nil {
		t.Fatal(err)
	}
}

func TestIdentifyWorker(t *testing.T) {
	ws := testWorkers(t)
	for _, tc := range []struct {
		name   string
		auth   []string
		shared string
		id     string
		via    bool
		err    bool
	}{
		{"w1's secret", []string{"Bearer " + w1Secret}, "", "w1", false, false},
		{"w2's secret", []string{"Bearer " + w2Secret}, "shared-secret", "w2", false, false},
		{"shared secret", []string{"Bearer shared-secret"}, "shared-secret", "", true, false},
		{"shared secret when none is set", []string{"Bearer "}, "", "", false, true},
		{"wrong secret", []string{"Bearer nope"}, "shared-secret", "", false, true},
		{"prefix of a secret", []string{"Bearer " + w1Secret[:10]}, "", "", false, true},
		{"no Bearer prefix", []string{w1Secret}, "", "", false, true},
		{"listed secret wins over the shared one", []string{"Bearer shared-secret", "Bearer " + w1Secret}, "shared-secret", "w1", false, false},
		{"nothing", nil, "shared-secret", "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, via, err := identifyWorker(tc.auth, tc.shared, ws)
			if id != tc.id || via != tc.via || (err != nil) != tc.err {
				t.Fatalf("identifyWorker = %q, %v, %v; want %q, %v, err %v", id, via, err, tc.id, tc.via, tc.err)
			}
			if err != nil && !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("error %v is not ErrUnauthenticated", err)
			}
		})
	}
}

func TestAuthorizeWorkerID(t *testing.T) {
	ws := testWorkers(t)
	own := context.WithValue(context.Background(), workerKey{}, workerCaller{id: "w1", workers: ws})
	shared := context.WithValue(context.Background(), workerKey{}, workerCaller{workers: ws})
	for _, tc := range []struct {
		name string
		ctx  context.Context
		id   string
		ok   bool
	}{
		{"no workers file: any id", context.Background(), "anything", true},
		{"own secret, own id", own, "w1", true},
		{"own secret, listed id of another", own, "w2", false},
		{"own secret, unlisted id", own, "w3", false},
		{"shared secret, unlisted id", shared, "w3", true},
		{"shared secret, listed id", shared, "w1", false},
		{"WithWorker", WithWorker(context.Background(), "w2"), "w2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := AuthorizeWorkerID(tc.ctx, tc.id)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrPermissionDenied)) {
				t.Fatalf("AuthorizeWorkerID(%q) = %v, want ok=%v", tc.id, err, tc.ok)
			}
		})
	}
	if WorkerFrom(own) != "w1" || WorkerFrom(shared) != "" || WorkerFrom(context.Background()) != "" {
		t.Fatal("WorkerFrom")
	}
}

// TestWorkerServerOptions runs the interceptors on a real gRPC server (the
// health service): a listed secret or the shared one passes and the
// handler sees who called; anything else is Unauthenticated.
func TestWorkerServerOptions(t *testing.T) {
	ws := testWorkers(t)
	seen := make(chan string, 1)
	who := grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		c, _ := ctx.Value(workerKey{}).(workerCaller)
		seen <- c.id
		return h(ctx, req)
	})
	srv := grpc.NewServer(append(WorkerServerOptions("shared-secret", ws), who)...)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecureCreds()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	client := healthpb.NewHealthClient(conn)
	for _, tc := range []struct {
		name, secret, id string
		code             codes.Code
	}{
		{"w1", w1Secret, "w1", codes.OK},
		{"w2", w2Secret, "w2", codes.OK},
		{"shared", "shared-secret", "", codes.OK},
		{"wrong", "wrong-secret-0123456789", "", codes.Unauthenticated},
		{"none", "", "", codes.Unauthenticated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.secret != "" {
				ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tc.secret)
			}
			_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
			if status.Code(err) != tc.code {
				t.Fatalf("code %v (%v), want %v", status.Code(err), err, tc.code)
			}
			if tc.code == codes.OK {
				if got := <-seen; got != tc.id {
					t.Fatalf("handler saw worker %q, want %q", got, tc.id)
				}
			}
		})
	}
	// Without a workers file the interceptors are the shared secret's.
	if opts := WorkerServerOptions("", nil); opts != nil {
		t.Fatal("no secret and no file should add no interceptor")
	}
}
