package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newCancelCmd) }

func newCancelCmd() *cobra.Command {
	return newClientCmd("cancel ID", "Cancel a job (its worker tasks stop)", cobra.ExactArgs(1),
		func(ctx context.Context, cl *client.Client, args []string) (*pb.Job, error) {
			return cl.Cancel(ctx, args[0])
		},
		func(w io.Writer, j *pb.Job) error {
			_, err := fmt.Fprintf(w, "%s: %s\n", j.Id, shortState(j.State))
			return err
		})
}
