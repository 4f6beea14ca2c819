package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/committee"
	"github.com/zkfleet/zkfleet/attest/node"
)

// addVerifyAttestation gives `zkfleet verify` the flags --attestation FILE
// and --group-key HEX (or --committee FILE): before the proof is verified,
// the attestation must be a valid Ed25519 signature under the trusted
// group key, and name this proof file (its SHA-256) and the statement the
// file proves (its statement digest). The proof is then verified as usual,
// so a VALID result covers both.
func addVerifyAttestation(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Name() != "verify" || cmd.RunE == nil {
			continue
		}
		f := cmd.Flags()
		f.String("attestation", "", "also check this committee attestation of the proof (JSON, from prove --attest or attest sign)")
		f.String("group-key", "", "the committee's trusted group key, hex (with --attestation)")
		f.String("committee", "", "committee file giving the trusted group key (with --attestation)")
		next := cmd.RunE
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			attFile, _ := cmd.Flags().GetString("attestation")
			if attFile == "" {
				return next(cmd, args)
			}
			proofFile, _ := cmd.Flags().GetString("proof")
			groupKey, _ := cmd.Flags().GetString("group-key")
			committeeFile, _ := cmd.Flags().GetString("committee")
			key, err := trustedGroupKey(groupKey, committeeFile)
			if err != nil {
				return exitWith(2, "%v", err)
			}
			if proofFile == "" {
				return exitWith(2, "--proof is required")
			}
			proof, err := os.ReadFile(proofFile)
			if err != nil {
				return exitWith(1, "read proof: %v", err)
			}
			raw, err := readBounded(attFile, attest.MaxAttestationFile)
			if err != nil {
				return exitWith(1, "read attestation: %v", err)
			}
			att, err := checkAttestation(key, raw, proof)
			if err != nil {
				return exitWith(1, "INVALID attestation: %v", err)
			}
			if err := next(cmd, args); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
				out = cmd.ErrOrStderr() // keep stdout one JSON document
			}
			fmt.Fprintf(out, "VALID attestation by group key %x (signers %v) of statement %s\n", key, att.Signers, att.StatementDigest)
			return nil
		}
	}
}

// trustedGroupKey is the group key given by --group-key or --committee.
func trustedGroupKey(groupKey, committeeFile string) (ed25519.PublicKey, error) {
	switch {
	case groupKey != "" && committeeFile != "":
		return nil, errors.New("give --group-key or --committee, not both")
	case groupKey != "":
		k, err := hex.DecodeString(groupKey)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("--group-key: want %d bytes of hex", ed25519.PublicKeySize)
		}
		return k, nil
	case committeeFile != "":
		cfg, err := committee.LoadConfig(committeeFile)
		if err != nil {
			return nil, err
		}
		return cfg.PublicKey(), nil
	}
	return nil, errors.New("--attestation needs the trusted group key: --group-key HEX or --committee FILE (the key inside the attestation proves nothing)")
}

// checkAttestation parses an attestation file and checks that it is a
// valid signature under key of the claim (statement digest, proof hash)
// of this proof file. It does not verify the proof itself.
func checkAttestation(key ed25519.PublicKey, raw, proof []byte) (*attest.Attestation, error) {
	att, err := attest.ParseAttestation(raw)
	if err != nil {
		return nil, err
	}
	if err := attest.VerifyAttestation(key, att); err != nil {
		return nil, err
	}
	if h := attest.ProofHash(proof); h != att.ProofHash {
		return nil, fmt.Errorf("it attests proof %s, this proof file is %s", att.ProofHash, h)
	}
	d, err := node.ProofFileStatementDigest(proof)
	if err != nil {
		return nil, fmt.Errorf("statement of the proof file: %w", err)
	}
	if d != att.StatementDigest {
		return nil, fmt.Errorf("it attests statement %s, this proof file states %s", att.StatementDigest, d)
	}
	return att, nil
}

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return raw, nil
}
