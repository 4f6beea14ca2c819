package rpc

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestTenantsSeeOnlyTheirJobs: a tenant's token lists, waits on, watches,
// downloads and cancels only its tenant's jobs (another tenant's job is
// NotFound, as if it did not exist); the operator's token sees all.
func TestTenantsSeeOnlyTheirJobs(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := coordinator.New(coordinator.Config{Backend: &testprover.Backend{}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	tenants := mustTenants(t)
	l, err := Listen(c, ListenConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", Token: "operator-token", Tenants: tenants,
		WorkerSecret: "worker-secret"}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	dial := func(token string) pb.ClientServiceClient {
		opts, err := auth.DialOptions(token, false, "")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := grpc.NewClient(l.API.String(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return pb.NewClientServiceClient(conn)
	}
	acme, beta, op := dial("acme-token-0123456789"), dial("beta-token-0123456789"), dial("operator-token")
	ctx := context.Background()
	submit := func(cl pb.ClientServiceClient) string {
		r, err := cl.SubmitJob(ctx, &pb.SubmitJobRequest{Elf: testprover.Program(1)})
		if err != nil {
			t.Fatal(err)
		}
		return r.Job.Id
	}
	acmeJob, betaJob := submit(acme), submit(beta)
	listed := func(cl pb.ClientServiceClient) []string {
		r, err := cl.ListJobs(ctx, &pb.ListJobsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, j := range r.Jobs {
			ids = append(ids, j.Id)
		}
		return ids
	}
	if ids := listed(acme); len(ids) != 1 || ids[0] != acmeJob {
		t.Fatalf("acme lists %v", ids)
	}
	if ids := listed(op); len(ids) != 2 {
		t.Fatalf("operator lists %v", ids)
	}
	notFound := func(what string, err error) {
		t.Helper()
		if status.Code(err) != codes.NotFound {
			t.Fatalf("beta %s acme's job: %v, want NotFound", what, err)
		}
	}
	_, err = beta.WaitJob(ctx, &pb.WaitJobRequest{JobId: acmeJob, TimeoutMs: 1})
	notFound("waits on", err)
	_, err = beta.GetProof(ctx, &pb.GetProofRequest{JobId: acmeJob})
	notFound("downloads", err)
	_, err = beta.CancelJob(ctx, &pb.CancelJobRequest{JobId: acmeJob})
	notFound("cancels", err)
	stream, err := beta.WatchJob(ctx, &pb.WatchJobRequest{JobId: acmeJob})
	if err == nil {
		_, err = stream.Recv()
	}
	notFound("watches", err)
	if j, err := acme.CancelJob(ctx, &pb.CancelJobRequest{JobId: acmeJob}); err != nil || j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("acme cancels its own job: %v %v", j.GetState(), err)
	}
	if j, err := op.CancelJob(ctx, &pb.CancelJobRequest{JobId: betaJob}); err != nil || j.State != pb.JobState_JOB_STATE_CANCELLED {
		t.Fatalf("operator cancels beta's job: %v %v", j.GetState(), err)
	}
	if _, err := dial("wrong-token").ListJobs(ctx, &pb.ListJobsRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("unknown token: %v", err)
	}
}

func mustTenants(t *testing.T) *auth.Tenants {
	t.Helper()
	p := t.TempDir() + "/tenants.json"
	body := `{"tenants":[{"name":"acme","token":"acme-token-0123456789"},{"name":"beta","token":"beta-token-0123456789"}]}`
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	ts, err := auth.LoadTenants(p)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
