package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/zkfleet/zkfleet/zkvm/keys"
	"github.com/zkfleet/zkfleet/zkvm/prover"
)

func init() { register(newSetupCmd) }

func newSetupCmd() *cobra.Command {
	var (
		keyDir, name, importDir string
		shape                   = prover.DefaultShape
	)
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Generate (or import) a key set into the key store",
		Long: `Generate every proving and verifying key of a circuit shape into the key
store and name the set (default "default"). Generated keys come from local
randomness: development only. --import DIR copies a key set from another store
directory (for example one produced by a ceremony) and names it.

Sets generated or imported with setup are the only ones "zkfleet verify"
trusts in that key store (a worker's --cache-dir, filled by its
coordinator, is a different directory and never trusted).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := keys.Open(keyDir)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(os.Stderr, nil))
			if importDir != "" {
				id, err := importSet(store, importDir, name)
				if err != nil {
					return err
				}
				if err := store.MarkTrusted(id, keys.TrustRecord{Origin: keys.OriginImport, Source: importDir}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "imported key set %s as %q into %s\n", id, name, keyDir)
				return nil
			}
			fmt.Fprintln(os.Stderr, devKeyWarning)
			id, err := devSetup(cmd.Context(), store, shape, name, log)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "key set %s (%q) in %s\n", id, name, keyDir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyDir, "key-dir", defaultKeyDir(), "key store directory")
	f.StringVar(&name, "name", "default", "name of the key set")
	f.StringVar(&importDir, "import", "", "import the set with this name from another key store directory")
	f.IntVar(&shape.CPUSteps, "cpu-steps", shape.CPUSteps, "steps per CPU segment")
	f.IntVar(&shape.MemRows, "mem-rows", shape.MemRows, "rows per memory-table chunk")
	f.IntVar(&shape.TapeBytes, "tape-bytes", shape.TapeBytes, "bytes per input/output tape chunk")
	f.IntVar(&shape.ChunkDepth, "chunk-depth", shape.ChunkDepth, "rollup state tree depth of the chunk circuit (2^depth accounts)")
	f.IntVar(&shape.ChunkSlots, "chunk-slots", shape.ChunkSlots, "rollup transactions per chunk")
	return cmd
}

// importSet copies the set called name from the store at dir, checking
// every blob's hash on the way in.
func importSet(dst *keys.Store, dir, name string) (string, error) {
	src, err := keys.Open(dir)
	if err != nil {
		return "", err
	}
	id, err := src.Named(name)
	if err != nil {
		return "", err
	}
	blobs, err := src.SetBlobs(id)
	if err != nil {
		return "", err
	}
	for _, b := range blobs {
		r, _, err := src.OpenBlob(b)
		if err != nil {
			return "", err
		}
		err = dst.PutBlobExpect(b, r)
		r.Close()
		if err != nil {
			return "", fmt.Errorf("import blob %s: %w", b, err)
		}
	}
	if err := dst.SetName(name, id); err != nil {
		return "", err
	}
	return id, nil
}
