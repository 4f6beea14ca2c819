package main

import (
	"fmt"

	"github.com/spf13/cobra"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newCancelCmd) }

func newCancelCmd() *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a job (its worker tasks stop)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, cl, err := f.dial()
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer conn.Close()
			j, err := cl.CancelJob(cmd.Context(), &pb.CancelJobRequest{JobId: args[0]})
			if err != nil {
				return rpcExit(err)
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), j)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", j.Id, shortState(j.State))
			return nil
		},
	}
	f.add(cmd)
	return cmd
}
