package booking

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
)

// invitationFile is the .ics of the bookings ids (one, or a series' dates)
// as a mail attachment named after the first.
func (s *Service) invitationFile(tx *gorm.DB, lang string, ids ...uint) (notify.Attachment, error) {
	data, err := s.invitation(tx, lang, ids...)
	if err != nil {
		return notify.Attachment{}, err
	}
	return notify.Attachment{Name: "booking-" + strconv.FormatUint(uint64(ids[0]), 10) + ".ics", ContentType: ical.ContentType, Data: data}, nil
}

// tellBooker emails the person a confirmed booking is for, with the booking
// as an .ics invitation their calendar can take. It runs in the booking's
// transaction, like tellUnits.
func (s *Service) tellBooker(tx *gorm.DB, b *Booking, r *Resource) error {
	if b.Status != StatusConfirmed {
		return nil
	}
	return s.inviteBooker(tx, b, r, fmt.Sprintf("booking/%d/confirmed", b.ID), nil)
}

// inviteBooker writes the confirmation mail of b — or, when days is given,
// of the series b starts with all those dates in one mail and one .ics.
func (s *Service) inviteBooker(tx *gorm.DB, b *Booking, r *Resource, key string, days []SeriesDay) error {
	if s.outbox == nil || s.cat == nil {
		return nil
	}
	p, err := bookerOf(tx, b)
	if err != nil || p == nil {
		return err
	}
	lang := s.langOf(*p)
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
	file, err := s.invitationFile(tx, lang, ids...)
	if err != nil {
		return err
	}
	title := s.titleOr(lang, b.Title)
	lines = append(lines,
		s.cat.T(lang, "booking.mail.where", "Where", place(r)),
		s.cat.T(lang, "booking.mail.booking_title", "Title", title))
	if r.CheckIn {
		lines = append(lines, s.cat.T(lang, "booking.stats.mail.checkin_needed", "Minutes", int(CheckInWindow.Minutes())))
	}
	lines = append(lines, s.cat.T(lang, "booking.stats.mail.invite_attached"))
	return s.outbox.Enqueue(tx, notify.Message{
		Key: key, To: p.Email, ToName: p.Name, Lang: lang,
		Template: "generic", Reason: "booking.mail.reason_self",
		Data: notify.Generic{
			Title:       s.cat.T(lang, "booking.stats.mail.confirmed_title", "Resource", r.Name),
			Lines:       lines,
			ActionURL:   "/bookings/mine",
			ActionLabel: s.cat.T(lang, "booking.mail.open_mine"),
		},
		Attachments: []notify.Attachment{file},
	})
}
