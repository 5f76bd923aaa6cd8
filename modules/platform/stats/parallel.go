package stats

import (
	"errors"
	"sync"
)

// Parallel runs the independent parts of a statistics page at once and
// returns their errors joined: each part is a query or a few on the read
// pool, so the page waits for its slowest part rather than for their sum.
// The parts must write disjoint fields.
func Parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
