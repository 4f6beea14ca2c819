package emu

import (
	"crypto/sha256"

	"github.com/zkfleet/zkfleet/internal/memo"
)

// Programs is a bounded cache of decoded programs keyed by the SHA-256 of
// their ELF: the per-program setup (parsed image, predecoded code, and the
// program id, computed once per Program) is done once per distinct ELF, not
// once per job. A Program is never modified after loading, so one may serve
// any number of concurrent executions. Safe for concurrent use.
type Programs struct{ c *memo.Cache[*Program] }

// NewPrograms returns a cache holding at most max programs (at least 1).
func NewPrograms(max int) *Programs { return &Programs{memo.New[*Program](max)} }

// Load returns the decoded program of elf, loading it on first use. Two
// concurrent calls for the same ELF decode it once. A malformed ELF is not
// remembered (the error wraps ErrELF) and never pushes a good program out.
func (c *Programs) Load(elf []byte) (*Program, error) {
	return c.c.Get(sha256.Sum256(elf), func() (*Program, error) {
		p, err := LoadELF(elf)
		if err == nil {
			p.ImageHash() // the program id's expensive part, once
		}
		return p, err
	})
}

// Len is the number of programs held.
func (c *Programs) Len() int { return c.c.Len() }
