package coordinator_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/metrics"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// selfSigned writes a certificate for 127.0.0.1 and its key to dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zkfleet test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

func TestTLSAndAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := selfSigned(t, dir)
	tlsCfg, err := auth.ServerTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, TLS: tlsCfg, CAFile: certFile,
		Token: "client-token", WorkerSecret: "worker-secret"})
	c.AddWorker("good", 1)
	wrong := "client-token" // the client token is not the worker secret
	c.AddWorkerWith("bad", 1, testcluster.WorkerOptions{Secret: &wrong})
	ctx := context.Background()

	// An authenticated client over TLS proves a job end to end.
	id, err := c.Submit(ctx, testprover.Program(3), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	completed(t, c, id)
	if ws := c.Coord.Workers(); len(ws) != 1 || ws[0].Id != "good" {
		t.Fatalf("worker with a wrong secret was admitted: %v", ws)
	}

	// Wrong and missing tokens are refused.
	for _, tok := range []string{"", "nope", "worker-secret"} {
		conn, cl := c.Dial(tok)
		_, err := cl.ListJobs(ctx, &pb.ListJobsRequest{})
		conn.Close()
		if status.Code(err) != codes.Unauthenticated {
			t.Errorf("token %q: %v, want Unauthenticated", tok, err)
		}
	}

	// A worker with a wrong secret is refused with Unauthenticated.
	opts, err := auth.DialOptions("nope", true, certFile)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(c.Listen.Cluster.String(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stream, err := pb.NewWorkerServiceClient(conn).Connect(ctx)
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("bad worker secret: %v, want Unauthenticated", err)
	}

	// A plaintext client cannot talk to the TLS port.
	pconn, pcl := func() (*grpc.ClientConn, pb.ClientServiceClient) {
		o, _ := auth.DialOptions("", false, "")
		cc, err := grpc.NewClient(c.Listen.API.String(), o...)
		if err != nil {
			t.Fatal(err)
		}
		return cc, pb.NewClientServiceClient(cc)
	}()
	defer pconn.Close()
	if _, err := pcl.ListJobs(ctx, &pb.ListJobsRequest{}); status.Code(err) != codes.Unavailable {
		t.Errorf("plaintext client on TLS port: %v", err)
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

func TestMetricsScrape(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true})
	w := c.AddWorker("a", 3)
	id, err := c.Submit(context.Background(), testprover.Program(5), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	completed(t, c, id)
	base := "http://" + c.Listen.Metrics.String()
	if got := scrape(t, base+"/health"); !strings.Contains(got, "ok") {
		t.Fatalf("health: %q", got)
	}
	body := scrape(t, base+"/metrics")
	for _, want := range []string{`zkfleet_jobs{state="JOB_STATE_COMPLETED"} 1`, "zkfleet_leaves_proved_total 5",
		"zkfleet_folds_total 4", "zkfleet_queue_depth 0", "zkfleet_worker_capacity 3", `zkfleet_phase_duration_seconds_count{phase="prove"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("coordinator metrics lack %q", want)
		}
	}
	ws, err := metrics.Serve("127.0.0.1:0", w.W.Metrics().Registry, nil, c.Log)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	body = scrape(t, "http://"+ws.Addr.String()+"/metrics")
	for _, want := range []string{`zkfleet_worker_tasks_total{kind="prove"}`, "zkfleet_worker_capacity 3", "zkfleet_worker_connected 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("worker metrics lack %q", want)
		}
	}
}
