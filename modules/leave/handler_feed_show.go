package leave

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/ical"
	"kapu/modules/platform/web"
)

// handleFeedShow serves a person's approved leave as iCalendar. Calendar apps
// cannot sign in, so the signed link is the permission; a wrong one is a 404
// that tells nothing about whether the person exists.
func (m *Module) handleFeedShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "person")
	if err != nil {
		return err
	}
	ok, err := m.svc.people.FeedSigOK(c.UserContext(), m.secret, "leave", id, c.Params("sig"))
	if err != nil {
		return err
	}
	if !ok {
		return fiber.ErrNotFound
	}
	f, err := m.svc.Feed(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, max-age=900")
	return c.Send(icsFeed(f, ical.Host(web.ServerOf(c).Cfg.BaseURL), time.Now().UTC()))
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
