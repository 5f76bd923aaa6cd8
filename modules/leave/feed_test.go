package leave

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestFeedEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		approved := e.submit(t, e.hr, e.ann, "annual", "2026-04-07", "2026-04-09")
		e.submit(t, e.ann, e.ann, "sick", "2026-03-03", "2026-03-03")
		pending := e.submit(t, e.ann, e.ann, "annual", "2026-05-04", "2026-05-04")
		cancelled := e.submit(t, e.hr, e.ann, "annual", "2026-06-01", "2026-06-02")
		if _, err := e.svc.Cancel(ctx, e.actor(e.hr), cancelled.ID); err != nil {
			t.Fatal(err)
		}
		half, err := e.svc.Submit(ctx, e.actor(e.hr), e.ann.ID, RequestInput{TypeID: e.typeByCode(t, "annual").ID,
			Start: teamDate(t, "2026-07-10"), End: teamDate(t, "2026-07-10"), EndHalf: true})
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.svc.Feed(ctx, e.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range f.Events {
			got = append(got, ev.Start.String()+" "+ev.End.String()+" "+ev.Summary)
			if ev.RequestID == pending.ID || ev.RequestID == cancelled.ID {
				t.Errorf("the feed lists request %d (pending or cancelled)", ev.RequestID)
			}
		}
		want := "2026-03-03 2026-03-03 Sick leave|2026-04-07 2026-04-09 Annual leave|2026-07-10 2026-07-10 Annual leave (half day)"
		if strings.Join(got, "|") != want {
			t.Errorf("events = %q; want %q", strings.Join(got, "|"), want)
		}
		if f.Events[1].RequestID != approved.ID || f.Events[2].RequestID != half.ID || f.Title != "Leave: Ágnes Ann" {
			t.Errorf("feed = %+v", f)
		}
		if _, err := e.svc.Feed(ctx, 99999); !errors.Is(err, ErrNotFound) {
			t.Errorf("feed of nobody: %v; want ErrNotFound", err)
		}
	})
}

func TestICSFeed(t *testing.T) {
	stamp := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	f := &Feed{Title: "Leave: Árvíztűrő Tükörfúrógép", Lang: "hu", Events: []FeedEvent{
		{RequestID: 7, Start: teamDate(t, "2026-12-30"), End: teamDate(t, "2026-12-31"), Summary: "Szabadság; fél nap, \\ megjegyzés", Stamp: stamp},
		{RequestID: 8, Start: teamDate(t, "2026-04-07"), End: teamDate(t, "2026-04-07"),
			Summary: strings.Repeat("Tanulmányi szabadság ", 6)},
	}}
	out := string(icsFeed(f, "kapu.varos.hu", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)))
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
		"UID:leave-7@kapu.varos.hu\r\n",
		"DTSTAMP:20260301T103000Z\r\n",
		"DTSTART;VALUE=DATE:20261230\r\nDTEND;VALUE=DATE:20270101\r\n", // exclusive end, over New Year
		"DTSTART;VALUE=DATE:20260407\r\nDTEND;VALUE=DATE:20260408\r\n",
		"DTSTAMP:20260302T000000Z\r\n", // no change time: now
		`SUMMARY:Szabadság\; fél nap\, \\ megjegyzés` + "\r\n",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("feed lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "END:VCALENDAR\r\n") || strings.Count(out, "BEGIN:VEVENT") != 2 {
		t.Errorf("feed is not one calendar with two events:\n%s", out)
	}
	// Lines are folded at 75 octets without splitting a character, and unfold to the original.
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 || !utf8.ValidString(line) {
			t.Errorf("line of %d octets or broken UTF-8: %q", len(line), line)
		}
	}
	if unfolded := strings.ReplaceAll(out, "\r\n ", ""); !strings.Contains(unfolded, "SUMMARY:"+strings.Repeat("Tanulmányi szabadság ", 6)+"\r\n") {
		t.Errorf("the long summary does not unfold to the original:\n%s", out)
	}
}
