// Package kind is the rollup job kind of the engine: a job's input is a
// batch submission (the Core API's JSON), planning it parses, validates
// and executes the batch natively (batch.Prepare) and lays out one leaf
// per chunk, and its statement is the batch statement
// (batch.Statement, whose digest is the final proof's public input).
//
// The mock prover of the kind (Mock) runs exactly this planning, so an
// invalid batch fails before any proving with its transaction index and
// reason, and replaces the chunk proofs and folds by labelled
// placeholders. The real backend is rollup/backend: chunk proofs under
// the chunk circuit, folded by the zkVM's fold circuit (zkvm/agg) under
// the rollup's VK set, batch.CheckRoot at the root.
package kind

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/rollup/batch"
)

// Kind is the engine kind name of rollup batches.
const Kind = "rollup"

// Summary field names of a rollup plan (engine.Plan.Summary), which the
// Core API reports. Besides these, the plan carries every field of
// batch.StatementJSON under its JSON name.
const (
	FieldPublicInput = "public_input" // Statement.PublicInput, 0x + 64 hex
	FieldChunks      = "chunks"       // number of chunks (leaves)
	FieldInputSHA256 = "input_sha256" // SHA-256 of the job's input bytes, hex
)

// Prepare parses, validates and executes a rollup job's batch. A batch
// the engine must refuse is an error wrapping engine.ErrExecution and a
// *batch.InvalidBatchError (its transaction index and reason).
func Prepare(ctx context.Context, spec engine.Spec, shape batch.Shape) (*batch.Prepared, error) {
	if k := spec.KindOrDefault(); k != Kind {
		return nil, fmt.Errorf("%w %q: not a rollup job", engine.ErrUnknownKind, k)
	}
	if len(spec.ELF) > 0 {
		return nil, fmt.Errorf("%w: a rollup job has no program (its batch is the input)", engine.ErrBadProgram)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := batch.ParseBatch(spec.Input)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", engine.ErrExecution, err)
	}
	p, err := batch.Prepare(b, shape)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", engine.ErrExecution, err)
	}
	Pad(p)
	return p, nil
}

// MinChunks is the fewest chunks a batch is proved as: a batch's proof is
// a fold, whose children are two proofs.
const MinChunks = 2

// Pad appends empty chunks (every slot a no-op: the state, accumulators
// and counts unchanged) to a batch of fewer than MinChunks chunks.
func Pad(p *batch.Prepared) {
	for len(p.Chunks) > 0 && len(p.Chunks) < MinChunks {
		last := p.Chunks[len(p.Chunks)-1].Statement
		ch := batch.Chunk{Statement: batch.ChunkStatement{
			BatchID: last.BatchID, First: last.First + last.Count, Count: 1,
			PreRoot: last.PostRoot, PostRoot: last.PostRoot,
			AccIn: last.AccOut, AccOut: last.AccOut, CountIn: last.CountOut, CountOut: last.CountOut,
		}}
		for range p.Shape.Slots {
			ch.Slots = append(ch.Slots, batch.EmptySlot(p.Shape.Depth))
		}
		p.Chunks = append(p.Chunks, ch)
	}
}

// Plan plans a rollup job: one leaf per chunk, the canonical fold tree,
// no contribution phase, and the batch statement as the summary.
func Plan(ctx context.Context, spec engine.Spec, shape batch.Shape) (*engine.Plan, error) {
	p, err := Prepare(ctx, spec, shape)
	if err != nil {
		return nil, err
	}
	return &engine.Plan{Kind: Kind, Leaves: len(p.Chunks), Summary: Summary(&p.Statement, len(p.Chunks), spec.Input)}, nil
}

// Summary is the plan summary of a batch statement.
func Summary(s *batch.Statement, chunks int, input []byte) []engine.Field {
	j := s.JSON()
	pi := s.PublicInput()
	h := sha256.Sum256(input)
	return []engine.Field{
		{Name: "batch_id", Value: strconv.FormatUint(j.BatchID, 10)},
		{Name: "pre_state_root", Value: j.PreStateRoot},
		{Name: "post_state_root", Value: j.PostStateRoot},
		{Name: "batch_hash", Value: j.BatchHash},
		{Name: "withdrawal_root", Value: j.WithdrawalRoot},
		{Name: "deposit_root", Value: j.DepositRoot},
		{Name: "tx_count", Value: strconv.FormatUint(j.TxCount, 10)},
		{Name: "transfer_count", Value: strconv.FormatUint(j.TransferCount, 10)},
		{Name: "withdrawal_count", Value: strconv.FormatUint(j.WithdrawalCount, 10)},
		{Name: "deposit_count", Value: strconv.FormatUint(j.DepositCount, 10)},
		{Name: "statement_bytes", Value: j.StatementBytes},
		{Name: "statement_digest", Value: j.StatementDigest},
		{Name: FieldPublicInput, Value: batch.HexElem(pi)},
		{Name: FieldChunks, Value: strconv.Itoa(chunks)},
		{Name: FieldInputSHA256, Value: hex.EncodeToString(h[:])},
	}
}

// Mock is the mock prover of rollup batches cut for shape: real planning
// (the batch is executed), placeholder proofs taking delay each.
func Mock(shape batch.Shape, delay time.Duration) *mock.Backend {
	return mock.New(Kind, func(ctx context.Context, spec engine.Spec) (*engine.Plan, error) {
		return Plan(ctx, spec, shape)
	}, delay)
}
