package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func key(b byte) (k [32]byte) { k[0] = b; return }

func TestCacheKeepsResultsNotErrors(t *testing.T) {
	c := New[int](2)
	calls := 0
	load := func(v int, err error) func() (int, error) {
		return func() (int, error) { calls++; return v, err }
	}
	if v, err := c.Get(key(1), load(10, nil)); v != 10 || err != nil {
		t.Fatal(v, err)
	}
	if v, _ := c.Get(key(1), load(99, nil)); v != 10 || calls != 1 {
		t.Fatalf("hit reloaded: %d after %d calls", v, calls)
	}
	c.Get(key(2), load(20, nil))
	bad := errors.New("bad")
	for i := 0; i < 3; i++ {
		if _, err := c.Get(key(3), load(0, bad)); !errors.Is(err, bad) {
			t.Fatal(err)
		}
	}
	if calls != 5 || c.Len() != 2 {
		t.Fatalf("errors were kept or evicted results: %d calls, %d kept", calls, c.Len())
	}
	c.Get(key(1), load(0, nil))  // 1 is now the most recent
	c.Get(key(4), load(40, nil)) // evicts 2
	if v, _ := c.Get(key(2), load(21, nil)); v != 21 {
		t.Fatal("least recently used result was not evicted")
	}
	if v, _ := c.Get(key(2), load(22, nil)); v != 21 {
		t.Fatal("reloaded result was not kept")
	}
}

func TestCacheConcurrentMissesLoadOnce(t *testing.T) {
	c := New[*int](4)
	var calls atomic.Int32
	release := make(chan struct{})
	load := func() (*int, error) {
		calls.Add(1)
		<-release
		v := 7
		return &v, nil
	}
	got := make([]*int, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], _ = c.Get(key(1), load) }()
	}
	close(release)
	wg.Wait()
	for _, p := range got {
		if p != got[0] || *p != 7 {
			t.Fatal("callers got different results")
		}
	}
	// Each caller either joined the one load in flight or found its kept
	// result: the value was made once.
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d loads of one key", n)
	}
}
