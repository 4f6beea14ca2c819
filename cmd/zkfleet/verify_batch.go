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
	"github.com/zkfleet/zkfleet/rollup/coreclient"
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
			return verifyBatch(cmd.OutOrStdout(), file)
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

func verifyBatch(out io.Writer, path string) error {
	p, err := readBatchAnswer(path)
	if err != nil {
		return exitWith(1, "read batch proof: %v", err)
	}
	s, err := coreclient.Check(p, nil)
	if s != nil && (err == nil || errors.Is(err, engine.ErrMockProof) || errors.Is(err, coreclient.ErrNoVerifier)) {
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
