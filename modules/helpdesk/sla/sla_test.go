package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
)

func budapest(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatalf("load Europe/Budapest: %v", err)
	}
	return loc
}

func date(s string) calendar.Date {
	v, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// queueHours are 7:30–16:00 every day of the week; only working days count,
// so a Saturday worked back has them too.
func queueHours(loc *time.Location) calendar.BusinessHours {
	h := calendar.BusinessHours{TZ: loc}
	for i := range h.Week {
		h.Week[i] = calendar.Hours{From: 7*60 + 30, To: 16 * 60}
	}
	return h
}

// testDays are 2026–2027 with Hungary's public holidays and the decree's
// bridge days: 2 January and 21 August off, 10 January and 8 August worked.
func testDays() *calendar.Days {
	return calendar.NewDays(date("2026-01-01"), date("2027-12-31"), []calendar.Override{
		{Date: date("2026-01-02"), Kind: calendar.KindHoliday},
		{Date: date("2026-01-10"), Kind: calendar.KindWorkday},
		{Date: date("2026-08-21"), Kind: calendar.KindHoliday},
		{Date: date("2026-08-08"), Kind: calendar.KindWorkday},
	})
}

// targets: priority 1 answers in 1 h and resolves in one business day,
// priority 2 in 4 h and three days; priority 3 has none.
var targets = Targets{
	1: {Response: time.Hour, Resolve: 8*time.Hour + 30*time.Minute},
	2: {Response: 4 * time.Hour, Resolve: 3 * (8*time.Hour + 30*time.Minute)},
}

// want is what a test expects of one clock; empty times are not checked
// unless the field says "-" (must be zero).
type want struct {
	used, paused         string // durations, e.g. "2h30m"
	state                string
	due, warnAt, breakAt string // Budapest wall time "2006-01-02 15:04", a UTC RFC 3339 instant, or "-" for zero
	running, waiting     bool
}

func TestCompute(t *testing.T) {
	bp := budapest(t)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, bp)
		if err != nil {
			v, err = time.ParseInLocation("2006-01-02 15:04", s, bp)
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	opened := func(s string, prio int) Event { return Event{At: at(s), State: StateNew, Priority: prio} }
	to := func(s, state string) Event { return Event{At: at(s), State: state} }
	answer := func(s, state string) Event { return Event{At: at(s), State: state, Response: true} }

	// The reporter is asked a question at 10:00 and answers the next day at
	// 11:00: the night, and the business hours around it, stay paused.
	pausedNight := []Event{opened("2026-03-24 09:00", 2), answer("2026-03-24 09:45", StateAssigned),
		to("2026-03-24 10:00", StateWaitingReporter), to("2026-03-25 11:00", StateInProgress)}
	reprioritised := append(append([]Event{}, pausedNight...), Event{At: at("2026-03-25 11:30"), Priority: 1})
	breachedByChange := append(append([]Event{}, pausedNight...), Event{At: at("2026-03-26 12:00"), Priority: 1})
	reopened := []Event{opened("2026-03-24 09:00", 1), answer("2026-03-24 09:10", StateAssigned),
		to("2026-03-24 11:00", StateResolved), to("2026-03-25 09:00", StateInProgress)}

	tests := []struct {
		name      string
		log       []Event
		now       string
		prio      int
		resp, res want
	}{
		{"within a day", []Event{opened("2026-03-24 09:00", 1)}, "2026-03-24 09:30", 1,
			want{used: "30m", state: OK, due: "2026-03-24 10:00", warnAt: "2026-03-24 09:48", breakAt: "2026-03-24 10:00", running: true},
			want{used: "30m", state: OK, due: "2026-03-25 09:00", running: true}},
		{"over a weekend the response breaches on Monday at 8", []Event{opened("2026-03-20 15:30", 1)}, "2026-03-23 08:00", 1,
			want{used: "1h", state: Breached, due: "2026-03-23 08:00", warnAt: "2026-03-23 07:48", breakAt: "2026-03-23 08:00", running: true},
			want{used: "1h", state: OK, due: "2026-03-23 15:30", running: true}},
		{"20 August and the bridge day 21 August are off", []Event{opened("2026-08-19 15:00", 2)}, "2026-08-24 08:30", 2,
			want{used: "2h", state: OK, due: "2026-08-24 10:30", running: true},
			want{used: "2h", state: OK, due: "2026-08-26 15:00", running: true}},
		{"the worked Saturday 8 August counts", []Event{opened("2026-08-07 15:00", 1)}, "2026-08-10 08:30", 1,
			want{used: "10h30m", state: Breached, due: "2026-08-07 16:00", breakAt: "2026-08-07 16:00", running: true},
			want{used: "10h30m", state: Breached, due: "2026-08-08 15:00", warnAt: "2026-08-08 13:18", breakAt: "2026-08-08 15:00", running: true}},
		{"March DST weekend", []Event{opened("2026-03-27 14:00", 2)}, "2026-03-30 10:00", 2,
			want{used: "4h30m", state: Breached, breakAt: "2026-03-30T07:30:00Z", running: true},
			want{used: "4h30m", state: OK, due: "2026-04-01T12:00:00Z", running: true}},
		{"October DST weekend after the 23 October holiday", []Event{opened("2026-10-22 15:30", 2)}, "2026-10-26 10:00", 2,
			want{used: "3h", state: OK, due: "2026-10-26T10:00:00Z", breakAt: "2026-10-26T10:00:00Z", running: true},
			want{used: "3h", state: OK, due: "2026-10-28T14:30:00Z", running: true}},
		{"a pause over a night, answered", pausedNight, "2026-03-25 12:00", 2,
			want{used: "45m", state: OK, due: "-", warnAt: "-", breakAt: "-"},
			want{used: "2h", paused: "9h30m", state: OK, due: "2026-03-30 10:00", running: true}},
		{"a pause over a night, still waiting: due as if resumed now", pausedNight, "2026-03-25 09:00", 2,
			want{used: "45m", state: OK, due: "-"},
			want{used: "1h", paused: "7h30m", state: OK, due: "2026-03-30 08:00", warnAt: "-", breakAt: "-", waiting: true}},
		{"a priority change after a pause keeps the pause", reprioritised, "2026-03-25 12:00", 1,
			want{used: "45m", state: OK, due: "-", warnAt: "-", breakAt: "-"},
			want{used: "2h", paused: "9h30m", state: OK, due: "2026-03-26 10:00", running: true}},
		{"a priority change can breach at once, back in time, the pause still paused", breachedByChange, "2026-03-26 12:00", 1,
			want{used: "45m", state: OK},
			want{used: "10h30m", paused: "9h30m", state: Breached, due: "2026-03-26 10:00", warnAt: "2026-03-26 08:18", breakAt: "2026-03-26 10:00", running: true}},
		{"resolved: stopped", reopened, "2026-03-24 15:00", 1,
			want{used: "10m", state: OK, due: "-"},
			want{used: "2h", state: OK, due: "-", warnAt: "-", breakAt: "-"}},
		{"reopened: runs again from the time used", reopened, "2026-03-25 10:00", 1,
			want{used: "10m", state: OK},
			want{used: "3h", state: OK, due: "2026-03-25 15:30", warnAt: "2026-03-25 13:48", running: true}},
		{"resolved without a response stops the response clock", []Event{opened("2026-03-24 09:00", 1), to("2026-03-24 09:20", StateResolved)}, "2026-03-24 12:00", 1,
			want{used: "20m", state: OK, due: "-"},
			want{used: "20m", state: OK, due: "-"}},
		{"waiting for a vendor runs the clock", []Event{opened("2026-03-24 09:00", 1), answer("2026-03-24 09:10", StateWaitingVendor)}, "2026-03-24 13:00", 1,
			want{used: "10m", state: OK},
			want{used: "4h", state: OK, running: true}},
		{"one second before 80 %", []Event{opened("2026-03-24 09:00", 1)}, "2026-03-24 09:47:59", 1,
			want{used: "47m59s", state: OK, warnAt: "2026-03-24 09:48", running: true}, want{}},
		{"exactly 80 %", []Event{opened("2026-03-24 09:00", 1)}, "2026-03-24 09:48", 1,
			want{used: "48m", state: Warning, warnAt: "2026-03-24 09:48", breakAt: "2026-03-24 10:00", running: true}, want{}},
		{"one second before 100 %", []Event{opened("2026-03-24 09:00", 1)}, "2026-03-24 09:59:59", 1,
			want{used: "59m59s", state: Warning, due: "2026-03-24 10:00", running: true}, want{}},
		{"exactly 100 %", []Event{opened("2026-03-24 09:00", 1)}, "2026-03-24 10:00", 1,
			want{used: "1h", state: Breached, due: "2026-03-24 10:00", breakAt: "2026-03-24 10:00", running: true}, want{}},
		{"answered exactly at the target is breached", []Event{opened("2026-03-24 09:00", 1), answer("2026-03-24 10:00", StateAssigned)}, "2026-03-24 11:00", 1,
			want{used: "1h", state: Breached, breakAt: "2026-03-24 10:00"}, want{}},
		{"a priority without targets", []Event{opened("2026-03-24 09:00", 3)}, "2026-03-24 10:00", 3,
			want{used: "1h", state: None, due: "-", warnAt: "-", breakAt: "-", running: true},
			want{used: "1h", state: None, due: "-", running: true}},
		{"rows after now are not yet", []Event{opened("2026-03-24 09:00", 1), to("2026-03-24 09:30", StateResolved)}, "2026-03-24 09:20", 1,
			want{used: "20m", state: OK, running: true},
			want{used: "20m", state: OK, running: true}},
	}
	days, h := testDays(), queueHours(bp)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compute(days, h, tt.log, targets, at(tt.now))
			if c.Priority != tt.prio {
				t.Errorf("priority = %d; want %d", c.Priority, tt.prio)
			}
			check(t, "response", c.Response, tt.resp, bp)
			check(t, "resolution", c.Resolution, tt.res, bp)
		})
	}
}

