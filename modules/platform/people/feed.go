package people

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/ical"
	"kapu/modules/platform/web"
)

// Feed is a module's personal iCalendar feed. Calendar apps cannot sign in,
// so the link carries a signature over the person's feed key made with the
// suite's secret: the signed link is the permission, and replacing the key
// (on the profile) voids every link given out before.
type Feed struct {
	People *Service
	Name   string        // signs this feed apart from the others ("leave", "booking")
	Path   string        // where it is served: Path/:person/:sig.ics
	MaxAge time.Duration // how long calendar apps may keep a copy
	// Write is the person's calendar as it stands at now.
	Write func(ctx context.Context, personID uint, now time.Time) ([]byte, error)
}

// Route serves the feed. It goes before the module's signed-in group, whose
// login check would otherwise cover it.
func (f *Feed) Route(s *web.Server) { s.App.Get(f.Path+"/:person/:sig.ics", f.handleShow) }

// handleShow serves the feed of the person the link names; a wrong signature
// is a 404 that tells nothing about whether the person exists.
func (f *Feed) handleShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "person")
	if err != nil {
		return err
	}
	ok, err := f.People.FeedSigOK(c.UserContext(), f.secret(c), f.Name, id, c.Params("sig"))
	if err != nil {
		return err
	}
	if !ok {
		return fiber.ErrNotFound
	}
	body, err := f.Write(c.UserContext(), id, time.Now().UTC())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ical.ContentType)
	c.Set(fiber.HeaderCacheControl, fmt.Sprintf("private, max-age=%d", int(f.MaxAge.Seconds())))
	return c.Send(body)
}

// URL is the absolute address of the person's feed, for their page to offer.
func (f *Feed) URL(c *fiber.Ctx, personID uint) (string, error) {
	sig, err := f.People.FeedSig(c.UserContext(), f.secret(c), f.Name, personID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%s/%d/%s.ics", web.ServerOf(c).Cfg.BaseURL, f.Path, personID, sig), nil
}

func (f *Feed) secret(c *fiber.Ctx) []byte { return []byte(web.ServerOf(c).Cfg.Secret) }
