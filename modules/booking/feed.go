package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/ical"
	"kapu/modules/platform/people"
)

// feedPast and feedLimit bound a person's calendar feed: bookings from the
// last quarter on, at most that many.
const (
	feedPast  = 90 * 24 * time.Hour
	feedLimit = 2000
)

// writeFeed is the person's booking feed as the calendar file people.Feed serves.
func (s *Service) writeFeed(ctx context.Context, personID uint, now time.Time) ([]byte, error) {
	cal, err := s.Feed(ctx, personID)
	if err != nil {
		return nil, err
	}
	return cal.Write(now), nil
}

// feedRow is a booking with the resource columns an event needs.
type feedRow struct {
	Booking
	Kind, Name, Location, Plate string
}

// Feed is a person's bookings (not the equipment booked along with them) as
// a calendar: ended or cancelled ones too, so a calendar app that already has
// them sees them change rather than vanish.
func (s *Service) Feed(ctx context.Context, personID uint) (*ical.Calendar, error) {
	q := s.db.R.WithContext(ctx)
	p, err := people.RecipientOf(q, s.lang, personID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, ErrNotFound
	}
	lang := p.Lang
	var rows []feedRow
	err = feedQuery(q).Where("bookings.person_id = ? AND bookings.parent_id IS NULL AND bookings.end_at > ?", personID, utc(s.now().Add(-feedPast))).
		Order("bookings.start_at, bookings.id").Limit(feedLimit).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	cal := &ical.Calendar{ProdID: "-//Kapu//Bookings//" + strings.ToUpper(lang), Name: s.cat.T(lang, "booking.stats.feed_name", "Name", p.Name)}
	for i := range rows {
		cal.Events = append(cal.Events, s.event(&rows[i], lang))
	}
	return cal, nil
}

func feedQuery(q *gorm.DB) *gorm.DB {
	return q.Table("bookings").
		Select("bookings.*, r.kind AS kind, r.name AS name, r.location AS location, r.plate AS plate").
		Joins("JOIN booking_resources r ON r.id = bookings.resource_id")
}

// invitation is the .ics attached to the mail that confirms the bookings ids:
// one booking, or every date of a series.
func (s *Service) invitation(tx *gorm.DB, lang string, ids ...uint) ([]byte, error) {
	var rows []feedRow
	if err := feedQuery(tx).Where("bookings.id IN ?", ids).Order("bookings.start_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	cal := ical.Calendar{ProdID: "-//Kapu//Bookings//" + strings.ToUpper(lang)}
	for i := range rows {
		cal.Events = append(cal.Events, s.event(&rows[i], lang))
	}
	return cal.Write(s.now()), nil
}

// event is one booking as a calendar event; its UID stays the same whatever
// happens to the booking, so apps update it in place.
func (s *Service) event(r *feedRow, lang string) ical.Event {
	e := ical.Event{
		UID: fmt.Sprintf("booking-%d@%s", r.ID, s.feedHost()), Stamp: r.UpdatedAt,
		Start: r.StartAt, End: r.EndAt, Summary: r.Title, Location: r.Name,
	}
	switch r.Status {
	case StatusConfirmed:
		e.Status = ical.StatusConfirmed
	case StatusHold:
		e.Status = ical.StatusTentative
	default:
		e.Status = ical.StatusCancelled
	}
	if r.Kind == KindCar {
		e.Summary = s.cat.T(lang, "booking.stats.ics.car", "Car", r.Name+" ("+r.Plate+")", "Destination", r.Destination)
		e.Location = r.Location
		e.Description = r.Purpose
	} else {
		if e.Summary == "" {
			e.Summary = r.Name
		}
		if r.Location != "" {
			e.Location = r.Name + ", " + r.Location
		}
	}
	return e
}

// feedHost is the right-hand side of the events' UIDs: the suite's host.
func (s *Service) feedHost() string { return ical.Host(s.BaseURL) }
