package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// Default listen addresses shared by coordinator, dev and the clients, so
// that `zkfleet dev` and the client commands meet with no flags.
const (
	defaultAPIAddr     = "127.0.0.1:7700"
	defaultClusterAddr = "127.0.0.1:7701"
	defaultMetricsAddr = "127.0.0.1:7702"
)

// clientFlags are the flags of every command that talks to the client API.
type clientFlags struct {
	addr, token, ca string
	tls, json       bool
}

func (f *clientFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.addr, "coordinator", defaultAPIAddr, "coordinator client API address")
	cmd.Flags().StringVar(&f.token, "token", "", "client API bearer token")
	cmd.Flags().StringVar(&f.ca, "tls-ca", "", "CA certificate to trust (enables TLS)")
	cmd.Flags().BoolVar(&f.tls, "tls", false, "use TLS with the system roots")
	cmd.Flags().BoolVar(&f.json, "json", false, "print JSON")
}

// dial connects the client SDK with the flags' address, TLS and token.
func (f *clientFlags) dial() (*client.Client, error) {
	var opts []client.Option
	if f.token != "" {
		opts = append(opts, client.WithToken(f.token))
	}
	if f.tls || f.ca != "" {
		opts = append(opts, client.WithTLS(f.ca))
	}
	return client.Dial(f.addr, opts...)
}

// newClientCmd builds a client command that makes one call: it dials
// the coordinator with the client flags, runs call, and prints the reply
// as JSON with --json or with human otherwise.
func newClientCmd[T proto.Message](use, short string, args cobra.PositionalArgs,
	call func(ctx context.Context, cl *client.Client, args []string) (T, error),
	human func(w io.Writer, reply T) error) *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args,
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.dial()
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer cl.Close()
			reply, err := call(cmd.Context(), cl, args)
			if err != nil {
				return rpcExit(err)
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), reply)
			}
			return human(cmd.OutOrStdout(), reply)
		},
	}
	f.add(cmd)
	return cmd
}

// rpcExit turns a gRPC error into "error: <message> (<code>)", exit 1.
func rpcExit(err error) error {
	if s, ok := status.FromError(err); ok {
		return exitWith(1, "%s (%s)", s.Message(), s.Code())
	}
	return exitWith(1, "%v", err)
}

func printJSON(w io.Writer, m proto.Message) error {
	b, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

func shortState(s pb.JobState) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "JOB_STATE_"))
}
func shortPhase(p pb.JobPhase) string {
	if p == pb.JobPhase_JOB_PHASE_UNSPECIFIED {
		return "-"
	}
	return strings.ToLower(strings.TrimPrefix(p.String(), "JOB_PHASE_"))
}

func ago(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return time.Since(time.UnixMilli(ms)).Round(time.Second).String()
}
