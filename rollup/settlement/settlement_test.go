package settlement_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/cluster/coordinator"
	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/cluster/worker"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/rollup/batch"
	rollupkind "github.com/zkfleet/zkfleet/rollup/kind"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
	"github.com/zkfleet/zkfleet/rollup/settlement"
	"github.com/zkfleet/zkfleet/rollup/tx"
	"github.com/zkfleet/zkfleet/settle"
)

var shape = batch.Shape{Depth: 8, Slots: 2}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestStatement: the statement handed to the chain is byte for byte the
// rollup's statement encoding (so the contract recomputes the same
// digest), and the withdrawals are the batch's, whose accumulator is the
// statement's withdrawal root.
func TestStatement(t *testing.T) {
	b, err := sequencer.ExampleBatch(shape, 12, 7)
	if err != nil {
		t.Fatal(err)
	}
	s, ws := settlement.Statement(b.Prepared)
	st := b.Prepared.Statement
	if st.WithdrawalCount == 0 {
		t.Fatal("example batch without withdrawals: pick another seed")
	}
	if !bytes.Equal(s.Packed(), st.Encode()) {
		t.Fatalf("packed statement differs from the rollup's encoding")
	}
	if uint64(len(ws)) != st.WithdrawalCount || settle.WithdrawalAccumulator(ws) != common.Hash(st.WithdrawalRoot.Bytes()) {
		t.Fatalf("%d withdrawals (statement %d), accumulator %s, root %s", len(ws), st.WithdrawalCount,
			settle.WithdrawalAccumulator(ws).Hex(), batch.HexElem(st.WithdrawalRoot))
	}
	if httpapi.SettleOption != settlement.JobOption {
		t.Fatalf("the Core API asks for option %q, the phase is %q", httpapi.SettleOption, settlement.JobOption)
	}
}

