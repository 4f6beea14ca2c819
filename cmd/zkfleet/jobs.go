package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newJobsCmd) }

func newJobsCmd() *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "jobs",
		Short: "List the coordinator's jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn, cl, err := f.dial()
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer conn.Close()
			r, err := cl.ListJobs(cmd.Context(), &pb.ListJobsRequest{})
			if err != nil {
				return rpcExit(err)
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), r)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATE\tPHASE\tLEAVES\tPROVED\tFOLDS\tAGE\tERROR")
			for _, j := range r.Jobs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d/%d\t%s\t%s\n", j.Id, shortState(j.State), shortPhase(j.Phase),
					j.Leaves, j.LeavesProved, j.FoldsDone, j.FoldsTotal, ago(j.CreatedUnixMs), j.Error)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}
