package agg

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/consensys/gnark/logger"
)

// Setup randomness, and why it is drawn in a child process.
//
// gnark v0.16's Groth16 setup offers no way to pass a random source: it
// draws τ, α, β, γ, δ (fr.Element.SetRandom), the commitment's G
// (bn254.RandomOnG2, via crypto/rand.Read) and σ (crypto/rand.Int with
// crypto/rand.Reader) from the process-global crypto/rand.Reader, and so
// does mpcsetup's Contribute. The fold setup needs that randomness to come
// from a seeded stream (two setups must draw the same values, see
// SetupFold), and the only way to feed the stream to gnark is to assign
// crypto/rand.Reader. In Go 1.26 that assignment still redirects
// crypto/rand.Read and every reader of the variable (only the random
// parameters of crypto/ecdsa, crypto/rsa and the like ignore it); and
// testing/cryptotest.SetGlobalRandom is for tests only and is just as
// process-wide. Doing it in a process that does anything else hands the
// toxic waste to every other crypto/rand user (TLS handshakes, key
// generation, a coordinator's tokens) and races with them.
//
// So the seeded setups run in a child process that runs nothing else: the
// current executable re-executed with isolatedEnv naming a job registered
// with registerIsolated. The child's agg init hands control to the job
// before any other code of the program runs, and exits; in a test binary
// it works the same way (the package's test files register their jobs as
// package-level variables, which are initialized before init runs). The
// parent's crypto/rand.Reader is never touched.

// isolatedEnv names the isolated job a re-executed child runs.
const isolatedEnv = "ZKFLEET_ISOLATED_SETUP"

// maxIsolatedResult bounds what a child sends back (blob ids, digests; a
// test job's transcript of a tiny setup).
const maxIsolatedResult = 1 << 20

// isolatedJob runs in the child with args from the parent. The private
// random stream is already crypto/rand.Reader's only source; seededSetup
// draws from it.
type isolatedJob func(ctx context.Context, args []byte) ([]byte, error)

var isolatedJobs = map[string]isolatedJob{}

// registerIsolated makes a job runnable by runIsolated. Call it from a
// package-level variable initializer, so that it is registered before
// init dispatches a child.
func registerIsolated(name string, job isolatedJob) bool {
	if _, dup := isolatedJobs[name]; dup {
		panic("agg: isolated job registered twice: " + name)
	}
	isolatedJobs[name] = job
	return true
}

// inIsolatedChild is set only in a child running an isolated job: the one
// kind of process where seededSetup may assign crypto/rand.Reader.
var inIsolatedChild bool

func init() {
	name := os.Getenv(isolatedEnv)
	if name == "" {
		return
	}
	os.Exit(runIsolatedChild(name))
}

