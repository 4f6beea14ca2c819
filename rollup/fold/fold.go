// Package fold is the rollup's fold circuit: it verifies two child
// Groth16/BN254 proofs in-circuit (chunk proofs of rollup/circuit or
// earlier folds), enforces batch.Combine on their chunk statements and
// states the combined statement. Its root variant also enforces
// batch.CheckRoot against a batch statement and exposes
// batch.Statement.PublicInput() as its single public input.
//
// # What a proof states
//
// A chunk proof's public input is the chunk statement's digest
// (batch.ChunkStatement.Digest). A fold proof's public input is
// Output(s, keys): the digest of its combined statement s bound to the
// hashes of the chunk and fold verifying keys it accepted (Keys). A fold
// child must state the same Keys as its parent, so every fold of a tree
// accepts the same two keys; the root fold pins them to constants fixed
// when it is compiled (after the chunk and fold keys exist), and the
// verifier trusts the root key. Its public input is the batch statement's
// PublicInput: SHA-256 of the statement encoding, reduced modulo r.
//
// # In-circuit verifier
//
// The children's verifying keys are witnesses (the fold's own key is not
// known when it is compiled), checked with gnark's std/recursion/groth16
// verifier; each key is bound to Keys.Chunk or Keys.Fold by VKHash over
// its limbs. This costs more than zkvm/agg's verifier with embedded fixed
// keys (all G2 points are witnesses, so no precomputed lines); see
// testdata/constraints.golden.
//
// The soundness argument, value by value, is in soundness.go.
package fold

import (
	"fmt"
	"reflect"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/schema"
	"github.com/consensys/gnark/std/algebra/emulated/sw_bn254"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/std/math/uints"
	"github.com/consensys/gnark/std/rangecheck"
	stdgroth16 "github.com/consensys/gnark/std/recursion/groth16"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// Tags separating the fold's hashes from every other hash.
const (
	// TagVK opens the hash of a verifying key (VKHash).
	TagVK = 0x726b00 + claim.Version
	// TagOutput opens a fold's public input (Output).
	TagOutput = 0x726f00 + claim.Version
)

type (
	// Proof is a child proof as circuit witness.
	Proof = stdgroth16.Proof[sw_bn254.G1Affine, sw_bn254.G2Affine]
	// VerifyingKey is a child verifying key as circuit witness.
	VerifyingKey = stdgroth16.VerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl]
)

// Keys are the hashes (VKHash) of the two verifying keys a fold tree
// accepts.
type Keys struct {
	Chunk, Fold fr.Element
}

// Statement is a chunk statement as circuit variables, in the field order
// of batch.ChunkStatement.
type Statement struct {
	BatchID, First, Count frontend.Variable
	PreRoot, PostRoot     frontend.Variable
	AccIn, AccOut         [3]frontend.Variable // batch hash, withdrawals, deposits
	CountIn, CountOut     [3]frontend.Variable // txs, withdrawals, deposits
}

// AssignStatement returns s as a witness.
func AssignStatement(s *batch.ChunkStatement) Statement {
	return Statement{
		BatchID: s.BatchID, First: s.First, Count: s.Count,
		PreRoot: s.PreRoot, PostRoot: s.PostRoot,
		AccIn:    [3]frontend.Variable{s.AccIn.BatchHash, s.AccIn.Withdrawals, s.AccIn.Deposits},
		AccOut:   [3]frontend.Variable{s.AccOut.BatchHash, s.AccOut.Withdrawals, s.AccOut.Deposits},
		CountIn:  [3]frontend.Variable{s.CountIn.Txs, s.CountIn.Withdrawals, s.CountIn.Deposits},
		CountOut: [3]frontend.Variable{s.CountOut.Txs, s.CountOut.Withdrawals, s.CountOut.Deposits},
	}
}

func (s *Statement) digest(api frontend.API) (frontend.Variable, error) {
	elems := []frontend.Variable{state.TagChunk, s.BatchID, s.First, s.Count, s.PreRoot, s.PostRoot}
	elems = append(elems, s.AccIn[:]...)
	elems = append(elems, s.AccOut[:]...)
	elems = append(elems, s.CountIn[:]...)
	elems = append(elems, s.CountOut[:]...)
	return gadget.Sponge(api, elems...)
}

