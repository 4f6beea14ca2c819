package emu

import (
	"errors"
	"sync"
	"testing"
)

func TestProgramsCache(t *testing.T) {
	c := NewPrograms(2)
	a := goodELF()
	p1, err := c.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	// Same bytes (another slice): the same decoded program, id included.
	p2, err := c.Load(append([]byte(nil), a...))
	if err != nil || p2 != p1 {
		t.Fatalf("second load of the same ELF: %p vs %p, %v", p2, p1, err)
	}
	if ref, _ := LoadELF(a); p1.ID() != ref.ID() || len(p1.Image) != len(ref.Image) {
		t.Fatal("cached program differs from a fresh load")
	}

	// A different ELF is a different program.
	b := writeELF(0x10000, []elfSeg{{vaddr: 0x10000, data: wordsLE(exitSeq(6)), flags: 5}})
	q, err := c.Load(b)
	if err != nil || q == p1 || q.ID() == p1.ID() {
		t.Fatalf("different ELF: %v, same program %v", err, q == p1)
	}
	res, err := Run(q, nil, Config{})
	if err != nil || res.ExitCode != 6 {
		t.Fatal(res, err)
	}

	// Malformed ELFs are reported and not kept.
	for _, bad := range [][]byte{nil, []byte("\x7fELF"), a[:60]} {
		if _, err := c.Load(bad); !errors.Is(err, ErrELF) {
			t.Fatalf("malformed ELF: %v", err)
		}
	}
	if c.Len() != 2 {
		t.Fatalf("cache holds %d programs after failed loads, want 2", c.Len())
	}

	// Bounded: a third program evicts the least recently used (a, since b
	// was loaded after it), and a reload decodes afresh.
	third := writeELF(0x10000, []elfSeg{{vaddr: 0x10000, data: wordsLE(exitSeq(7)), flags: 5}})
	if _, err := c.Load(third); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 {
		t.Fatalf("cache holds %d programs, max 2", c.Len())
	}
	if q2, _ := c.Load(b); q2 != q {
		t.Fatal("recently used program was evicted")
	}
	if p3, _ := c.Load(a); p3 == p1 {
		t.Fatal("least recently used program was not evicted")
	}
}

func TestProgramsConcurrentLoad(t *testing.T) {
	c := NewPrograms(4)
	a := goodELF()
	got := make([]*Program, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := c.Load(a)
			if err != nil {
				t.Error(err)
			}
			got[i] = p
		}()
	}
	wg.Wait()
	for _, p := range got[1:] {
		if p != got[0] {
			t.Fatal("concurrent loads of one ELF decoded it more than once")
		}
	}
	// Concurrent executions share the program safely (run under -race).
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := Run(got[0], nil, Config{}); err != nil || res.ExitCode != 5 {
				t.Error(res, err)
			}
		}()
	}
	wg.Wait()
}
