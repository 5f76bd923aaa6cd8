package booking

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// Repeat rules of a series.
const (
	RepeatDaily   = "daily"
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
)

// MaxOccurrences caps a series: a hundred dates is already two years of weekly
// meetings, and the preview must stay readable.
const MaxOccurrences = 100

// Series errors the handlers turn into form messages.
var (
	ErrBadRepeat          = errs.New(errs.Invalid, "booking: unknown repeat rule")
	ErrRepeatEnd          = errs.New(errs.Invalid, "booking: a series needs an end date or a count")
	ErrUntilBeforeStart   = errs.New(errs.Invalid, "booking: the series ends before its first day")
	ErrTooManyOccurrences = errs.New(errs.Invalid, "booking: too many occurrences")
	ErrNothingFree        = errs.New(errs.Conflict, "booking: none of the dates is free")
)

// Reasons a date of a series cannot be booked, as the preview names them.
const (
	ReasonTaken        = "taken"
	ReasonEquipment    = "equipment"
	ReasonOutsideHours = "outside_hours"
	ReasonPast         = "past"
	ReasonNoDay        = "no_day"       // a monthly series on the 31st in a 30-day month
	ReasonNoSuchTime   = "no_such_time" // the skipped hour of a DST Sunday
	ReasonDayOff       = "day_off"      // a weekend or holiday of a room; Item is its translation key
)

// Series is the rule a recurring room booking was made from; its occurrences
// are ordinary bookings carrying its id, so every guarantee of a single
// booking holds for each of them.
type Series struct {
	ID         uint   `gorm:"primaryKey"`
	ResourceID uint   `gorm:"not null;index"`
	PersonID   uint   `gorm:"not null;index"`
	Rule       string `gorm:"size:10;not null"`
	FirstDay   string `gorm:"size:10;not null"` // YYYY-MM-DD, local
	Until      string `gorm:"size:10"`          // YYYY-MM-DD, local; empty when Count ends it
	Count      int    `gorm:"not null;default:0"`
	FromTime   string `gorm:"size:5;not null"` // HH:MM, local
	ToTime     string `gorm:"size:5;not null"`
	Title      string `gorm:"size:200"`
	Attendees  int    `gorm:"not null;default:0"`
	Equipment  string `gorm:"size:500"` // "2 × Projector, 1 × Laptop" as booked
	CreatedBy  uint   `gorm:"not null"`
	CreatedAt  time.Time
}

func (Series) TableName() string { return "booking_series" }

// SeriesInput is a recurring room booking as the form describes it: the
// booking's room, title, attendees and equipment, the first day and the wall
// times, and the rule. Until (if not zero) or Count ends it.
type SeriesInput struct {
	BookingInput
	First    calendar.Date
	From, To string
	Rule     string
	Until    calendar.Date
	Count    int
}

// SeriesDay is one date of a series: free to book, or why not.
type SeriesDay struct {
	Day        calendar.Date
	Start, End time.Time
	Reason     string // empty when free
	Item       string // the equipment that is not free (ReasonEquipment)
	BookingID  uint   // the occurrence booked (after BookSeries)
}

// Free reports whether the date can be (or was) booked.
func (d SeriesDay) Free() bool { return d.Reason == "" }

