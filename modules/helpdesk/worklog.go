package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Limits of the work log.
const (
	maxWorkText    = 2000
	maxPartName    = 200
	maxParts       = 20
	maxWorkMinutes = 1440 // a day: a longer job is logged day by day
	maxPartQty     = 10000
	maxForints     = 1_000_000_000
)

// Errors of the work log.
var (
	ErrWorkText       = errs.New(errs.Invalid, "helpdesk: say what was done")
	ErrWorkTextLong   = errs.New(errs.Invalid, "helpdesk: the work text is too long")
	ErrWorkMinutes    = errs.New(errs.Invalid, "helpdesk: the time spent is 1 to 1440 minutes")
	ErrPartName       = errs.New(errs.Invalid, "helpdesk: a part needs a name")
	ErrPartQuantity   = errs.New(errs.Invalid, "helpdesk: a part's quantity is 1 to 10000")
	ErrPartCost       = errs.New(errs.Invalid, "helpdesk: a part's unit cost is forints, not negative")
	ErrTooManyParts   = errs.New(errs.Invalid, "helpdesk: too many parts in one entry")
	ErrWorkNotFound   = errs.New(errs.NotFound, "helpdesk: no such work entry")
	ErrWorkNotOwn     = errs.New(errs.Forbidden, "helpdesk: only its author deletes a work entry")
	ErrWorkNotToday   = errs.New(errs.Conflict, "helpdesk: a work entry can only be deleted on the day it was written")
	ErrWorkClosedTick = errs.New(errs.Conflict, "helpdesk: the ticket is closed; its work log stays as it is")
)

func init() {
	for e, k := range map[error]string{
		ErrWorkText: "helpdesk.work.err.text", ErrWorkTextLong: "helpdesk.work.err.text_long",
		ErrWorkMinutes: "helpdesk.work.err.minutes", ErrPartName: "helpdesk.work.err.part_name",
		ErrPartQuantity: "helpdesk.work.err.part_quantity", ErrPartCost: "helpdesk.work.err.part_cost",
		ErrTooManyParts: "helpdesk.work.err.too_many_parts", ErrWorkNotFound: "helpdesk.work.err.not_found",
		ErrWorkNotOwn: "helpdesk.work.err.not_own", ErrWorkNotToday: "helpdesk.work.err.not_today",
		ErrWorkClosedTick: "helpdesk.work.err.closed",
	} {
		messages[e] = k
	}
}

// PartError is a problem with one part row (Row counts from 0), so the form
// can put the message next to that row's field.
type PartError struct {
	Row   int
	Field string // "name", "quantity", "cost"
	Err   error
}

func (e *PartError) Error() string { return fmt.Sprintf("part %d: %v", e.Row+1, e.Err) }
func (e *PartError) Unwrap() error { return e.Err }

// PartInput is one part row as the form gives it.
type PartInput struct {
	Name     string
	Quantity int
	UnitCost int64
}

// WorkInput is one work-log entry as staff give it.
type WorkInput struct {
	Text    string
	Minutes int
	Parts   []PartInput
}

// check trims the input and returns every problem in it at once.
func (in WorkInput) check() (WorkInput, error) {
	in.Text = strings.TrimSpace(in.Text)
	var problems []error
	switch {
	case in.Text == "":
		problems = append(problems, ErrWorkText)
	case !web.ValidText(in.Text, maxWorkText):
		problems = append(problems, ErrWorkTextLong)
	}
	if in.Minutes < 1 || in.Minutes > maxWorkMinutes {
		problems = append(problems, ErrWorkMinutes)
	}
	if len(in.Parts) > maxParts {
		problems = append(problems, ErrTooManyParts)
	}
	for i := range in.Parts {
		p := &in.Parts[i]
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" || !validLine(p.Name, maxPartName) {
			problems = append(problems, &PartError{Row: i, Field: "name", Err: ErrPartName})
		}
		if p.Quantity < 1 || p.Quantity > maxPartQty {
			problems = append(problems, &PartError{Row: i, Field: "quantity", Err: ErrPartQuantity})
		}
		if p.UnitCost < 0 || p.UnitCost > maxForints {
			problems = append(problems, &PartError{Row: i, Field: "cost", Err: ErrPartCost})
		}
	}
	return in, errors.Join(problems...)
}

