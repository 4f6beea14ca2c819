package auth

import (
	"errors"
	"testing"
)

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7700": true, "[::1]:7700": true, "localhost:7700": true, "127.0.0.2:1": true,
		":7700": false, "0.0.0.0:7700": false, "[::]:7700": false, "10.0.0.5:7700": false, "example.com:7700": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestExposureCheck(t *testing.T) {
	const local, public = "127.0.0.1:7700", "0.0.0.0:7700"
	cases := []struct {
		name string
		e    Exposure
		ok   bool
	}{
		{"loopback, no auth", Exposure{APIAddr: local, ClusterAddr: local}, true},
		{"loopback, token and secret", Exposure{APIAddr: local, ClusterAddr: local, Token: "t", WorkerSecret: "s"}, true},
		{"public, TLS and both secrets", Exposure{APIAddr: public, ClusterAddr: public, TLS: true, Token: "t", WorkerSecret: "s"}, true},
		{"public API, no TLS", Exposure{APIAddr: public, ClusterAddr: local, Token: "t", WorkerSecret: "s"}, false},
		{"public API, no token", Exposure{APIAddr: public, ClusterAddr: local, TLS: true, WorkerSecret: "s"}, false},
		{"public HTTP API, no token", Exposure{APIAddr: local, HTTPAddr: ":8080", ClusterAddr: local, TLS: true, WorkerSecret: "s"}, false},
		{"public cluster port, no secret", Exposure{APIAddr: local, ClusterAddr: public, TLS: true}, false},
		{"public cluster port, no TLS", Exposure{APIAddr: local, ClusterAddr: public, Token: "t", WorkerSecret: "s"}, false},
		{"token without worker secret", Exposure{APIAddr: local, ClusterAddr: local, Token: "t"}, false},
		{"insecure accepts anything", Exposure{APIAddr: public, ClusterAddr: public, Token: "t", Insecure: true}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.e.Check()
			if tc.ok != (err == nil) {
				t.Fatalf("Check() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrExposed) {
				t.Fatalf("error %v is not ErrExposed", err)
			}
		})
	}
}

func TestExposureTenantsCountAsClientAuth(t *testing.T) {
	ok := Exposure{APIAddr: "0.0.0.0:1", ClusterAddr: "0.0.0.0:2", TLS: true, Tenants: true, WorkerSecret: "s"}
	if err := ok.Check(); err != nil {
		t.Fatalf("tenants with TLS and a worker secret: %v", err)
	}
	bad := Exposure{APIAddr: "127.0.0.1:1", ClusterAddr: "127.0.0.1:2", Tenants: true}
	if err := bad.Check(); !errors.Is(err, ErrExposed) {
		t.Fatalf("tenants without a worker secret: %v", err)
	}
}

func TestExposureWorkersFileCountsAsWorkerAuth(t *testing.T) {
	ok := Exposure{APIAddr: "0.0.0.0:1", ClusterAddr: "0.0.0.0:2", TLS: true, Token: "t", Workers: true}
	if err := ok.Check(); err != nil {
		t.Fatalf("workers file with TLS and a token: %v", err)
	}
	local := Exposure{APIAddr: "127.0.0.1:1", ClusterAddr: "127.0.0.1:2", Token: "t", Workers: true}
	if err := local.Check(); err != nil {
		t.Fatalf("token and workers file on loopback: %v", err)
	}
	noTLS := Exposure{APIAddr: "127.0.0.1:1", ClusterAddr: "0.0.0.0:2", Workers: true}
	if err := noTLS.Check(); !errors.Is(err, ErrExposed) {
		t.Fatalf("public cluster port with a workers file but no TLS: %v", err)
	}
}
