// Package sla computes a helpdesk ticket's SLA clocks from its status log.
//
// Nothing is counted as the ticket goes: every figure is recomputed from the
// log each time, so it cannot drift from what happened, and a late change of
// the rules (a new priority) applies to the whole history at once. The rules,
// and why:
//
//   - Time counts only within the queue's business hours on working days of
//     the platform calendar (weekends, public holidays and administrators'
//     days off do not count; a moved working day does). The queue promises
//     service when it is staffed, not around the clock.
//   - The clocks start at the first log row (the ticket's receipt).
//   - Both clocks pause while the ticket waits for the reporter
//     (waiting_reporter): the queue cannot go on without them. That time is
//     reported as Paused. Waiting for a part or a vendor does not pause: the
//     queue chose the vendor, so it is the queue's time.
//   - Both clocks stop while the ticket is resolved or closed, and run again
//     when it is reopened, adding to the time used before: a reopened ticket
//     was not solved, and starting from zero would hide a breach.
//   - The response clock stops for good at the first row marked Response
//     (a staff reply or first action).
//   - Any other state, known or not, runs the clocks, so a state added later
//     or misspelt can never stop an SLA by accident.
//   - The targets are those of the latest priority, applied to the whole log:
//     a priority change recomputes used and paused time from the log, so a
//     pause before the change stays paused. A change can thus make a ticket
//     breached at once, with a breach instant before the change.
//   - Warning at 80 % of a target, breach at 100 %, both inclusive: a clock
//     that has used exactly its target is breached.
//   - Rows after now are ignored, so Compute also answers "as it stood then".
//
// Everything is pure computation over a calendar.Days the caller loaded for
// the span; a due time beyond it knows the public holidays but not the
// overrides the Days was not given.
package sla

import (
	"slices"
	"time"

	"kapu/modules/platform/calendar"
)

// Ticket states, as written in the status log.
const (
	StateNew             = "new"
	StateAssigned        = "assigned"
	StateInProgress      = "in_progress"
	StateWaitingReporter = "waiting_reporter"
	StateWaitingVendor   = "waiting_vendor"
	StateResolved        = "resolved"
	StateClosed          = "closed"
)

// Clock states.
const (
	None     = "none"     // no target for this priority
	OK       = "ok"       // below 80 % of the target
	Warning  = "warning"  // at least 80 %
	Breached = "breached" // at least 100 %
)

// Event is one status-log row: State is the state entered at At ("" when the
// row changes no state, e.g. a comment or a priority change), Response marks
// a staff reply or first action counting as the first response, and Priority
// is the new priority when it is above 0.
type Event struct {
	At       time.Time
	State    string
	Response bool
	Priority int
}

// Target is the business time allowed for the first response and for the
// resolution; 0 means no target.
type Target struct {
	Response, Resolve time.Duration
}

// Targets are the queue's targets by priority.
type Targets map[int]Target

// Measure is one SLA clock as of now.
type Measure struct {
	Target  time.Duration // business time allowed, for the current priority
	Used    time.Duration // business time the clock has run
	Paused  time.Duration // business time it stood waiting for the reporter
	Left    time.Duration // Target-Used, 0 when none is left
	Running bool          // the clock runs now (outside business hours it runs but adds nothing)
	Waiting bool          // paused now, waiting for the reporter
	// Stopped: the response was given, or the ticket is resolved or closed.
	Stopped  bool
	Fraction float64 // Used/Target; 0 without a target
	State    string  // None, OK, Warning or Breached
	// Due is when Left runs out if the clock runs from now on; for a waiting
	// clock as if it ran again now, so every minute of pause pushes it later.
	// When breached it is BreachAt; zero when stopped before the target, and
	// when the business hours hold no time at all.
	Due time.Time
	// WarnAt and BreachAt are when the clock reached or will reach 80 % and
	// 100 % of its target: the past instant from the log, or, while running,
	// the instant ahead. Zero when it is not reached and the clock does not
	// run, or when there is no target. A mail job waits for them and then
	// computes again, since the log may have changed in between.
	WarnAt, BreachAt time.Time
}

