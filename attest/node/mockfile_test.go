package node

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/engine/mock"
	"github.com/zkfleet/zkfleet/guest"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// TestZKVMVerifierRefusesMockFile: a mock prover's file of a real guest
// run is never attested by the zkVM verifier, whatever digest it is
// asked under, and has no zkVM statement digest.
func TestZKVMVerifierRefusesMockFile(t *testing.T) {
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	spec := engine.Spec{Kind: engine.KindRISCV, ELF: elf, Input: []byte{10, 0, 0, 0}}
	p, err := mock.RISCV(mock.DefaultShape, 0).Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	file := mock.File(p, spec, make([]byte, 32))
	if _, isMock, _ := engine.ProofKind(file); !isMock {
		t.Fatal("test file is not a mock file")
	}
	if _, err := ProofFileStatementDigest(file); err == nil {
		t.Fatal("a mock file has a zkVM statement digest")
	}
	ks, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]attest.Digest{"zero digest": {}, "file hash": sha256.Sum256(file)} {
		err := ZKVMVerifier{Keys: ks}.Verify(context.Background(), &attest.Request{StatementDigest: d, Proof: file, ELF: elf, Input: spec.Input})
		if !errors.Is(err, ErrProofRejected) {
			t.Errorf("%s: want ErrProofRejected, got %v", name, err)
		}
	}
}
