package agg

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
)

// The fold circuit verifies proofs made with its own verifying key, and it
// embeds that key's G2 points as constants. They are known before the
// circuit is compiled because a Groth16 setup draws its toxic waste (α, β,
// γ, δ, the commitment's G and σ) from the random source in the same order
// whatever the circuit, given one commitment. SetupFold runs gnark's setup
// twice from the same secret stream: once on a one-constraint circuit with
// one commitment, to learn the fold key's fixed part, then on the fold
// circuit that embeds it. It checks that the second setup produced exactly
// that fixed part.
//
// The stream is AES-256-CTR under a fresh key from the operating system,
// erased when the setup returns: the toxic waste is as secret as in a plain
// gnark setup. Like every zkfleet setup this is a development setup; a
// ceremony would have to fix the fold's δ and σ before its second phase.

// foldSetupAttempts bounds the retries when another goroutine read the
// process-wide random source during a setup and shifted the stream.
const foldSetupAttempts = 3

// ErrSetupRandomness is returned when the fold key could not be generated
// with the fixed part its circuit embeds.
var ErrSetupRandomness = errors.New("agg: fold setup: the key's G2 points differ from the ones the circuit embeds")

// CompileFold compiles the fold circuit for children shaped like childShape,
// with the fixed keys of every kind (the fold's own last).
func CompileFold(childShape constraint.ConstraintSystem, keys [NumKinds]FixedKey) (constraint.ConstraintSystem, error) {
	c, err := Placeholder(childShape, keys)
	if err != nil {
		return nil, err
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("agg: compile fold: %w", err)
	}
	// A fold verifies folds: its own public inputs and commitment must be
	// laid out like its children's.
	own, err := Placeholder(ccs, keys)
	if err != nil {
		return nil, fmt.Errorf("agg: the fold circuit cannot verify itself: %w", err)
	}
	if fmt.Sprint(own.Committed) != fmt.Sprint(c.Committed) {
		return nil, fmt.Errorf("agg: the fold's commitment covers public inputs %v, its children's %v", own.Committed, c.Committed)
	}
	return ccs, nil
}

// SetupFold compiles the fold circuit for the given leaf keys (cpu,
// memory, input, output) and generates its keys.
func SetupFold(childShape constraint.ConstraintSystem, leaves [NumKinds - 1]FixedKey) (constraint.ConstraintSystem, groth16.ProvingKey, groth16.VerifyingKey, error) {
	for range foldSetupAttempts {
		var seed [32]byte
		if _, err := io.ReadFull(rand.Reader, seed[:]); err != nil {
			return nil, nil, nil, fmt.Errorf("agg: fold setup: %w", err)
		}
		ccs, pk, vk, err := setupFoldFrom(&seed, childShape, leaves)
		clear(seed[:])
		if errors.Is(err, ErrSetupRandomness) {
			continue
		}
		return ccs, pk, vk, err
	}
	return nil, nil, nil, ErrSetupRandomness
}

func setupFoldFrom(seed *[32]byte, childShape constraint.ConstraintSystem, leaves [NumKinds - 1]FixedKey) (constraint.ConstraintSystem, groth16.ProvingKey, groth16.VerifyingKey, error) {
	preview, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &previewCircuit{})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("agg: fold setup: %w", err)
	}
	_, pvk, err := seededSetup(seed, preview)
	if err != nil {
		return nil, nil, nil, err
	}
	own, err := FixedKeyOf(pvk)
	if err != nil {
		return nil, nil, nil, err
	}
	var keys [NumKinds]FixedKey
	copy(keys[:], leaves[:])
	keys[NumKinds-1] = own
	ccs, err := CompileFold(childShape, keys)
	if err != nil {
		return nil, nil, nil, err
	}
	pk, vk, err := seededSetup(seed, ccs)
	if err != nil {
		return nil, nil, nil, err
	}
	got, err := FixedKeyOf(vk)
	if err != nil {
		return nil, nil, nil, err
	}
	if !got.Equal(&own) {
		return nil, nil, nil, ErrSetupRandomness
	}
	return ccs, pk, vk, nil
}

// previewCircuit has one commitment (from the range checker), like the
// fold circuit, so that a setup draws the same randomness in the same order.
type previewCircuit struct {
	X frontend.Variable `gnark:",public"`
}

func (c *previewCircuit) Define(api frontend.API) error {
	rangecheck.New(api).Check(c.X, 8)
	return nil
}

// setupMu serializes the setups that replace crypto/rand.Reader.
var setupMu sync.Mutex

// seededSetup runs groth16.Setup with crypto/rand.Reader replaced by the
// AES-CTR stream of seed (gnark and gnark-crypto draw their setup
// randomness from it).
func seededSetup(seed *[32]byte, ccs constraint.ConstraintSystem) (groth16.ProvingKey, groth16.VerifyingKey, error) {
	block, err := aes.NewCipher(seed[:])
	if err != nil {
		return nil, nil, fmt.Errorf("agg: fold setup: %w", err)
	}
	var iv [aes.BlockSize]byte
	s := &lockedStream{r: cipher.StreamReader{S: cipher.NewCTR(block, iv[:]), R: zeroReader{}}}
	setupMu.Lock()
	defer setupMu.Unlock()
	saved := rand.Reader
	rand.Reader = s
	defer func() { rand.Reader = saved }()
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return nil, nil, fmt.Errorf("agg: fold setup: %w", err)
	}
	return pk, vk, nil
}

// lockedStream makes a reader safe for the concurrent readers a global
// random source may have.
type lockedStream struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedStream) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
