// Package cache keeps rarely changed rows in memory for the hot paths that
// read them on every request (a booking reads its resource and the days off).
// The process that changes a row forgets it at once; other replicas see the
// change when the entry expires, so the TTL is how stale a replica may be.
// Nothing that must never happen relies on a cache: the database refuses it.
package cache

import (
	"sync"
	"time"
)

// Map is a concurrency-safe map whose entries live for ttl.
type Map[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[K]entry[V]
	// gen counts Forget and Clear calls: a value read from the database
	// before one of them may be older than the change, so Load drops it.
	gen uint64
}

type entry[V any] struct {
	v     V
	until time.Time
}

// New returns an empty Map whose entries live for ttl.
func New[K comparable, V any](ttl time.Duration) *Map[K, V] {
	return &Map[K, V]{ttl: ttl, m: map[K]entry[V]{}}
}

// Load returns k's value, calling fill when it is missing or expired. fill's
// value is kept unless k was forgotten while fill ran; an error is returned
// as it is and nothing is kept.
func (c *Map[K, V]) Load(k K, fill func() (V, error)) (V, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.v, nil
	}
	v, err := fill()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if len(c.m) >= sweepAt {
			c.sweep(now)
		}
		c.m[k] = entry[V]{v: v, until: now.Add(c.ttl)}
	}
	c.mu.Unlock()
	return v, nil
}

// sweepAt is the size from which Load drops expired entries before adding
// one: keys a client chooses (a case type id in a URL) must not grow the
// map without end.
const sweepAt = 1024

// sweep drops expired entries; the caller holds mu.
func (c *Map[K, V]) sweep(now time.Time) {
	for k, e := range c.m {
		if !now.Before(e.until) {
			delete(c.m, k)
		}
	}
}

// Forget drops k, after a change to it.
func (c *Map[K, V]) Forget(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.gen++
	c.mu.Unlock()
}

// Clear drops every entry.
func (c *Map[K, V]) Clear() {
	c.mu.Lock()
	clear(c.m)
	c.gen++
	c.mu.Unlock()
}
