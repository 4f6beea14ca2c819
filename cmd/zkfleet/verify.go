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
		proofFile, elfArg, inputFile, keyDir, keySet string
		asJSON                                       bool
	)
	cmd := &cobra.Command{
		Use:   "verify --proof FILE --elf ELF [--input FILE] [--key-set NAME|ID]",
		Short: "Verify a proof file for a program and input",
		Long: `Verify a zkfleet proof file against the given program and input, with the
verifying keys of the key store (never keys carried by the file). Exits 0 and
prints the proven statement if the proof is valid, exits 1 with the reason
otherwise. ELF may be a file or example:NAME.

Only key sets generated or imported into --key-dir with "zkfleet setup" are
trusted; keys a worker fetched from a coordinator (its --cache-dir) never
are. --key-set pins one set: a proof made under any other is rejected. A
proof under a development set verifies with a warning on stderr: whoever
ran that setup can forge proofs under it.`,
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
			st, err := agg.Verify(store, keySet, file, elf, input)
			if err != nil {
				return exitWith(1, "INVALID: %v", err)
			}
			if st.Dev {
				fmt.Fprintf(cmd.ErrOrStderr(), devSetWarning, st.KeySet)
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
					"dev_keys":    st.Dev,
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
	f.StringVar(&keySet, "key-set", "", "accept only proofs made under this key set (name or id)")
	f.BoolVar(&asJSON, "json", false, "print the statement as JSON")
	return cmd
}

// devSetWarning is printed (with the set id) when a proof verifies under a
// development key set.
const devSetWarning = `WARNING: key set %s is a set of DEVELOPMENT keys (generated from local
randomness, no ceremony): whoever ran that setup can forge proofs that verify
under it. Trust this result only as far as you trust that setup.
`

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
