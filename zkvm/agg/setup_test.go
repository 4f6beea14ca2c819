package agg

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// The tests below run seeded setups of tiny circuits through the same code
// as SetupFold: jobs registered here run in a re-executed test binary.

// fixedKeysResult is what the "test-fixed-keys" job reports.
type fixedKeysResult struct {
	SameStreamSameKey, OtherStreamSameKey, SameDigest bool
	SameDraws                                         bool // preview and toy leaf drew the same reads
}

var _ = registerIsolated("test-fixed-keys", func(context.Context, []byte) ([]byte, error) {
	preview, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &previewCircuit{})
	if err != nil {
		return nil, err
	}
	leaf, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &toyLeaf{})
	if err != nil {
		return nil, err
	}
	fixed := func(seed *[32]byte, ccs constraint.ConstraintSystem) (FixedKey, drawLog, error) {
		_, vk, l, err := seededSetup(seed, ccs, false)
		if err != nil {
			return FixedKey{}, l, err
		}
		k, err := FixedKeyOf(vk)
		return k, l, err
	}
	var s1, s2 [32]byte
	rand.Read(s1[:])
	rand.Read(s2[:])
	a, la, err := fixed(&s1, preview)
	if err != nil {
		return nil, err
	}
	b, lb, err := fixed(&s1, leaf)
	if err != nil {
		return nil, err
	}
	c, _, err := fixed(&s2, leaf)
	if err != nil {
		return nil, err
	}
	return json.Marshal(fixedKeysResult{
		SameStreamSameKey: a.Equal(&b), OtherStreamSameKey: a.Equal(&c),
		SameDigest: a.Digest() == c.Digest(), SameDraws: la.same(&lb),
	})
})

// The fold setup relies on gnark drawing a key's G2 points (and -α) from
// the random stream in an order that does not depend on the circuit: the
// same stream gives the same fixed key for two different circuits with one
// commitment each, and another stream another key.
func TestSeededSetupFixesTheG2Points(t *testing.T) {
	out, err := runIsolated(context.Background(), "test-fixed-keys", nil)
	if err != nil {
		t.Fatal(err)
	}
	var r fixedKeysResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if !r.SameStreamSameKey {
		t.Fatal("same stream, different circuits: different fixed keys")
	}
	if !r.SameDraws {
		t.Fatal("same stream, different circuits: different reads")
	}
	if r.OtherStreamSameKey {
		t.Fatal("different streams gave the same fixed key")
	}
	if r.SameDigest {
		t.Fatal("different fixed keys have the same digest")
	}
}

// pairedResult is what the "test-paired-setup" job reports: everything a
// concurrent reader could have stolen.
type pairedResult struct {
	Drawn     [2][]byte // the bytes each setup drew
	Keystream []byte    // the first keystreamPrefix bytes of the seed's stream
}

const keystreamPrefix = 64 << 10

var _ = registerIsolated("test-paired-setup", func(_ context.Context, args []byte) ([]byte, error) {
	var seed [32]byte
	rand.Read(seed[:])
	_, _, _, logs, err := pairedSetup(&seed, func(FixedKey) (constraint.ConstraintSystem, error) {
		return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &toyLeaf{})
	}, true)
	if err != nil {
		return nil, err
	}
	s, err := newRecordingStream(&seed, false)
	if err != nil {
		return nil, err
	}
	ks := make([]byte, keystreamPrefix)
	if _, err := io.ReadFull(s, ks); err != nil {
		return nil, err
	}
	return json.Marshal(pairedResult{Drawn: [2][]byte{logs[0].Bytes, logs[1].Bytes}, Keystream: ks})
})

