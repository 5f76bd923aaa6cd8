package stats

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// The parts run at once (three parts of 50 ms take about 50 ms, not 150),
// every part runs even when one fails, and every error comes back.
func TestParallel(t *testing.T) {
	var ran atomic.Int32
	errA, errB := errors.New("a"), errors.New("b")
	part := func(err error) func() error {
		return func() error {
			time.Sleep(50 * time.Millisecond)
			ran.Add(1)
			return err
		}
	}
	start := time.Now()
	err := Parallel(part(errA), part(nil), part(errB))
	if took := time.Since(start); took > 140*time.Millisecond {
		t.Errorf("three 50 ms parts took %v; want them at once", took)
	}
	if ran.Load() != 3 || !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("Parallel ran %d parts, err %v; want 3 and both errors", ran.Load(), err)
	}
	if err := Parallel(part(nil)); err != nil {
		t.Errorf("Parallel of a part without error = %v", err)
	}
}
