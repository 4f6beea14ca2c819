// Package client is the Go SDK of a zkfleet cluster: register a program,
// submit a job, watch it, fetch its proof and verify it, over the
// coordinator's client API (gRPC) with the same options as the zkfleet
// CLI (TLS, bearer token). The CLI's client commands are built on it.
//
//	c, err := client.Dial("127.0.0.1:7700", client.WithToken(token))
//	...
//	proof, job, err := c.Prove(ctx, client.Request{ELF: elf, Input: input}, nil)
//	...
//	st, err := client.Verify(keyDir, "", proof, elf, input)
//
// Errors from the coordinator are gRPC status errors: status.Code(err)
// is NotFound for an unknown job, InvalidArgument for a malformed program,
// FailedPrecondition for a guest that faults, and so on
// (docs/PROTOCOL.md).
package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"

	"github.com/zkfleet/zkfleet/cluster/node"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Option configures Dial.
type Option func(*options)

type options struct {
	token  string
	tls    bool
	caFile string
	extra  []grpc.DialOption
}

// WithToken sends "authorization: Bearer token" on every call (the
// coordinator's --token).
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithTLS uses TLS, trusting caFile ("" = the system roots).
func WithTLS(caFile string) Option {
	return func(o *options) { o.tls, o.caFile = true, caFile }
}

// WithDialOptions adds raw gRPC dial options.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.extra = append(o.extra, opts...) }
}

// Client talks to one coordinator's client API; safe for concurrent use.
type Client struct {
	conn *grpc.ClientConn
	api  pb.ClientServiceClient
	addr string
}

// Dial connects to the coordinator's client API at addr (host:port). The
// connection is made lazily, on the first call.
func Dial(addr string, opts ...Option) (*Client, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	dial, err := node.DialOptions(o.token, o.tls, o.caFile)
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(addr, append(dial, o.extra...)...)
	if err != nil {
		return nil, fmt.Errorf("coordinator %s: %w", addr, err)
	}
	return &Client{conn: conn, api: pb.NewClientServiceClient(conn), addr: addr}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Service is the raw gRPC client, for calls this package does not wrap.
func (c *Client) Service() pb.ClientServiceClient { return c.api }

// RegisterProgram stores an ELF on the coordinator and returns its id
// (the SHA-256 of the ELF, hex); existed is true when it was already there.
func (c *Client) RegisterProgram(ctx context.Context, elf []byte) (id string, existed bool, err error) {
	r, err := c.api.RegisterProgram(ctx, &pb.RegisterProgramRequest{Elf: elf})
	if err != nil {
		return "", false, err
	}
	return r.ProgramId, r.Existed, nil
}

// Request is a job submission.
type Request struct {
	Kind      string // "" = "riscv"
	ProgramID string // a registered program, or
	ELF       []byte // the program itself
	Input     []byte
	MaxCycles uint64 // 0 = the coordinator's default
	// Capacity is the worker capacity to gather before starting (0: every
	// idle worker).
	Capacity uint32
	// Attest asks the coordinator's attestation committee to sign the
	// proof before the job completes (Attestation fetches the signature).
	Attest bool
}

// Submit queues a job and returns its first snapshot. A program that does
// not load or run fails here (the job then exists, FAILED).
func (c *Client) Submit(ctx context.Context, r Request) (*pb.Job, error) {
	res, err := c.api.SubmitJob(ctx, &pb.SubmitJobRequest{Kind: r.Kind, ProgramId: r.ProgramID, Elf: r.ELF, Input: r.Input,
		MaxCycles: r.MaxCycles, RequestedCapacity: r.Capacity, Attest: r.Attest})
	if err != nil {
		return nil, err
	}
	return res.Job, nil
}

// Watch follows a job's events (a snapshot first) until it is terminal,
// calling fn for each (fn may be nil; an error from it stops the watch and
// is returned), and returns the last snapshot.
func (c *Client) Watch(ctx context.Context, id string, fn func(*pb.JobEvent) error) (*pb.Job, error) {
	stream, err := c.api.WatchJob(ctx, &pb.WatchJobRequest{JobId: id})
	if err != nil {
		return nil, err
	}
	var last *pb.Job
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return last, err
		}
		last = ev.Job
		if fn != nil {
			if err := fn(ev); err != nil {
				return last, err
			}
		}
	}
	if last == nil || !Terminal(last.State) {
		return last, fmt.Errorf("watch of job %s ended before the job did", id)
	}
	return last, nil
}

