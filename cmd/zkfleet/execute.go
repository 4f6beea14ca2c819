package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/circuit/cpu"
	"github.com/zkfleet/zkfleet/zkvm/emu"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

func init() { register(newExecuteCmd) }

// exitEmuError is the process status for emulator errors (bad ELF, guest
// fault, cycle limit), distinct from any guest exit code's low byte in
// practice and from the shell's 126/127.
const exitEmuError = 125

func newExecuteCmd() *cobra.Command {
	var (
		inputFile   string
		asJSON      bool
		maxCycles   uint64
		segmentSize int
	)
	cmd := &cobra.Command{
		Use:   "execute ELF",
		Short: "Run a guest program without proving it",
		Long: `Run a guest program in the emulator. Guest fd 1 goes to stdout, fd 2 to
stderr, and the process exits with the guest's exit code (low 8 bits).
ELF may be a file or example:NAME for an embedded example (` + strings.Join(guest.Examples(), ", ") + `).
Emulator errors print "error: ..." and exit 125.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			elf, err := readGuestELF(args[0])
			if err != nil {
				return exitWith(exitEmuError, "%v", err)
			}
			var input []byte
			switch inputFile {
			case "":
			case "-":
				if input, err = io.ReadAll(cmd.InOrStdin()); err != nil {
					return exitWith(exitEmuError, "reading input from stdin: %v", err)
				}
			default:
				if input, err = os.ReadFile(inputFile); err != nil {
					return exitWith(exitEmuError, "%v", err)
				}
			}
			p, err := emu.LoadELF(elf)
			if err != nil {
				return exitWith(exitEmuError, "%s: %v", args[0], err)
			}
			// Segments as prove cuts them (prover.NewJob): at the size or the M budget.
			res, segments, err := emu.RunSegments(p, input, emu.Config{MaxCycles: maxCycles, SegmentSize: segmentSize, MulDivBudget: cpu.DefaultMulDivRows(segmentSize)})
			if err != nil {
				return exitWith(exitEmuError, "%v", err)
			}
			if asJSON {
				out := struct {
					ExitCode  uint32 `json:"exit_code"`
					Cycles    uint64 `json:"cycles"`
					OutputHex string `json:"output_hex"`
					Segments  int    `json:"segments"`
				}{res.ExitCode, res.Cycles, hex.EncodeToString(res.Output), segments}
				enc := json.NewEncoder(cmd.OutOrStdout())
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				if _, err := cmd.OutOrStdout().Write(res.Output); err != nil {
					return err
				}
			}
			if _, err := cmd.ErrOrStderr().Write(res.Debug); err != nil {
				return err
			}
			if code := int(res.ExitCode & 0xff); code != 0 {
				return exitWith(code, "")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&inputFile, "input", "", "file holding the guest's private input (- for stdin)")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"exit_code","cycles","output_hex","segments"} instead of the output`)
	cmd.Flags().Uint64Var(&maxCycles, "max-cycles", emu.DefaultMaxCycles, "cycle (step) limit")
	cmd.Flags().IntVar(&segmentSize, "segment-size", prover.DefaultShape.CPUSteps, "steps per CPU segment, for the segment count of --json (default: the default key shape)")
	return cmd
}

// readGuestELF reads an ELF file, or an embedded example named example:NAME.
func readGuestELF(arg string) ([]byte, error) {
	if name, ok := strings.CutPrefix(arg, "example:"); ok {
		return guest.Example(name)
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		return nil, fmt.Errorf("reading guest: %w", err)
	}
	return data, nil
}
