package booking

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/ical"
	"kapu/modules/platform/web"
)

// feedName tells the booking feed's signature apart from leave's.
const feedName = "booking"

// handleFeedShow serves a person's bookings as iCalendar. Calendar apps cannot
// sign in, so the signed link is the permission; a wrong one is a 404 that
// tells nothing about whether the person exists.
func (m *Module) handleFeedShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "person")
	if err != nil {
		return err
	}
	ok, err := m.svc.people.FeedSigOK(c.UserContext(), []byte(web.ServerOf(c).Cfg.Secret), feedName, id, c.Params("sig"))
	if err != nil {
		return err
	}
	if !ok {
		return fiber.ErrNotFound
	}
	cal, err := m.svc.Feed(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ical.ContentType)
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	return c.Send(cal.Write(time.Now().UTC()))
}

// feedURL is the absolute address of the viewer's booking feed.
func (m *Module) feedURL(c *fiber.Ctx) (string, error) {
	cfg := web.ServerOf(c).Cfg
	id := web.ViewerOf(c).ID
	sig, err := m.svc.people.FeedSig(c.UserContext(), []byte(cfg.Secret), feedName, id)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/bookings/feed/%d/%s.ics", cfg.BaseURL, id, sig), nil
}
