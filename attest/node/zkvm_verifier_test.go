package node

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/agg"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

func testStatement() agg.Statement {
	st := agg.Statement{KeySet: strings.Repeat("ab", 32), ExitCode: 7, Cycles: 1234, Output: []byte("hello\n"), Leaves: 4}
	st.ProgramID[31], st.InputHash[31], st.OutputHash[31] = 1, 2, 3
	return st
}

// TestStatementDigestGolden locks the statement digest: a change of its
// definition changes every attestation and must show up in review.
func TestStatementDigestGolden(t *testing.T) {
	st := testStatement()
	d, err := StatementDigest(&st)
	if err != nil {
		t.Fatal(err)
	}
	// Computed independently from the definition in StatementDigest's doc.
	const golden = "718733fff978cf991e3c8d17c532f1eb980663cf6f05b344cd9e0cb044f08859"
	if d.String() != golden {
		t.Fatalf("statement digest %s, golden %s", d, golden)
	}
	for name, mutate := range map[string]func(*agg.Statement){
		"exit code": func(s *agg.Statement) { s.ExitCode++ },
		"cycles":    func(s *agg.Statement) { s.Cycles++ },
		"leaves":    func(s *agg.Statement) { s.Leaves++ },
		"output":    func(s *agg.Statement) { s.Output = []byte("hellO\n") },
		"program":   func(s *agg.Statement) { s.ProgramID[0] = 9 },
		"key set":   func(s *agg.Statement) { s.KeySet = strings.Repeat("cd", 32) },
	} {
		s := testStatement()
		mutate(&s)
		if d2, _ := StatementDigest(&s); d2 == d {
			t.Errorf("%s does not change the digest", name)
		}
	}
	bad := testStatement()
	bad.KeySet = "zz"
	if _, err := StatementDigest(&bad); err == nil {
		t.Error("malformed key set accepted")
	}
}

// TestZKVMVerifierWellFormedFile: a well-formed proof file (an empty
// Groth16 proof) whose key set the node's store does not hold is refused,
// and its statement digest is read from the file without verifying.
func TestZKVMVerifierWellFormedFile(t *testing.T) {
	// zkfleet proofs carry exactly one BSB22 commitment.
	proof := groth16.NewProof(ecc.BN254).(*groth16bn254.Proof)
	proof.Commitments = make([]bn254.G1Affine, 1)
	f := &agg.File{Statement: testStatement(), Proof: proof}
	raw, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ProofFileStatementDigest(raw)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := StatementDigest(&f.Statement); d != want {
		t.Fatal("digest of the file differs from the digest of its statement")
	}
	ks, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	names := guest.Examples()
	if len(names) == 0 {
		t.Fatal("no example guest")
	}
	elf, err := guest.Example(names[0])
	if err != nil {
		t.Fatal(err)
	}
	err = ZKVMVerifier{Keys: ks}.Verify(context.Background(), &attest.Request{StatementDigest: d, Proof: raw, ELF: elf})
	if !errors.Is(err, ErrProofRejected) || !strings.Contains(err.Error(), "key set") {
		t.Fatalf("want a refusal for the unknown key set, got %v", err)
	}
	err = ZKVMVerifier{Keys: ks}.Verify(context.Background(), &attest.Request{StatementDigest: d, Proof: raw})
	if !errors.Is(err, ErrProofRejected) {
		t.Fatalf("no ELF: want ErrProofRejected, got %v", err)
	}
	if _, err := ProofFileStatementDigest(raw[:len(raw)-1]); err == nil {
		t.Fatal("truncated file parsed")
	}
}
