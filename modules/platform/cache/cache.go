// Package cache keeps rarely changed rows in memory for the hot paths that
// read them on every request (a booking reads its resource and the days off).
// The process that changes a row forgets it at once; other replicas see the
// change when the entry expires, so the TTL is how stale a replica may be.
// Nothing that must never happen relies on a cache: the database refuses it.
package cache

import (
	"errors"
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
	// filling are the fills under way, so that callers wanting the same key
	// at the same time wait for one database read instead of each making
	// their own (a rush of citizens after one office's free times).
	filling map[K]*fill[V]
}

// fill is one call of a Load's fill function that others may wait for.
type fill[V any] struct {
	gen  uint64 // c.gen when it started: joined only while no change came since
	done chan struct{}
	v    V
	err  error
}

type entry[V any] struct {
	v     V
	until time.Time
}

// New returns an empty Map whose entries live for ttl.
func New[K comparable, V any](ttl time.Duration) *Map[K, V] {
	return &Map[K, V]{ttl: ttl, m: map[K]entry[V]{}, filling: map[K]*fill[V]{}}
}

// Load returns k's value, calling fill when it is missing or expired. Callers
// that want k while a fill begun after the latest change runs wait for its
// outcome. A value is kept unless k was forgotten while fill ran; an error
// is returned as it is (to the waiters too) and nothing is kept.
func (c *Map[K, V]) Load(k K, fn func() (V, error)) (V, error) {
	now := time.Now()
	c.mu.Lock()
	if e, ok := c.m[k]; ok && now.Before(e.until) {
		c.mu.Unlock()
		return e.v, nil
	}
	if f, ok := c.filling[k]; ok && f.gen == c.gen {
		c.mu.Unlock()
		<-f.done
		return f.v, f.err
	}
	f := &fill[V]{gen: c.gen, done: make(chan struct{}), err: errFillPanicked}
	c.filling[k] = f
	c.mu.Unlock()
	defer c.finish(k, f, now)
	f.v, f.err = fn()
	return f.v, f.err
}

// errFillPanicked is what waiters get when the fill they waited for panicked.
var errFillPanicked = errors.New("cache: the fill panicked")

// finish ends fill f of k, even when it panicked: its waiters are released
// and its value kept unless it failed or k changed meanwhile.
func (c *Map[K, V]) finish(k K, f *fill[V], now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(f.done)
	if c.filling[k] == f {
		delete(c.filling, k)
	}
	if f.err == nil && c.gen == f.gen {
		if len(c.m) >= sweepAt {
			c.sweep(now)
		}
		c.m[k] = entry[V]{v: f.v, until: now.Add(c.ttl)}
	}
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
