// Package rpc serves a coordinator over gRPC: the public ClientService,
// the WorkerService on the cluster port (with key blob serving), and the
// listeners and metrics endpoint around them. It only translates messages
// and maps errors with cluster/transport's table; the state lives in the
// transport-neutral core (cluster/coordinator).
package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/transport"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// KeySource serves key blobs to workers (implemented by zkvm/keys.Store).
type KeySource interface {
	OpenBlob(id string) (io.ReadCloser, int64, error)
}

// keyChunkSize bounds one KeyChunk message well under gRPC's 4 MiB default.
const keyChunkSize = 1 << 20

// ClientServer implements the public ClientService on a Coordinator.
type ClientServer struct {
	pb.UnimplementedClientServiceServer
	C *coordinator.Coordinator
}

// WorkerServer implements WorkerService on a Coordinator.
type WorkerServer struct {
	pb.UnimplementedWorkerServiceServer
	C    *coordinator.Coordinator
	Keys KeySource // nil: key requests fail

	slotsOnce sync.Once
	keySlots  chan struct{} // blobs being read at once, over every session
}

// Key-serving bounds: blobs read at once by the whole coordinator (each
// holds an open file and streams up to gigabytes), and key requests in
// flight per worker session (a worker asks for its missing blobs once;
// more is refused at once, so a hostile worker cannot pile up goroutines).
const (
	MaxKeyStreams           = 4
	MaxKeyRequestsPerWorker = 16
)

func (s *WorkerServer) slots() chan struct{} {
	s.slotsOnce.Do(func() { s.keySlots = make(chan struct{}, MaxKeyStreams) })
	return s.keySlots
}

func grpcError(err error) error { return transport.GRPCError(err) }

// owned checks that the caller's tenant (auth.TenantFrom; "" = the
// operator, who sees every job) owns job id. Another tenant's job is
// NotFound, exactly like a job that does not exist.
func (s *ClientServer) owned(ctx context.Context, id string) error {
	tenant := auth.TenantFrom(ctx)
	if tenant == "" {
		return nil
	}
	owner, err := s.C.JobTenant(id)
	if err != nil || owner != tenant {
		return grpcError(fmt.Errorf("%w: job %s", coordinator.ErrNotFound, id))
	}
	return nil
}

func (s *ClientServer) RegisterProgram(_ context.Context, r *pb.RegisterProgramRequest) (*pb.RegisterProgramResponse, error) {
	id, existed, err := s.C.RegisterProgram(r.Elf)
	if err != nil {
		return nil, grpcError(err)
	}
	return &pb.RegisterProgramResponse{ProgramId: id, Existed: existed}, nil
}

func (s *ClientServer) SubmitJob(ctx context.Context, r *pb.SubmitJobRequest) (*pb.SubmitJobResponse, error) {
	job, err := s.C.Submit(ctx, coordinator.SubmitRequest{ProgramID: r.ProgramId, ELF: r.Elf, Input: r.Input,
		RequestedCapacity: r.RequestedCapacity, MaxCycles: r.MaxCycles, Kind: r.Kind, PostProof: postProofOptions(r), Tenant: auth.TenantFrom(ctx)})
	if err != nil {
		return nil, grpcError(err)
	}
	return &pb.SubmitJobResponse{Job: job}, nil
}

func (s *ClientServer) WatchJob(r *pb.WatchJobRequest, stream pb.ClientService_WatchJobServer) error {
	if err := s.owned(stream.Context(), r.JobId); err != nil {
		return err
	}
	w, err := s.C.Watch(r.JobId)
	if err != nil {
		return grpcError(err)
	}
	defer w.Stop()
	ctx := stream.Context()
	for {
		evs, ok := w.Next(ctx)
		if !ok {
			// Either the terminal event was sent, or the client went away.
			return ctx.Err()
		}
		for _, ev := range evs {
			if err := stream.Send(ev); err != nil {
				return err
			}
		}
	}
}

