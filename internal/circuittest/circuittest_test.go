package circuittest

import (
	"path/filepath"
	"testing"

	"github.com/consensys/gnark/frontend"
)

// toyLeaf has a leaf's shape: one public input (the "digest") and one
// BSB22 commitment. Its setup and proof take milliseconds.
type toyLeaf struct {
	Digest frontend.Variable `gnark:",public"`
	X      frontend.Variable
}

func (c *toyLeaf) Define(api frontend.API) error {
	cm, err := api.(frontend.Committer).Commit(c.X)
	if err != nil {
		return err
	}
	api.AssertIsDifferent(cm, 0)
	api.AssertIsEqual(api.Mul(c.X, c.X), c.Digest)
	return nil
}

func TestProveLeaf(t *testing.T) {
	k, p := ProveLeaf(t, &toyLeaf{}, &toyLeaf{X: 7, Digest: 49})
	other := k.Prove(t, &toyLeaf{X: 8, Digest: 64})
	if err := k.Verify(p.Proof, other.Public); err == nil {
		t.Fatal("a proof verified under another statement")
	}
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "counts.golden")
	Golden(t, path, "n=1\n", true)
	Golden(t, path, "n=1\n", false)
	ok := t.Run("changed", func(t *testing.T) {
		ft := &fakeTB{TB: t}
		func() {
			defer func() { recover() }()
			Golden(ft, path, "n=2\n", false)
		}()
		if !ft.failed {
			t.Error("a changed count passed")
		}
	})
	if !ok {
		t.Fatal("golden mismatch not reported")
	}
}

// fakeTB records Fatalf instead of failing the real test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
