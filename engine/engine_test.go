package engine

import (
	"errors"
	"fmt"
	"testing"
)

func TestTreeIsWellFormed(t *testing.T) {
	for n := 1; n <= 40; n++ {
		tr := Tree(n)
		if !CheckTree(tr, n) {
			t.Fatalf("Tree(%d) fails CheckTree: %+v", n, tr)
		}
	}
	if Tree(0) != nil {
		t.Fatal("Tree(0) must be empty")
	}
}

func TestCheckTreeRejects(t *testing.T) {
	good := Tree(4) // leaves 0..3, folds 4=(0,1) 5=(2,3) 6=(4,5)
	mutate := func(f func([]Node)) []Node {
		c := append([]Node(nil), good...)
		f(c)
		return c
	}
	cases := []struct {
		name  string
		nodes []Node
		n     int
	}{
		{"too few nodes", good[:6], 4},
		{"wrong leaf count", good, 3},
		{"child used twice", mutate(func(c []Node) { c[5].Left = 0 }), 4},
		{"child after parent", mutate(func(c []Node) { c[4].Right = 5 }), 4},
		{"leaf with children", mutate(func(c []Node) { c[0].Left = 1 }), 4},
		{"same child twice", mutate(func(c []Node) { c[4].Right = 0 }), 4},
		{"ids out of order", mutate(func(c []Node) { c[4].ID = 5 }), 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if CheckTree(tc.nodes, tc.n) {
				t.Fatal("accepted")
			}
		})
	}
}

func TestProofKind(t *testing.T) {
	cases := []struct {
		name string
		file string
		kind string
		mock bool
		err  bool
	}{
		{"riscv", RISCVMagic + "rest", KindRISCV, false, false},
		{"mock", MockMagic + "kind: riscv\nleaves: 3\n", KindRISCV, true, false},
		{"mock without kind", MockMagic + "leaves: 3\n", "", true, true},
		{"mock with a bad kind", MockMagic + "kind: ../x\n", "", true, true},
		{"unknown", "PK\x03\x04", "", false, true},
		{"empty", "", "", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, m, err := ProofKind([]byte(tc.file))
			if (err != nil) != tc.err || k != tc.kind || m != tc.mock {
				t.Fatalf("ProofKind = %q, %v, %v; want %q, %v, error %v", k, m, err, tc.kind, tc.mock, tc.err)
			}
			if err != nil && !errors.Is(err, ErrBadProof) {
				t.Fatalf("error %v is not ErrBadProof", err)
			}
		})
	}
}

func TestBackendsFor(t *testing.T) {
	bs := Backends{KindRISCV: nil}
	if _, err := bs.For("rollup"); !errors.Is(err, ErrUnknownKind) {
		t.Fatalf("unknown kind: %v", err)
	}
	if got := fmt.Sprint(Backends{"b": nil, "a": nil}.Kinds()); got != "[a b]" {
		t.Fatalf("Kinds = %s", got)
	}
}

func TestValidKindAndPermanent(t *testing.T) {
	for k, want := range map[string]bool{"riscv": true, "rollup-v2": true, "": false, "RISCV": false, "a/b": false} {
		if ValidKind(k) != want {
			t.Errorf("ValidKind(%q) != %v", k, want)
		}
	}
	for err, want := range map[error]bool{
		fmt.Errorf("x: %w", ErrBadProgram): true, ErrExecution: true, ErrBadProof: true, ErrLimit: true,
		ErrNoKey: false, errors.New("io"): false,
	} {
		if Permanent(err) != want {
			t.Errorf("Permanent(%v) != %v", err, want)
		}
	}
}

func TestRegisterProofMagic(t *testing.T) {
	if err := RegisterProofMagic("demo", "ZKFLEET DEMO\x00"); err != nil {
		t.Fatal(err)
	}
	if err := RegisterProofMagic("demo", "ZKFLEET DEMO\x00"); err != nil {
		t.Fatalf("registering the same magic again: %v", err)
	}
	if k, mock, err := ProofKind([]byte("ZKFLEET DEMO\x00rest")); err != nil || mock || k != "demo" {
		t.Fatalf("ProofKind of a demo file: %q %v %v", k, mock, err)
	}
	cases := []struct{ name, kind, magic string }{
		{"prefix of another", "other", "ZKFLEET DEMO"},
		{"extends another", "other", "ZKFLEET DEMO\x00v2"},
		{"riscv's", "other", RISCVMagic},
		{"the mock's", "other", "ZKFLEET MOCK"},
		{"too short", "other", "ZK"},
		{"bad kind", "Other", "ZKFLEET OTHER\x00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := RegisterProofMagic(tc.kind, tc.magic); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