func check(t *testing.T, clock string, m Measure, w want, bp *time.Location) {
	t.Helper()
	if w.state == "" { // not checked
		return
	}
	dur := func(s string) time.Duration {
		if s == "" {
			return 0
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if m.Used != dur(w.used) || m.Paused != dur(w.paused) || m.State != w.state {
		t.Errorf("%s: used %v, paused %v, %s; want %s, %s, %s", clock, m.Used, m.Paused, m.State, w.used, w.paused, w.state)
	}
	if m.Running != w.running || m.Waiting != w.waiting {
		t.Errorf("%s: running %v, waiting %v; want %v, %v", clock, m.Running, m.Waiting, w.running, w.waiting)
	}
	instant := func(name string, got time.Time, s string) {
		t.Helper()
		var want time.Time
		switch {
		case s == "":
			return
		case s == "-":
		case len(s) == len("2006-01-02 15:04"):
			v, err := time.ParseInLocation("2006-01-02 15:04", s, bp)
			if err != nil {
				t.Fatal(err)
			}
			want = v
		default:
			v, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			want = v
		}
		if !got.Equal(want) {
			t.Errorf("%s: %s = %v; want %s", clock, name, got.In(bp), s)
		}
	}
	instant("due", m.Due, w.due)
	instant("warning at", m.WarnAt, w.warnAt)
	instant("breach at", m.BreachAt, w.breakAt)
	if m.Target > 0 && m.Left != max(m.Target-m.Used, 0) {
		t.Errorf("%s: left %v; want %v", clock, m.Left, m.Target-m.Used)
	}
}

// TestComputeEqualsRecomputation checks random logs against the rules worked
// out here independently: the sum of WorkingTime over the intervals in which
// each clock runs or waits.
func TestComputeEqualsRecomputation(t *testing.T) {
	bp := budapest(t)
	days, h := testDays(), queueHours(bp)
	states := []string{"", StateNew, StateAssigned, StateInProgress, StateWaitingReporter, StateWaitingVendor, StateResolved, StateClosed}
	rng := rand.New(rand.NewPCG(14, 2026))
	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, bp)
	for n := 0; n < 400; n++ {
		// Tickets over all of 2026: both DST weekends, the holidays, the moved days.
		at := start.Add(time.Duration(rng.IntN(360*24*60)) * time.Minute)
		log := []Event{{At: at, State: StateNew, Priority: 1 + rng.IntN(3)}}
		for range rng.IntN(10) {
			at = at.Add(time.Duration(1+rng.IntN(3*24*60*60)) * time.Second) // distinct instants, so the shuffle below keeps the meaning
			e := Event{At: at, State: states[rng.IntN(len(states))], Response: rng.IntN(4) == 0}
			if rng.IntN(5) == 0 {
				e.Priority = 1 + rng.IntN(3)
			}
			log = append(log, e)
		}
		now := at.Add(time.Duration(rng.IntN(4*24*60*60)) * time.Second)

		var respUsed, respPaused, resUsed, resPaused time.Duration
		state, responded, prio := "", false, 0
		for i, e := range log {
			if e.State != "" {
				state = e.State
			}
			if e.Priority > 0 {
				prio = e.Priority
			}
			responded = responded || e.Response
			end := now
			if i+1 < len(log) {
				end = log[i+1].At
			}
			spent := days.WorkingTime(h, e.At, end)
			switch state {
			case StateResolved, StateClosed:
			case StateWaitingReporter:
				resPaused += spent
				if !responded {
					respPaused += spent
				}
			default:
				resUsed += spent
				if !responded {
					respUsed += spent
				}
			}
		}
		// Compute does not depend on the order the rows come in.
		shuffled := append([]Event{}, log...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		c := Compute(days, h, shuffled, targets, now)
		if c.Priority != prio || c.Response.Used != respUsed || c.Response.Paused != respPaused ||
			c.Resolution.Used != resUsed || c.Resolution.Paused != resPaused {
			t.Fatalf("log %d: priority %d, response used %v paused %v, resolution used %v paused %v; recomputed %d, %v %v, %v %v\nlog: %v\nnow: %v",
				n, c.Priority, c.Response.Used, c.Response.Paused, c.Resolution.Used, c.Resolution.Paused,
				prio, respUsed, respPaused, resUsed, resPaused, log, now)
		}
		for _, m := range []struct {
			name string
			m    Measure
		}{{"response", c.Response}, {"resolution", c.Resolution}} {
			checkMeasure(t, n, m.name, m.m, days, h, log, now)
		}
	}
}

// checkMeasure checks a clock against its own figures: the state against
// the thresholds, the due time against WorkingTime, and the breach instant
// against Compute as of that instant.
func checkMeasure(t *testing.T, n int, name string, m Measure, days *calendar.Days, h calendar.BusinessHours, log []Event, now time.Time) {
	t.Helper()
	if m.Target == 0 {
		if m.State != None || !m.Due.IsZero() || !m.BreachAt.IsZero() {
			t.Fatalf("log %d %s: no target but %s, due %v, breach %v", n, name, m.State, m.Due, m.BreachAt)
		}
		return
	}
	wantState := OK
	switch {
	case m.Used >= m.Target:
		wantState = Breached
	case m.Used*5 >= m.Target*4:
		wantState = Warning
	}
	if m.State != wantState {
		t.Fatalf("log %d %s: used %v of %v is %s; want %s", n, name, m.Used, m.Target, m.State, wantState)
	}
	if m.State != Breached && !m.Stopped {
		if got := days.WorkingTime(h, now, m.Due); got != m.Left {
			t.Fatalf("log %d %s: %v of business time from now to due %v; want %v left", n, name, got, m.Due, m.Left)
		}
	}
	if !m.BreachAt.IsZero() && !m.BreachAt.After(now) {
		then := Compute(days, h, log, targets, m.BreachAt)
		used := then.Resolution.Used
		if name == "response" {
			used = then.Response.Used
		}
		if used != m.Target {
			t.Fatalf("log %d %s: breached at %v, when %v was used; want the target %v", n, name, m.BreachAt, used, m.Target)
		}
	}
}

// TestComputeMinuteByMinute counts business minutes one by one from the wall
// clock, without WorkingTime, for random logs on whole minutes.
func TestComputeMinuteByMinute(t *testing.T) {
	bp := budapest(t)
	days, h := testDays(), queueHours(bp)
	states := []string{StateAssigned, StateInProgress, StateWaitingReporter, StateWaitingVendor, StateResolved, StateClosed}
	rng := rand.New(rand.NewPCG(23, 10))
	// Spans around the March and October DST weekends, 20 August and the moved days.
	starts := []string{"2026-03-25 12:00", "2026-10-20 12:00", "2026-08-05 12:00", "2026-01-08 12:00"}
	for n := 0; n < 40; n++ {
		at, err := time.ParseInLocation("2006-01-02 15:04", starts[n%len(starts)], bp)
		if err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Duration(rng.IntN(24*60)) * time.Minute)
		log := []Event{{At: at, State: StateNew, Priority: 1}}
		for range rng.IntN(6) {
			at = at.Add(time.Duration(1+rng.IntN(2*24*60)) * time.Minute)
			log = append(log, Event{At: at, State: states[rng.IntN(len(states))], Response: rng.IntN(3) == 0})
		}
		now := at.Add(time.Duration(rng.IntN(3*24*60)) * time.Minute)

		var respUsed, resUsed, resPaused time.Duration
		i, responded := 0, false
		for m := log[0].At; m.Before(now); m = m.Add(time.Minute) {
			for i+1 < len(log) && !log[i+1].At.After(m) {
				i++
			}
			if log[i].Response {
				responded = true
			}
			wall := m.In(bp)
			minute := wall.Hour()*60 + wall.Minute()
			if !days.IsWorkday(calendar.DateOf(m, bp)) || minute < 7*60+30 || minute >= 16*60 {
				continue
			}
			switch log[i].State {
			case StateResolved, StateClosed:
			case StateWaitingReporter:
				resPaused += time.Minute
			default:
				resUsed += time.Minute
				if !responded {
					respUsed += time.Minute
				}
			}
		}
		c := Compute(days, h, log, targets, now)
		if c.Response.Used != respUsed || c.Resolution.Used != resUsed || c.Resolution.Paused != resPaused {
			t.Fatalf("log %d: response used %v, resolution used %v paused %v; counted %v, %v, %v\nlog: %v\nnow: %v",
				n, c.Response.Used, c.Resolution.Used, c.Resolution.Paused, respUsed, resUsed, resPaused, log, now)
		}
	}
}

// A queue set up with no business hours at all never runs its clocks and has
// no due time, rather than searching forever.
func TestComputeNoBusinessHours(t *testing.T) {
	bp := budapest(t)
	from := time.Date(2026, time.March, 24, 9, 0, 0, 0, bp)
	c := Compute(testDays(), calendar.BusinessHours{TZ: bp}, []Event{{At: from, State: StateNew, Priority: 1}}, targets, from.Add(48*time.Hour))
	if r := c.Resolution; r.Used != 0 || r.State != OK || !r.Due.IsZero() || !r.BreachAt.IsZero() || !r.Running {
		t.Errorf("resolution = %+v; want nothing used, running, no due time", r)
	}
}

// An empty log is no ticket: no clock runs.
func TestComputeEmptyLog(t *testing.T) {
	c := Compute(testDays(), queueHours(budapest(t)), nil, targets, time.Now())
	if c.Priority != 0 || c.Response.Running || c.Resolution.Running || c.Resolution.State != None {
		t.Errorf("Compute(empty log) = %+v; want no priority, nothing running", c)
	}
}
