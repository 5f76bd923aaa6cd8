package booking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// KindRoomApproval is the approval kind of a booking of a room that needs approval.
const KindRoomApproval = "room"

// needsApproval reports whether bookings of r wait for an approver.
func needsApproval(r *Resource) bool { return r.Kind == KindRoom && r.NeedsApproval }

// submitRoomApproval submits the held room booking b to the room's approver
// inside the booking's transaction: the first active person (by id) with the
// role of the room's unit, facilities when it has none, other than the booker.
func (s *Service) submitRoomApproval(ctx context.Context, tx *gorm.DB, a actor.Actor, b *Booking, room *Resource) error {
	if s.engine == nil {
		return ErrNoApproval
	}
	role, ok := unitRoles[room.Unit]
	if !ok {
		role = actor.Facilities
	}
	approver, err := firstWithRole(tx, role, a.ID)
	if err != nil {
		return err
	}
	_, err = s.engine.Submit(ctx, tx, KindRoomApproval, web.FormatID(b.ID), a, []uint{approver})
	return err
}

// roomSummary tells the approver who wants which room, when, for what and with what.
func (s *Service) roomSummary(ctx context.Context, tx *gorm.DB, ar *approval.Request, lang string) (approval.Summary, error) {
	b, r, p, err := s.summarySubject(ctx, tx, ar)
	if err != nil {
		return approval.Summary{}, err
	}
	var kids []struct {
		Quantity int
		Name     string
	}
	if err := tx.Table("bookings").Select("bookings.quantity, r.name").
		Joins("JOIN booking_resources r ON r.id = bookings.resource_id").
		Where("bookings.parent_id = ?", b.ID).Order("r.name, bookings.id").Scan(&kids).Error; err != nil {
		return approval.Summary{}, err
	}
	where := place(r)
	title := s.titleOr(lang, b.Title)
	lines := []approval.Line{
		{Label: s.cat.T(lang, "booking.room"), Value: where},
		{Label: s.cat.T(lang, "booking.when"), Value: i18n.FormatDateTime(lang, b.StartAt, s.tz) + " – " + clock(b.EndAt, s.tz)},
		{Label: s.cat.T(lang, "booking.title"), Value: title},
		{Label: s.cat.T(lang, "booking.attendees"), Value: strconv.Itoa(b.Attendees)},
	}
	if len(kids) > 0 {
		items := make([]string, len(kids))
		for i, k := range kids {
			items[i] = fmt.Sprintf("%d × %s", k.Quantity, k.Name)
		}
		lines = append(lines, approval.Line{Label: s.cat.T(lang, "booking.equipment"), Value: strings.Join(items, ", ")})
	}
	sum := s.brief(lang, KindRoomApproval, b, r, p.Name)
	sum.Lines, sum.Path = lines, "/bookings/mine"
	return sum, nil
}

// onRoomApprove confirms the held room and the equipment held with it, after
// checking again that each is free, and then tells the equipment's units.
func (s *Service) onRoomApprove(ctx context.Context, tx *gorm.DB, ar *approval.Request) error {
	b, err := loadSubject(tx, ar)
	if err != nil {
		return err
	}
	if _, err := s.ConfirmHoldTx(tx, approval.Decider(ctx), b.ID); err != nil {
		return holdRefusal(fmt.Errorf("room booking %d cannot be confirmed: %w", b.ID, err))
	}
	var room Resource
	if err := tx.First(&room, b.ResourceID).Error; err != nil {
		return err
	}
	var kids []Booking
	if err := tx.Where("parent_id = ? AND status = ?", b.ID, StatusHold).Order("id").Find(&kids).Error; err != nil {
		return err
	}
	done := make([]line, 0, len(kids))
	for _, k := range kids {
		var kr Resource
		if err := tx.First(&kr, k.ResourceID).Error; err != nil {
			return err
		}
		if _, err := s.ConfirmHoldTx(tx, approval.Decider(ctx), k.ID); err != nil {
			return holdRefusal(itemError(&kr, err))
		}
		done = append(done, line{res: &kr, qty: k.Quantity})
	}
	b.Status = StatusConfirmed
	return s.tellUnits(tx, b, &room, done, "created")
}

// onRoomReject frees the room and its equipment: the bookings become rejected.
func (s *Service) onRoomReject(ctx context.Context, tx *gorm.DB, ar *approval.Request, reason string) error {
	b, err := loadSubject(tx, ar)
	if err != nil {
		return err
	}
	var kids []Booking
	if err := tx.Where("parent_id = ? AND status = ?", b.ID, StatusHold).Order("id").Find(&kids).Error; err != nil {
		return err
	}
	for _, k := range kids {
		if _, err := s.setStatus(tx, approval.Decider(ctx), k.ID, StatusHold, StatusRejected, "booking.reject"); err != nil {
			return err
		}
	}
	ok, err := s.setStatus(tx, approval.Decider(ctx), b.ID, StatusHold, StatusRejected, "booking.reject")
	if err != nil || ok {
		return err
	}
	return audit.Record(tx, approval.Decider(ctx), "booking.reject", "booking", b.ID,
		map[string]string{"status": b.Status}, map[string]string{"reason": reason})
}

// holdRefusal turns the reasons a held booking cannot be confirmed into words
// for the approver. A hold that expired or ended otherwise can never be
// approved, so its request is withdrawn; a resource taken meanwhile or put in
// service leaves the request for the approver to reject with a reason.
func holdRefusal(err error) error {
	var item *ItemError
	name := ""
	if errors.As(err, &item) {
		name = item.Name
	}
	switch {
	case errors.Is(err, ErrHoldExpired):
		return &approval.Refusal{Key: "booking.admin.refused.expired", Withdraw: true, Err: err}
	case errors.Is(err, ErrNotHeld):
		return &approval.Refusal{Key: "booking.admin.refused.not_held", Withdraw: true, Err: err}
	case errors.Is(err, ErrTaken), errors.Is(err, ErrPoolFull):
		return &approval.Refusal{Key: "booking.admin.refused.taken", Args: []any{"Name", name}, Err: err}
	case errors.Is(err, ErrUnknownResource):
		return &approval.Refusal{Key: "booking.admin.refused.inactive", Err: err}
	}
	return err
}