// Clock is a ticket's two SLA clocks for its current priority.
type Clock struct {
	Priority   int
	Response   Measure
	Resolution Measure
}

// Compute returns the clocks of the ticket whose status log is log, as of
// now, with the targets of its latest priority. The log need not be sorted.
func Compute(days *calendar.Days, h calendar.BusinessHours, log []Event, targets Targets, now time.Time) Clock {
	evs := make([]Event, 0, len(log))
	for _, e := range log {
		if !e.At.After(now) {
			evs = append(evs, e)
		}
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })

	var c Clock
	for _, e := range evs {
		if e.Priority > 0 {
			c.Priority = e.Priority
		}
	}
	t := targets[c.Priority]
	resp := newTally(t.Response)
	res := newTally(t.Resolve)
	state, responded := "", false
	for i, e := range evs {
		if e.State != "" {
			state = e.State
		}
		responded = responded || e.Response
		end := now
		if i+1 < len(evs) {
			end = evs[i+1].At
		}
		if !responded {
			resp.add(days, h, state, e.At, end)
		}
		res.add(days, h, state, e.At, end)
	}
	c.Response = resp.measure(days, h, state, responded || len(evs) == 0, now)
	c.Resolution = res.measure(days, h, state, len(evs) == 0, now)
	return c
}

// tally adds up one clock over the log's intervals.
type tally struct {
	target, warn     time.Duration
	used, paused     time.Duration
	warnAt, breachAt time.Time
}

func newTally(target time.Duration) *tally {
	// 80 % rounded up, so that reaching warn means used*5 >= target*4.
	return &tally{target: target, warn: (target*4 + 4) / 5}
}

// add counts [from, to) spent in state.
func (t *tally) add(days *calendar.Days, h calendar.BusinessHours, state string, from, to time.Time) {
	switch {
	case stops(state):
	case state == StateWaitingReporter:
		t.paused += days.WorkingTime(h, from, to)
	default:
		spent := days.WorkingTime(h, from, to)
		if t.target > 0 {
			if t.warnAt.IsZero() && t.used+spent >= t.warn {
				t.warnAt = addBusiness(days, h, from, t.warn-t.used)
			}
			if t.breachAt.IsZero() && t.used+spent >= t.target {
				t.breachAt = addBusiness(days, h, from, t.target-t.used)
			}
		}
		t.used += spent
	}
}

// stops reports whether state stops both clocks.
func stops(state string) bool { return state == StateResolved || state == StateClosed }

// measure is the clock as of now, in state; done is true when it stopped
// for good (the response was given).
func (t *tally) measure(days *calendar.Days, h calendar.BusinessHours, state string, done bool, now time.Time) Measure {
	m := Measure{Target: t.target, Used: t.used, Paused: t.paused, State: None}
	m.Stopped = done || stops(state)
	m.Waiting = !m.Stopped && state == StateWaitingReporter
	m.Running = !m.Stopped && !m.Waiting
	if t.target <= 0 {
		return m
	}
	m.Left = max(t.target-t.used, 0)
	m.Fraction = float64(t.used) / float64(t.target)
	m.WarnAt, m.BreachAt = t.warnAt, t.breachAt
	switch {
	case !t.breachAt.IsZero():
		m.State, m.Due = Breached, t.breachAt
	case !t.warnAt.IsZero():
		m.State = Warning
	default:
		m.State = OK
	}
	if m.State != Breached && !m.Stopped {
		m.Due = addBusiness(days, h, now, m.Left)
	}
	if m.Running {
		if m.WarnAt.IsZero() {
			m.WarnAt = addBusiness(days, h, now, t.warn-t.used)
		}
		if m.BreachAt.IsZero() {
			m.BreachAt = m.Due
		}
	}
	return m
}

// addBusiness is the instant at which d of business time has passed since
// from (calendar's AddWorkingTime); zero when the hours hold no such time.
func addBusiness(days *calendar.Days, h calendar.BusinessHours, from time.Time, d time.Duration) time.Time {
	if due, ok := days.AddWorkingTime(h, from, d); ok {
		return due
	}
	return time.Time{}
}
