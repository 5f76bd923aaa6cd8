package leave

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// handleFeedShow serves a person's approved leave as iCalendar. Calendar apps
// cannot sign in, so the signed link is the permission; a wrong one is a 404
// that tells nothing about whether the person exists.
func (m *Module) handleFeedShow(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("person"), 10, 32)
	if err != nil || id == 0 {
		return fiber.ErrNotFound
	}
	if !hmac.Equal([]byte(c.Params("sig")), []byte(m.feedSig(uint(id)))) {
		return fiber.ErrNotFound
	}
	f, err := m.svc.Feed(c.UserContext(), uint(id))
	if err != nil {
		return httpError(err)
	}
	host := "kapu"
	if u, err := url.Parse(web.ServerOf(c).Cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, max-age=900")
	return c.Send(icsFeed(f, host, time.Now().UTC()))
}

// icsFeed writes the feed as an RFC 5545 calendar of all-day events.
func icsFeed(f *Feed, host string, now time.Time) []byte {
	var w icsWriter
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//Kapu//Leave//"+strings.ToUpper(f.Lang))
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	w.line("X-WR-CALNAME", icsText(f.Title))
	for _, e := range f.Events {
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = now
		}
		w.line("BEGIN", "VEVENT")
		w.line("UID", fmt.Sprintf("leave-%d@%s", e.RequestID, host))
		w.line("DTSTAMP", stamp.UTC().Format("20060102T150405Z"))
		w.line("DTSTART;VALUE=DATE", icsDate(e.Start))
		w.line("DTEND;VALUE=DATE", icsDate(e.End.AddDays(1))) // the end of an all-day event is exclusive
		w.line("SUMMARY", icsText(e.Summary))
		w.line("TRANSP", "OPAQUE")
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.b.Bytes()
}

func icsDate(d calendar.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }

// icsText escapes a TEXT value: backslash, semicolon, comma and line breaks.
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", "").Replace(s)
}

// icsWriter ends lines with CRLF and folds them at 75 octets, never inside a
// UTF-8 character, as RFC 5545 asks; Hungarian names are long and accented.
type icsWriter struct{ b bytes.Buffer }

func (w *icsWriter) line(name, value string) {
	s := name + ":" + value
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation line counts
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}