// integers lists the statement's 64-bit fields.
func (s *Statement) integers() []frontend.Variable {
	out := []frontend.Variable{s.BatchID, s.First, s.Count}
	out = append(out, s.CountIn[:]...)
	return append(out, s.CountOut[:]...)
}

// Output is a (non-root) fold's public input for statement s under keys:
// Sponge(TagOutput, s.Digest(), keys.Chunk, keys.Fold).
func Output(s *batch.ChunkStatement, keys Keys) fr.Element {
	return claim.Sponge(claim.U64(TagOutput), s.Digest(), keys.Chunk, keys.Fold)
}

// Child is one verified child: its proof, its verifying key, whether it is
// a fold (else a chunk proof) and its statement.
type Child struct {
	Proof  Proof
	VK     VerifyingKey
	IsFold frontend.Variable
	Stmt   Statement
}

// BatchStatement is a batch.Statement as circuit variables (root only).
type BatchStatement struct {
	BatchID                                                             frontend.Variable
	PreStateRoot, PostStateRoot, BatchHash, WithdrawalRoot, DepositRoot frontend.Variable
	TxCount, TransferCount, WithdrawalCount, DepositCount               frontend.Variable
}

// AssignBatch returns s as a witness.
func AssignBatch(s *batch.Statement) BatchStatement {
	return BatchStatement{
		BatchID: s.BatchID, PreStateRoot: s.PreStateRoot, PostStateRoot: s.PostStateRoot,
		BatchHash: s.BatchHash, WithdrawalRoot: s.WithdrawalRoot, DepositRoot: s.DepositRoot,
		TxCount: s.TxCount, TransferCount: s.TransferCount, WithdrawalCount: s.WithdrawalCount, DepositCount: s.DepositCount,
	}
}

// Fold is the fold circuit. Public is Output(combined statement, Keys) for
// an inner fold, Batch.PublicInput() for the root. Root and RootKeys are
// compile-time constants.
type Fold struct {
	Public      frontend.Variable `gnark:",public"`
	Left, Right Child
	// ChunkVK and FoldVK are the key hashes this fold accepts (witnesses;
	// bound by Public, or by RootKeys in the root).
	ChunkVK, FoldVK frontend.Variable
	// Batch is the batch statement (root only; ignored otherwise).
	Batch BatchStatement

	Root     bool `gnark:"-"`
	RootKeys Keys `gnark:"-"`
}

// Placeholder returns an inner fold circuit for children shaped like
// childShape (one public input, one commitment: the chunk circuit's and
// the fold's own shape).
func Placeholder(childShape constraint.ConstraintSystem) (*Fold, error) {
	if n := childShape.GetNbPublicVariables(); n != 2 {
		return nil, fmt.Errorf("fold: children have %d public inputs, want 1", n-1)
	}
	if n := len(childShape.GetCommitments().CommitmentIndexes()); n != 1 {
		return nil, fmt.Errorf("fold: children have %d commitments, want 1", n)
	}
	c := &Fold{}
	for _, ch := range []*Child{&c.Left, &c.Right} {
		ch.Proof = stdgroth16.PlaceholderProof[sw_bn254.G1Affine, sw_bn254.G2Affine](childShape)
		ch.VK = stdgroth16.PlaceholderVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](childShape)
	}
	return c, nil
}

// RootPlaceholder returns the root fold circuit accepting exactly keys.
func RootPlaceholder(childShape constraint.ConstraintSystem, keys Keys) (*Fold, error) {
	c, err := Placeholder(childShape)
	if err != nil {
		return nil, err
	}
	c.Root, c.RootKeys = true, keys
	return c, nil
}

