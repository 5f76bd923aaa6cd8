// Package ical writes the iCalendar (RFC 5545) files Kapu hands out: the
// personal calendar feeds and the invitations attached to confirmation
// emails. It writes only what Kapu needs — events with instants in UTC or
// whole days — and signs the secret feed links, since calendar apps cannot
// sign in.
package ical

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"kapu/modules/platform/calendar"
)

// ContentType is the media type of a calendar file.
const ContentType = "text/calendar; charset=utf-8; method=PUBLISH"

// Event statuses.
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Calendar is one calendar file.
type Calendar struct {
	ProdID string // e.g. "-//Kapu//Leave//HU"
	Name   string // X-WR-CALNAME, what a calendar app calls the subscription; "" leaves it out
	Events []Event
}

// Event is one VEVENT. Timed events use Start and End, written in UTC; all-day
// events set AllDay and use StartDate and EndDate, both inclusive.
type Event struct {
	UID         string // stable, so an app updates the event instead of adding a copy
	Stamp       time.Time
	Start, End  time.Time
	AllDay      bool
	StartDate   calendar.Date
	EndDate     calendar.Date
	Summary     string
	Location    string
	Description string
	Status      string // StatusConfirmed, …; "" leaves it out
	Transparent bool   // does not make the person busy
}

// Write renders the calendar with CRLF line ends and folded lines. Events
// without a stamp get now.
func (c *Calendar) Write(now time.Time) []byte {
	var w writer
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", c.ProdID)
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	if c.Name != "" {
		w.line("X-WR-CALNAME", Text(c.Name))
	}
	for _, e := range c.Events {
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = now
		}
		w.line("BEGIN", "VEVENT")
		w.line("UID", e.UID)
		w.line("DTSTAMP", UTC(stamp))
		if e.AllDay {
			w.line("DTSTART;VALUE=DATE", Date(e.StartDate))
			w.line("DTEND;VALUE=DATE", Date(e.EndDate.AddDays(1))) // the end of an all-day event is exclusive
		} else {
			w.line("DTSTART", UTC(e.Start))
			w.line("DTEND", UTC(e.End))
		}
		w.line("SUMMARY", Text(e.Summary))
		if e.Location != "" {
			w.line("LOCATION", Text(e.Location))
		}
		if e.Description != "" {
			w.line("DESCRIPTION", Text(e.Description))
		}
		if e.Status != "" {
			w.line("STATUS", e.Status)
		}
		if e.Transparent {
			w.line("TRANSP", "TRANSPARENT")
		} else {
			w.line("TRANSP", "OPAQUE")
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.b.Bytes()
}

// UTC writes an instant as a UTC DATE-TIME.
func UTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Date writes a whole day as a DATE.
func Date(d calendar.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }

// Text escapes a TEXT value: backslash, semicolon, comma and line breaks.
func Text(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", "").Replace(s)
}

// writer ends lines with CRLF and folds them at 75 octets, never inside a
// UTF-8 character, as RFC 5545 asks; Hungarian names are long and accented.
type writer struct{ b bytes.Buffer }

func (w *writer) line(name, value string) {
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

// Host is the host name event UIDs end with ("booking-12@intranet.example"):
// the suite's address, or "kapu" when it has none.
func Host(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "kapu"
}

// FeedSig signs a person's feed link of one module ("leave", "booking"), so
// the link itself is the permission and nobody can guess another's. key is
// the person's feed key (people.Person.FeedKey): a new key ends every link
// signed before it. The empty key signs as links did before keys existed,
// so those keep working until their owner replaces them.
func FeedSig(secret []byte, feed string, personID uint, key string) string {
	h := hmac.New(sha256.New, secret)
	fmt.Fprintf(h, "%s-feed:%d", feed, personID)
	if key != "" {
		fmt.Fprintf(h, ":%s", key)
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// FeedSigOK compares a link's signature in constant time.
func FeedSigOK(secret []byte, feed string, personID uint, key, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(FeedSig(secret, feed, personID, key)))
}
