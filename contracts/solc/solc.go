// Package solc compiles Solidity sources with solcjs, the Solidity compiler
// of the npm package "solc" (a WebAssembly build run by node), through its
// standard-JSON interface. The version is pinned by contracts/package.json;
// .ci/run installs it into contracts/node_modules.
package solc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Settings every zkfleet contract is compiled with. The EVM version is
// fixed (not the compiler's default) so the bytecode runs on any chain that
// has Cancun, and so the output does not change with the compiler's default.
const (
	EVMVersion    = "cancun"
	OptimizerRuns = 200
)

// Artifact is one compiled contract.
type Artifact struct {
	Name string          // contract name
	ABI  json.RawMessage // JSON ABI
	Bin  string          // creation bytecode, hex without 0x
}

// Compiler runs solcjs.
type Compiler struct {
	// Node is the node executable (default "node" on PATH).
	Node string
	// SolcJS is the path of the npm package's solc.js.
	SolcJS string
}

// Find locates solc.js in the npm folder dir (its node_modules/solc), or,
// when dir is empty, in $ZKFLEET_SOLCJS or the nearest contracts/node_modules
// above the working directory.
func Find(dir string) (*Compiler, error) {
	var candidates []string
	if dir != "" {
		candidates = append(candidates, filepath.Join(dir, "node_modules", "solc", "solc.js"))
	} else {
		if p := os.Getenv("ZKFLEET_SOLCJS"); p != "" {
			candidates = append(candidates, p)
		}
		wd, err := os.Getwd()
		if err == nil {
			for d := wd; ; d = filepath.Dir(d) {
				candidates = append(candidates,
					filepath.Join(d, "node_modules", "solc", "solc.js"),
					filepath.Join(d, "contracts", "node_modules", "solc", "solc.js"))
				if filepath.Dir(d) == d {
					break
				}
			}
		}
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			node, err := exec.LookPath("node")
			if err != nil {
				return nil, fmt.Errorf("solc: found %s but no node executable: %w", c, err)
			}
			return &Compiler{Node: node, SolcJS: c}, nil
		}
	}
	return nil, fmt.Errorf("solc: solc.js not found (run `npm ci --prefix contracts`); looked in %s", strings.Join(candidates, ", "))
}

type stdInput struct {
	Language string               `json:"language"`
	Sources  map[string]stdSource `json:"sources"`
	Settings stdSettings          `json:"settings"`
}

type stdSource struct {
	Content string `json:"content"`
}

type stdSettings struct {
	EVMVersion      string                         `json:"evmVersion"`
	Optimizer       stdOptimizer                   `json:"optimizer"`
	OutputSelection map[string]map[string][]string `json:"outputSelection"`
}

type stdOptimizer struct {
	Enabled bool `json:"enabled"`
	Runs    int  `json:"runs"`
}

type stdOutput struct {
	Errors []struct {
		Severity         string `json:"severity"`
		FormattedMessage string `json:"formattedMessage"`
		Message          string `json:"message"`
	} `json:"errors"`
	Contracts map[string]map[string]struct {
		ABI json.RawMessage `json:"abi"`
		EVM struct {
			Bytecode struct {
				Object string `json:"object"`
			} `json:"bytecode"`
		} `json:"evm"`
	} `json:"contracts"`
}

// Version reports the compiler's version string.
func (c *Compiler) Version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, c.Node, c.SolcJS, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("solc: version: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Compile compiles sources (file name → Solidity text; imports resolve
// among these names) and returns every contract defined in them, sorted by
// name. Warnings are ignored; any error fails the compilation with the
// compiler's messages.
func (c *Compiler) Compile(ctx context.Context, sources map[string]string) ([]Artifact, error) {
	in := stdInput{Language: "Solidity", Sources: map[string]stdSource{}}
	for name, text := range sources {
		in.Sources[name] = stdSource{Content: text}
	}
	in.Settings = stdSettings{
		EVMVersion: EVMVersion,
		Optimizer:  stdOptimizer{Enabled: true, Runs: OptimizerRuns},
		OutputSelection: map[string]map[string][]string{
			"*": {"*": {"abi", "evm.bytecode.object"}},
		},
	}
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, c.Node, c.SolcJS, "--standard-json")
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("solc: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	// solcjs may print a notice before the JSON document.
	if i := bytes.IndexByte(raw, '{'); i > 0 {
		raw = raw[i:]
	}
	var out stdOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("solc: parse output: %w", err)
	}
	var msgs []string
	for _, e := range out.Errors {
		if e.Severity == "error" {
			msgs = append(msgs, e.FormattedMessage)
		}
	}
	if len(msgs) > 0 {
		return nil, errors.New("solc: " + strings.Join(msgs, "\n"))
	}
	var arts []Artifact
	for file, contracts := range out.Contracts {
		if _, ok := sources[file]; !ok {
			continue
		}
		for name, ct := range contracts {
			arts = append(arts, Artifact{Name: name, ABI: ct.ABI, Bin: ct.EVM.Bytecode.Object})
		}
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].Name < arts[j].Name })
	return arts, nil
}
