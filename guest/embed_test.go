package guest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/zkfleet/zkfleet/zkvm/emu"
)

func TestExamplesRun(t *testing.T) {
	if got := Examples(); !reflect.DeepEqual(got, []string{"fib", "memheavy", "sha256", "sort"}) {
		t.Fatalf("examples %v", got)
	}
	le := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	sum := sha256.Sum256([]byte("abc"))
	cases := []struct {
		name, input, output string
		exit                uint32
	}{
		{"fib", "", "832040\n", 0},
		{"fib", string(le(10)), "55\n", 0},
		{"sha256", "abc", string(sum[:]), 0},
		{"sort", "banana", "aaabnn", 3},
		{"memheavy", string(le(1000)), "", 0},
	}
	for _, c := range cases {
		elf, err := Example(c.name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := emu.LoadELF(elf)
		if err != nil {
			t.Fatal(err)
		}
		res, err := emu.Run(p, []byte(c.input), emu.Config{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.name == "memheavy" {
			if binary.LittleEndian.Uint32(res.Output) != 168 { // primes below 1000
				t.Fatalf("memheavy output %x", res.Output)
			}
			continue
		}
		if string(res.Output) != c.output || res.ExitCode != c.exit {
			t.Errorf("%s(%q) = %q exit %d, want %q exit %d", c.name, c.input, res.Output, res.ExitCode, c.output, c.exit)
		}
	}
	if _, err := Example("nope"); err == nil {
		t.Fatal("unknown example accepted")
	}
}

// TestPrebuiltUpToDate rebuilds the examples when clang and ld.lld are
// available and checks that the committed ELFs match.
func TestPrebuiltUpToDate(t *testing.T) {
	for _, tool := range []string{"clang", "ld.lld"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "build.sh")
	cmd.Env = append(os.Environ(), "OUT="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, b)
	}
	for _, name := range Examples() {
		want, err := os.ReadFile(filepath.Join(out, name+".elf"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := Example(name)
		if !bytes.Equal(got, want) {
			t.Errorf("guest/bin/%s.elf is stale: run guest/build.sh", name)
		}
	}
}
