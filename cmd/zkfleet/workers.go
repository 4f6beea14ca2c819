package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newWorkersCmd) }

func newWorkersCmd() *cobra.Command {
	return newClientCmd("workers", "List connected workers", cobra.NoArgs,
		func(ctx context.Context, cl *client.Client, _ []string) (*pb.ListWorkersResponse, error) {
			ws, err := cl.Workers(ctx)
			return &pb.ListWorkersResponse{Workers: ws}, err
		},
		func(w io.Writer, r *pb.ListWorkersResponse) error {
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKINDS\tCAPACITY\tJOB\tAGGREGATOR\tTASKS\tLAST SEEN")
			for _, wk := range r.Workers {
				job := wk.JobId
				if job == "" {
					job = "-"
				}
				kinds := strings.Join(wk.Kinds, ",")
				if wk.Mock {
					kinds += "(MOCK)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%v\t%d\t%s\n", wk.Id, kinds, wk.Capacity, job, wk.Aggregator, wk.Tasks, ago(wk.LastSeenUnixMs))
			}
			// Quarantined workers get no work; say why below the table.
			for _, wk := range r.Workers {
				if wk.Quarantined != "" {
					fmt.Fprintf(tw, "QUARANTINED %s: %s\n", wk.Id, wk.Quarantined)
				} else if !wk.Ready {
					fmt.Fprintf(tw, "NOT READY %s: fetching keys\n", wk.Id)
				}
			}
			return tw.Flush()
		})
}