// ParseMinutes reads a time spent as people write it: "90" (minutes),
// "1:30", "1h30", "1 ó 30 p", "1,5 h", "2h", "45m", "45 perc". ok is false
// for anything else; the range is the service's to check.
func ParseMinutes(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	if h, m, found := strings.Cut(s, ":"); found {
		hh, err1 := strconv.Atoi(strings.TrimSpace(h))
		mm, err2 := strconv.Atoi(strings.TrimSpace(m))
		if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 10000 {
			return 0, false
		}
		return hh*60 + mm, true
	}
	// Split into number and unit tokens: "1,5h" → 1,5 h; "1 ó 30 p" → 1 ó 30 p.
	var tokens []string
	var cur strings.Builder
	kind := 0 // 1 number, 2 letters
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		k := 0
		switch {
		case unicode.IsDigit(r) || r == ',' || r == '.':
			k = 1
		case unicode.IsLetter(r):
			k = 2
		case unicode.IsSpace(r):
			flush()
			kind = 0
			continue
		default:
			return 0, false
		}
		if k != kind {
			flush()
		}
		kind = k
		cur.WriteRune(r)
	}
	flush()
	units := map[string]float64{"h": 60, "ó": 60, "óra": 60, "o": 60, "ora": 60, "hour": 60, "hours": 60,
		"m": 1, "p": 1, "perc": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1}
	total := 0.0
	for i := 0; i < len(tokens); i++ {
		v, err := strconv.ParseFloat(strings.ReplaceAll(tokens[i], ",", "."), 64)
		if err != nil || v < 0 || v > 1e6 {
			return 0, false
		}
		unit := 1.0 // a bare number is minutes, or after hours the minutes ("1h30")
		if i+1 < len(tokens) {
			u, ok := units[tokens[i+1]]
			if !ok {
				return 0, false
			}
			unit = u
			i++
		} else if len(tokens) > 1 && total == 0 {
			return 0, false
		}
		total += v * unit
	}
	if total != math.Trunc(total) {
		total = math.Round(total)
	}
	return int(total), true
}

// ParseForints reads an amount of forints as people write it: "12500",
// "12 500", "12.500 Ft", "-300" (which the service refuses as negative).
func ParseForints(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, suffix := range []string{"Ft", "ft", "HUF", "huf", ",-"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ".", "").Replace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxForints || n < -maxForints {
		return 0, false
	}
	return n, true
}

// AddWork writes a work-log entry with its parts on a ticket that is not
// closed, and brings the ticket's sums up to date in the same transaction.
// Only the staff of the ticket's queue log work.
func (s *Service) AddWork(ctx context.Context, a actor.Actor, ticketID uint, in WorkInput) (*WorkEntry, error) {
	in, err := in.check()
	var e *WorkEntry
	terr := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, _, lerr := loadForStaff(tx, a, ticketID)
		if lerr != nil {
			return lerr
		}
		if err != nil {
			return err
		}
		if t.State == StateClosed {
			return ErrWorkClosedTick
		}
		e = &WorkEntry{TicketID: t.ID, ByID: a.ID, Text: in.Text, Minutes: in.Minutes, CreatedAt: s.now().UTC()}
		for _, p := range in.Parts {
			part := Part{TicketID: t.ID, Name: p.Name, Quantity: p.Quantity, UnitCost: p.UnitCost}
			e.PartsCost += part.Cost()
			e.Parts = append(e.Parts, part)
		}
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		if err := s.addSums(tx, t.ID, e.Minutes, e.PartsCost); err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.work.add", "helpdesk_ticket", t.ID, nil,
			map[string]any{"entry_id": e.ID, "minutes": e.Minutes, "parts": len(e.Parts), "parts_cost": e.PartsCost})
	})
	if terr != nil {
		return nil, terr
	}
	return e, nil
}

// addSums moves the ticket's sums by the given amounts in one UPDATE, so two
// entries written at once both count.
func (s *Service) addSums(tx *gorm.DB, ticketID uint, mins int, cost int64) error {
	if err := s.markStatsDirty(tx, ticketID); err != nil {
		return err
	}
	return tx.Model(&Ticket{}).Where("id = ?", ticketID).Updates(map[string]any{
		"work_mins":  gorm.Expr("work_mins + ?", mins),
		"parts_cost": gorm.Expr("parts_cost + ?", cost),
		"updated_at": s.now().UTC(),
	}).Error
}

