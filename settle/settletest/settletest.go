// Package settletest is a tiny Groth16/BN254 circuit with the public-input
// shape of zkfleet's final proofs (one public input, the statement digest,
// and one BSB22 commitment), its keys, and its exported Solidity verifier
// compiled by the pinned solcjs. It lets tests settle real proofs on a real
// EVM without the setup of the project's big circuits, which takes tens of
// minutes and gigabytes.
//
// The keys in keys/ come from one development setup (local randomness) and
// are committed so the verifier bytecode next to them is reproducible;
// `go generate` re-exports Verifier.sol from keys/tiny.vk and recompiles it
// (and runs the setup only when keys/ is empty).
package settletest

import (
	"bytes"
	_ "embed"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/settle"
)

//go:generate go run ./gen

// Circuit proves knowledge of two factors A, B of the public Digest, and
// commits (BSB22) to the digest and both factors, so the commitment's hash
// covers a public input as well as witness values, as in the fold circuit.
type Circuit struct {
	Digest frontend.Variable `gnark:",public"`
	A, B   frontend.Variable
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.A, c.B), c.Digest)
	committer, ok := api.(frontend.Committer)
	if !ok {
		return fmt.Errorf("settletest: builder has no commitments")
	}
	cm, err := committer.Commit(c.Digest, c.A, c.B)
	if err != nil {
		return err
	}
	// Use the commitment: a challenge-weighted sum that must be non-zero.
	api.AssertIsDifferent(api.Add(api.Mul(cm, c.A), c.B), 0)
	return nil
}

var (
	//go:embed keys/tiny.pk
	pkBytes []byte
	//go:embed keys/tiny.vk
	vkBytes []byte
	//go:embed keys/Verifier.bin
	verifierBin string
	//go:embed keys/Verifier.sol
	verifierSol []byte
)

// Keys are the circuit's constraint system and keys.
type Keys struct {
	CCS constraint.ConstraintSystem
	PK  groth16.ProvingKey
	VK  groth16.VerifyingKey
}

// Compile compiles Circuit.
func Compile() (constraint.ConstraintSystem, error) {
	return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &Circuit{})
}

// Load compiles the circuit and decodes the committed keys.
func Load() (*Keys, error) {
	ccs, err := Compile()
	if err != nil {
		return nil, err
	}
	pk := groth16.NewProvingKey(ecc.BN254)
	if _, err := pk.ReadFrom(bytes.NewReader(pkBytes)); err != nil {
		return nil, fmt.Errorf("settletest: proving key: %w", err)
	}
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if _, err := vk.ReadFrom(bytes.NewReader(vkBytes)); err != nil {
		return nil, fmt.Errorf("settletest: verifying key: %w", err)
	}
	return &Keys{CCS: ccs, PK: pk, VK: vk}, nil
}

// Prove proves the circuit for digest d (with A = d, B = 1), with the
// options of on-chain proofs, checks the proof natively, and returns it
// encoded for the Solidity verifier.
func (k *Keys) Prove(d *big.Int) ([]byte, error) {
	w, err := frontend.NewWitness(&Circuit{Digest: d, A: d, B: 1}, ecc.BN254.ScalarField())
	if err != nil {
		return nil, err
	}
	proof, err := groth16.Prove(k.CCS, k.PK, w, settle.ProverOptions()...)
	if err != nil {
		return nil, fmt.Errorf("settletest: prove: %w", err)
	}
	pub, err := settle.PublicWitness(d)
	if err != nil {
		return nil, err
	}
	if err := groth16.Verify(proof, k.VK, pub, settle.VerifierOptions()...); err != nil {
		return nil, fmt.Errorf("settletest: native verify: %w", err)
	}
	return settle.MarshalProof(proof)
}

// VerifierBytecode is the creation bytecode of keys/Verifier.sol.
func VerifierBytecode() []byte { return common.FromHex(string(bytes.TrimSpace([]byte(verifierBin)))) }

// VerifierSource is keys/Verifier.sol, exported from keys/tiny.vk.
func VerifierSource() []byte { return verifierSol }
