package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/engine"
	rollupbackend "github.com/zkfleet/zkfleet/rollup/backend"
	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/coreclient"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// maxBatchAnswer bounds a saved proof answer read by verify --batch.
const maxBatchAnswer = 256 << 20

// addVerifyBatch gives `zkfleet verify` a --batch FILE mode: FILE is a
// saved answer of GET /v2/batch/{job_id}/proof (the whole wrapper, or its
// data), whose statement is checked for consistency and whose proof is
// verified. A mock proof is refused ("mock proof: not a proof").
func addVerifyBatch(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Name() != "verify" || cmd.RunE == nil {
			continue
		}
		var file string
		cmd.Flags().StringVar(&file, "batch", "", "verify a saved rollup batch proof answer (GET /v2/batch/{job_id}/proof) instead of --proof")
		next := cmd.RunE
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			if file == "" {
				return next(cmd, args)
			}
			if p, _ := cmd.Flags().GetString("proof"); p != "" {
				return exitWith(2, "give --batch or --proof, not both")
			}
			keyDir, _ := cmd.Flags().GetString("key-dir")
			keySet, _ := cmd.Flags().GetString("key-set")
			return verifyBatch(cmd.OutOrStdout(), cmd.ErrOrStderr(), file, keyDir, keySet)
		}
	}
}

// readBatchAnswer reads a saved proof answer: the API's wrapper or its data.
func readBatchAnswer(path string) (*httpapi.ProofView, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxBatchAnswer+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxBatchAnswer {
		return nil, fmt.Errorf("%s: above %d bytes", path, maxBatchAnswer)
	}
	var w struct {
		Status  string          `json:"status"`
		Message string          `json:"message"`
		Code    string          `json:"code"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", path, err)
	}
	switch w.Status {
	case "error":
		return nil, fmt.Errorf("%s is an error answer (%s): %s", path, w.Code, w.Message)
	case "success":
		raw = w.Data
	}
	var p httpapi.ProofView
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: not a proof answer: %w", path, err)
	}
	if p.ProofBytes == "" {
		return nil, fmt.Errorf("%s: not a proof answer (no proof_bytes)", path)
	}
	return &p, nil
}

func verifyBatch(out, stderr io.Writer, path, keyDir, keySet string) error {
	p, err := readBatchAnswer(path)
	if err != nil {
		return exitWith(1, "read batch proof: %v", err)
	}
	s, err := coreclient.CheckWith(p, nil, storeVerifier(stderr, keyDir, keySet))
	if s != nil && (err == nil || errors.Is(err, engine.ErrMockProof)) {
		j := s.JSON()
		fmt.Fprintf(out, "batch %d: %s → %s\n%d transactions (%d transfers, %d withdrawals, %d deposits)\nbatch hash      %s\nwithdrawal root %s\ndeposit root    %s\nstatement digest %s\n",
			j.BatchID, j.PreStateRoot, j.PostStateRoot, j.TxCount, j.TransferCount, j.WithdrawalCount, j.DepositCount,
			j.BatchHash, j.WithdrawalRoot, j.DepositRoot, j.StatementDigest)
	}
	switch {
	case errors.Is(err, engine.ErrMockProof):
		return exitWith(1, "INVALID: %v (made by the mock prover; its statement is consistent but nothing is proved)", err)
	case err != nil:
		return exitWith(1, "INVALID: %v", err)
	}
	fmt.Fprintln(out, "VALID batch proof")
	return nil
}

// storeVerifier verifies real batch proof files with the key store at
// keyDir (only sets trusted there; keySet, when set, pins one), warning on
// stderr about development keys.
func storeVerifier(stderr io.Writer, keyDir, keySet string) coreclient.Verifier {
	return func(file []byte, want *batch.Statement) error {
		store, err := keys.Open(keyDir)
		if err != nil {
			return err
		}
		v, err := rollupbackend.Verify(store, keySet, file, want)
		if err != nil {
			return err
		}
		if v.Dev {
			fmt.Fprintf(stderr, devSetWarning, v.KeySet)
		}
		return nil
	}
}

// verifyRollupFile verifies a batch proof file given with --proof (no
// program: the statement is in the file).
func verifyRollupFile(out, stderr io.Writer, file []byte, keyDir, keySet string) error {
	store, err := keys.Open(keyDir)
	if err != nil {
		return exitWith(1, "%v", err)
	}
	v, err := rollupbackend.Verify(store, keySet, file, nil)
	if err != nil {
		return exitWith(1, "INVALID: %v", err)
	}
	if v.Dev {
		fmt.Fprintf(stderr, devSetWarning, v.KeySet)
	}
	j := v.Statement.JSON()
	fmt.Fprintf(out, "VALID batch proof (key set %s, %d chunks)\nbatch %d: %s → %s\n%d transactions (%d transfers, %d withdrawals, %d deposits)\nbatch hash      %s\nwithdrawal root %s\ndeposit root    %s\nstatement digest %s\n",
		v.KeySet, v.Chunks, j.BatchID, j.PreStateRoot, j.PostStateRoot, j.TxCount, j.TransferCount, j.WithdrawalCount, j.DepositCount,
		j.BatchHash, j.WithdrawalRoot, j.DepositRoot, j.StatementDigest)
	return nil
}
