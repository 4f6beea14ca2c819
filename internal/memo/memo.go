// Package memo keeps the results of expensive, deterministic loads by
// content hash: a bounded LRU of results (github.com/hashicorp/golang-lru)
// with concurrent loads of one key run once (golang.org/x/sync/singleflight).
// Errors are never kept, so a bad input cannot push a good result out.
package memo

import (
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Cache holds at most its size in results of type V, least recently used
// out first. Safe for concurrent use; the zero value is not usable.
type Cache[V any] struct {
	lru    *lru.Cache[[32]byte, V]
	flight singleflight.Group
}

// New returns a cache of size results (at least 1).
func New[V any](size int) *Cache[V] {
	c, err := lru.New[[32]byte, V](max(size, 1))
	if err != nil { // only for a size < 1
		panic(err)
	}
	return &Cache[V]{lru: c}
}

// Get returns the result for key, calling load to make it on a miss. Callers
// that miss on one key at the same time share one call of load and its
// outcome; only a successful result is kept.
func (c *Cache[V]) Get(key [32]byte, load func() (V, error)) (V, error) {
	if v, ok := c.lru.Get(key); ok {
		return v, nil
	}
	v, err, _ := c.flight.Do(string(key[:]), func() (any, error) {
		if v, ok := c.lru.Get(key); ok { // kept while this caller waited
			return v, nil
		}
		v, err := load()
		if err != nil {
			return nil, err
		}
		c.lru.Add(key, v)
		return v, nil
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return v.(V), nil
}

// Len is the number of results kept.
func (c *Cache[V]) Len() int { return c.lru.Len() }
