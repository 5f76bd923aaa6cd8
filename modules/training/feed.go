package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/people"
)

// newFeed is the person's calendar subscription of their training sessions,
// served at /training/feed/:person/:sig.ics like leave's.
func newFeed(d *people.Service, svc *Service) *people.Feed {
	return &people.Feed{People: d, Name: "training", Path: "/training/feed", MaxAge: 15 * time.Minute, Write: svc.writeFeed}
}

// writeFeed is the person's sessions from last year to next year (those the
// team calendar shows: enrolled, attended or completed), one timed event per
// working day, in the person's language.
func (s *Service) writeFeed(ctx context.Context, personID uint, now time.Time) ([]byte, error) {
	p, err := s.deps.People.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, people.ErrNotFound
	}
	lang := p.Lang
	if lang != "hu" && lang != "en" {
		lang = s.deps.Cfg.Lang
	}
	today := s.today()
	from, to := calendar.NewDate(today.Year-1, time.January, 1), calendar.NewDate(today.Year+1, time.December, 31)
	rows, err := s.engaged(ctx, []uint{personID}, from, to)
	if err != nil {
		return nil, err
	}
	rooms, err := s.roomNames(ctx)
	if err != nil {
		return nil, err
	}
	days, err := s.deps.Calendar.Span(ctx, from, to)
	if err != nil {
		return nil, err
	}
	host, tz := ical.Host(s.deps.Cfg.BaseURL), s.deps.Cfg.TZ
	cal := ical.Calendar{ProdID: "-//Kapu//Training//" + strings.ToUpper(lang),
		Name: s.cat.T(lang, "training.feed.calendar_name", "Name", p.Name)}
	for _, r := range rows {
		title := (&Training{TitleHU: r.TitleHU, TitleEN: r.TitleEN}).Title(lang)
		place := r.Place
		if r.RoomID != nil && rooms[*r.RoomID] != "" {
			place = rooms[*r.RoomID]
		}
		for d := r.FirstDay; !d.After(r.LastDay); d = d.AddDays(1) {
			if !days.IsWorkday(d) {
				continue
			}
			start, err1 := calendar.At(d, r.FromMin/60, r.FromMin%60, tz)
			end, err2 := calendar.At(d, r.ToMin/60, r.ToMin%60, tz)
			if err1 != nil || err2 != nil {
				continue // a wall time the day does not have (a DST gap): no event rather than a wrong one
			}
			cal.Events = append(cal.Events, ical.Event{UID: fmt.Sprintf("training-%d-%s@%s", r.SessionID, d, host),
				Start: start, End: end, Summary: title, Location: place, Status: ical.StatusConfirmed})
		}
	}
	return cal.Write(now), nil
}

// roomNames are the Kapu rooms' names by id, for a session's place.
func (s *Service) roomNames(ctx context.Context) (map[uint]string, error) {
	rs, err := s.Rooms.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]string, len(rs))
	for _, r := range rs {
		out[r.ID] = r.Name
	}
	return out, nil
}

// FeedURL is the address of the person's training calendar feed, for their
// page (My trainings) to offer beside leave's and booking's.
func (m *Module) FeedURL(c *fiber.Ctx, personID uint) (string, error) { return m.feed.URL(c, personID) }
