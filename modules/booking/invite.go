package booking

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
)

// invitationFile is the .ics of booking id as a mail attachment.
func (s *Service) invitationFile(tx *gorm.DB, id uint, lang string) (notify.Attachment, error) {
	data, err := s.invitation(tx, id, lang)
	if err != nil {
		return notify.Attachment{}, err
	}
	return notify.Attachment{Name: "booking-" + strconv.FormatUint(uint64(id), 10) + ".ics", ContentType: ical.ContentType, Data: data}, nil
}

// tellBooker emails the person a confirmed booking is for, with the booking
// as an .ics invitation their calendar can take. It runs in the booking's
// transaction, like tellUnits.
func (s *Service) tellBooker(tx *gorm.DB, b *Booking, r *Resource) error {
	if s.outbox == nil || s.cat == nil || b.Status != StatusConfirmed {
		return nil
	}
	var p recipient
	if err := tx.Table("people").Select("id, name, email, lang").Where("id = ? AND active = ?", b.PersonID, true).Scan(&p).Error; err != nil {
		return err
	}
	if p.ID == 0 || p.Email == "" {
		return nil
	}
	lang := s.langOf(p)
	file, err := s.invitationFile(tx, b.ID, lang)
	if err != nil {
		return err
	}
	title := b.Title
	if title == "" {
		title = s.cat.T(lang, "booking.no_title")
	}
	where := r.Name
	if r.Location != "" {
		where += ", " + r.Location
	}
	lines := []string{
		s.cat.T(lang, "booking.mail.when", "When", i18n.FormatDateTime(lang, b.StartAt, s.tz), "To", clock(b.EndAt, s.tz)),
		s.cat.T(lang, "booking.mail.where", "Where", where),
		s.cat.T(lang, "booking.mail.booking_title", "Title", title),
	}
	if r.CheckIn {
		lines = append(lines, s.cat.T(lang, "booking.stats.mail.checkin_needed", "Minutes", int(CheckInWindow.Minutes())))
	}
	lines = append(lines, s.cat.T(lang, "booking.stats.mail.invite_attached"))
	return s.outbox.Enqueue(tx, notify.Message{
		Key: fmt.Sprintf("booking/%d/confirmed", b.ID), To: p.Email, ToName: p.Name, Lang: lang,
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
