package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/engine"
	rollupkind "github.com/zkfleet/zkfleet/rollup/kind"
)

// dispatchVerifyOnKind makes `zkfleet verify` read the kind of the proof
// file first: a mock file is rejected at once ("mock proof: not a proof",
// exit 1), a rollup batch proof is verified on its own (its statement is
// in the file), a kind this binary cannot verify is named, and a RISC-V
// file goes on to the RISC-V verifier.
func dispatchVerifyOnKind(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Name() != "verify" || cmd.RunE == nil {
			continue
		}
		next := cmd.RunE
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			path, _ := cmd.Flags().GetString("proof")
			if path != "" {
				file, err := os.ReadFile(path)
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return exitWith(1, "read proof: %v", err)
				}
				if err == nil {
					if kind, mock, _ := engine.ProofKind(file); !mock && kind == rollupkind.Kind {
						keyDir, _ := cmd.Flags().GetString("key-dir")
						keySet, _ := cmd.Flags().GetString("key-set")
						return verifyRollupFile(cmd.OutOrStdout(), cmd.ErrOrStderr(), file, keyDir, keySet)
					}
					if err := checkProofKind(file); err != nil {
						return exitWith(1, "%v", err)
					}
				}
			}
			return next(cmd, args)
		}
	}
}

// checkProofKind refuses mock proof files and kinds without a verifier here.
func checkProofKind(file []byte) error {
	kind, mock, err := engine.ProofKind(file)
	switch {
	case mock:
		return engine.ErrMockProof
	case err != nil:
		return nil // the kind's verifier gives the precise reason
	case kind != engine.KindRISCV:
		return errors.New("INVALID: a proof of kind " + kind + "; this command verifies riscv proofs")
	}
	return nil
}
