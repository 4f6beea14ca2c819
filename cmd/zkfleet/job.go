package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newJobCmd) }

func newJobCmd() *cobra.Command {
	return newClientCmd("job ID", "Show one job", cobra.ExactArgs(1),
		func(ctx context.Context, cl *client.Client, args []string) (*pb.Job, error) {
			return cl.Job(ctx, args[0])
		},
		func(w io.Writer, j *pb.Job) error {
			printJob(w, j)
			return nil
		})
}

func printJob(w io.Writer, j *pb.Job) {
	fmt.Fprintf(w, "id:          %s\n", j.Id)
	kind := j.Kind
	if j.Mock {
		kind += " (MOCK prover: the proof is a placeholder, not a proof)"
	}
	fmt.Fprintf(w, "kind:        %s\n", kind)
	if j.ProgramId != "" {
		fmt.Fprintf(w, "program:     %s\n", j.ProgramId)
	}
	fmt.Fprintf(w, "state:       %s (phase %s, attempt %d, task retries %d)\n", shortState(j.State), shortPhase(j.Phase), j.Attempt, j.TaskRetries)
	fmt.Fprintf(w, "leaves:      %d (committed %d, proved %d, folds %d/%d)\n", j.Leaves, j.Contributions, j.LeavesProved, j.FoldsDone, j.FoldsTotal)
	fmt.Fprintf(w, "cycles:      %d, exit code %d\n", j.Cycles, j.ExitCode)
	if len(j.Workers) > 0 || j.Aggregator != "" {
		fmt.Fprintf(w, "workers:     %s (aggregator %s)\n", strings.Join(j.Workers, ", "), j.Aggregator)
	}
	for _, f := range j.Statement {
		fmt.Fprintf(w, "  %-11s %s\n", f.Name+":", f.Value)
	}
	fmt.Fprintf(w, "created:     %s ago\n", ago(j.CreatedUnixMs))
	if j.Error != "" {
		fmt.Fprintf(w, "error:       %s\n", j.Error)
	}
}
