package appointments

import (
	"testing"
	"time"
)

// Five citizens after one time at three desks: the first three get a desk
// each, the others are told to wait, and a finished booking lets one in.
func TestClaimsSpreadBookingsOverDesksAndQueueTheRest(t *testing.T) {
	var c claims
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	desks := []uint{1, 2, 3}
	var releases []func()
	for want := uint(1); want <= 3; want++ {
		d, release, busy := c.take(desks, at)
		if release == nil || d != want || busy != nil {
			t.Fatalf("booking %d got desk %d (release %v); want desk %d", want, d, release != nil, want)
		}
		releases = append(releases, release)
	}
	_, release, busy := c.take(desks, at)
	if release != nil || busy == nil {
		t.Fatal("a fourth booking of a time all of whose desks are being booked was not told to wait")
	}
	if d, release, _ := c.take(desks, at.Add(15*time.Minute)); release == nil || d != 1 {
		t.Errorf("another time got desk %d; want desk 1, free at that time", d)
	} else {
		release()
	}
	releases[1]() // desk 2's booking ended
	if d, release, _ := c.take(desks, at); release == nil || d != 2 {
		t.Errorf("after desk 2's booking ended the next citizen got desk %d; want 2", d)
	}
	for _, r := range []func(){releases[0], releases[2]} {
		r()
	}
	select {
	case <-busy:
	case <-time.After(time.Second):
		t.Fatal("the citizen told to wait was never woken after the bookings ended")
	}
}
