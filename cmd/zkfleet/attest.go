package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/attest/committee"
)

func init() { register(newAttestCmd) }

func newAttestCmd() *cobra.Command {
	var o committee.CLIOptions
	cmd := &cobra.Command{
		Use:   "attest",
		Short: "Make and use a threshold attestation committee of zkfleet nodes",
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.TokenFile, "token-file", "", "file holding the nodes' bearer token (default: $ZKFLEET_NODE_TOKEN)")
	pf.StringVar(&o.CAFile, "ca-file", "", "PEM CA certificates trusted for the nodes' TLS")
	pf.DurationVar(&o.Timeout, "timeout", 0, "per-request timeout (default 1m)")
	cmd.AddCommand(newAttestKeygenCmd(&o), newAttestSignCmd(&o), newAttestVerifyCmd())
	return cmd
}

func attestContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func attestLogger(cmd *cobra.Command) *slog.Logger {
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
}

func attestPrintJSON(cmd *cobra.Command, v any) error {
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newAttestKeygenCmd(o *committee.CLIOptions) *cobra.Command {
	var (
		nodes     string
		threshold int
		out       string
	)
	cmd := &cobra.Command{
		Use:   "keygen --nodes URL,URL,... --threshold T --out committee.json",
		Short: "Run the dealerless key generation on the nodes and write the committee file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := attestContext()
			defer stop()
			cfg, err := committee.RunKeygen(ctx, *o, strings.Split(nodes, ","), threshold, out, attestLogger(cmd))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "group key %x (%d of %d), committee written to %s\n", []byte(cfg.GroupKey), cfg.Threshold, len(cfg.Members), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&nodes, "nodes", "", "comma-separated node URLs (node i gets identifier i)")
	f.IntVar(&threshold, "threshold", 0, "signers needed for a signature")
	f.StringVar(&out, "out", "committee.json", "committee file to write")
	return cmd
}

func newAttestSignCmd(o *committee.CLIOptions) *cobra.Command {
	var (
		in  committee.SignInputs
		out string
	)
	cmd := &cobra.Command{
		Use:   "sign --committee FILE --proof FILE [--elf ELF --input FILE] [--statement-digest HEX]",
		Short: "Ask the committee to attest a proof; prints the attestation as JSON",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := attestContext()
			defer stop()
			res, err := committee.RunSign(ctx, *o, in, attestLogger(cmd))
			if err != nil {
				return err
			}
			if out != "" {
				raw, err := json.MarshalIndent(res.Attestation, "", "  ")
				if err != nil {
					return err
				}
				return os.WriteFile(out, append(raw, '\n'), 0o644)
			}
			return attestPrintJSON(cmd, res.Attestation)
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Committee, "committee", "committee.json", "committee file")
	f.StringVar(&in.Proof, "proof", "", "proof file")
	f.StringVar(&in.ELF, "elf", "", "guest ELF, a file or example:NAME (zkvm verifier)")
	f.StringVar(&in.Input, "input", "", "guest input file (zkvm verifier)")
	f.StringVar(&in.StatementDigest, "statement-digest", "", "statement digest, hex (default: from the proof file)")
	f.StringVar(&out, "out", "", "write the attestation to this file instead of stdout")
	return cmd
}

func newAttestVerifyCmd() *cobra.Command {
	var in committee.VerifyInputs
	cmd := &cobra.Command{
		Use:   "verify --attestation FILE (--committee FILE | --group-key HEX) [--proof FILE] [--statement-digest HEX]",
		Short: "Check an attestation with crypto/ed25519 under a trusted group key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			att, err := committee.RunVerify(in)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "VALID attestation: statement %s, proof %s, signers %v\n", att.StatementDigest, att.ProofHash, att.Signers)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Attestation, "attestation", "", "attestation file (JSON)")
	f.StringVar(&in.Committee, "committee", "", "committee file giving the trusted group key")
	f.StringVar(&in.GroupKey, "group-key", "", "trusted group key, hex")
	f.StringVar(&in.Proof, "proof", "", "proof file the attestation must name")
	f.StringVar(&in.StatementDigest, "statement-digest", "", "statement digest the attestation must name")
	return cmd
}
