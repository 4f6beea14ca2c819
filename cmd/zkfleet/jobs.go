package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newJobsCmd) }

func newJobsCmd() *cobra.Command {
	return newClientCmd("jobs", "List the coordinator's jobs", cobra.NoArgs,
		func(ctx context.Context, cl *client.Client, _ []string) (*pb.ListJobsResponse, error) {
			jobs, err := cl.Jobs(ctx)
			return &pb.ListJobsResponse{Jobs: jobs}, err
		},
		func(w io.Writer, r *pb.ListJobsResponse) error {
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSTATE\tPHASE\tLEAVES\tPROVED\tFOLDS\tRETRIES\tAGE\tERROR")
			for _, j := range r.Jobs {
				kind := j.Kind
				if j.Mock {
					kind += "(MOCK)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d/%d\t%d\t%s\t%s\n", j.Id, kind, shortState(j.State), shortPhase(j.Phase),
					j.Leaves, j.LeavesProved, j.FoldsDone, j.FoldsTotal, j.TaskRetries, ago(j.CreatedUnixMs), j.Error)
			}
			return tw.Flush()
		})
}
