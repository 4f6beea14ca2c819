package rpc_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/zkfleet/zkfleet/cluster/rpc"
	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// stuckKeys serves blobs whose reads block until release closes.
type stuckKeys struct{ release chan struct{} }

type stuckReader struct{ release chan struct{} }

func (r stuckReader) Read([]byte) (int, error) { <-r.release; return 0, io.EOF }
func (r stuckReader) Close() error             { return nil }

func (k stuckKeys) OpenBlob(string) (io.ReadCloser, int64, error) {
	return stuckReader(k), 1 << 30, nil
}

// TestKeyRequestsBounded (issue 18 item 14): a worker asking for many key
// blobs at once gets at most MaxKeyRequestsPerWorker served; the rest are
// refused at once with a clear error instead of piling up goroutines and
// open blobs on the coordinator.
func TestKeyRequestsBounded(t *testing.T) {
	keys := stuckKeys{release: make(chan struct{})}
	c := testcluster.Start(t, testcluster.Options{Backend: &testprover.Backend{}, Keys: keys, Quiet: true})
	t.Cleanup(func() { close(keys.release) })
	conn, err := grpc.NewClient(c.Listen.Cluster.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, err := pb.NewWorkerServiceClient(conn).Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_Register{Register: &pb.Register{WorkerId: "greedy", Capacity: 1,
		Kinds: []*pb.ProverKind{{Kind: "riscv"}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil { // Registered
		t.Fatal(err)
	}
	const asked = rpc.MaxKeyRequestsPerWorker + 5
	for i := range asked {
		if err := stream.Send(&pb.WorkerMessage{Msg: &pb.WorkerMessage_KeyRequest{KeyRequest: &pb.KeyRequest{BlobId: strings.Repeat("a", i+1)}}}); err != nil {
			t.Fatal(err)
		}
	}
	refused := 0
	for refused < asked-rpc.MaxKeyRequestsPerWorker {
		m, err := stream.Recv()
		if err != nil {
			t.Fatalf("after %d refusals: %v", refused, err)
		}
		if kc := m.GetKeyChunk(); kc != nil {
			if !strings.Contains(kc.Error, "key requests in flight") {
				t.Fatalf("unexpected key chunk %+v", kc)
			}
			refused++
		}
	}
}