// isolatedReply is what a child writes to its result pipe.
type isolatedReply struct {
	Result []byte `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// runIsolatedChild runs job name with the args on stdin and writes the
// reply to file descriptor 3.
func runIsolatedChild(name string) int {
	os.Unsetenv(isolatedEnv) // not inherited by anything the job starts
	logger.Disable()         // gnark's progress logs: the parent logs the job
	out := os.NewFile(3, "result")
	reply := func(r isolatedReply) int {
		b, _ := json.Marshal(r)
		if _, err := out.Write(b); err != nil {
			fmt.Fprintf(os.Stderr, "agg: isolated %s: write result: %v\n", name, err)
			return 2
		}
		if r.Error != "" {
			return 1
		}
		return 0
	}
	job, ok := isolatedJobs[name]
	if !ok {
		return reply(isolatedReply{Error: fmt.Sprintf("no isolated job %q in this executable", name)})
	}
	args, err := io.ReadAll(io.LimitReader(os.Stdin, maxIsolatedResult))
	if err != nil {
		return reply(isolatedReply{Error: fmt.Sprintf("read args: %v", err)})
	}
	inIsolatedChild = true
	res, err := job(context.Background(), args)
	if err != nil {
		return reply(isolatedReply{Error: err.Error()})
	}
	return reply(isolatedReply{Result: res})
}

// runIsolated runs the isolated job name in a child process (the current
// executable re-executed) with args, and returns its result. The child's
// stdout and stderr (gnark's and the job's logs) go to this process's
// stderr.
func runIsolated(ctx context.Context, name string, args []byte) ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("agg: isolated %s: %w", name, err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("agg: isolated %s: %w", name, err)
	}
	defer pr.Close()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), isolatedEnv+"="+name)
	cmd.Stdin = bytes.NewReader(args)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.ExtraFiles = []*os.File{pw}
	if err := cmd.Start(); err != nil {
		pw.Close()
		return nil, fmt.Errorf("agg: isolated %s: %w", name, err)
	}
	pw.Close()
	raw, readErr := io.ReadAll(io.LimitReader(pr, maxIsolatedResult+1))
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var r isolatedReply
	if readErr != nil || len(raw) > maxIsolatedResult || json.Unmarshal(raw, &r) != nil {
		return nil, fmt.Errorf("agg: isolated %s: no result from the child (%v)", name, errors.Join(readErr, waitErr))
	}
	if r.Error != "" {
		return nil, fmt.Errorf("agg: isolated %s: %s", name, r.Error)
	}
	if waitErr != nil {
		return nil, fmt.Errorf("agg: isolated %s: %w", name, waitErr)
	}
	return r.Result, nil
}

// drawLog records what a setup drew from its random stream: the size of
// every read and a hash of the bytes (and, for tests, the bytes).
type drawLog struct {
	Sizes []int
	Hash  [32]byte
	Bytes []byte // only when keep is set
}

// recordingStream is the private stream of one setup: AES-256-CTR under a
// seed, every read logged.
type recordingStream struct {
	mu    sync.Mutex
	r     io.Reader
	sizes []int
	h     interface {
		io.Writer
		Sum([]byte) []byte
	}
	keep bool
	kept []byte
}

func newRecordingStream(seed *[32]byte, keep bool) (*recordingStream, error) {
	block, err := aes.NewCipher(seed[:])
	if err != nil {
		return nil, err
	}
	var iv [aes.BlockSize]byte
	return &recordingStream{r: cipher.StreamReader{S: cipher.NewCTR(block, iv[:]), R: zeroReader{}}, h: sha256.New(), keep: keep}, nil
}

func (s *recordingStream) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.r.Read(p)
	s.sizes = append(s.sizes, n)
	s.h.Write(p[:n])
	if s.keep {
		s.kept = append(s.kept, p[:n]...)
	}
	return n, err
}

func (s *recordingStream) log() drawLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := drawLog{Sizes: append([]int(nil), s.sizes...), Bytes: append([]byte(nil), s.kept...)}
	copy(l.Hash[:], s.h.Sum(nil))
	return l
}

// same reports whether two setups drew exactly the same reads.
func (l *drawLog) same(o *drawLog) bool {
	if len(l.Sizes) != len(o.Sizes) || l.Hash != o.Hash {
		return false
	}
	for i := range l.Sizes {
		if l.Sizes[i] != o.Sizes[i] {
			return false
		}
	}
	return true
}

// errNotIsolated guards the one assignment of crypto/rand.Reader.
var errNotIsolated = errors.New("agg: a seeded setup runs only in an isolated child process (runIsolated)")

// setupMu serializes seeded setups within the child.
var setupMu sync.Mutex

// withPrivateRandom runs f with crypto/rand.Reader replaced by stream. It
// refuses outside an isolated child, where nothing else draws randomness.
func withPrivateRandom(stream io.Reader, f func() error) error {
	if !inIsolatedChild {
		return errNotIsolated
	}
	setupMu.Lock()
	defer setupMu.Unlock()
	saved := rand.Reader
	rand.Reader = stream
	defer func() { rand.Reader = saved }()
	return f()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
