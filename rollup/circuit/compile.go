package circuit

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/rollup/batch"
)

// Compile compiles the chunk circuit of a shape to R1CS over BN254 (about
// half a second and 33k constraints per slot at depth 32). The result is
// what a key setup and every chunk proof of that shape use.
func Compile(shape batch.Shape) (constraint.ConstraintSystem, error) {
	c, err := New(shape)
	if err != nil {
		return nil, err
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return nil, fmt.Errorf("circuit: compile %+v: %w", shape, err)
	}
	return ccs, nil
}

// Witness is the full witness of a prepared chunk under the rollup's
// verifying-key set vkSet; its public part is the digest of the chunk
// statement's claim alone (ch.Statement.Claim(vkSet).Digest()).
func Witness(shape batch.Shape, ch *batch.Chunk, vkSet fr.Element) (witness.Witness, error) {
	c, err := Assign(shape, ch, vkSet)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("circuit: witness: %w", err)
	}
	return w, nil
}
