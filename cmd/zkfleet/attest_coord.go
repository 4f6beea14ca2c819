package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/attest/committee"
	"github.com/zkfleet/zkfleet/client"
	"github.com/zkfleet/zkfleet/cluster/node"
)

// attestCoordOptions configure a coordinator's attesting phase: jobs
// submitted with attest are signed by this committee before they complete.
type attestCoordOptions struct {
	committeeFile string
	client        committee.CLIOptions
}

func (o *attestCoordOptions) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.committeeFile, "attest-committee", "", "committee file (zkfleet attest keygen): offer the job option attest")
	f.StringVar(&o.client.TokenFile, "attest-token-file", "", "file holding the committee nodes' bearer token (default: $ZKFLEET_NODE_TOKEN)")
	f.StringVar(&o.client.CAFile, "attest-ca-file", "", "PEM CA certificates trusted for the committee nodes' TLS")
	f.DurationVar(&o.client.Timeout, "attest-timeout", 0, "per-request timeout to a committee node, proof verification included (default 1m)")
}

// apply adds the attesting phase to cfg when a committee file is given.
func (o *attestCoordOptions) apply(cfg *node.CoordinatorConfig, log *slog.Logger) error {
	if o.committeeFile == "" {
		return nil
	}
	cc, err := committee.LoadConfig(o.committeeFile)
	if err != nil {
		return err
	}
	client, err := o.client.Client()
	if err != nil {
		return err
	}
	com, err := committee.New(cc, client, log)
	if err != nil {
		return err
	}
	cfg.PostProof = append(cfg.PostProof, com.PostProof(nil))
	log.Info("attestation committee", "group_key", cc.PublicKey(), "threshold", cc.Threshold, "members", len(cc.Members))
	return nil
}

// attestationFile is where prove --attest writes a proof's attestation.
func attestationFile(proofFile string) string { return proofFile + ".attestation.json" }

// writeAttestation fetches job id's attestation (checked to name the
// proof) and writes it next to the proof file, in the format of
// `zkfleet attest sign --out`.
func writeAttestation(ctx context.Context, cl *client.Client, id, proofFile string) error {
	att, err := cl.Attestation(ctx, id)
	if err != nil {
		return err
	}
	raw, err := json.MarshalIndent(att, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(attestationFile(proofFile), append(raw, '\n'), 0o644)
}
