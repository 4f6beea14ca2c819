package settle

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/contracts/solc"
)

// FinalKey is the verifying key of one job kind's final proof (the proof a
// chain verifies), named by the job kind ("zkvm", "rollup").
type FinalKey struct {
	Kind string
	VK   groth16.VerifyingKey
}

// ExportedVerifier lists the files WriteVerifier wrote.
type ExportedVerifier struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	// Bin and ABI are set when the source was compiled.
	Bin string `json:"bin,omitempty"`
	ABI string `json:"abi,omitempty"`
}

var kindName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// WriteVerifier exports k's Solidity verifier to dir/<kind>/Verifier.sol
// and, when c is not nil, compiles it to Verifier.bin (creation bytecode,
// hex) and Verifier.abi next to it.
func WriteVerifier(ctx context.Context, k FinalKey, dir string, c *solc.Compiler) (*ExportedVerifier, error) {
	if !kindName.MatchString(k.Kind) {
		return nil, fmt.Errorf("settle: bad job kind name %q", k.Kind)
	}
	var src bytes.Buffer
	if err := ExportVerifier(k.VK, &src); err != nil {
		return nil, fmt.Errorf("%s: %w", k.Kind, err)
	}
	out := filepath.Join(dir, k.Kind)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	e := &ExportedVerifier{Kind: k.Kind, Source: filepath.Join(out, "Verifier.sol")}
	if err := os.WriteFile(e.Source, src.Bytes(), 0o644); err != nil {
		return nil, err
	}
	if c == nil {
		return e, nil
	}
	a, err := compileVerifier(ctx, src.String(), c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.Kind, err)
	}
	e.Bin = filepath.Join(out, "Verifier.bin")
	e.ABI = filepath.Join(out, "Verifier.abi")
	if err := os.WriteFile(e.Bin, []byte(a.Bin+"\n"), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(e.ABI, append([]byte(a.ABI), '\n'), 0o644); err != nil {
		return nil, err
	}
	return e, nil
}

// CompileVerifier exports vk's verifier and compiles it with c, returning
// the creation bytecode to deploy (for the sim settler of a real key).
func CompileVerifier(ctx context.Context, vk groth16.VerifyingKey, c *solc.Compiler) ([]byte, error) {
	var src bytes.Buffer
	if err := ExportVerifier(vk, &src); err != nil {
		return nil, err
	}
	a, err := compileVerifier(ctx, src.String(), c)
	if err != nil {
		return nil, err
	}
	return common.FromHex(a.Bin), nil
}

func compileVerifier(ctx context.Context, src string, c *solc.Compiler) (*solc.Artifact, error) {
	arts, err := c.Compile(ctx, map[string]string{"Verifier.sol": src})
	if err != nil {
		return nil, err
	}
	for i := range arts {
		if arts[i].Name == "Verifier" {
			return &arts[i], nil
		}
	}
	return nil, fmt.Errorf("settle: solc produced no contract Verifier")
}
