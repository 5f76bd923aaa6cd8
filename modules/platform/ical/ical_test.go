package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kapu/modules/platform/calendar"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a;b,c", `a\;b\,c`},
		{`back\slash`, `back\\slash`},
		{"two\r\nlines\nthree\rx", `two\nlines\nthreex`},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestCalendarWrite(t *testing.T) {
	budapest, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Árvíztűrő tükörfúrógép ", 8)
	c := Calendar{ProdID: "-//Kapu//Test//HU", Name: "Foglalások: Papp Eszter", Events: []Event{
		{UID: "booking-7@kapu.example.org", Stamp: time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC),
			// 10:00 in Budapest on the last Sunday of March is already summer time: 08:00 UTC.
			Start: time.Date(2026, 3, 29, 10, 0, 0, 0, budapest), End: time.Date(2026, 3, 29, 11, 30, 0, 0, budapest),
			Summary: "Projekt; indítás, 1.", Location: long, Status: StatusCancelled},
		{UID: "leave-3@kapu.example.org", AllDay: true, StartDate: calendar.NewDate(2026, 12, 30), EndDate: calendar.NewDate(2026, 12, 31), Summary: "Szabadság"},
	}}
	out := string(c.Write(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)))
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kapu//Test//HU\r\n",
		"X-WR-CALNAME:Foglalások: Papp Eszter\r\n",
		"UID:booking-7@kapu.example.org\r\nDTSTAMP:20260301T103000Z\r\n",
		"DTSTART:20260329T080000Z\r\nDTEND:20260329T093000Z\r\n",
		`SUMMARY:Projekt\; indítás\, 1.` + "\r\n",
		"STATUS:CANCELLED\r\n",
		"DTSTAMP:20260302T000000Z\r\n", // no stamp: now
		"DTSTART;VALUE=DATE:20261230\r\nDTEND;VALUE=DATE:20270101\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "END:VEVENT\r\nEND:VCALENDAR\r\n") || strings.Count(out, "BEGIN:VEVENT") != 2 {
		t.Errorf("not one calendar of two events:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 || !utf8.ValidString(line) {
			t.Errorf("line of %d octets or broken UTF-8: %q", len(line), line)
		}
	}
	if unfolded := strings.ReplaceAll(out, "\r\n ", ""); !strings.Contains(unfolded, "LOCATION:"+long+"\r\n") {
		t.Errorf("the long location does not unfold to the original:\n%s", out)
	}
}

func TestFeedSig(t *testing.T) {
	secret := []byte(strings.Repeat("s", 40))
	a, b := FeedSig(secret, "booking", 7, ""), FeedSig(secret, "leave", 7, "")
	if len(a) != 40 || a == b || a == FeedSig(secret, "booking", 8, "") || a == FeedSig([]byte("other"), "booking", 7, "") {
		t.Errorf("signatures do not tell feeds, people and secrets apart: %s %s", a, b)
	}
	keyed := FeedSig(secret, "booking", 7, "0f1e2d3c")
	if keyed == a || keyed == FeedSig(secret, "booking", 7, "0f1e2d3d") {
		t.Errorf("signatures do not tell feed keys apart: %s", keyed)
	}
	if !FeedSigOK(secret, "booking", 7, "", a) || FeedSigOK(secret, "booking", 7, "", b) || FeedSigOK(secret, "booking", 7, "", "") {
		t.Errorf("FeedSigOK accepts the wrong signature or refuses the right one")
	}
	if FeedSigOK(secret, "booking", 7, "0f1e2d3c", a) || !FeedSigOK(secret, "booking", 7, "0f1e2d3c", keyed) {
		t.Errorf("FeedSigOK accepts a link signed before the key changed, or refuses the new one")
	}
}