// Define implements frontend.Circuit.
func (c *Fold) Define(api frontend.API) error {
	rc := rangecheck.New(api)
	ver, err := stdgroth16.NewVerifier[sw_bn254.ScalarField, sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](api)
	if err != nil {
		return fmt.Errorf("fold: verifier: %w", err)
	}
	frField, err := emulated.NewField[sw_bn254.ScalarField](api)
	if err != nil {
		return fmt.Errorf("fold: scalar field: %w", err)
	}
	for _, ch := range []*Child{&c.Left, &c.Right} {
		for _, v := range ch.Stmt.integers() {
			rc.Check(v, 64)
		}
		api.AssertIsBoolean(ch.IsFold)
		h, err := vkHashVar(api, &ch.VK)
		if err != nil {
			return err
		}
		api.AssertIsEqual(h, api.Select(ch.IsFold, c.FoldVK, c.ChunkVK))
		d, err := ch.Stmt.digest(api)
		if err != nil {
			return err
		}
		out, err := gadget.Sponge(api, TagOutput, d, c.ChunkVK, c.FoldVK)
		if err != nil {
			return err
		}
		pub := api.Select(ch.IsFold, out, d)
		w := stdgroth16.Witness[sw_bn254.ScalarField]{Public: []emulated.Element[sw_bn254.ScalarField]{
			*frField.FromBits(api.ToBinary(pub, 254)...),
		}}
		if err := ver.AssertProof(ch.VK, ch.Proof, w); err != nil {
			return fmt.Errorf("fold: child: %w", err)
		}
	}

	// batch.Combine.
	a, b := &c.Left.Stmt, &c.Right.Stmt
	api.AssertIsEqual(a.BatchID, b.BatchID)
	api.AssertIsDifferent(a.Count, 0)
	api.AssertIsDifferent(b.Count, 0)
	api.AssertIsEqual(b.First, api.Add(a.First, a.Count)) // both 64-bit: no wrap
	api.AssertIsEqual(b.PreRoot, a.PostRoot)
	for k := range a.AccOut {
		api.AssertIsEqual(b.AccIn[k], a.AccOut[k])
		api.AssertIsEqual(b.CountIn[k], a.CountOut[k])
	}
	out := Statement{
		BatchID: a.BatchID, First: a.First, Count: api.Add(a.Count, b.Count),
		PreRoot: a.PreRoot, PostRoot: b.PostRoot,
		AccIn: a.AccIn, AccOut: b.AccOut, CountIn: a.CountIn, CountOut: b.CountOut,
	}
	rc.Check(out.Count, 64)

	if !c.Root {
		d, err := out.digest(api)
		if err != nil {
			return err
		}
		o, err := gadget.Sponge(api, TagOutput, d, c.ChunkVK, c.FoldVK)
		if err != nil {
			return err
		}
		api.AssertIsEqual(o, c.Public)
		return nil
	}
	api.AssertIsEqual(c.ChunkVK, c.RootKeys.Chunk)
	api.AssertIsEqual(c.FoldVK, c.RootKeys.Fold)
	return c.checkRoot(api, rc, &out)
}

// checkRoot is batch.CheckRoot in-circuit, and Public = Batch.PublicInput().
func (c *Fold) checkRoot(api frontend.API, rc frontend.Rangechecker, root *Statement) error {
	s := &c.Batch
	for _, v := range []frontend.Variable{s.BatchID, s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		rc.Check(v, 64)
	}
	api.AssertIsEqual(s.TxCount, api.Add(s.TransferCount, s.WithdrawalCount, s.DepositCount))
	api.AssertIsEqual(root.BatchID, s.BatchID)
	api.AssertIsEqual(root.First, 0)
	for k := range root.AccIn {
		api.AssertIsEqual(root.AccIn[k], 0)
		api.AssertIsEqual(root.CountIn[k], 0)
	}
	api.AssertIsEqual(root.PreRoot, s.PreStateRoot)
	api.AssertIsEqual(root.PostRoot, s.PostStateRoot)
	api.AssertIsEqual(root.AccOut[0], s.BatchHash)
	api.AssertIsEqual(root.AccOut[1], s.WithdrawalRoot)
	api.AssertIsEqual(root.AccOut[2], s.DepositRoot)
	api.AssertIsEqual(root.CountOut[0], s.TxCount)
	api.AssertIsEqual(root.CountOut[1], s.WithdrawalCount)
	api.AssertIsEqual(root.CountOut[2], s.DepositCount)

	// The statement encoding (batch.Statement.Encode), hashed with SHA-256.
	u64, err := uints.New[uints.U64](api)
	if err != nil {
		return fmt.Errorf("fold: uints: %w", err)
	}
	enc := uints.NewU8Array([]byte(batch.StatementMagic))
	enc = append(enc, uints.NewU8(byte(batch.StatementVersion>>8)), uints.NewU8(byte(batch.StatementVersion)))
	enc = append(enc, u64.UnpackMSB(u64.ValueOf(s.BatchID))...)
	for _, e := range []frontend.Variable{s.PreStateRoot, s.PostStateRoot, s.BatchHash, s.WithdrawalRoot, s.DepositRoot} {
		enc = append(enc, bigEndian32(api, u64, e)...)
	}
	for _, v := range []frontend.Variable{s.TxCount, s.TransferCount, s.WithdrawalCount, s.DepositCount} {
		enc = append(enc, u64.UnpackMSB(u64.ValueOf(v))...)
	}
	if len(enc) != batch.StatementSize {
		return fmt.Errorf("fold: statement encoding of %d bytes, want %d", len(enc), batch.StatementSize)
	}
	h, err := sha2.New(api)
	if err != nil {
		return fmt.Errorf("fold: sha256: %w", err)
	}
	h.Write(enc)
	sum := h.Sum()
	// The digest as a big-endian integer, reduced modulo r by the field.
	acc := frontend.Variable(0)
	for _, by := range sum {
		acc = api.Add(api.Mul(acc, 256), u64.ByteValueOf(by.Val).Val)
	}
	api.AssertIsEqual(acc, c.Public)
	return nil
}

