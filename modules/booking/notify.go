package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// ItemError is an equipment line that cannot be booked: it names the item so
// the form can say which one, and still matches ErrPoolFull or ErrTaken.
type ItemError struct {
	Name string
	Err  error
}

func (e *ItemError) Error() string { return e.Err.Error() + ": " + e.Name }
func (e *ItemError) Unwrap() error { return e.Err }

// itemError names r in err when r is equipment; the room's own errors stay as
// they are because the form answers those differently (next free times).
func itemError(r *Resource, err error) error {
	if err == nil || r.Kind != KindEquipment {
		return err
	}
	return &ItemError{Name: r.Name, Err: err}
}

// pickupWindow is how far ahead the pickup reminder looks for car bookings.
const pickupWindow = 24 * time.Hour

// titleOr is a booking's title, or "no title" in lang.
func (s *Service) titleOr(lang, title string) string {
	if title == "" {
		return s.cat.T(lang, "booking.no_title")
	}
	return title
}

// bookerOf is the person b is for, if still active and with an email
// address; nil means there is nobody to write to.
func (s *Service) bookerOf(tx *gorm.DB, b *Booking) (*people.Recipient, error) {
	p, err := people.RecipientOf(tx, s.lang, b.PersonID)
	if err != nil || !p.Mailable() {
		return nil, err
	}
	return p, nil
}

// bookerName is the name of person id, for the units' mails.
func bookerName(tx *gorm.DB, id uint) (string, error) {
	p, err := people.RecipientOf(tx, "", id)
	if err != nil || p == nil {
		return "", err
	}
	return p.Name, nil
}

// datesLine is the mails' "N dates: …" line of a series' days.
func (s *Service) datesLine(lang string, days []SeriesDay) string {
	dates := make([]string, len(days))
	for i, d := range days {
		dates[i] = i18n.FormatDate(lang, d.Day.Year, d.Day.Month, d.Day.Day)
	}
	return s.cat.T(lang, "booking.series.mail_dates", "Count", len(dates), "Dates", strings.Join(dates, ", "))
}

// tellUnits emails every active person of each unit whose equipment is in
// lines (the room booking's equipment) what to prepare, where and when; event
// is "created", "cancelled", "restored" or "no_show". It runs in the booking's
// transaction, so a booking that fails sends nothing and one that commits
// always tells the unit.
func (s *Service) tellUnits(tx *gorm.DB, b *Booking, room *Resource, lines []line, event string) error {
	if s.outbox == nil || s.cat == nil || len(lines) == 0 {
		return nil
	}
	booker, err := bookerName(tx, b.PersonID)
	if err != nil {
		return err
	}
	// After an undo (restores) the same event may happen again: the key
	// counts the rounds, so the outbox does not drop it as a repeat. A new
	// booking (the hot path) has had none.
	var round int64
	if event != "created" {
		if round, err = restores(tx, b.ID); err != nil {
			return err
		}
	}
	key := func(unit string) string {
		if round > 0 {
			return fmt.Sprintf("booking/%d/unit/%s/%s/%d", b.ID, unit, event, round)
		}
		return fmt.Sprintf("booking/%d/unit/%s/%s", b.ID, unit, event)
	}
	return s.mailUnits(tx, lines, key, func(lang string, items []line) (string, []string) {
		title := s.titleOr(lang, b.Title)
		return s.cat.T(lang, "booking.mail.unit_"+event+"_title", "Room", room.Name), []string{
			s.cat.T(lang, "booking.mail.prepare", "Items", linesText(items)),
			s.cat.T(lang, "booking.mail.where", "Where", place(room)),
			s.cat.T(lang, "booking.mail.when", "When", i18n.FormatDateTime(lang, b.StartAt, s.tz), "To", clock(b.EndAt, s.tz)),
			s.cat.T(lang, "booking.mail.booker", "Name", booker),
			s.cat.T(lang, "booking.mail.booking_title", "Title", title),
		}
	}, "/bookings?week="+mondayOf(dateIn(b.StartAt, s.tz)).String())
}

// SendPickupReminders emails the person of every confirmed car booking that
// starts within the next day, once: the mail key makes a second run (or the
// next quarter hour's) a no-op. It says how many bookings it looked at.
func (s *Service) SendPickupReminders(ctx context.Context) (int, error) {
	if s.outbox == nil || s.cat == nil {
		return 0, nil
	}
	now := utc(s.now())
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var rows []struct {
			Booking
			CarName, Plate, Location string
		}
		err := tx.Table("bookings").
			Select("bookings.*, r.name AS car_name, r.plate AS plate, r.location AS location").
			Joins("JOIN booking_resources r ON r.id = bookings.resource_id AND r.kind = ?", KindCar).
			Where("bookings.status = ? AND bookings.start_at > ? AND bookings.start_at <= ?", StatusConfirmed, now, now.Add(pickupWindow)).
			Order("bookings.id").Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			p, err := people.RecipientOf(tx, s.lang, r.PersonID)
			if err != nil {
				return err
			}
			if p == nil || !p.Active {
				continue
			}
			lang := p.Lang
			car := r.CarName + " (" + r.Plate + ")"
			err = s.outbox.Enqueue(tx, notify.Message{
				Key: fmt.Sprintf("booking/%d/pickup", r.ID), To: p.Email, ToName: p.Name, Lang: lang,
				Template: "generic", Reason: "booking.mail.reason_self",
				Data: notify.Generic{
					Title: s.cat.T(lang, "booking.mail.pickup_title", "Car", car),
					Lines: []string{
						s.cat.T(lang, "booking.mail.pickup_when", "When", i18n.FormatDateTime(lang, r.StartAt, s.tz)),
						s.cat.T(lang, "booking.mail.where", "Where", r.Location),
						s.cat.T(lang, "booking.mail.destination", "Destination", r.Destination),
					},
					ActionURL:   "/bookings/mine",
					ActionLabel: s.cat.T(lang, "booking.mail.open_mine"),
				},
			})
			if err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// EquipmentOf returns, per room booking id, the equipment booked with it as
// "2 × Projector" lines, so the timeline and my bookings can list it.
func (s *Service) EquipmentOf(ctx context.Context, parents []uint) (map[uint][]string, error) {
	out := map[uint][]string{}
	if len(parents) == 0 {
		return out, nil
	}
	var rows []struct {
		ParentID uint
		Quantity int
		Name     string
	}
	err := s.db.R.WithContext(ctx).Table("bookings").
		Select("bookings.parent_id, bookings.quantity, r.name").
		Joins("JOIN booking_resources r ON r.id = bookings.resource_id").
		// Lines removed by a change are cancelled while their room stays
		// active: an active room's equipment is its active lines.
		Joins("JOIN bookings p ON p.id = bookings.parent_id").
		Where("bookings.parent_id IN ?", parents).
		Where("p.status NOT IN ? OR bookings.status IN ?", activeStatuses, activeStatuses).Order("bookings.parent_id, r.name, bookings.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ParentID] = append(out[r.ParentID], fmt.Sprintf("%d × %s", r.Quantity, r.Name))
	}
	return out, nil
}
