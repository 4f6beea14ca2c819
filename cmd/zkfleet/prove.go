package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/zkfleet/zkfleet/client"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

func init() { register(newProveCmd) }

func newProveCmd() *cobra.Command {
	var (
		f         clientFlags
		o         coordOptions
		local     bool
		inputFile string
		outFile   string
		capacity  uint32
		maxCycles uint64
		attestOn  bool
	)
	cmd := &cobra.Command{
		Use:   "prove [ELF|example:NAME]",
		Short: "Prove a guest program on a cluster (or an embedded one with --local) and write the proof",
		Long: `Submit a program and its input, follow progress (a progress bar on a terminal,
plain lines otherwise) and write the proof file. Without --coordinator the
proof runs on an embedded local cluster (--local). The default program is
the embedded example "fib".`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := "example:fib"
			if len(args) == 1 {
				src = args[0]
			}
			elf, err := readGuestELF(src)
			if err != nil {
				return exitWith(1, "%v", err)
			}
			var input []byte
			switch inputFile {
			case "":
			case "-":
				input, err = io.ReadAll(cmd.InOrStdin())
			default:
				input, err = os.ReadFile(inputFile)
			}
			if err != nil {
				return exitWith(1, "input: %v", err)
			}
			if outFile == "" {
				outFile = strings.TrimSuffix(strings.TrimPrefix(src[strings.LastIndex(src, "/")+1:], "example:"), ".elf") + ".proof"
			}
			ctx, stop := signalContext(cmd)
			defer stop()
			cmd.SetContext(ctx)
			if !cmd.Flags().Changed("coordinator") {
				local = true
			}
			if local {
				if err := o.prover.check(cmd.ErrOrStderr()); err != nil {
					return exitWith(2, "%v", err)
				}
				log := newLogger(cmd)
				if !f.json {
					log = newQuietLogger()
				}
				o.apiAddr, o.clusterAddr = "127.0.0.1:0", "127.0.0.1:0"
				d, err := startDev(ctx, o, 1, runtime.NumCPU(), log)
				if err != nil {
					return exitWith(1, "%v", err)
				}
				defer closeWithin(d.Close)
				f.addr, f.tls, f.ca, f.token = d.Listen.API.String(), false, "", ""
			}
			return runProve(cmd, f, client.Request{ELF: elf, Input: input, Capacity: capacity, MaxCycles: maxCycles, Attest: attestOn}, outFile)
		},
	}
	f.add(cmd)
	o.add(cmd, false, "")
	cmd.Flags().BoolVar(&local, "local", false, "prove on an embedded cluster (default without --coordinator)")
	cmd.Flags().StringVar(&inputFile, "input", "", "guest input file (- for stdin)")
	cmd.Flags().StringVar(&outFile, "out", "", "proof file to write (default NAME.proof)")
	cmd.Flags().Uint32Var(&capacity, "capacity", 0, "worker capacity to gather before starting (0: all idle workers)")
	cmd.Flags().Uint64Var(&maxCycles, "max-cycles", 0, "cycle limit (0: the default)")
	cmd.Flags().BoolVar(&attestOn, "attest", false, "have the coordinator's committee attest the proof; writes OUT.attestation.json")
	return cmd
}

func runProve(cmd *cobra.Command, f clientFlags, req client.Request, outFile string) error {
	ctx := cmd.Context()
	cl, err := f.dial()
	if err != nil {
		return exitWith(1, "%v", err)
	}
	defer cl.Close()
	pr := newProgress(cmd.ErrOrStderr(), f.json)
	proof, j, err := cl.Prove(ctx, req,
		func(ev *pb.JobEvent) error {
			pr.update(ev)
			return nil
		})
	pr.done()
	var jerr *client.JobError
	switch {
	case ctx.Err() != nil && j != nil:
		// Interrupted: Prove cancelled the job on the cluster.
		return exitWith(130, "interrupted; job %s cancelled", j.Id)
	case errors.As(err, &jerr):
		return exitWith(1, "job %s %s: %s", jerr.Job.Id, shortState(jerr.Job.State), jerr.Job.Error)
	case err != nil:
		return rpcExit(err)
	}
	id := j.Id
	if err := os.WriteFile(outFile, proof, 0o644); err != nil {
		return exitWith(1, "%v", err)
	}
	var attFile string
	if req.Attest {
		attFile = attestationFile(outFile)
		if err := writeAttestation(ctx, cl, id, outFile); err != nil {
			return exitWith(1, "%v", err)
		}
	}
	if f.json {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(struct {
			JobID     string `json:"job_id"`
			Proof     string `json:"proof"`
			ExitCode  uint32 `json:"exit_code"`
			Cycles    uint64 `json:"cycles"`
			OutputHex string `json:"output_hex"`
			Leaves    uint32 `json:"leaves"`
			Kind      string `json:"kind"`
			Mock      bool   `json:"mock"`
			// Attestation is the attestation file (prove --attest).
			Attestation string `json:"attestation,omitempty"`
		}{id, outFile, j.ExitCode, j.Cycles, hex.EncodeToString(j.Output), j.Leaves, j.Kind, j.Mock, attFile})
	}
	if j.Mock {
		fmt.Fprintf(cmd.OutOrStdout(), "MOCK proof (not a proof) written to %s (job %s, %d leaves, %d cycles, exit code %d)\n",
			outFile, id, j.Leaves, j.Cycles, j.ExitCode)
		return nil
	}
	fmt.Fprintf(cmd.OutOrStdout(), "proof written to %s (job %s, %d leaves, %d cycles, exit code %d)\n",
		outFile, id, j.Leaves, j.Cycles, j.ExitCode)
	if attFile != "" {
		fmt.Fprintf(cmd.OutOrStdout(), "attestation written to %s\n", attFile)
	}
	return nil
}

// progress renders job events: a redrawn bar on a terminal, one line per
// phase change otherwise, nothing with --json.
type progress struct {
	w         io.Writer
	tty, mute bool
	lastPhase pb.JobPhase
	lastState pb.JobState
}

func newProgress(w io.Writer, mute bool) *progress {
	p := &progress{w: w, mute: mute}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *progress) update(ev *pb.JobEvent) {
	if p.mute {
		return
	}
	j := ev.Job
	if p.tty {
		done, total := j.LeavesProved, j.Leaves
		if j.Phase == pb.JobPhase_JOB_PHASE_CONTRIBUTE {
			done = j.Contributions
		}
		const width = 30
		fill := 0
		if total > 0 {
			fill = int(done) * width / int(total)
		}
		fmt.Fprintf(p.w, "\r\033[K%-9s [%s%s] %d/%d leaves, folds %d/%d", phaseOrState(j),
			strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, j.FoldsDone, j.FoldsTotal)
		return
	}
	if j.Phase != p.lastPhase || j.State != p.lastState {
		fmt.Fprintf(p.w, "%s: %s (%d leaves, %d proved, folds %d/%d)\n", j.Id, phaseOrState(j), j.Leaves, j.LeavesProved, j.FoldsDone, j.FoldsTotal)
		p.lastPhase, p.lastState = j.Phase, j.State
	}
}

func phaseOrState(j *pb.Job) string {
	if j.State == pb.JobState_JOB_STATE_RUNNING {
		return shortPhase(j.Phase)
	}
	return shortState(j.State)
}

func (p *progress) done() {
	if p.tty && !p.mute {
		fmt.Fprintln(p.w)
	}
}