// loadWork reads entry entryID of ticket ticketID for its deletion: only its
// author, only on the day (in the city's zone) it was written, only while
// the ticket is open.
func (s *Service) loadWork(q *gorm.DB, a actor.Actor, ticketID, entryID uint) (*Ticket, *WorkEntry, error) {
	t, _, err := loadForStaff(q, a, ticketID)
	if err != nil {
		return nil, nil, err
	}
	var e WorkEntry
	if err := q.Where("id = ? AND ticket_id = ?", entryID, ticketID).Preload("Parts").Limit(1).Find(&e).Error; err != nil {
		return nil, nil, err
	}
	switch {
	case e.ID == 0:
		return nil, nil, ErrWorkNotFound
	case e.ByID != a.ID:
		return nil, nil, ErrWorkNotOwn
	case t.State == StateClosed:
		return nil, nil, ErrWorkClosedTick
	case calendar.DateOf(e.CreatedAt, s.tz) != calendar.DateOf(s.now(), s.tz):
		return nil, nil, ErrWorkNotToday
	}
	return t, &e, nil
}

// WorkEntryFor is one entry its author may delete, for the confirmation page.
func (s *Service) WorkEntryFor(ctx context.Context, a actor.Actor, ticketID, entryID uint) (*WorkEntry, error) {
	_, e, err := s.loadWork(s.db.R.WithContext(ctx), a, ticketID, entryID)
	return e, err
}

// DeleteWork removes its author's entry written today, its parts with it,
// and takes its minutes and cost off the ticket's sums.
func (s *Service) DeleteWork(ctx context.Context, a actor.Actor, ticketID, entryID uint) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, e, err := s.loadWork(tx, a, ticketID, entryID)
		if err != nil {
			return err
		}
		if err := tx.Where("entry_id = ?", e.ID).Delete(&Part{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", e.ID).Delete(&WorkEntry{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // deleted meanwhile (a second tab)
			return ErrWorkNotFound
		}
		if err := s.addSums(tx, t.ID, -e.Minutes, -e.PartsCost); err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.work.delete", "helpdesk_ticket", t.ID,
			map[string]any{"entry_id": e.ID, "minutes": e.Minutes, "parts": len(e.Parts), "parts_cost": e.PartsCost}, nil)
	})
}

// WorkRow is a work entry as the log shows it.
type WorkRow struct {
	WorkEntry
	By        string
	Deletable bool // its author's, written today, the ticket open
}

// WorkLog is a ticket's work log with its totals.
type WorkLog struct {
	Ticket  *Ticket
	Queue   *Queue
	Entries []WorkRow
	Minutes int
	Cost    int64
}

// Work is a ticket's work log, oldest first, for the staff of its queue.
func (s *Service) Work(ctx context.Context, a actor.Actor, ticketID uint) (*WorkLog, error) {
	q := s.db.R.WithContext(ctx)
	t, qu, err := loadForStaff(q, a, ticketID)
	if err != nil {
		return nil, err
	}
	var es []WorkEntry
	if err := q.Where("ticket_id = ?", ticketID).Preload("Parts", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Order("created_at, id").Find(&es).Error; err != nil {
		return nil, err
	}
	ids := make([]uint, len(es))
	for i := range es {
		ids[i] = es[i].ByID
	}
	names, err := people.NamesOf(q, ids)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.now(), s.tz)
	w := &WorkLog{Ticket: t, Queue: qu, Minutes: t.WorkMins, Cost: t.PartsCost}
	for _, e := range es {
		w.Entries = append(w.Entries, WorkRow{WorkEntry: e, By: names[e.ByID],
			Deletable: e.ByID == a.ID && t.State != StateClosed && calendar.DateOf(e.CreatedAt, s.tz) == today})
	}
	return w, nil
}

// FormatMinutes writes minutes as hours and minutes: "1:30".
func FormatMinutes(m int) string {
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}

// Spent is the entry's time as hours and minutes ("1:30").
func (e WorkEntry) Spent() string { return FormatMinutes(e.Minutes) }

// Spent is the log's total time as hours and minutes.
func (w WorkLog) Spent() string { return FormatMinutes(w.Minutes) }
