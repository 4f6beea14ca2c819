package agg

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

func TestProofFileRoundTrip(t *testing.T) {
	k := toySetup(t)
	c := chain(1, claim.U64(3))[0]
	p := toyProve(t, k, &c)
	f := &File{Statement: Statement{KeySet: "ab" + string(bytes.Repeat([]byte("0"), 62)), ExitCode: 7, Cycles: 99, Output: []byte("hi\n"), Leaves: 4}, Root: c, Proof: p}
	f.ProgramID[31], f.InputHash[31], f.OutputHash[31] = 1, 2, 3
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseFile(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := g.Marshal()
	if !bytes.Equal(b, b2) {
		t.Fatal("round trip changed the file")
	}
	if err := VerifyProof(k.vk, g.Proof, g.Root.Digest()); err != nil {
		t.Fatalf("parsed proof does not verify: %v", err)
	}
	for _, bad := range [][]byte{b[:len(b)-1], append(append([]byte{}, b...), 0), b[1:], {}} {
		if _, err := ParseFile(bad); !errors.Is(err, ErrFormat) {
			t.Fatalf("malformed file accepted: %v", err)
		}
	}
	// Every single-byte flip either fails to parse or changes something
	// the verifier checks (statement, root claim or proof).
	var pb bytes.Buffer
	p.WriteTo(&pb)
	claimStart := len(b) - pb.Len() - 4 - 32*claim.NumElements
	for i := range b {
		x := append([]byte{}, b...)
		x[i] ^= 0x01
		g, err := ParseFile(x)
		if err != nil {
			continue
		}
		if y, _ := g.Marshal(); bytes.Equal(y, b) {
			t.Fatalf("flip at %d parsed to the original", i)
		}
		// Flips in the root claim or the proof must break the Groth16 check
		// (statement-only flips are caught by CheckStatement, tested in
		// zkvm/prover).
		if i >= claimStart && VerifyProof(k.vk, g.Proof, g.Root.Digest()) == nil {
			t.Fatalf("flip at %d still verifies", i)
		}

	}
}
