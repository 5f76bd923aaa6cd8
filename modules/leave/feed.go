package leave

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kapu/modules/platform/ical"
)

// writeFeed is the person's approved leave as the calendar file people.Feed serves.
func (s *Service) writeFeed(ctx context.Context, personID uint, now time.Time) ([]byte, error) {
	f, err := s.Feed(ctx, personID)
	if err != nil {
		return nil, err
	}
	return icsFeed(f, ical.Host(s.cfg.BaseURL), now), nil
}

// icsFeed writes the feed as a calendar of all-day events.
func icsFeed(f *Feed, host string, now time.Time) []byte {
	cal := ical.Calendar{ProdID: "-//Kapu//Leave//" + strings.ToUpper(f.Lang), Name: f.Title}
	for _, e := range f.Events {
		cal.Events = append(cal.Events, ical.Event{UID: fmt.Sprintf("leave-%d@%s", e.RequestID, host), Stamp: e.Stamp,
			AllDay: true, StartDate: e.Start, EndDate: e.End, Summary: e.Summary})
	}
	return cal.Write(now)
}
