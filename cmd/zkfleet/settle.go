package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/consensys/gnark/logger"
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/zkfleet/zkfleet/contracts/solc"
	"github.com/zkfleet/zkfleet/rollup/wrap"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

func init() {
	register(newExportVerifierCmd)
	register(newSettleCmd)
}

// finalKeys lists, for each job kind, the verifying key of the proof a
// chain verifies: for RISC-V jobs the fold key (the root of the fold tree).
// The rollup kind's final key joins this list when its key set exists.
func finalKeys(ctx context.Context, store *keys.Store, setID string, setupWrap bool) ([]settle.FinalKey, error) {
	m, err := store.Manifest(setID)
	if err != nil {
		return nil, err
	}
	fold, ok := m.Circuits["fold"]
	if !ok {
		return nil, fmt.Errorf("key set %s has no fold key", setID)
	}
	vk, err := agg.LoadVK(store, fold.VK)
	if err != nil {
		return nil, err
	}
	out := []settle.FinalKey{{Kind: "zkvm", VK: vk}}
	// Rollup batches settle through their EVM wrap, whose keys are set up
	// the first time a coordinator settles on a chain, or here with
	// setupWrap.
	if _, err := store.Extra(setID, wrap.ExtraName); errors.Is(err, os.ErrNotExist) && !setupWrap {
		fmt.Fprintln(os.Stderr, "rollup: the key set has no EVM wrap keys yet (export-verifier --rollup sets them up)")
		return out, nil
	}
	wp, err := openWrap(ctx, store, setID, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return nil, fmt.Errorf("rollup wrap: %w", err)
	}
	return append(out, settle.FinalKey{Kind: "rollup", VK: wp.VK()}), nil
}

func resolveKeySet(store *keys.Store, set string) (string, error) {
	if set == "" {
		set = "default"
	}
	if keys.ValidID(set) {
		return set, nil
	}
	id, err := store.Named(set)
	if err != nil {
		return "", fmt.Errorf("key set %q: %w (run zkfleet setup)", set, err)
	}
	return id, nil
}

