package notify

import (
	"context"
	"strings"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify/smtptest"
)

// A calendar invitation with a parameterised content type and accented text
// arrives byte for byte, marked as a calendar.
func TestDeliverCalendarAttachment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Kis tárgyaló\\, értekezlet\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		m := notice("booking/9/confirmed", "anna@example.org")
		m.Attachments = []Attachment{{Name: "booking-9.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(ics)}}
		enqueue(t, o, m)
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
			t.Fatalf("Deliver = %d, %v; want 1", sent, err)
		}
		got := s.Messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages; want 1", len(got))
		}
		if p := parseMail(t, got[0].Data); string(p.Files["booking-9.ics"]) != ics {
			t.Errorf("attachment = %q; want %q", p.Files["booking-9.ics"], ics)
		}
		if raw := string(got[0].Data); !strings.Contains(raw, "Content-Type: text/calendar") {
			t.Errorf("the attachment is not marked as a calendar:\n%s", raw)
		}
	})
}
