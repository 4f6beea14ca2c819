package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/engine"
	rollupbackend "github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/coreclient"
	"github.com/zkfleet/zkfleet/rollup/sequencer"
	"github.com/zkfleet/zkfleet/rollup/tx"
	"github.com/zkfleet/zkfleet/settle"
)

// defaultHTTPAddr is the HTTP Core API's default listen address.
const defaultHTTPAddr = "127.0.0.1:8080"

func init() { register(newRollupCmd) }

func newRollupCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollup",
		Short: "Rollup batches for sequencer authors: an example batch, a demo sequencer",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newRollupExampleCmd(), newRollupDemoCmd())
	return cmd
}

func newRollupExampleCmd() *cobra.Command {
	var (
		out  string
		txs  int
		seed uint64
	)
	cmd := &cobra.Command{
		Use:   "example --out batch.json [--txs N] [--seed S]",
		Short: "Write a valid signed batch over the demo genesis state (for curl users)",
		Long: `Write a valid batch of signed transactions (transfers, withdrawals and
deposits) over the demo genesis state, as the JSON body of
POST /v2/batch/prove. The demo keys are derived from public strings:
demo state only. Submit it with, for example:

  curl -H "Authorization: Bearer $TOKEN" --data @batch.json \
       http://127.0.0.1:8080/v2/batch/prove`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return exitWith(2, "--out is required (- for stdout)")
			}
			if txs < 1 || txs > batch.MaxTxs {
				return exitWith(2, "--txs %d: want 1..%d", txs, batch.MaxTxs)
			}
			b, err := sequencer.ExampleBatch(batch.DefaultShape, txs, seed)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			body, err := json.MarshalIndent(b.Request, "", "  ")
			if err != nil {
				return exitWith(1, "%v", err)
			}
			body = append(body, '\n')
			if out == "-" {
				_, err = cmd.OutOrStdout().Write(body)
			} else {
				err = os.WriteFile(out, body, 0o644)
			}
			if err != nil {
				return exitWith(1, "write: %v", err)
			}
			st := b.Prepared.Statement.JSON()
			fmt.Fprintf(cmd.ErrOrStderr(), "batch %d: %d transactions (%d transfers, %d withdrawals, %d deposits), %d chunks\npre-state root  %s\npost-state root %s\n",
				st.BatchID, st.TxCount, st.TransferCount, st.WithdrawalCount, st.DepositCount, len(b.Prepared.Chunks), st.PreStateRoot, st.PostStateRoot)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output file (- for stdout)")
	cmd.Flags().IntVar(&txs, "txs", 16, "number of transactions")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the random transactions")
	return cmd
}

// demoOptions are the flags of rollup demo.
type demoOptions struct {
	coordinator, token string
	local              bool
	batches, txs       int
	accounts           int
	seed               uint64
	workers            int
	saveDir            string
	timeout            time.Duration
	prover             proverOptions
	settle             string // --local: the coordinator's settlement chain
	keyDir, keySet     string // verification (and the --local coordinator's keys)
}