// chainOf builds n batches of deposits after the demo genesis and
// returns them with the genesis root and first batch id.
func chainOf(t *testing.T, n int) (genesis [32]byte, first uint64, bodies [][]byte) {
	t.Helper()
	s, err := sequencer.DemoGenesis(shape)
	if err != nil {
		t.Fatal(err)
	}
	root := s.Root()
	genesis, first = root.Bytes(), s.NextBatchID()
	for i := range n {
		pk := sequencer.DemoKey(uint64(i % 2)).Public()
		idx, err := s.IndexFor(&pk)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Build([]tx.Tx{{Kind: tx.KindDeposit, To: idx, Amount: uint64(100 + i), PubKey: pk}}, shape)
		if err != nil {
			t.Fatal(err)
		}
		body, err := json.Marshal(b.Request)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	return genesis, first, bodies
}

type cluster struct {
	t    *testing.T
	base string
}

func start(t *testing.T, chain settlement.Chain) *cluster {
	t.Helper()
	rb := rollupkind.Mock(shape, 5*time.Millisecond)
	set := coordinator.KeySet{ID: mock.KeySet, Mock: true}
	d, err := node.StartDev(context.Background(), node.DevConfig{
		Coordinator: node.CoordinatorConfig{APIAddr: "127.0.0.1:0", ClusterAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
			HTTP: httpapi.Handler(httpapi.Config{Logger: quiet}), Logger: quiet,
			Kinds:     map[string]node.Kind{rollupkind.Kind: {Backend: rb, KeySet: set}},
			PostProof: []coordinator.PostProof{settlement.Phase(chain, settlement.Config{Shape: shape, Poll: 10 * time.Millisecond, Log: quiet})}},
		Workers: 2, WorkerCapacity: 1,
		WorkerKinds: map[string]worker.Prover{rollupkind.Kind: {Mock: true, Open: func(string) (engine.Backend, error) { return rb, nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d.Close(ctx)
	})
	return &cluster{t: t, base: "http://" + d.HTTPAddr.String()}
}

func (c *cluster) do(method, path string, body []byte, data any) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		Status  string          `json:"status"`
		Data    json.RawMessage `json:"data"`
		Message string          `json:"message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if data != nil && a.Status == "success" {
		if err := json.Unmarshal(a.Data, data); err != nil {
			c.t.Fatal(err)
		}
	}
	return resp.StatusCode, a.Message
}

// waitBatch polls the swarm status of batch id until cond holds.
func (c *cluster) waitBatch(id uint64, cond func(*httpapi.SwarmStatus) bool) *httpapi.SwarmStatus {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var st httpapi.SwarmStatus
		c.do("GET", fmt.Sprintf("/batch/%d/status", id), nil, &st)
		if cond(&st) {
			return &st
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("batch %d: %+v", id, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSettleInOrder: batches settle in batch order whatever order their
// proofs finish in. The second batch, submitted first, waits in settling
// until the first settles; both complete with the chain's records, and
// the mock chain's root is the last batch's post-state root.
func TestSettleInOrder(t *testing.T) {
	genesis, first, bodies := chainOf(t, 2)
	chain := settle.NewMockSettler(genesis, first, quiet)
	c := start(t, chain)
	if code, msg := c.do("POST", "/v2/batch/prove", bodies[1], nil); code != http.StatusAccepted {
		t.Fatalf("second batch: %d %s", code, msg)
	}
	c.waitBatch(first+1, func(s *httpapi.SwarmStatus) bool { return s.State == httpapi.SwarmSettling })
	time.Sleep(50 * time.Millisecond) // several polls of the chain
	if st := c.waitBatch(first+1, func(*httpapi.SwarmStatus) bool { return true }); st.State != httpapi.SwarmSettling {
		t.Fatalf("second batch settled before the first: %+v", st)
	}
	if code, msg := c.do("POST", "/v2/batch/prove", bodies[0], nil); code != http.StatusAccepted {
		t.Fatalf("first batch: %d %s", code, msg)
	}
	for i := range 2 {
		id := first + uint64(i)
		st := c.waitBatch(id, func(s *httpapi.SwarmStatus) bool {
			return s.State == httpapi.SwarmCompleted || s.State == httpapi.SwarmFailed
		})
		var rec settle.Record
		if st.State != httpapi.SwarmCompleted || json.Unmarshal(st.Settlement, &rec) != nil || rec.BatchID != id || !rec.Mock || st.SettledAt == "" {
			t.Fatalf("batch %d: %+v (record %s)", id, st, st.Settlement)
		}
		if i == 1 && st.ProvingCompletedAt >= st.SettledAt {
			// The second batch's proof was final long before the first
			// batch let it settle.
			t.Fatalf("batch %d: proof final at %s, settled at %s", id, st.ProvingCompletedAt, st.SettledAt)
		}
		var p httpapi.ProofView
		c.do("GET", "/v2/batch/"+st.JobID+"/proof", nil, &p)
		if !bytes.Equal(p.Settlement, st.Settlement) {
			t.Fatalf("proof answer's settlement %s, status %s", p.Settlement, st.Settlement)
		}
	}
	s, _ := chain.State(context.Background())
	if s.NextBatchID != first+2 {
		t.Fatalf("chain expects batch %d next", s.NextBatchID)
	}
}

// TestSettlementRefused: a batch the chain refuses (its pre-state root is
// not the chain's) fails with the chain's reason; it never completes.
func TestSettlementRefused(t *testing.T) {
	_, first, bodies := chainOf(t, 1)
	var other [32]byte
	other[31] = 1
	c := start(t, settle.NewMockSettler(other, first, quiet))
	if code, msg := c.do("POST", "/v2/batch/prove", bodies[0], nil); code != http.StatusAccepted {
		t.Fatalf("POST: %d %s", code, msg)
	}
	st := c.waitBatch(first, func(s *httpapi.SwarmStatus) bool {
		return s.State == httpapi.SwarmFailed || s.State == httpapi.SwarmCompleted
	})
	if st.State != httpapi.SwarmFailed || !strings.Contains(st.Error, "WrongPreStateRoot") || len(st.Settlement) != 0 {
		t.Fatalf("refused batch: %+v", st)
	}
}

// realChain is a chain that verifies proofs (not a MockSettler).
type realChain struct{ *settle.MockSettler }

// TestMockProofNeverSentToAChain: a mock job on a chain that verifies
// proofs fails with ErrMockProof, before any transaction.
func TestMockProofNeverSentToAChain(t *testing.T) {
	genesis, first, bodies := chainOf(t, 1)
	chain := realChain{settle.NewMockSettler(genesis, first, quiet)}
	p := settlement.Phase(chain, settlement.Config{Shape: shape, Log: quiet})
	_, err := p.Run(context.Background(), coordinator.PostProofJob{ID: "j", Spec: engine.Spec{Kind: rollupkind.Kind, Input: bodies[0]}, Proof: []byte("x"), Mock: true})
	if !errors.Is(err, settlement.ErrMockProof) {
		t.Fatalf("mock job on a real chain: %v", err)
	}
	if s, _ := chain.State(context.Background()); s.NextBatchID != first {
		t.Fatal("the chain moved")
	}
	// A real job on a coordinator that cannot encode proofs for a chain.
	if _, err := p.Run(context.Background(), coordinator.PostProofJob{ID: "j", Spec: engine.Spec{Kind: rollupkind.Kind, Input: bodies[0]}, Proof: []byte("x")}); err == nil {
		t.Fatal("a real job settled without a chain proof encoder")
	}
}

// TestIdempotent: running the phase again for a batch the chain already
// settled (a coordinator restart during settling) returns the chain's
// record instead of failing.
func TestIdempotent(t *testing.T) {
	genesis, first, bodies := chainOf(t, 1)
	chain := settle.NewMockSettler(genesis, first, quiet)
	p := settlement.Phase(chain, settlement.Config{Shape: shape, Log: quiet})
	j := coordinator.PostProofJob{ID: "j", Spec: engine.Spec{Kind: rollupkind.Kind, Input: bodies[0]}, Proof: []byte("x"), Mock: true}
	a, err := p.Run(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Run(context.Background(), j)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second run: %v\n%s\n%s", err, a, b)
	}
}

// TestOtherStatementRefused: a batch id the chain has settled with another
// statement is refused, naming it, instead of being taken for a rerun.
func TestOtherStatementRefused(t *testing.T) {
	genesis, first, bodies := chainOf(t, 1)
	chain := settle.NewMockSettler(genesis, first, quiet)
	p := settlement.Phase(chain, settlement.Config{Shape: shape, Log: quiet})
	if _, err := p.Run(context.Background(), coordinator.PostProofJob{ID: "a", Spec: engine.Spec{Kind: rollupkind.Kind, Input: bodies[0]}, Proof: []byte("x"), Mock: true}); err != nil {
		t.Fatal(err)
	}
	// The same batch id, another deposit amount: another statement.
	s, err := sequencer.DemoGenesis(shape)
	if err != nil {
		t.Fatal(err)
	}
	pk := sequencer.DemoKey(0).Public()
	idx, _ := s.IndexFor(&pk)
	b, err := s.Build([]tx.Tx{{Kind: tx.KindDeposit, To: idx, Amount: 999, PubKey: pk}}, shape)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(b.Request)
	_, err = p.Run(context.Background(), coordinator.PostProofJob{ID: "b", Spec: engine.Spec{Kind: rollupkind.Kind, Input: body}, Proof: []byte("x"), Mock: true})
	var re *settle.RevertError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "another statement") {
		t.Fatalf("other statement: %v", err)
	}
}