// seriesDays lists the dates of a series in order; a monthly date that does
// not exist in its month is listed with ReasonNoDay rather than moved.
func seriesDays(in SeriesInput) ([]SeriesDay, error) {
	switch {
	case in.Rule != RepeatDaily && in.Rule != RepeatWeekly && in.Rule != RepeatMonthly:
		return nil, ErrBadRepeat
	case in.Until.IsZero() && in.Count <= 0:
		return nil, ErrRepeatEnd
	case !in.Until.IsZero() && in.Until.Before(in.First):
		return nil, ErrUntilBeforeStart
	case in.Count > MaxOccurrences:
		return nil, ErrTooManyOccurrences
	}
	var out []SeriesDay
	for i := 0; in.Count <= 0 || len(out) < in.Count; i++ {
		var d SeriesDay
		switch in.Rule {
		case RepeatDaily:
			d.Day = in.First.AddDays(i)
		case RepeatWeekly:
			d.Day = in.First.AddDays(7 * i)
		case RepeatMonthly:
			month := time.Date(in.First.Year, in.First.Month+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			d.Day = calendar.Date{Year: month.Year(), Month: month.Month(), Day: in.First.Day}
			if last := month.AddDate(0, 1, -1).Day(); in.First.Day > last {
				d.Reason = ReasonNoDay
				// Compared as the month's last day so Until still ends the series.
				if !in.Until.IsZero() && (calendar.Date{Year: month.Year(), Month: month.Month(), Day: last}).After(in.Until) {
					return out, nil
				}
			}
		}
		if d.Reason == "" && !in.Until.IsZero() && d.Day.After(in.Until) {
			break
		}
		if len(out) == MaxOccurrences {
			return nil, ErrTooManyOccurrences
		}
		out = append(out, d)
	}
	return out, nil
}

// PreviewSeries says for each date of the series whether it is free. It only
// reads: BookSeries checks everything again under the locks.
func (s *Service) PreviewSeries(ctx context.Context, a actor.Actor, in SeriesInput) ([]SeriesDay, error) {
	q := s.db.R.WithContext(ctx)
	ls, err := s.seriesLines(q, in)
	if err != nil {
		return nil, err
	}
	return s.planSeries(q, ls, in)
}

// seriesLines loads the room and equipment of a series and checks what does
// not depend on the date.
func (s *Service) seriesLines(tx *gorm.DB, in SeriesInput) ([]line, error) {
	ls, err := s.lines(tx, nil, in.BookingInput, KindRoom)
	if err != nil {
		return nil, err
	}
	room := ls[0].res
	if room.Seats > 0 && in.Attendees > room.Seats {
		return nil, ErrTooManySeats
	}
	return ls, nil
}

// planSeries checks each date of the series as Book would, without booking.
func (s *Service) planSeries(tx *gorm.DB, ls []line, in SeriesInput) ([]SeriesDay, error) {
	days, err := seriesDays(in)
	if err != nil {
		return nil, err
	}
	for i := range days {
		d := &days[i]
		if d.Reason != "" {
			continue
		}
		d.Start, d.End, err = LocalTimes(d.Day, in.From, in.To, s.tz)
		if errors.Is(err, ErrNoSuchTime) {
			d.Reason = ReasonNoSuchTime
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Reason, d.Item, err = s.check(tx, ls, in.BookingInput, d.Start, d.End)
		if err != nil {
			return nil, err
		}
	}
	return days, nil
}

// check says why ls cannot be booked over [start, end) ("" when it can).
// Errors that are the same for every date (end before start) are returned as
// errors.
func (s *Service) check(tx *gorm.DB, ls []line, in BookingInput, start, end time.Time) (reason, item string, err error) {
	in.Start, in.End = start, end
	if _, err := s.normalise(in); errors.Is(err, ErrInPast) {
		return ReasonPast, "", nil
	} else if err != nil {
		return "", "", err
	}
	for _, l := range ls {
		if !s.withinHours(l.res, start, end) {
			return ReasonOutsideHours, "", nil
		}
	}
	var off *DayOffError
	if err := s.checkDayOff(tx.Statement.Context, ls, start); errors.As(err, &off) {
		return ReasonDayOff, off.Reason, nil
	} else if err != nil {
		return "", "", err
	}
	for i, l := range ls {
		blockEnd := utc(end).Add(time.Duration(l.res.BufferMinutes) * time.Minute)
		err := s.fits(tx, l.res, utc(start), blockEnd, l.qty, 0)
		switch {
		case err == nil:
		case i == 0 && (errors.Is(err, ErrTaken) || errors.Is(err, ErrPoolFull)):
			return ReasonTaken, "", nil
		case errors.Is(err, ErrTaken) || errors.Is(err, ErrPoolFull):
			return ReasonEquipment, l.res.Name, nil
		default:
			return "", "", err
		}
	}
	return "", "", nil
}

// BookSeries books the free dates of a series in one transaction and skips
// the others; it returns the series and every date with what became of it.
// Nothing from a preview is trusted: the dates are checked again under the
// same locks Book takes, and each is booked through bookTx.
func (s *Service) BookSeries(ctx context.Context, a actor.Actor, in SeriesInput) (*Series, []SeriesDay, error) {
	in.Title = clip(in.Title, 200)
	st, err := s.prepare(ctx)
	if err != nil {
		return nil, nil, err
	}
	var ser Series
	var days []SeriesDay
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		ls, err := s.seriesLines(tx, in)
		if err != nil {
			return err
		}
		if err := s.lock(tx, ls); err != nil {
			return dbError(err)
		}
		if days, err = s.planSeries(tx, ls, in); err != nil {
			return err
		}
		free := 0
		for _, d := range days {
			if d.Free() {
				free++
			}
		}
		if free == 0 {
			return ErrNothingFree
		}
		ser = Series{ResourceID: in.ResourceID, PersonID: a.ID, Rule: in.Rule, FirstDay: in.First.String(), Count: in.Count,
			FromTime: in.From, ToTime: in.To, Title: in.Title, Attendees: in.Attendees, Equipment: clip(linesText(ls[1:]), 500), CreatedBy: a.ID}
		if !in.Until.IsZero() {
			ser.Until = in.Until.String()
		}
		if err := tx.Create(&ser).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "booking.series.create", "booking_series", ser.ID, nil, ser); err != nil {
			return err
		}
		var booked []SeriesDay
		for i := range days {
			d := &days[i]
			if !d.Free() {
				continue
			}
			one := in.BookingInput
			one.Start, one.End, one.SeriesID = d.Start, d.End, &ser.ID
			// A savepoint per date: should the database refuse one after all,
			// the date is skipped and the others stay booked.
			err := tx.Transaction(func(tx *gorm.DB) error {
				b, err := s.bookTx(ctx, tx, st, a, one, StatusConfirmed)
				if err == nil {
					d.BookingID = b.ID
				}
				return err
			})
			var item *ItemError
			switch {
			case err == nil:
				booked = append(booked, *d)
			case errors.As(err, &item):
				d.Reason, d.Item = ReasonEquipment, item.Name
			case errors.Is(err, ErrTaken) || errors.Is(err, ErrPoolFull):
				d.Reason = ReasonTaken
			default:
				return err
			}
		}
		if len(booked) == 0 {
			return ErrNothingFree
		}
		if needsApproval(ls[0].res) {
			return nil // each date waits for its approval, which tells the units and the booker
		}
		if err := s.tellSeries(tx, &ser, ls[0].res, ls[1:], booked, "created"); err != nil {
			return err
		}
		first := Booking{ID: booked[0].BookingID, PersonID: a.ID, Title: ser.Title, StartAt: booked[0].Start, EndAt: booked[0].End}
		return s.inviteBooker(tx, &first, ls[0].res, fmt.Sprintf("booking/series/%d/confirmed", ser.ID), booked)
	})
	if err != nil {
		return nil, days, err
	}
	return &ser, days, nil
}

