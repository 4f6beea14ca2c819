package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newJobCmd) }

func newJobCmd() *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "job ID",
		Short: "Show one job",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, cl, err := f.dial()
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer conn.Close()
			// WaitJob with a 1 ms timeout is a plain lookup.
			j, err := cl.WaitJob(cmd.Context(), &pb.WaitJobRequest{JobId: args[0], TimeoutMs: 1})
			if err != nil {
				return rpcExit(err)
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), j)
			}
			printJob(cmd, j)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func printJob(cmd *cobra.Command, j *pb.Job) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "id:          %s\n", j.Id)
	fmt.Fprintf(w, "program:     %s\n", j.ProgramId)
	fmt.Fprintf(w, "state:       %s (phase %s, attempt %d)\n", shortState(j.State), shortPhase(j.Phase), j.Attempt)
	fmt.Fprintf(w, "leaves:      %d (committed %d, proved %d, folds %d/%d)\n", j.Leaves, j.Contributions, j.LeavesProved, j.FoldsDone, j.FoldsTotal)
	fmt.Fprintf(w, "cycles:      %d, exit code %d\n", j.Cycles, j.ExitCode)
	if len(j.Workers) > 0 || j.Aggregator != "" {
		fmt.Fprintf(w, "workers:     %s (aggregator %s)\n", strings.Join(j.Workers, ", "), j.Aggregator)
	}
	fmt.Fprintf(w, "created:     %s ago\n", ago(j.CreatedUnixMs))
	if j.Error != "" {
		fmt.Fprintf(w, "error:       %s\n", j.Error)
	}
}
