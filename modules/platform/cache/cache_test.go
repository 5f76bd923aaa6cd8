package cache

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counter fills with how many times it was called.
type counter struct{ n atomic.Int64 }

func (c *counter) fill() (int64, error) { return c.n.Add(1), nil }

func TestLoadKeepsUntilForgotten(t *testing.T) {
	m := New[string, int64](time.Hour)
	var c counter
	for range 3 {
		if v, err := m.Load("room", c.fill); v != 1 || err != nil {
			t.Fatalf("Load = %d, %v; want the first fill (1), nil", v, err)
		}
	}
	m.Forget("room")
	if v, _ := m.Load("room", c.fill); v != 2 {
		t.Errorf("Load after Forget = %d; want a fresh fill (2)", v)
	}
	m.Clear()
	if v, _ := m.Load("room", c.fill); v != 3 {
		t.Errorf("Load after Clear = %d; want a fresh fill (3)", v)
	}
	boom := errors.New("database gone")
	if _, err := m.Load("car", func() (int64, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("Load with a failing fill = %v; want its error", err)
	}
	if v, _ := m.Load("car", c.fill); v != 4 {
		t.Errorf("Load after a failed fill = %d; want a fill (4), the error was not kept", v)
	}
}

func TestLoadExpires(t *testing.T) {
	m := New[int, int64](20 * time.Millisecond)
	var c counter
	m.Load(1, c.fill)
	time.Sleep(40 * time.Millisecond)
	if v, _ := m.Load(1, c.fill); v != 2 {
		t.Errorf("Load after the TTL = %d; want a fresh fill (2)", v)
	}
}

// A value read before a change must not outlive the change: a Forget while
// fill runs drops what fill read.
func TestForgetDuringFillWins(t *testing.T) {
	m := New[int, string](time.Hour)
	v, _ := m.Load(1, func() (string, error) {
		m.Forget(1) // the change commits while the old row is being read
		return "old", nil
	})
	if v != "old" {
		t.Fatalf("Load = %q; the caller still gets what it read", v)
	}
	if v, _ := m.Load(1, func() (string, error) { return "new", nil }); v != "new" {
		t.Errorf("next Load = %q; want the value read after the change", v)
	}
}

// Loads and Forgets from many goroutines at once (run with -race): a Load
// after a Forget that happened before it never returns the earlier value.
func TestConcurrentLoadAndForget(t *testing.T) {
	m := New[int, int64](time.Hour)
	var version atomic.Int64   // the "row", changed by writers
	var forgotten atomic.Int64 // the version whose Forget has returned
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				if w%2 == 0 && i%10 == 0 {
					v := version.Add(1)
					m.Forget(0)
					forgotten.Store(v)
					continue
				}
				seen := forgotten.Load()
				v, _ := m.Load(0, func() (int64, error) { return version.Load(), nil })
				if v < seen {
					t.Errorf("Load = version %d after version %d was written and forgotten", v, seen)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLoadSweepsExpiredEntries(t *testing.T) {
	c := New[int, int](time.Millisecond)
	for i := 0; i < sweepAt; i++ {
		c.Load(i, func() (int, error) { return i, nil })
	}
	time.Sleep(5 * time.Millisecond)
	c.Load(-1, func() (int, error) { return 0, nil })
	if n := len(c.m); n != 1 {
		t.Errorf("after expiry and one more Load the map holds %d entries; want 1", n)
	}
}

// A hundred callers wanting the same missing key at once cause one database
// read, not a hundred: the rest wait for it and get its value.
func TestConcurrentLoadsShareOneFill(t *testing.T) {
	m := New[int, int](time.Hour)
	var fills atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]int, 100)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = m.Load(7, func() (int, error) {
				fills.Add(1)
				<-release
				return 42, nil
			})
		}()
	}
	for fills.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the others queue behind the first fill
	close(release)
	wg.Wait()
	if n := fills.Load(); n != 1 {
		t.Errorf("%d fills for one key wanted at once; want 1", n)
	}
	for i, v := range got {
		if v != 42 {
			t.Fatalf("caller %d got %d; want the shared fill's 42", i, v)
		}
	}
}

// A caller arriving after a change does not wait for a fill begun before
// it, and a fill that panics releases those waiting with an error.
func TestLoadAfterChangeReadsAfreshAndPanicReleases(t *testing.T) {
	m := New[int, string](time.Hour)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan string)
	go func() {
		v, _ := m.Load(1, func() (string, error) { close(started); <-release; return "old", nil })
		done <- v
	}()
	<-started
	m.Forget(1)
	if v, _ := m.Load(1, func() (string, error) { return "new", nil }); v != "new" {
		t.Errorf("Load after a change = %q; want a fresh read", v)
	}
	close(release)
	<-done

	started2 := make(chan struct{})
	waiter := make(chan error)
	go func() {
		defer func() { _ = recover() }()
		m.Load(2, func() (string, error) { close(started2); time.Sleep(20 * time.Millisecond); panic("boom") })
	}()
	<-started2
	go func() { _, err := m.Load(2, func() (string, error) { return "x", nil }); waiter <- err }()
	select {
	case err := <-waiter:
		if err == nil {
			t.Log("the second caller started its own fill after the panic") // allowed: it came too late to join
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a caller waiting on a fill that panicked was never released")
	}
}