// linesText writes equipment lines as "2 × Projector, 1 × Laptop".
func linesText(ls []line) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%d × %s", l.qty, l.res.Name)
	}
	return strings.Join(parts, ", ")
}

// tellSeries emails each unit whose equipment goes with a series once, listing
// the dates, instead of once per date; event is "created", "cancelled" or "restored".
func (s *Service) tellSeries(tx *gorm.DB, ser *Series, room *Resource, ls []line, days []SeriesDay, event string) error {
	if len(ls) == 0 || len(days) == 0 {
		return nil
	}
	booker, err := bookerName(tx, ser.PersonID)
	if err != nil {
		return err
	}
	// As in tellUnits: after an undo the same event may come again, with its own key.
	var round int64
	if event != "created" {
		if round, err = restores(tx, days[0].BookingID); err != nil {
			return err
		}
	}
	key := func(unit string) string {
		if round > 0 {
			return fmt.Sprintf("booking/series/%d/%s/%d/%s/%d", ser.ID, event, days[0].BookingID, unit, round)
		}
		return fmt.Sprintf("booking/series/%d/%s/%d/%s", ser.ID, event, days[0].BookingID, unit)
	}
	return s.mailUnits(tx, ls, key, func(lang string, items []line) (string, []string) {
		title := s.titleOr(lang, ser.Title)
		return s.cat.T(lang, "booking.series.mail_"+event+"_title", "Room", room.Name), []string{
			s.cat.T(lang, "booking.mail.prepare", "Items", linesText(items)),
			s.cat.T(lang, "booking.mail.where", "Where", place(room)),
			s.cat.T(lang, "booking.series.mail_times", "From", clock(days[0].Start, s.tz), "To", clock(days[0].End, s.tz)),
			s.datesLine(lang, days),
			s.cat.T(lang, "booking.mail.booker", "Name", booker),
			s.cat.T(lang, "booking.mail.booking_title", "Title", title),
		}
	}, "/bookings?week="+mondayOf(days[0].Day).String())
}

// place is a room's name with its building and floor.
func place(r *Resource) string {
	if r.Location != "" {
		return r.Name + ", " + r.Location
	}
	return r.Name
}

// mailUnits emails every active person of each unit that has lines in ls,
// once, through the outbox in tx; text writes the mail in the person's
// language from that unit's lines. key(unit) makes the mail unique per unit.
// Units are told in name order, so the outbox order is the same every time.
func (s *Service) mailUnits(tx *gorm.DB, ls []line, key func(unit string) string, text func(lang string, items []line) (string, []string), url string) error {
	if s.outbox == nil || s.cat == nil || len(ls) == 0 {
		return nil
	}
	byUnit := map[string][]line{}
	for _, l := range ls {
		byUnit[l.res.Unit] = append(byUnit[l.res.Unit], l)
	}
	units := make([]string, 0, len(byUnit))
	for u := range byUnit {
		units = append(units, u)
	}
	sort.Strings(units)
	for _, unit := range units {
		role, ok := unitRoles[unit]
		if !ok {
			continue
		}
		staff, err := people.RecipientsWithRole(tx, s.lang, role)
		if err != nil {
			return err
		}
		for _, p := range staff {
			lang := p.Lang
			title, lines := text(lang, byUnit[unit])
			err := s.outbox.Enqueue(tx, notifyMessage(key(unit), p, lang, title, lines, url, s.cat.T(lang, "booking.mail.open_timeline")))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// notifyMessage is a unit mail in the generic template.
func notifyMessage(key string, p people.Recipient, lang, title string, lines []string, url, label string) notify.Message {
	return notify.Message{
		Key: key, To: p.Email, ToName: p.Name, Lang: lang, Template: "generic", Reason: "booking.mail.reason_unit",
		Data: notify.Generic{Title: title, Lines: lines, ActionURL: url, ActionLabel: label},
	}
}