// bigEndian32 is the canonical 32-byte big-endian encoding of e (its
// 254-bit decomposition is checked to be below r).
func bigEndian32(api frontend.API, u64 *uints.BinaryField[uints.U64], e frontend.Variable) []uints.U8 {
	bits := api.ToBinary(e, 254)
	out := make([]uints.U8, 32)
	for j := range out { // byte j holds bits 8·(31−j) … 8·(31−j)+7
		v := frontend.Variable(0)
		for i := 7; i >= 0; i-- {
			idx := 8*(31-j) + i
			v = api.Mul(v, 2)
			if idx < len(bits) {
				v = api.Add(v, bits[idx])
			}
		}
		out[j] = u64.ByteValueOf(v)
	}
	return out
}

// vkHolder lays a verifying key out with gnark's witness schema, so the
// native hash (VKHash, over the witness vector) and the in-circuit hash
// (vkHashVar, walking the same schema over the circuit's variables) read
// its limbs in the same order.
type vkHolder struct{ VK VerifyingKey }

func (*vkHolder) Define(frontend.API) error { return nil }

var tVariable = reflect.ValueOf(struct{ A frontend.Variable }{}).FieldByName("A").Type()

func vkHashVar(api frontend.API, vk *VerifyingKey) (frontend.Variable, error) {
	elems := []frontend.Variable{TagVK}
	h := &vkHolder{VK: *vk}
	_, err := schema.Walk(ecc.BN254.ScalarField(), h, tVariable, func(_ schema.LeafInfo, v reflect.Value) error {
		elems = append(elems, v.Interface())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fold: vk limbs: %w", err)
	}
	return gadget.Sponge(api, elems...)
}

// VKHash is the hash of a child verifying key as the fold computes it:
// Sponge(TagVK, every limb of the key's circuit form).
func VKHash(vk groth16.VerifyingKey) (fr.Element, error) {
	v, err := stdgroth16.ValueOfVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](vk)
	if err != nil {
		return fr.Element{}, fmt.Errorf("fold: vk hash: %w", err)
	}
	w, err := frontend.NewWitness(&vkHolder{VK: v}, ecc.BN254.ScalarField())
	if err != nil {
		return fr.Element{}, fmt.Errorf("fold: vk hash: %w", err)
	}
	vec, ok := w.Vector().(fr.Vector)
	if !ok {
		return fr.Element{}, fmt.Errorf("fold: vk hash: unexpected witness vector %T", w.Vector())
	}
	return claim.Sponge(append([]fr.Element{claim.U64(TagVK)}, vec...)...), nil
}

// AssignChild returns the witness of a child: proof p of statement s under
// vk, a fold proof when isFold.
func AssignChild(p groth16.Proof, vk groth16.VerifyingKey, isFold bool, s *batch.ChunkStatement) (Child, error) {
	pr, err := stdgroth16.ValueOfProof[sw_bn254.G1Affine, sw_bn254.G2Affine](p)
	if err != nil {
		return Child{}, fmt.Errorf("fold: child proof: %w", err)
	}
	k, err := stdgroth16.ValueOfVerifyingKey[sw_bn254.G1Affine, sw_bn254.G2Affine, sw_bn254.GTEl](vk)
	if err != nil {
		return Child{}, fmt.Errorf("fold: child key: %w", err)
	}
	f := 0
	if isFold {
		f = 1
	}
	return Child{Proof: pr, VK: k, IsFold: f, Stmt: AssignStatement(s)}, nil
}
