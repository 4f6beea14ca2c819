package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// subcommands is filled by each subcommand file's init function, so that
// subcommands can be added without touching a shared list.
var subcommands []func() *cobra.Command

func register(newCmd func() *cobra.Command) { subcommands = append(subcommands, newCmd) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "zkfleet",
		Short:         "A distributed zero-knowledge proving cluster for RISC-V programs and other kinds of job",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd); err != nil {
				return err
			}
			if f := cmd.Flag("log-format"); f != nil && f.Value.String() != "text" && f.Value.String() != "json" {
				return exitWith(2, "--log-format %q: want text or json", f.Value.String())
			}
			return nil
		},
	}
	root.PersistentFlags().String("log-format", "text", "log format of long-running commands: text or json (one object a line)")
	for _, newCmd := range subcommands {
		root.AddCommand(newCmd())
	}
	addVerifyAttestation(root)
	dispatchVerifyOnKind(root)
	addVerifyBatch(root)
	return root
}

// applyEnv fills every flag the user did not set from ZKFLEET_<FLAG>, where
// <FLAG> is the flag name upper-cased with dashes as underscores
// (--api-addr → ZKFLEET_API_ADDR).
func applyEnv(cmd *cobra.Command) error {
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || firstErr != nil {
			return
		}
		name := "ZKFLEET_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if err := cmd.Flags().Set(f.Name, v); err != nil {
				firstErr = fmt.Errorf("environment %s: %w", name, err)
			}
		}
	})
	return firstErr
}
