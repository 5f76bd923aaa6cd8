package appointments

import (
	"sync"
	"time"
)

// claims are the desk times this process is booking right now. In a rush
// twenty citizens may want one time at five desks: the first five try one
// desk each, and the rest wait for those outcomes here, holding no database
// connection, instead of queueing in the database behind a commit (on
// PostgreSQL an INSERT against an uncommitted overlapping row waits for it
// with its connection, and the pool clogs). Only an optimisation: the
// database refuses overlaps whatever a claim said, across processes too.
type claims struct {
	mu sync.Mutex
	m  map[claimKey]chan struct{} // closed when the claim ends
}

type claimKey struct {
	desk  uint
	start int64
}

// claimWait bounds how long a booking waits for other bookings of its time
// before it tries the database anyway.
const claimWait = 5 * time.Second

// take claims the first of desks at start nobody in this process is booking
// and returns it with the release to call once the outcome is committed (and
// the busy cache forgotten). When every desk is being booked it returns the
// end of one of those claims to wait for instead.
func (c *claims) take(desks []uint, start time.Time) (desk uint, release func(), busy <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[claimKey]chan struct{}{}
	}
	for _, d := range desks {
		k := claimKey{d, start.Unix()}
		if ch, held := c.m[k]; held {
			busy = ch
			continue
		}
		ch := make(chan struct{})
		c.m[k] = ch
		return d, func() {
			c.mu.Lock()
			delete(c.m, k)
			c.mu.Unlock()
			close(ch)
		}, nil
	}
	return 0, nil, busy
}
