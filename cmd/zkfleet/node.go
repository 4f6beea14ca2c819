package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/attest/node"
)

func init() { register(newNodeCmd) }

func newNodeCmd() *cobra.Command {
	var o node.Options
	cmd := &cobra.Command{
		Use:   "node --data-dir DIR [--listen ADDR] [--tls-cert F --tls-key F]",
		Short: "Run an attestation node: one signer of a t-of-n FROST committee",
		Long: `Run a long-lived attestation signer. It takes part in the dealerless key
generation driven by "zkfleet attest keygen", keeps its key share sealed in
DIR under a passphrase (--passphrase-file or ZKFLEET_NODE_PASSPHRASE), and
releases a signature share only for a proof its own verifier accepts.
Requests need the bearer token (--token-file or ZKFLEET_NODE_TOKEN). Plain
HTTP is refused on a non-loopback address unless --insecure.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			o.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			return node.Run(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.DataDir, "data-dir", "", "node data directory (key shares, nonces)")
	f.StringVar(&o.Listen, "listen", "127.0.0.1:7700", "listen address")
	f.StringVar(&o.TokenFile, "token-file", "", "file holding the API bearer token")
	f.StringVar(&o.PassphraseFile, "passphrase-file", "", "file holding the storage passphrase")
	f.StringVar(&o.TLSCert, "tls-cert", "", "TLS certificate (PEM)")
	f.StringVar(&o.TLSKey, "tls-key", "", "TLS private key (PEM)")
	f.BoolVar(&o.Insecure, "insecure", false, "allow plain HTTP on a non-loopback address")
	f.StringVar(&o.Verifier, "verifier", "zkvm", "proof verifier: zkvm or trusted-prover")
	f.StringVar(&o.KeyDir, "key-dir", defaultKeyDir(), "key store directory (zkvm verifier)")
	f.StringVar(&o.ProverKey, "prover-key", "", "trusted prover's Ed25519 public key, hex (trusted-prover verifier)")
	f.StringVar(&o.PeersFile, "peers-file", "", "pin the identities accepted in a key generation (one hex Ed25519 key per line)")
	return cmd
}
