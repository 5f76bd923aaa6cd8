package booking

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/web"
)

// invitationFile is the .ics of the bookings ids (one, or a series' dates)
// as a mail attachment named after the first.
func (s *Service) invitationFile(tx *gorm.DB, lang string, ids ...uint) (notify.Attachment, error) {
	data, err := s.invitation(tx, lang, ids...)
	if err != nil {
		return notify.Attachment{}, err
	}
	return notify.Attachment{Name: "booking-" + web.FormatID(ids[0]) + ".ics", ContentType: ical.ContentType, Data: data}, nil
}

// confirmedMail names the composer of a booking's confirmation (see tellBooker).
const confirmedMail = "booking.confirmed"

// tellBooker queues the confirmation mail of a confirmed booking, with the
// booking as an .ics invitation their calendar can take. Booking is the hot
// write, so its transaction stores only which booking to confirm; the
// delivery job writes the mail (composeConfirmed) moments later.
func (s *Service) tellBooker(tx *gorm.DB, st *stmts, b *Booking) error {
	if b.Status != StatusConfirmed || s.outbox == nil || s.cat == nil {
		return nil
	}
	return s.outbox.Later(tx, st.later, fmt.Sprintf("booking/%d/confirmed", b.ID), confirmedMail, web.FormatID(b.ID))
}

// composeConfirmed writes the confirmation tellBooker queued: nothing when
// the booking was cancelled (or lost its confirmation) before it went out.
func (s *Service) composeConfirmed(ctx context.Context, ref string) (*notify.Message, error) {
	id, ok := web.ID(ref)
	if !ok {
		return nil, fmt.Errorf("booking confirmation of %q: not an id", ref)
	}
	q := s.db.R.WithContext(ctx)
	var b Booking
	if err := q.Limit(1).Find(&b, id).Error; err != nil || b.ID == 0 || b.Status != StatusConfirmed {
		return nil, err
	}
	r, err := s.resource(q, nil, b.ResourceID)
	if err != nil || r == nil {
		return nil, err
	}
	return s.confirmation(q, &b, r, "", nil)
}

// inviteBooker queues the one confirmation mail of the series b starts, with
// all its booked days in one mail and one .ics.
func (s *Service) inviteBooker(tx *gorm.DB, b *Booking, r *Resource, key string, days []SeriesDay) error {
	if s.outbox == nil || s.cat == nil {
		return nil
	}
	m, err := s.confirmation(tx, b, r, key, days)
	if err != nil || m == nil {
		return err
	}
	return s.outbox.Enqueue(tx, *m)
}

// confirmation is the mail confirming b to its booker — or, when days is
// given, the series b starts — read in q; nil when the booker has no address.
func (s *Service) confirmation(q *gorm.DB, b *Booking, r *Resource, key string, days []SeriesDay) (*notify.Message, error) {
	p, err := s.bookerOf(q, b)
	if err != nil || p == nil {
		return nil, err
	}
	lang := p.Lang
	ids := []uint{b.ID}
	lines := []string{s.cat.T(lang, "booking.mail.when", "When", i18n.FormatDateTime(lang, b.StartAt, s.tz), "To", clock(b.EndAt, s.tz))}
	if len(days) > 0 {
		ids = ids[:0]
		for _, d := range days {
			ids = append(ids, d.BookingID)
		}
		lines = []string{
			s.cat.T(lang, "booking.series.mail_times", "From", clock(b.StartAt, s.tz), "To", clock(b.EndAt, s.tz)),
			s.datesLine(lang, days),
		}
	}
	file, err := s.invitationFile(q, lang, ids...)
	if err != nil {
		return nil, err
	}
	title := s.titleOr(lang, b.Title)
	lines = append(lines,
		s.cat.T(lang, "booking.mail.where", "Where", place(r)),
		s.cat.T(lang, "booking.mail.booking_title", "Title", title))
	if r.CheckIn {
		lines = append(lines, s.cat.T(lang, "booking.stats.mail.checkin_needed", "Minutes", int(CheckInWindow.Minutes())))
	}
	lines = append(lines, s.cat.T(lang, "booking.stats.mail.invite_attached"))
	return &notify.Message{
		Key: key, To: p.Email, ToName: p.Name, Lang: lang,
		Template: "generic", Reason: "booking.mail.reason_self",
		Data: notify.Generic{
			Title:       s.cat.T(lang, "booking.stats.mail.confirmed_title", "Resource", r.Name),
			Lines:       lines,
			ActionURL:   "/bookings/mine",
			ActionLabel: s.cat.T(lang, "booking.mail.open_mine"),
		},
		Attachments: []notify.Attachment{file},
	}, nil
}