func newRollupDemoCmd() *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo (--coordinator URL | --local) [--batches N] [--txs N] [--prover mock] [--settle sim|mock]",
		Short: "Run a demo sequencer against the Core API and check every batch's proof",
		Long: `Run a demo sequencer: a first batch of deposits creates accounts, then
batches of random signed transfers, withdrawals and deposits go to the
Core API (POST /v2/batch/prove). For each batch the demo follows the
status stream, fetches the proof and checks that its statement is the one
the sequencer computed itself.

With --local the demo starts its own coordinator and workers in process,
proving with the key set of --key-dir (a development set is generated
first if there is none). Every real proof is verified with the key store
of --key-dir, which must trust the coordinator's key set. With the mock
prover the proofs are placeholders: the demo says so, checks the
statements and verifies no proof. Exit status 0 only if every batch
completed with the expected statement and every real proof verified.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.coordinator, "coordinator", "", "Core API base URL, e.g. http://127.0.0.1:8080")
	f.StringVar(&o.token, "token", "", "bearer token of the Core API")
	f.BoolVar(&o.local, "local", false, "start a coordinator and workers in this process")
	f.IntVar(&o.batches, "batches", 3, "batches after the account-creating deposit batch")
	f.IntVar(&o.txs, "txs", 16, "transactions per batch")
	f.IntVar(&o.accounts, "accounts", 8, "accounts the first batch creates by deposit")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the random transactions")
	f.IntVar(&o.workers, "workers", 2, "in-process workers (with --local)")
	f.StringVar(&o.saveDir, "save-dir", "", "write each proof answer to DIR/batch-N.json (for zkfleet verify --batch)")
	f.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up on a batch after this long")
	f.StringVar(&o.settle, "settle", "", "with --local: settle every batch before it completes, on a simulated EVM (sim: the batch proof's EVM wrap verified by the exported Solidity verifier; needs solc from contracts/node_modules) or a mock chain (mock: labelled MOCK, nothing settled). The demo checks each settlement record")
	f.StringVar(&o.keyDir, "key-dir", defaultKeyDir(), "key store: verifies real proofs (and holds the --local coordinator's keys)")
	f.StringVar(&o.keySet, "key-set", "", "accept only proofs under this key set (and, with --local, prove with it)")
	o.prover.add(cmd)
	return cmd
}

func runDemo(cmd *cobra.Command, o demoOptions) error {
	out := cmd.OutOrStdout()
	switch {
	case o.local == (o.coordinator != ""):
		return exitWith(2, "give exactly one of --coordinator URL and --local")
	case o.settle != "" && !o.local:
		return exitWith(2, "--settle configures the --local coordinator; a remote coordinator settles by its own --settle")
	case o.batches < 0 || o.txs < 1 || o.txs > batch.MaxTxs || o.accounts < 2 || o.accounts > batch.MaxTxs:
		return exitWith(2, "want --batches ≥ 0, --txs in 1..%d, --accounts in 2..%d", batch.MaxTxs, batch.MaxTxs)
	}
	ctx, stop := signalContext(cmd)
	defer stop()
	base, token := o.coordinator, o.token
	if o.local {
		if err := o.prover.check(cmd.ErrOrStderr()); err != nil {
			return exitWith(2, "%v", err)
		}
		co := coordOptions{apiAddr: "127.0.0.1:0", clusterAddr: "127.0.0.1:0", httpAddr: "127.0.0.1:0", prover: o.prover,
			keyDir: o.keyDir, keySet: o.keySet, autoSetup: true,
			settle: settleCoordOptions{flags: &settleFlags{mode: o.settle}, firstBatch: 1}}
		d, err := startDev(ctx, co, max(1, o.workers), 1, newQuietLogger())
		if err != nil {
			return exitWith(1, "local cluster: %v", err)
		}
		defer closeWithin(d.Close)
		base, token = "http://"+d.HTTPAddr.String(), ""
		fmt.Fprintf(out, "local cluster: Core API on %s, %d workers\n", base, max(1, o.workers))
	}
	cl := coreclient.New(base, token, nil)
	h, err := cl.Health(ctx)
	if err != nil {
		return exitWith(1, "health: %v", err)
	}
	if h.MockProver {
		fmt.Fprintln(out, "MOCK PROVER: the coordinator makes labelled placeholder proofs. Mock proofs are not proofs:\nthis demo checks each batch's statement and verifies NO proof.")
	}
	seq, err := sequencer.New(batch.DefaultShape.Depth)
	if err != nil {
		return exitWith(1, "%v", err)
	}
	gen := newDemoGen(seq, o.seed)
	res := demoResult{}
	for n := 0; n <= o.batches; n++ {
		var txs []tx.Tx
		if n == 0 {
			txs, err = gen.genesis(o.accounts)
		} else {
			txs, err = gen.batch(o.txs)
		}
		if err != nil {
			return exitWith(1, "building batch: %v", err)
		}
		if err := demoBatch(ctx, cl, seq, txs, o, out, cmd.ErrOrStderr(), &res); err != nil {
			return exitWith(1, "%v", err)
		}
	}
	fmt.Fprintf(out, "\n%d batches, %d transactions proved through the Core API.\n", res.batches, res.txs)
	switch {
	case res.mock > 0 && res.verified == 0:
		fmt.Fprintf(out, "Statements checked: %d. Proofs verified: 0 (the mock prover's proofs are not proofs).\n", res.batches)
	default:
		fmt.Fprintf(out, "Statements checked: %d. Proofs verified: %d of %d.\n", res.batches, res.verified, res.batches)
	}
	if res.unverified > 0 {
		return exitWith(1, "%d real proofs could not be verified", res.unverified)
	}
	return nil
}

type demoResult struct {
	batches, txs               int
	mock, verified, unverified int
}

// demoBatch builds, submits, follows and checks one batch.
func demoBatch(ctx context.Context, cl *coreclient.Client, seq *sequencer.Sequencer, txs []tx.Tx, o demoOptions, out, stderr io.Writer, res *demoResult) error {
	built, err := seq.Build(txs, batch.DefaultShape)
	if err != nil {
		return fmt.Errorf("the demo built an invalid batch: %w", err)
	}
	st := built.Prepared.Statement
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	t0 := time.Now()
	acc, err := cl.Submit(ctx, built.Request)
	if err != nil {
		return fmt.Errorf("batch %d: %w", st.BatchID, err)
	}
	fmt.Fprintf(out, "batch %d: %d txs (%d transfers, %d withdrawals, %d deposits), %d chunks → job %s\n",
		st.BatchID, st.TxCount, st.TransferCount, st.WithdrawalCount, st.DepositCount, len(built.Prepared.Chunks), acc.JobID)
	lastState := ""
	end, err := cl.Follow(ctx, acc.JobID, func(ev *coreclient.Event) {
		switch {
		case ev.Status != nil && ev.Status.State != lastState:
			lastState = ev.Status.State
			fmt.Fprintf(out, "  %-9s %5.1f%%\n", lastState, ev.Status.ProgressPct)
		case ev.Progress != nil:
			fmt.Fprintf(out, "  %-9s %5.1f%%  %s\n", ev.Progress.State, ev.Progress.ProgressPct, ev.Progress.Message)
		}
	})
	if err != nil {
		return fmt.Errorf("batch %d: %w", st.BatchID, err)
	}
	if end.Name != httpapi.StateCompleted {
		msg := ""
		if end.Status != nil {
			msg = end.Status.Error
		}
		return fmt.Errorf("batch %d: job %s %s: %s", st.BatchID, acc.JobID, end.Name, msg)
	}
	proof, err := cl.Proof(ctx, acc.JobID)
	if err != nil {
		return fmt.Errorf("batch %d: %w", st.BatchID, err)
	}
	if o.saveDir != "" {
		raw, _ := json.MarshalIndent(map[string]any{"status": "success", "data": proof}, "", "  ")
		if err := os.WriteFile(filepath.Join(o.saveDir, fmt.Sprintf("batch-%d.json", st.BatchID)), append(raw, '\n'), 0o644); err != nil {
			return err
		}
	}
	el := time.Since(t0).Round(time.Millisecond)
	res.batches++
	res.txs += int(st.TxCount)
	_, err = coreclient.CheckWith(proof, &st, storeVerifier(stderr, o.keyDir, o.keySet))
	switch {
	case errors.Is(err, engine.ErrMockProof):
		res.mock++
		fmt.Fprintf(out, "  completed in %v: statement matches (post-state root %s); proof NOT verified: mock proof, not a proof\n",
			el, batch.HexElem(st.PostStateRoot))
	case errors.Is(err, rollupbackend.ErrInvalid), errors.Is(err, rollupbackend.ErrFormat), errors.Is(err, rollupbackend.ErrKeySet):
		res.unverified++
		fmt.Fprintf(out, "  completed in %v: proof NOT verified: %v\n", el, err)
	case err != nil:
		return fmt.Errorf("batch %d: the proof answer does not match the batch: %w", st.BatchID, err)
	default:
		res.verified++
		fmt.Fprintf(out, "  completed in %v: proof VERIFIED\n", el)
	}
	return demoSettled(proof, &st, o, out)
}

// demoSettled checks a batch's settlement record (when the coordinator
// settles batches) against the batch's statement.
func demoSettled(proof *httpapi.ProofView, st *batch.Statement, o demoOptions, out io.Writer) error {
	if len(proof.Settlement) == 0 {
		if o.settle != "" {
			return fmt.Errorf("batch %d completed without a settlement record", st.BatchID)
		}
		return nil
	}
	var rec settle.Record
	if err := json.Unmarshal(proof.Settlement, &rec); err != nil {
		return fmt.Errorf("batch %d: settlement record: %w", st.BatchID, err)
	}
	if rec.BatchID != st.BatchID || rec.PostStateRoot != common.Hash(st.PostStateRoot.Bytes()) {
		return fmt.Errorf("batch %d: settlement record names batch %d, post-state root %s", st.BatchID, rec.BatchID, rec.PostStateRoot.Hex())
	}
	if rec.Mock {
		fmt.Fprintf(out, "  settled: MOCK (record %s; nothing was settled on any chain)\n", rec.TxHash.Hex())
		return nil
	}
	fmt.Fprintf(out, "  settled on %s: tx %s, block %d, %d gas\n", rec.Settler, rec.TxHash.Hex(), rec.BlockNumber, rec.GasUsed)
	return nil
}

// demoGen makes random valid transactions over the sequencer's state.
type demoGen struct {
	seq   *sequencer.Sequencer
	rng   *rand.Rand
	keys  []*tx.Key
	index []uint64
	next  uint64 // next demo key number
}

func newDemoGen(seq *sequencer.Sequencer, seed uint64) *demoGen {
	return &demoGen{seq: seq, rng: rand.New(rand.NewPCG(seed, 0x64656d6f))}
}

// newKey is a fresh demo key (derived from the seed and a counter: demo
// state only).
func (g *demoGen) newKey() (*tx.Key, error) {
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], g.rng.Uint64())
	binary.BigEndian.PutUint64(buf[8:], g.next)
	g.next++
	return tx.NewKey(strings.NewReader(string(buf[:]) + string(buf[:])))
}

func (g *demoGen) deposit(k *tx.Key, amount uint64) (tx.Tx, error) {
	pk := k.Public()
	d, err := g.seq.Deposit(&pk, amount)
	if err != nil {
		return tx.Tx{}, err
	}
	return d, nil
}

// genesis creates n accounts by deposit.
func (g *demoGen) genesis(n int) ([]tx.Tx, error) {
	var txs []tx.Tx
	for range n {
		k, err := g.newKey()
		if err != nil {
			return nil, err
		}
		d, err := g.deposit(k, 1_000_000)
		if err != nil {
			return nil, err
		}
		g.keys, g.index = append(g.keys, k), append(g.index, d.To)
		txs = append(txs, d)
	}
	return txs, nil
}

// batch makes n random transactions: about 60 % transfers, 20 %
// withdrawals, 20 % deposits (half of them to new accounts).
func (g *demoGen) batch(n int) ([]tx.Tx, error) {
	type acct struct{ bal, nonce uint64 }
	cur := map[uint64]*acct{}
	state := func(i uint64) *acct {
		if a := cur[i]; a != nil {
			return a
		}
		a := &acct{}
		if s, ok := g.seq.Account(i); ok {
			a.bal, a.nonce = s.Balance, s.Nonce
		}
		cur[i] = a
		return a
	}
	txs := make([]tx.Tx, 0, n)
	for len(txs) < n {
		k := g.rng.IntN(len(g.keys))
		from, fa := g.index[k], state(g.index[k])
		switch r := g.rng.IntN(10); {
		case r < 6 && fa.bal > 0:
			j := g.rng.IntN(len(g.keys))
			if j == k {
				continue
			}
			amt := 1 + g.rng.Uint64N(min(fa.bal, 10_000))
			t := tx.Tx{Kind: tx.KindTransfer, From: from, To: g.index[j], Amount: amt, Nonce: fa.nonce}
			if err := g.keys[k].Sign(&t); err != nil {
				return nil, err
			}
			fa.bal -= amt
			fa.nonce++
			state(g.index[j]).bal += amt
			txs = append(txs, t)
		case r < 8 && fa.bal > 0:
			amt := 1 + g.rng.Uint64N(min(fa.bal, 5_000))
			t := tx.Tx{Kind: tx.KindWithdrawal, From: from, Amount: amt, Nonce: fa.nonce}
			for i := range t.Recipient {
				t.Recipient[i] = byte(g.rng.Uint32())
			}
			if err := g.keys[k].Sign(&t); err != nil {
				return nil, err
			}
			fa.bal -= amt
			fa.nonce++
			txs = append(txs, t)
		case r >= 8:
			key := g.keys[k]
			if g.rng.IntN(2) == 0 {
				nk, err := g.newKey()
				if err != nil {
					return nil, err
				}
				key = nk
			}
			amt := 1 + g.rng.Uint64N(50_000)
			d, err := g.deposit(key, amt)
			if err != nil {
				return nil, err
			}
			if key != g.keys[k] {
				g.keys, g.index = append(g.keys, key), append(g.index, d.To)
			}
			state(d.To).bal += amt
			txs = append(txs, d)
		}
	}
	return txs, nil
}
