package helpdesk

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/helpdesk/sla"
	"kapu/modules/platform/calendar"
)

// slaHorizon is how far past now the calendar is loaded for due times: well
// beyond the longest default target (five business days).
const slaHorizon = 120

// slaLog turns a ticket's status log into the SLA clock's events. The first
// row carries the ticket's (latest) priority, whose targets apply to the
// whole log; every later row by someone other than the reporter and the
// system (a take, an assignment, a state change, a reply they see) is a
// response.
func slaLog(t *Ticket, evs []TicketEvent) []sla.Event {
	out := make([]sla.Event, len(evs))
	for i, e := range evs {
		ev := sla.Event{At: e.At}
		if e.Kind == EventState || e.Kind == EventAssign {
			ev.State = e.To
		}
		if i == 0 {
			ev.Priority = t.Priority
		} else {
			ev.Response = e.ByID != 0 && e.ByID != t.ReporterID && e.Kind != EventPriority
		}
		out[i] = ev
	}
	return out
}

// clockOf computes t's SLA clocks as of now from its log, read through tx.
func (s *Service) clockOf(tx *gorm.DB, t *Ticket, q *Queue, now time.Time) (sla.Clock, error) {
	var evs []TicketEvent
	if err := tx.Where("ticket_id = ?", t.ID).Order("at, id").Find(&evs).Error; err != nil {
		return sla.Clock{}, err
	}
	return s.clockFrom(tx.Statement.Context, t, q, evs, now)
}

// clockFrom is clockOf over a log already read (oldest first).
func (s *Service) clockFrom(ctx context.Context, t *Ticket, q *Queue, evs []TicketEvent, now time.Time) (sla.Clock, error) {
	from := calendar.DateOf(t.CreatedAt, s.tz).AddDays(-1)
	days, err := s.cal.Span(ctx, from, calendar.DateOf(now, s.tz).AddDays(slaHorizon))
	if err != nil {
		return sla.Clock{}, err
	}
	return sla.Compute(days, q.BusinessHours(s.tz), slaLog(t, evs), q.SLATargets(), now), nil
}

// refreshSLA writes t's SLA columns from a fresh computation over its log.
func (s *Service) refreshSLA(tx *gorm.DB, t *Ticket, q *Queue) error {
	now := s.now().UTC()
	c, err := s.clockOf(tx, t, q, now)
	if err != nil {
		return err
	}
	set := slaColumns(c, now)
	if t.WarnMailedAt != nil && !reached(set["sla_warn_at"], now) {
		set["warn_mailed_at"] = nil
	}
	if t.BreachMailedAt != nil && !reached(set["sla_breach_at"], now) {
		set["breach_mailed_at"] = nil
	}
	// UpdateColumns: a cache refresh is not a change of the ticket (updated_at stays).
	return tx.Model(&Ticket{}).Where("id = ?", t.ID).UpdateColumns(set).Error
}

// slaColumns are the Ticket columns that cache clock c as of now.
func slaColumns(c sla.Clock, now time.Time) map[string]any {
	var warn, breach *time.Time
	for _, m := range []sla.Measure{c.Response, c.Resolution} {
		if m.Stopped {
			continue
		}
		warn, breach = earliest(warn, m.WarnAt), earliest(breach, m.BreachAt)
	}
	set := map[string]any{
		"due_at":          due(c.Resolution),
		"response_due_at": due(c.Response),
		"sla_warn_at":     warn,
		"sla_breach_at":   breach,
		"sla_breached":    c.Response.State == sla.Breached || c.Resolution.State == sla.Breached,
		"response_mins":   nil,
		"resolve_mins":    nil,
	}
	if c.Response.Stopped {
		set["response_mins"] = int(c.Response.Used / time.Minute)
	}
	if c.Resolution.Stopped {
		set["resolve_mins"] = int(c.Resolution.Used / time.Minute)
	}
	return set
}

// due is a clock's due time while it runs; nil while it stands.
func due(m sla.Measure) *time.Time {
	if !m.Running || m.Due.IsZero() {
		return nil
	}
	d := m.Due.UTC()
	return &d
}

func earliest(cur *time.Time, t time.Time) *time.Time {
	if t.IsZero() || (cur != nil && !t.Before(*cur)) {
		return cur
	}
	u := t.UTC()
	return &u
}

// reached reports whether v (a *time.Time column value) is at or before now.
func reached(v any, now time.Time) bool {
	t, ok := v.(*time.Time)
	return ok && t != nil && !t.After(now)
}