// While a seeded setup runs, other goroutines of the process read
// crypto/rand (as TLS handshakes and key generation would): none of them
// receives a byte of the setup's stream, and crypto/rand.Reader is never
// assigned in this process. (When the setup swapped this process's
// crypto/rand.Reader, every such read came from the stream.)
func TestSetupRandomnessIsPrivate(t *testing.T) {
	reader := rand.Reader
	var (
		mu    sync.Mutex
		reads [][]byte
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				b := make([]byte, 32)
				if g%2 == 0 {
					rand.Read(b)
				} else if _, err := io.ReadFull(rand.Reader, b); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				reads = append(reads, b)
				mu.Unlock()
				time.Sleep(50 * time.Microsecond) // thousands of reads a second, bounded memory
			}
		}()
	}
	mu.Lock()
	before := len(reads)
	mu.Unlock()
	out, err := runIsolated(context.Background(), "test-paired-setup", nil)
	mu.Lock()
	during := len(reads) - before
	mu.Unlock()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	var r pairedResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	// τ, α, β, γ, δ, the commitment's G and σ: at least 7 reads of 32 bytes
	// each, the same in both setups, from the start of the stream.
	if len(r.Drawn[0]) < 7*32 || !bytes.Equal(r.Drawn[0], r.Drawn[1]) || !bytes.HasPrefix(r.Keystream, r.Drawn[0]) {
		t.Fatalf("setups drew %d and %d bytes, not the same prefix of their stream", len(r.Drawn[0]), len(r.Drawn[1]))
	}
	if during == 0 {
		t.Fatal("no concurrent read happened during the setup: the test shows nothing")
	}
	// Every 8-byte window of the stream: a read that got any 8 consecutive
	// bytes of it would hit one.
	windows := make(map[[8]byte]bool, len(r.Keystream))
	for i := 0; i+8 <= len(r.Keystream); i++ {
		windows[[8]byte(r.Keystream[i:i+8])] = true
	}
	for _, b := range reads {
		for i := 0; i+8 <= len(b); i += 8 {
			if windows[[8]byte(b[i:i+8])] {
				t.Fatalf("a concurrent crypto/rand read got bytes of the setup's stream: %x", b)
			}
		}
	}
	if rand.Reader != reader {
		t.Fatal("crypto/rand.Reader was replaced in the parent")
	}
	t.Logf("%d concurrent reads (%d during the setup), none from the setup's %d-byte stream prefix; the setups drew %d bytes each", len(reads), during, len(r.Keystream), len(r.Drawn[0]))
}

// Outside an isolated child, a seeded setup refuses to touch
// crypto/rand.Reader.
func TestSeededSetupRefusesOutsideChild(t *testing.T) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &previewCircuit{})
	if err != nil {
		t.Fatal(err)
	}
	reader := rand.Reader
	var seed [32]byte
	if _, _, _, err := seededSetup(&seed, ccs, false); !errors.Is(err, errNotIsolated) {
		t.Fatalf("err = %v, want errNotIsolated", err)
	}
	if rand.Reader != reader {
		t.Fatal("crypto/rand.Reader was replaced")
	}
}

// twoCommitments draws σ twice in its setup, so its reads differ from the
// preview's after δ and G.
type twoCommitments struct {
	X frontend.Variable `gnark:",public"`
	Y frontend.Variable
}

func (c *twoCommitments) Define(api frontend.API) error {
	committer := api.(frontend.Committer)
	a, err := committer.Commit(c.Y)
	if err != nil {
		return err
	}
	b, err := committer.Commit(c.Y, a)
	if err != nil {
		return err
	}
	api.AssertIsDifferent(api.Add(a, b), c.X)
	return nil
}

var _ = registerIsolated("test-paired-setup-mismatch", func(context.Context, []byte) ([]byte, error) {
	var seed [32]byte
	rand.Read(seed[:])
	_, _, _, logs, err := pairedSetup(&seed, func(FixedKey) (constraint.ConstraintSystem, error) {
		return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &twoCommitments{})
	}, false)
	if err == nil {
		return nil, errors.New("a setup that drew other randomness passed the check")
	}
	if !errors.Is(err, ErrSetupRandomness) {
		return nil, fmt.Errorf("unexpected error: %w", err)
	}
	return json.Marshal(logs)
})

