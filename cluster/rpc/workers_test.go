package rpc_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

const (
	w1Secret     = "w1-secret-0123456789"
	w2Secret     = "w2-secret-0123456789"
	sharedSecret = "shared-worker-secret"
)

func loadWorkers(t *testing.T) *auth.Workers {
	t.Helper()
	p := filepath.Join(t.TempDir(), "workers.json")
	body := `{"workers":[{"id":"w1","secret":"` + w1Secret + `"},{"id":"w2","secret":"` + w2Secret + `"}]}`
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := auth.LoadWorkers(p)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func counter(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// register opens a raw worker stream on the cluster port with secret and
// sends a Register for id (with instance); it returns a func closing the
// stream and the first answer's error (nil when Registered).
func register(t *testing.T, c *testcluster.Cluster, secret, id, instance string) (func(), error) {
	t.Helper()
	opts, err := node.DialOptions(secret, false, "")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(c.Listen.Cluster.String(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	closeAll := func() { cancel(); conn.Close() }
	stream, err := pb.NewWorkerServiceClient(conn).Connect(ctx)
	if err != nil {
		return closeAll, err
	}
	reg := &pb.Register{WorkerId: id, Capacity: 1, Instance: instance, Kinds: []*pb.ProverKind{{Kind: engine.KindRISCV}}}
	if err := stream.Send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Register{Register: reg}}); err != nil {
		_, err = stream.Recv() // the status, when the server refused
		return closeAll, err
	}
	m, err := stream.Recv()
	if err == nil && m.GetRegistered() == nil {
		t.Fatalf("first answer %v, want Registered", m)
	}
	return closeAll, err
}

// TestPerWorkerSecrets: with a workers file, a worker's secret is its
// identity on the cluster port. w1 registers with its own secret; w1's
// secret cannot register as w2, w2's secret cannot take (and so evict)
// w1's id, the shared secret cannot claim a listed id but may take an
// unlisted one, and an unknown secret is Unauthenticated.
func TestPerWorkerSecrets(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true,
		WorkerSecret: sharedSecret, Workers: loadWorkers(t)})
	w1Sec := w1Secret
	w1 := c.AddWorkerWith("w1", 1, testcluster.WorkerOptions{Secret: &w1Sec})
	testcluster.WaitFor(t, 10*time.Second, "w1 to register with its own secret", func() bool { return c.Workers() == 1 })

	// A process holding w1's secret claims w2: refused, whatever its instance.
	impostor := c.AddWorkerWith("w2", 1, testcluster.WorkerOptions{Secret: &w1Sec})
	testcluster.WaitFor(t, 10*time.Second, "the w2 claim with w1's secret to be refused", func() bool {
		err := impostor.W.Health()
		return err != nil && strings.Contains(err.Error(), "PermissionDenied") && strings.Contains(err.Error(), `cannot register as "w2"`)
	})
	done, err := register(t, c, w1Secret, "w2", "")
	done()
	if status.Code(err) != codes.PermissionDenied || !strings.Contains(status.Convert(err).Message(), `worker "w1"`) {
		t.Fatalf("w1's secret registering as w2: %v, want PermissionDenied naming w1", err)
	}

	// w2's secret claims w1, with no instance (which, allowed, would
	// replace w1's live session) and with another instance.
	for _, instance := range []string{"", "another-process"} {
		done, err := register(t, c, w2Secret, "w1", instance)
		done()
		if status.Code(err) != codes.PermissionDenied {
			t.Fatalf("w2's secret registering as w1 (instance %q): %v, want PermissionDenied", instance, err)
		}
	}
	// The shared secret cannot claim a listed id either.
	done, err = register(t, c, sharedSecret, "w1", "")
	done()
	if status.Code(err) != codes.PermissionDenied || !strings.Contains(err.Error(), "shared worker secret cannot claim it") {
		t.Fatalf("shared secret registering as w1: %v, want PermissionDenied", err)
	}
	// An unknown secret is not authenticated at all.
	done, err = register(t, c, "wrong-secret-0123456789", "w3", "")
	done()
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("unknown secret: %v, want Unauthenticated", err)
	}

	// w1 was never evicted: its session is the first one, still ready,
	// and it never had to reconnect.
	if err := w1.W.Health(); err != nil {
		t.Fatalf("w1 after the impostors: %v", err)
	}
	if n := counter(w1.W.Metrics().Reconnects); n != 0 {
		t.Fatalf("w1 reconnected %v times: its session was replaced", n)
	}
	ws := c.Coord.Workers()
	if len(ws) != 1 || ws[0].Id != "w1" || !ws[0].Ready {
		t.Fatalf("workers %v, want w1 alone", ws)
	}

	// w1's session is the one the coordinator deals to: a job completes.
	ctx := context.Background()
	id, err := c.Submit(ctx, testprover.Program(3), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if j, err := c.Wait(ctx, id); err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job: %v %v", j.GetState(), err)
	}

	// The shared secret still registers an id the file does not list.
	done, err = register(t, c, sharedSecret, "w3", "")
	if err != nil {
		t.Fatalf("shared secret registering as unlisted w3: %v", err)
	}
	testcluster.WaitFor(t, 5*time.Second, "w3 to be listed", func() bool {
		for _, w := range c.Coord.Workers() {
			if w.Id == "w3" {
				return true
			}
		}
		return false
	})
	done()
}

// TestWorkersFileWithoutSharedSecret: with a workers file and no shared
// secret, only listed secrets are accepted.
func TestWorkersFileWithoutSharedSecret(t *testing.T) {
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Quiet: true, Workers: loadWorkers(t)})
	for _, tc := range []struct {
		name, secret, id string
		code             codes.Code
	}{
		{"w2 as itself", w2Secret, "w2", codes.OK},
		{"no secret", "", "w3", codes.Unauthenticated},
		{"w2 as w3", w2Secret, "w3", codes.PermissionDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done, err := register(t, c, tc.secret, tc.id, "")
			defer done()
			if status.Code(err) != tc.code {
				t.Fatalf("%v, want %v", err, tc.code)
			}
		})
	}
}
