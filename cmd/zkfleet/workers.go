package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newWorkersCmd) }

func newWorkersCmd() *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "workers",
		Short: "List connected workers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn, cl, err := f.dial()
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer conn.Close()
			r, err := cl.ListWorkers(cmd.Context(), &pb.ListWorkersRequest{})
			if err != nil {
				return rpcExit(err)
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), r)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCAPACITY\tJOB\tAGGREGATOR\tTASKS\tLAST SEEN")
			for _, w := range r.Workers {
				job := w.JobId
				if job == "" {
					job = "-"
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%v\t%d\t%s\n", w.Id, w.Capacity, job, w.Aggregator, w.Tasks, ago(w.LastSeenUnixMs))
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}