func (s *ClientServer) WaitJob(ctx context.Context, r *pb.WaitJobRequest) (*pb.Job, error) {
	if err := s.owned(ctx, r.JobId); err != nil {
		return nil, err
	}
	timeout := time.Duration(r.TimeoutMs) * time.Millisecond
	if timeout <= 0 || timeout > 10*time.Minute {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	j, err := s.C.Wait(ctx, r.JobId)
	return j, grpcError(err)
}

func (s *ClientServer) GetProof(ctx context.Context, r *pb.GetProofRequest) (*pb.GetProofResponse, error) {
	if err := s.owned(ctx, r.JobId); err != nil {
		return nil, err
	}
	p, j, err := s.C.Proof(r.JobId)
	if err != nil {
		return nil, grpcError(err)
	}
	att, err := attestationOf(s.C, r.JobId)
	if err != nil {
		return nil, grpcError(err)
	}
	return &pb.GetProofResponse{Proof: p, Job: j, Attestation: att}, nil
}

func (s *ClientServer) CancelJob(ctx context.Context, r *pb.CancelJobRequest) (*pb.Job, error) {
	if err := s.owned(ctx, r.JobId); err != nil {
		return nil, err
	}
	j, err := s.C.Cancel(r.JobId)
	return j, grpcError(err)
}

func (s *ClientServer) ListJobs(ctx context.Context, r *pb.ListJobsRequest) (*pb.ListJobsResponse, error) {
	jobs, next, err := s.C.JobsPage(auth.TenantFrom(ctx), r.PageToken, int(r.PageSize))
	if err != nil {
		return nil, grpcError(err)
	}
	return &pb.ListJobsResponse{Jobs: jobs, NextPageToken: next}, nil
}

func (s *ClientServer) ListWorkers(context.Context, *pb.ListWorkersRequest) (*pb.ListWorkersResponse, error) {
	return &pb.ListWorkersResponse{Workers: s.C.Workers()}, nil
}

// Connect runs one worker stream: Register first, then messages both ways
// until the stream or the session ends.
func (s *WorkerServer) Connect(stream pb.WorkerService_ConnectServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	reg := first.GetRegister()
	if reg == nil {
		return status.Error(codes.InvalidArgument, "first message must be Register")
	}
	kinds := make([]coordinator.WorkerKind, len(reg.Kinds))
	for i, k := range reg.Kinds {
		kinds[i] = coordinator.WorkerKind{Kind: k.Kind, Mock: k.Mock}
	}
	// With per-worker secrets, the secret presented decides the id: a
	// worker cannot register as (and so evict or impersonate) another.
	if err := auth.AuthorizeWorkerID(stream.Context(), reg.WorkerId); err != nil {
		return grpcError(err)
	}
	sess, err := s.C.AttachWith(reg.WorkerId, reg.Capacity, kinds, coordinator.AttachOptions{AnnouncesState: reg.AnnouncesState, Instance: reg.Instance})
	if err != nil {
		return grpcError(err)
	}
	defer sess.Close()
	hb := s.C.HeartbeatTimeout() / 3
	registered := &pb.Registered{WorkerId: reg.WorkerId, HeartbeatIntervalMs: uint32(hb.Milliseconds())}
	for kind, ks := range sess.KeySets() {
		registered.KeySets = append(registered.KeySets, &pb.KeySet{Kind: kind, Id: ks.ID, Blobs: ks.Blobs, Mock: ks.Mock})
	}
	sort.Slice(registered.KeySets, func(a, b int) bool { return registered.KeySets[a].Kind < registered.KeySets[b].Kind })
	if err := stream.Send(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Registered{Registered: registered}}); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	sendErr := make(chan error, 1)
	go func() {
		for {
			msgs, ok := sess.Next(ctx)
			if !ok {
				sendErr <- nil
				cancel()
				return
			}
			for _, m := range msgs {
				if err := stream.Send(m); err != nil {
					sendErr <- err
					cancel()
					return
				}
			}
		}
	}()
	recvErr := make(chan error, 1)
	var keyReqs atomic.Int32
	go func() {
		for {
			m, err := stream.Recv()
			if err != nil {
				recvErr <- err
				return
			}
			if kr := m.GetKeyRequest(); kr != nil {
				if keyReqs.Add(1) > MaxKeyRequestsPerWorker {
					keyReqs.Add(-1)
					sess.Send(ctx, &pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_KeyChunk{KeyChunk: &pb.KeyChunk{BlobId: kr.BlobId, Eof: true,
						Error: fmt.Sprintf("more than %d key requests in flight", MaxKeyRequestsPerWorker)}}})
					continue
				}
				go func() {
					defer keyReqs.Add(-1)
					s.serveKey(ctx, sess, kr.BlobId)
				}()
				continue
			}
			if !sess.Handle(m) {
				recvErr <- status.Error(codes.Aborted, "session replaced or expired")
				return
			}
		}
	}()
	select {
	case err := <-recvErr:
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	case err := <-sendErr:
		if err == nil {
			return status.Error(codes.Aborted, "session ended (replaced or missed heartbeats)")
		}
		return err
	}
}

// serveKey streams one key blob in chunks through the session's queue.
func (s *WorkerServer) serveKey(ctx context.Context, sess *coordinator.Session, id string) {
	fail := func(err error) {
		sess.Send(ctx, &pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_KeyChunk{KeyChunk: &pb.KeyChunk{BlobId: id, Eof: true, Error: err.Error()}}})
	}
	if s.Keys == nil {
		fail(fmt.Errorf("coordinator has no key store"))
		return
	}
	select {
	case s.slots() <- struct{}{}:
		defer func() { <-s.slots() }()
	case <-ctx.Done():
		return
	}
	r, size, err := s.Keys.OpenBlob(id)
	if err != nil {
		fail(err)
		return
	}
	defer r.Close()
	var off uint64
	for {
		buf := make([]byte, keyChunkSize)
		n, err := io.ReadFull(r, buf)
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			fail(err)
			return
		}
		if !sess.Send(ctx, &pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_KeyChunk{KeyChunk: &pb.KeyChunk{
			BlobId: id, Offset: off, Data: buf[:n], Total: uint64(size), Eof: eof}}}) {
			return
		}
		s.C.Metrics().KeyBytesServed.Add(float64(n))
		off += uint64(n)
		if eof || ctx.Err() != nil {
			return
		}
	}
}
