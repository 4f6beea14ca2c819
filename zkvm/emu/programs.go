package emu

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// Programs is a bounded cache of decoded programs keyed by the SHA-256 of
// their ELF: the per-program setup (parsed image, predecoded code, and the
// program id, computed once per Program) is done once per distinct ELF, not
// once per job. A Program is never modified after loading, so one may serve
// any number of concurrent executions. The zero value is not usable; call
// NewPrograms. Safe for concurrent use.
type Programs struct {
	max int

	mu  sync.Mutex
	lru *list.List // of *programEntry, most recent first
	idx map[[32]byte]*list.Element
}

type programEntry struct {
	key  [32]byte
	once sync.Once
	prog *Program
	err  error
}

// NewPrograms returns a cache holding at most max programs (at least 1).
func NewPrograms(max int) *Programs {
	if max < 1 {
		max = 1
	}
	return &Programs{max: max, lru: list.New(), idx: map[[32]byte]*list.Element{}}
}

// Load returns the decoded program of elf, loading it on first use. Two
// concurrent calls for the same ELF decode it once. A malformed ELF is not
// remembered: its error (wrapping ErrELF) is returned to every caller that
// raced on it, and the next call tries again.
func (c *Programs) Load(elf []byte) (*Program, error) {
	key := sha256.Sum256(elf)
	c.mu.Lock()
	var e *programEntry
	if el, ok := c.idx[key]; ok {
		c.lru.MoveToFront(el)
		e = el.Value.(*programEntry)
	} else {
		e = &programEntry{key: key}
		c.idx[key] = c.lru.PushFront(e)
	}
	c.mu.Unlock()

	e.once.Do(func() {
		e.prog, e.err = LoadELF(elf)
		if e.err == nil {
			e.prog.ImageHash() // the program id's expensive part, once
		}
	})
	c.mu.Lock()
	if e.err != nil {
		if el, ok := c.idx[key]; ok && el.Value.(*programEntry) == e {
			c.remove(el)
		}
	} else {
		// Trim only once a program is good, so a malformed ELF never
		// pushes a good program out.
		for c.lru.Len() > c.max {
			c.remove(c.lru.Back())
		}
	}
	c.mu.Unlock()
	return e.prog, e.err
}

// Len is the number of programs held.
func (c *Programs) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

func (c *Programs) remove(el *list.Element) {
	delete(c.idx, el.Value.(*programEntry).key)
	c.lru.Remove(el)
}