// Terminal reports whether a job in state s is done (completed, failed or
// cancelled).
func Terminal(s pb.JobState) bool {
	return s == pb.JobState_JOB_STATE_COMPLETED || s == pb.JobState_JOB_STATE_FAILED || s == pb.JobState_JOB_STATE_CANCELLED
}

// Job returns a job's current snapshot.
func (c *Client) Job(ctx context.Context, id string) (*pb.Job, error) {
	// WaitJob with a 1 ms timeout is a plain lookup.
	return c.api.WaitJob(ctx, &pb.WaitJobRequest{JobId: id, TimeoutMs: 1})
}

// Wait blocks until the job is terminal or timeout passes (then it returns
// the current snapshot).
func (c *Client) Wait(ctx context.Context, id string, timeout time.Duration) (*pb.Job, error) {
	return c.api.WaitJob(ctx, &pb.WaitJobRequest{JobId: id, TimeoutMs: uint32(timeout.Milliseconds())})
}

// Jobs lists the coordinator's jobs, oldest first, without their outputs
// (Job has them), reading every page.
func (c *Client) Jobs(ctx context.Context) ([]*pb.Job, error) {
	var all []*pb.Job
	token := ""
	for {
		r, err := c.api.ListJobs(ctx, &pb.ListJobsRequest{PageToken: token})
		if err != nil {
			return nil, err
		}
		all = append(all, r.Jobs...)
		if r.NextPageToken == "" {
			return all, nil
		}
		token = r.NextPageToken
	}
}

// Workers lists the connected workers.
func (c *Client) Workers(ctx context.Context) ([]*pb.WorkerInfo, error) {
	r, err := c.api.ListWorkers(ctx, &pb.ListWorkersRequest{})
	if err != nil {
		return nil, err
	}
	return r.Workers, nil
}

// Cancel cancels a job that is not terminal; its worker tasks stop.
func (c *Client) Cancel(ctx context.Context, id string) (*pb.Job, error) {
	return c.api.CancelJob(ctx, &pb.CancelJobRequest{JobId: id})
}

// Proof returns the proof file of a completed job and its snapshot.
func (c *Client) Proof(ctx context.Context, id string) ([]byte, *pb.Job, error) {
	r, err := c.api.GetProof(ctx, &pb.GetProofRequest{JobId: id})
	if err != nil {
		return nil, nil, err
	}
	return r.Proof, r.Job, nil
}

// JobError is a job that ended without a proof.
type JobError struct{ Job *pb.Job }

func (e *JobError) Error() string {
	return fmt.Sprintf("job %s %s: %s", e.Job.Id, e.Job.State, e.Job.Error)
}

// Prove submits r, follows it (fn sees every event; nil is fine) and
// returns the proof file with the job's final snapshot. A job that fails
// or is cancelled is a *JobError. If ctx ends first, the job is cancelled
// on the coordinator (not left running) and ctx's error returned.
func (c *Client) Prove(ctx context.Context, r Request, fn func(*pb.JobEvent) error) ([]byte, *pb.Job, error) {
	job, err := c.Submit(ctx, r)
	if err != nil {
		return nil, job, err
	}
	last, err := c.Watch(ctx, job.Id, fn)
	if err != nil {
		if ctx.Err() != nil {
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c.Cancel(cctx, job.Id)
			return nil, last, fmt.Errorf("job %s cancelled: %w", job.Id, ctx.Err())
		}
		return nil, last, err
	}
	if last.State != pb.JobState_JOB_STATE_COMPLETED {
		return nil, last, &JobError{Job: last}
	}
	return c.Proof(ctx, job.Id)
}
