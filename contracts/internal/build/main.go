// Command build compiles the Solidity sources of a folder with the pinned
// solcjs and writes each contract's ABI (<Name>.abi) and creation bytecode
// (<Name>.bin) into an output folder, for abigen and for the repository (so
// that building the Go code needs no Solidity compiler). Run by go generate
// in contracts/.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/zkfleet/zkfleet/contracts/solc"
)

func main() {
	src := flag.String("src", "src", "folder of .sol files")
	out := flag.String("out", "build", "output folder")
	npm := flag.String("npm", "", "npm folder holding node_modules/solc (default: search upwards)")
	flag.Parse()
	if err := run(context.Background(), *src, *out, *npm); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, src, out, npm string) error {
	c, err := solc.Find(npm)
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(src, "*.sol"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	sources := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		sources[filepath.Base(f)] = string(b)
	}
	arts, err := c.Compile(ctx, sources)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, a := range arts {
		if err := os.WriteFile(filepath.Join(out, a.Name+".abi"), append([]byte(a.ABI), '\n'), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, a.Name+".bin"), []byte(a.Bin+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}
