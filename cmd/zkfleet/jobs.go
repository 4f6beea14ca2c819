package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newJobsCmd) }

func newJobsCmd() *cobra.Command {
	return newClientCmd("jobs", "List the coordinator's jobs", cobra.NoArgs,
		func(ctx context.Context, cl pb.ClientServiceClient, _ []string) (*pb.ListJobsResponse, error) {
			return cl.ListJobs(ctx, &pb.ListJobsRequest{})
		},
		func(w io.Writer, r *pb.ListJobsResponse) error {
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATE\tPHASE\tLEAVES\tPROVED\tFOLDS\tRETRIES\tAGE\tERROR")
			for _, j := range r.Jobs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d/%d\t%d\t%s\t%s\n", j.Id, shortState(j.State), shortPhase(j.Phase),
					j.Leaves, j.LeavesProved, j.FoldsDone, j.FoldsTotal, j.TaskRetries, ago(j.CreatedUnixMs), j.Error)
			}
			return tw.Flush()
		})
}
