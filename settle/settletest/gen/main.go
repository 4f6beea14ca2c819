// Command gen writes settletest's keys (only when keys/tiny.vk does not
// exist or is empty: a new setup draws new randomness), exports the Solidity verifier of
// keys/tiny.vk and compiles it with the pinned solcjs.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/zkfleet/zkfleet/contracts/solc"
	"github.com/zkfleet/zkfleet/settle"
	"github.com/zkfleet/zkfleet/settle/settletest"
)

func main() {
	if err := run(context.Background(), "keys"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string) error {
	vkPath := filepath.Join(dir, "tiny.vk")
	// An empty key file (as left to bootstrap the package's embeds) also
	// asks for a setup.
	if fi, err := os.Stat(vkPath); errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		if err := setup(dir); err != nil {
			return err
		}
	}
	raw, err := os.ReadFile(vkPath)
	if err != nil {
		return err
	}
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if _, err := vk.ReadFrom(bytes.NewReader(raw)); err != nil {
		return err
	}
	var sol bytes.Buffer
	if err := settle.ExportVerifier(vk, &sol); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Verifier.sol"), sol.Bytes(), 0o644); err != nil {
		return err
	}
	c, err := solc.Find("")
	if err != nil {
		return err
	}
	arts, err := c.Compile(ctx, map[string]string{"Verifier.sol": sol.String()})
	if err != nil {
		return err
	}
	for _, a := range arts {
		if a.Name == "Verifier" {
			return os.WriteFile(filepath.Join(dir, "Verifier.bin"), []byte(a.Bin+"\n"), 0o644)
		}
	}
	return errors.New("no contract Verifier in the compiled output")
}

func setup(dir string) error {
	ccs, err := settletest.Compile()
	if err != nil {
		return err
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return err
	}
	var pkb, vkb bytes.Buffer
	if _, err := pk.WriteTo(&pkb); err != nil {
		return err
	}
	if _, err := vk.WriteTo(&vkb); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "tiny.pk"), pkb.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "tiny.vk"), vkb.Bytes(), 0o644)
}
