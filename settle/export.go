package settle

import (
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"golang.org/x/crypto/sha3"
)

// SolidityProofLen is the length of a MarshalSolidity proof with one
// commitment: A, B, C (256 bytes), the commitment and its proof of
// knowledge (2 × 64).
const SolidityProofLen = 256 + 2*64

// ErrVerifyingKey reports a verifying key the Solidity export does not
// support.
var ErrVerifyingKey = errors.New("settle: unsupported verifying key")

// ProverOptions are the gnark prover options of every proof that is
// verified on-chain: the BSB22 commitment is hashed to the field with
// keccak256 the way the exported Solidity verifier recomputes it.
func ProverOptions() []backend.ProverOption {
	return []backend.ProverOption{solidity.WithProverTargetSolidityVerifier(backend.GROTH16)}
}

// VerifierOptions are the matching native verifier options.
func VerifierOptions() []backend.VerifierOption {
	return []backend.VerifierOption{solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)}
}

// CheckVerifyingKey checks that vk is a BN254 Groth16 key with the shape
// of a final proof: exactly one public input (the statement digest) and
// exactly one BSB22 commitment.
func CheckVerifyingKey(vk groth16.VerifyingKey) error {
	k, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return fmt.Errorf("%w: %T is not a BN254 Groth16 key", ErrVerifyingKey, vk)
	}
	if n := len(k.PublicAndCommitmentCommitted); n != 1 {
		return fmt.Errorf("%w: %d commitments, want exactly 1", ErrVerifyingKey, n)
	}
	// K holds a base for the constant one, each public input and each
	// commitment's hash.
	if n := len(k.G1.K) - 1 - len(k.PublicAndCommitmentCommitted); n != 1 {
		return fmt.Errorf("%w: %d public inputs, want 1 (the statement digest)", ErrVerifyingKey, n)
	}
	return nil
}

// ExportVerifier writes the Solidity verifier of vk (contract Verifier, an
// IGroth16Verifier): gnark's export with keccak256 hash-to-field, for
// proofs made with ProverOptions.
func ExportVerifier(vk groth16.VerifyingKey, w io.Writer) error {
	if err := CheckVerifyingKey(vk); err != nil {
		return err
	}
	return vk.ExportSolidity(w,
		solidity.WithHashToFieldFunction(sha3.NewLegacyKeccak256()),
		solidity.WithPragmaVersion("^0.8.24"))
}

// MarshalProof encodes a proof for the verifier's verifyProof (gnark's
// MarshalSolidity, SolidityProofLen bytes).
func MarshalProof(proof groth16.Proof) ([]byte, error) {
	p, ok := proof.(*groth16bn254.Proof)
	if !ok {
		return nil, fmt.Errorf("settle: %T is not a BN254 Groth16 proof", proof)
	}
	if len(p.Commitments) != 1 {
		return nil, fmt.Errorf("settle: proof has %d commitments, want exactly 1", len(p.Commitments))
	}
	b := p.MarshalSolidity()
	if len(b) != SolidityProofLen {
		return nil, fmt.Errorf("settle: solidity proof is %d bytes, want %d", len(b), SolidityProofLen)
	}
	return b, nil
}

// PublicWitness is the public witness of a final proof whose digest is d,
// for native verification.
func PublicWitness(d *big.Int) (witness.Witness, error) {
	w, err := witness.New(ecc.BN254.ScalarField())
	if err != nil {
		return nil, err
	}
	values := make(chan any, 1)
	values <- new(big.Int).Set(d)
	close(values)
	if err := w.Fill(1, 0, values); err != nil {
		return nil, fmt.Errorf("settle: public witness: %w", err)
	}
	return w, nil
}