// The paired setup's check compares every read of both setups, so a
// second setup that draws differently (here: one more σ) is refused.
func TestPairedSetupDetectsOtherDraws(t *testing.T) {
	out, err := runIsolated(context.Background(), "test-paired-setup-mismatch", nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs [2]drawLog
	if err := json.Unmarshal(out, &logs); err != nil {
		t.Fatal(err)
	}
	if len(logs[1].Sizes) <= len(logs[0].Sizes) {
		t.Fatalf("reads %v then %v: the second setup should have drawn more", logs[0].Sizes, logs[1].Sizes)
	}
}

func TestDrawLogSame(t *testing.T) {
	var s1, s2 [32]byte
	s2[0] = 1
	draw := func(seed *[32]byte, sizes ...int) drawLog {
		s, err := newRecordingStream(seed, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range sizes {
			if _, err := io.ReadFull(s, make([]byte, n)); err != nil {
				t.Fatal(err)
			}
		}
		return s.log()
	}
	a := draw(&s1, 32, 32)
	for name, c := range map[string]struct {
		l    drawLog
		same bool
	}{
		"same reads":                   {draw(&s1, 32, 32), true},
		"same bytes, other read sizes": {draw(&s1, 1, 31, 32), false}, // a read slipped in before τ
		"other stream, same sizes":     {draw(&s2, 32, 32), false},
		"one read more":                {draw(&s1, 32, 32, 32), false},
	} {
		if got := a.same(&c.l); got != c.same {
			t.Errorf("%s: same = %v", name, got)
		}
	}
}

// A job name the executable does not know is a clear error, not a hang.
func TestRunIsolatedUnknownJob(t *testing.T) {
	_, err := runIsolated(context.Background(), "no-such-job", nil)
	if err == nil || !strings.Contains(err.Error(), "no isolated job") {
		t.Fatalf("err = %v", err)
	}
}

// The fold setup's child reads the children's shape and the leaf keys back
// from the store: the decoded constraint system lays out the children's
// public inputs and commitment like the compiled one, and the fixed keys
// are the leaves'.
func TestFoldInputsFromStore(t *testing.T) {
	store, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	k := toySetup(t)
	put := func(w func(io.Writer) (int64, error)) string {
		var b bytes.Buffer
		if _, err := w(&b); err != nil {
			t.Fatal(err)
		}
		id, err := store.PutBlob(&b)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := foldSetupArgs{Dir: store.Dir(), LeafCCS: put(k.ccs.WriteTo)}
	vkID := put(k.vk.WriteTo)
	for i := range a.LeafVKs {
		a.LeafVKs[i] = vkID
	}
	shape, fixed, err := loadFoldInputs(store, &a)
	if err != nil {
		t.Fatal(err)
	}
	want, err := FixedKeyOf(k.vk)
	if err != nil {
		t.Fatal(err)
	}
	for i := range NumKinds - 1 {
		if !fixed[i].Equal(&want) {
			t.Fatalf("fixed key %d is not the leaf's", i)
		}
	}
	var none [NumKinds]FixedKey
	got, err := Placeholder(shape, none)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := Placeholder(k.ccs, none)
	if err != nil {
		t.Fatal(err)
	}
	if shape.GetNbPublicVariables() != k.ccs.GetNbPublicVariables() || fmt.Sprint(got.Committed) != fmt.Sprint(orig.Committed) {
		t.Fatalf("decoded shape: %d public, committed %v; compiled: %d, %v", shape.GetNbPublicVariables(), got.Committed, k.ccs.GetNbPublicVariables(), orig.Committed)
	}
	a.LeafCCS = vkID // not a constraint system
	if _, _, err := loadFoldInputs(store, &a); err == nil {
		t.Fatal("a verifying key decoded as a constraint system")
	}
}