func newExportVerifierCmd() *cobra.Command {
	var (
		keyDir, keySet, out, solcDir string
		compile, withRollup          bool
	)
	cmd := &cobra.Command{
		Use:   "export-verifier --out DIR",
		Short: "Write the Solidity verifier of each job kind's final proof",
		Long: `Write DIR/<kind>/Verifier.sol, gnark's Solidity Groth16 verifier of the final
proof of each job kind (zkvm: the fold key of the key set; rollup: the EVM
wrap of batch proofs, when the set has its keys or with --rollup), for proofs made
with keccak256 hash-to-field (the Solidity-target prover option) and exactly
one public input (the statement digest) and one commitment. With --compile it
is also compiled with the pinned solcjs (contracts/node_modules, installed by
'npm ci --prefix contracts') into Verifier.bin and Verifier.abi, the bytecode
'zkfleet settle deploy --verifier-bin' takes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return exitWith(2, "--out is required")
			}
			logger.Disable()
			store, err := keys.Open(keyDir)
			if err != nil {
				return err
			}
			setID, err := resolveKeySet(store, keySet)
			if err != nil {
				return err
			}
			var c *solc.Compiler
			if compile {
				if c, err = solc.Find(solcDir); err != nil {
					return err
				}
			}
			fks, err := finalKeys(cmd.Context(), store, setID, withRollup)
			if err != nil {
				return err
			}
			var errs []error
			for _, k := range fks {
				e, err := settle.WriteVerifier(cmd.Context(), k, out, c)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", e.Kind, e.Source)
				if e.Bin != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n%s: %s\n", e.Kind, e.Bin, e.Kind, e.ABI)
				}
			}
			return errors.Join(errs...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.StringVar(&keySet, "key-set", "", "key set id or name (empty: the default set)")
	f.StringVar(&out, "out", "", "output directory")
	f.BoolVar(&compile, "compile", false, "also compile each verifier with solcjs")
	f.BoolVar(&withRollup, "rollup", false, "set up the EVM wrap of rollup batch proofs first if the key set has none (minutes), and export its verifier")
	f.StringVar(&solcDir, "solc-dir", "", "npm folder whose node_modules holds solc (default: search contracts/node_modules upwards)")
	return cmd
}

// settleFlags are the chain settings of a settling command: --settle
// (rpc, sim or mock), --settle-rpc, --settle-key and --settle-contract.
type settleFlags struct {
	mode, rpc, key, contract string
}

// addSettleFlags registers the chain flags; withMode adds --settle (for the
// commands that settle batches), withContract --settle-contract.
func addSettleFlags(f *pflag.FlagSet, withMode, withContract bool) *settleFlags {
	s := &settleFlags{}
	if withMode {
		f.StringVar(&s.mode, "settle", "", "settle batches: rpc (a JSON-RPC chain), sim (an in-process simulated chain) or mock (labelled MOCK, nothing settled)")
	}
	f.StringVar(&s.rpc, "settle-rpc", "", "JSON-RPC URL of the settlement chain")
	f.StringVar(&s.key, "settle-key", "", "file holding the hex secp256k1 key that signs settlement transactions (mode 600)")
	if withContract {
		f.StringVar(&s.contract, "settle-contract", "", "address of the deployed RollupSettlement")
	}
	return s
}

// config is the settle.Config of the flags (sim and mock also need the
// verifier bytecode and genesis, which the caller fills in).
func (s *settleFlags) config() (settle.Config, error) {
	cfg := settle.Config{Mode: s.mode, RPC: s.rpc, KeyFile: s.key}
	if s.mode == "" && s.rpc != "" {
		cfg.Mode = settle.ModeRPC
	}
	if s.contract != "" {
		if !common.IsHexAddress(s.contract) {
			return cfg, fmt.Errorf("--settle-contract %q is not an address", s.contract)
		}
		cfg.Contract = common.HexToAddress(s.contract)
	}
	return cfg, nil
}

func parseRoot(s string) ([32]byte, error) {
	var r [32]byte
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return r, fmt.Errorf("root %q is not 32 bytes of hex", s)
	}
	copy(r[:], b)
	return r, nil
}

func newSettleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "settle",
		Short: "Deploy and inspect the settlement contracts on an EVM chain",
	}
	cmd.AddCommand(newSettleDeployCmd(), newSettleStatusCmd())
	return cmd
}

func newSettleDeployCmd() *cobra.Command {
	var (
		verifierBin, verifierAddr, genesis, which string
		firstBatch                                uint64
	)
	var sf *settleFlags
	cmd := &cobra.Command{
		Use:   "deploy --settle-rpc URL --settle-key FILE (--verifier-bin FILE | --verifier ADDR)",
		Short: "Deploy the verifier, the rollup settlement contract and the program verifier",
		Long: `Deploy, on the JSON-RPC chain of --settle-rpc and from the key of --settle-key,
the Groth16 verifier (the Verifier.bin written by 'zkfleet export-verifier
--compile', or reuse one deployed at --verifier), then the contracts of
--contracts: RollupSettlement (starting at --genesis-root with batch
--first-batch next) and ProgramVerifier. Prints the addresses and gas as JSON.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sf.rpc == "" || sf.key == "" {
				return exitWith(2, "--settle-rpc and --settle-key are required")
			}
			if (verifierBin == "") == (verifierAddr == "") {
				return exitWith(2, "give exactly one of --verifier-bin and --verifier")
			}
			root, err := parseRoot(genesis)
			if err != nil {
				return exitWith(2, "--genesis-root: %v", err)
			}
			ctx := cmd.Context()
			log := settleLogger(cmd)
			c, err := settle.DialRPC(ctx, sf.rpc, sf.key, log)
			if err != nil {
				return err
			}
			defer c.Close()
			d := settle.Deployment{Gas: map[string]uint64{}}
			if verifierBin != "" {
				raw, err := os.ReadFile(verifierBin)
				if err != nil {
					return err
				}
				code, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x"))
				if err != nil {
					return fmt.Errorf("--verifier-bin %s: not hex bytecode: %w", verifierBin, err)
				}
				if d.Verifier, d.Gas["verifier"], err = c.DeployVerifier(ctx, code); err != nil {
					return err
				}
			} else {
				if !common.IsHexAddress(verifierAddr) {
					return exitWith(2, "--verifier %q is not an address", verifierAddr)
				}
				d.Verifier = common.HexToAddress(verifierAddr)
			}
			for _, w := range strings.Split(which, ",") {
				switch strings.TrimSpace(w) {
				case "rollup":
					rc, gas, err := c.DeployRollup(ctx, d.Verifier, root, firstBatch)
					if err != nil {
						return err
					}
					d.RollupSettlement, d.Gas["rollup_settlement"] = rc.Address(), gas
				case "program":
					pc, gas, err := c.DeployProgram(ctx, d.Verifier)
					if err != nil {
						return err
					}
					d.ProgramVerifier, d.Gas["program_verifier"] = pc.Address(), gas
				case "":
				default:
					return exitWith(2, "--contracts: unknown contract %q (rollup, program)", w)
				}
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(d)
		},
	}
	f := cmd.Flags()
	sf = addSettleFlags(f, false, false)
	f.StringVar(&verifierBin, "verifier-bin", "", "compiled verifier bytecode (hex) to deploy")
	f.StringVar(&verifierAddr, "verifier", "", "address of an already deployed verifier")
	f.StringVar(&genesis, "genesis-root", "0x"+strings.Repeat("00", 32), "the rollup's genesis state root (32 bytes hex)")
	f.Uint64Var(&firstBatch, "first-batch", 1, "id of the first batch to settle")
	f.StringVar(&which, "contracts", "rollup,program", "contracts to deploy: rollup, program")
	return cmd
}

func newSettleStatusCmd() *cobra.Command {
	var sf *settleFlags
	cmd := &cobra.Command{
		Use:   "status --settle-rpc URL --settle-key FILE --settle-contract ADDR",
		Short: "Print a RollupSettlement's state root, next batch id and deposit queue",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := sf.config()
			if err != nil {
				return exitWith(2, "%v", err)
			}
			if cfg.RPC == "" || cfg.KeyFile == "" || cfg.Contract == (common.Address{}) {
				return exitWith(2, "--settle-rpc, --settle-key and --settle-contract are required")
			}
			ctx := cmd.Context()
			c, err := settle.DialRPC(ctx, cfg.RPC, cfg.KeyFile, settleLogger(cmd))
			if err != nil {
				return err
			}
			defer c.Close()
			rc, err := c.Rollup(ctx, cfg.Contract)
			if err != nil {
				return err
			}
			st, err := rc.State(ctx)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{
				"contract":          cfg.Contract.Hex(),
				"state_root":        common.Hash(st.StateRoot).Hex(),
				"next_batch_id":     st.NextBatchID,
				"pending_deposits":  st.PendingDeposits,
				"deposits_consumed": st.DepositsConsumed,
			})
		},
	}
	sf = addSettleFlags(cmd.Flags(), false, true)
	return cmd
}

func settleLogger(cmd *cobra.Command) *slog.Logger {
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}
