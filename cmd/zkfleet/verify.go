package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

func init() { register(newVerifyCmd) }

func newVerifyCmd() *cobra.Command {
	var (
		proofFile, elfArg, inputFile, keyDir string
		asJSON                               bool
	)
	cmd := &cobra.Command{
		Use:   "verify --proof FILE --elf ELF [--input FILE]",
		Short: "Verify a proof file for a program and input",
		Long: `Verify a zkfleet proof file against the given program and input, with the
verifying keys of the key store (never keys carried by the file). Exits 0 and
prints the proven statement if the proof is valid, exits 1 with the reason
otherwise. ELF may be a file or example:NAME.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if proofFile == "" || elfArg == "" {
				return exitWith(2, "--proof and --elf are required")
			}
			file, err := os.ReadFile(proofFile)
			if err != nil {
				return exitWith(1, "read proof: %v", err)
			}
			elf, err := readGuestELF(elfArg)
			if err != nil {
				return exitWith(1, "read elf: %v", err)
			}
			var input []byte
			if inputFile != "" {
				if input, err = os.ReadFile(inputFile); err != nil {
					return exitWith(1, "read input: %v", err)
				}
			}
			store, err := keys.Open(keyDir)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			st, err := agg.Verify(store, file, elf, input)
			if err != nil {
				return exitWith(1, "INVALID: %v", err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{
					"valid":       true,
					"key_set":     st.KeySet,
					"program_id":  hex.EncodeToString(st.ProgramID[:]),
					"input_hash":  hex.EncodeToString(st.InputHash[:]),
					"output_hash": hex.EncodeToString(st.OutputHash[:]),
					"exit_code":   st.ExitCode,
					"cycles":      st.Cycles,
					"output_hex":  hex.EncodeToString(st.Output),
					"leaves":      st.Leaves,
				})
			}
			fmt.Fprintf(out, "VALID proof (key set %s)\n", st.KeySet)
			fmt.Fprintf(out, "program id: %x\nexit code:  %d\ncycles:     %d\n", st.ProgramID, st.ExitCode, st.Cycles)
			if printable(st.Output) {
				fmt.Fprintf(out, "output:\n%s", st.Output)
				if len(st.Output) > 0 && st.Output[len(st.Output)-1] != '\n' {
					fmt.Fprintln(out)
				}
			} else {
				fmt.Fprintf(out, "output (hex): %x\n", st.Output)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&proofFile, "proof", "", "proof file")
	f.StringVar(&elfArg, "elf", "", "guest ELF (file or example:NAME)")
	f.StringVar(&inputFile, "input", "", "guest input file (default: empty input)")
	f.StringVar(&keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.BoolVar(&asJSON, "json", false, "print the statement as JSON")
	return cmd
}

// printable reports whether output can be shown as text.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}
