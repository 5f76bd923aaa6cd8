package booking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// KindCarApproval is the approval kind of a car request.
const KindCarApproval = "car"

// RequestCarApproval holds the car and submits the request for approval in one
// transaction: a request nobody will decide never holds a car, and a held car
// always has its approval. Steps: the person's line manager (skipped when
// there is none), then the first active fleet person by id — one named owner
// rather than a race between several, and the same person every time.
func (s *Service) RequestCarApproval(ctx context.Context, a actor.Actor, in BookingInput) (*Booking, error) {
	if s.engine == nil {
		return nil, ErrNoApproval
	}
	return s.book(ctx, a, in, StatusHold, func(ctx context.Context, tx *gorm.DB, b *Booking) error {
		steps, err := s.carApprovers(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		_, err = s.engine.Submit(ctx, tx, KindCarApproval, web.FormatID(b.ID), a, steps)
		return err
	})
}

// carApprovers lists the steps of a car request; the requester never approves
// their own request, so they are left out of either step.
func (s *Service) carApprovers(ctx context.Context, tx *gorm.DB, requesterID uint) ([]uint, error) {
	ctx = db.WithTx(ctx, tx) // the people are read through tx
	p, err := s.people.Person(ctx, requesterID)
	if err != nil {
		return nil, err
	}
	var steps []uint
	mgr, err := s.people.ManagerOf(ctx, p)
	if err != nil {
		return nil, err
	}
	if mgr != nil && mgr.Active && mgr.ID != requesterID {
		steps = append(steps, mgr.ID)
	}
	fleet, err := firstWithRole(tx, actor.Fleet, requesterID)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 || steps[0] != fleet {
		steps = append(steps, fleet)
	}
	return steps, nil
}

// firstWithRole is the approver of a unit: the first active person (by id)
// with role other than the requester; ErrNoApproval when there is none.
func firstWithRole(tx *gorm.DB, role string, requesterID uint) (uint, error) {
	var ids []uint
	err := tx.Table("people AS pp").
		Joins("JOIN person_roles pr ON pr.person_id = pp.id AND pr.role = ?", role).
		Where("pp.active = ? AND pp.id <> ?", true, requesterID).
		Order("pp.id").Limit(1).Pluck("pp.id", &ids).Error
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, ErrNoApproval
	}
	return ids[0], nil
}

// loadSubject reads the booking an approval request (car or room) is about.
func loadSubject(tx *gorm.DB, ar *approval.Request) (*Booking, error) {
	id, err := ar.RowID()
	if err != nil {
		return nil, err
	}
	var b Booking
	if err := tx.First(&b, id).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// summarySubject reads what an approver's summary tells about: the booking,
// its resource and the person it is for.
func (s *Service) summarySubject(ctx context.Context, tx *gorm.DB, ar *approval.Request) (*Booking, *Resource, *people.Person, error) {
	ctx = db.WithTx(ctx, tx) // tx is the caller's transaction, or a read handle
	b, err := loadSubject(tx, ar)
	if err != nil {
		return nil, nil, nil, err
	}
	var r Resource
	if err := tx.First(&r, b.ResourceID).Error; err != nil {
		return nil, nil, nil, err
	}
	p, err := s.people.Person(ctx, b.PersonID)
	if err != nil {
		return nil, nil, nil, err
	}
	return b, &r, p, nil
}

// carSummary tells the approver who wants which car, when (in the city's
// zone), where to and why.
func (s *Service) carSummary(ctx context.Context, tx *gorm.DB, ar *approval.Request, lang string) (approval.Summary, error) {
	b, r, p, err := s.summarySubject(ctx, tx, ar)
	if err != nil {
		return approval.Summary{}, err
	}
	when := i18n.FormatDateTime(lang, b.StartAt, s.tz) + " – " + i18n.FormatDateTime(lang, b.EndAt, s.tz)
	lines := []approval.Line{
		{Label: s.cat.T(lang, "booking.car"), Value: r.Name + " (" + r.Plate + ")"},
		{Label: s.cat.T(lang, "booking.when"), Value: when},
		{Label: s.cat.T(lang, "booking.destination"), Value: b.Destination},
		{Label: s.cat.T(lang, "booking.purpose"), Value: b.Purpose},
		{Label: s.cat.T(lang, "booking.passengers"), Value: strconv.Itoa(b.Passengers)},
	}
	sum := s.brief(lang, KindCarApproval, b, r, p.Name)
	sum.Lines = lines
	if b.Status == StatusConfirmed { // approved: the requester's mail carries the invitation
		file, err := s.invitationFile(tx, lang, b.ID)
		if err != nil {
			return approval.Summary{}, err
		}
		sum.Attachments = []notify.Attachment{file}
	}
	return sum, nil
}

// onCarApprove confirms the hold in the last approver's transaction (the
// engine calls it once, after the last step). An expired hold is refused
// rather than confirmed even if the car is still free: the person was told
// the request lapsed, and someone may be planning around the free car.
func (s *Service) onCarApprove(ctx context.Context, tx *gorm.DB, ar *approval.Request) error {
	b, err := loadSubject(tx, ar)
	if err != nil {
		return err
	}
	if _, err := s.ConfirmHoldTx(tx, approval.Decider(ctx), b.ID); err != nil {
		return holdRefusal(fmt.Errorf("car request %d cannot be confirmed: %w", b.ID, err))
	}
	return nil
}

// onCarReject frees the car: the booking becomes rejected.
func (s *Service) onCarReject(ctx context.Context, tx *gorm.DB, ar *approval.Request, reason string) error {
	b, err := loadSubject(tx, ar)
	if err != nil {
		return err
	}
	// The reason is kept on the booking for the statistics of rejections.
	err = s.move(tx, approval.Decider(ctx), history.Transition{ID: b.ID, From: []string{StatusHold}, To: StatusRejected,
		Set: map[string]any{"reject_reason": clip(reason, 2000)}, Audit: "booking.reject", Comment: clip(reason, 2000)})
	if !errors.Is(err, history.ErrStateChanged) {
		return err
	}
	// Already expired or cancelled: the car is free anyway; note the decision.
	return audit.Record(tx, approval.Decider(ctx), "booking.reject", "booking", b.ID,
		map[string]string{"status": b.Status}, map[string]string{"reason": reason})
}

// withdrawApproval withdraws the pending approval request of b, a held car
// request or room that needs approval, inside the transaction that cancels
// it: the request leaves the approvers' inboxes and its email links say it
// was withdrawn. The booker withdraws their own request; anyone else who may
// cancel the booking (its unit, an admin) does so through the system.
func (s *Service) withdrawApproval(ctx context.Context, tx *gorm.DB, a actor.Actor, b *Booking) error {
	if s.engine == nil || b.Status != StatusHold {
		return nil
	}
	var reqs []approval.Request
	err := tx.Select("id", "requester_id").
		Where("kind IN ? AND subject_id = ? AND status = ?", []string{KindCarApproval, KindRoomApproval},
			web.FormatID(b.ID), approval.StatusPending).
		Order("id").Find(&reqs).Error
	if err != nil {
		return err
	}
	for _, r := range reqs {
		who := a
		if a.ID != r.RequesterID {
			who = actor.System()
		}
		// Decided meanwhile: the booking is no longer held and the
		// cancellation itself finds that out.
		if err := s.engine.Withdraw(ctx, tx, who, r.ID); err != nil && !errors.Is(err, approval.ErrDecided) {
			return err
		}
	}
	return nil
}

// describe is the short summary of many car or room requests for lists, in
// the reader's language: three queries whatever their number.
func (s *Service) describe(ctx context.Context, q *gorm.DB, ars []approval.Request, lang string) ([]approval.Summary, error) {
	ids, err := approval.RowIDs(ars)
	if err != nil {
		return nil, err
	}
	var bs []Booking
	if err := q.Where("id IN ?", ids).Find(&bs).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Booking, len(bs))
	var resIDs, personIDs []uint
	for i := range bs {
		byID[bs[i].ID] = &bs[i]
		resIDs = append(resIDs, bs[i].ResourceID)
		personIDs = append(personIDs, bs[i].PersonID)
	}
	var rs []Resource
	if err := q.Where("id IN ?", resIDs).Find(&rs).Error; err != nil {
		return nil, err
	}
	resByID := make(map[uint]*Resource, len(rs))
	for i := range rs {
		resByID[rs[i].ID] = &rs[i]
	}
	nameByID, err := people.NamesOf(q, personIDs)
	if err != nil {
		return nil, err
	}
	out := make([]approval.Summary, len(ars))
	for i := range ars {
		b := byID[ids[i]]
		if b == nil || resByID[b.ResourceID] == nil {
			out[i] = approval.Summary{Title: ars[i].Title} // the booking is gone
			continue
		}
		out[i] = s.brief(lang, ars[i].Kind, b, resByID[b.ResourceID], nameByID[b.PersonID])
	}
	return out, nil
}

// brief is what lists and email subjects say about a car or room request:
// "Car request: Papp Eszter, Skoda Octavia", "3 Mar 09:00–17:00", "8 hours".
func (s *Service) brief(lang, kind string, b *Booking, r *Resource, name string) approval.Summary {
	sum := approval.Summary{
		Title:  s.cat.T(lang, "booking.admin.room_summary", "Name", name, "Room", r.Name),
		What:   s.cat.T(lang, "booking.approval.what_room"),
		About:  r.Name,
		When:   i18n.FormatTimeRangeIn(lang, b.StartAt, b.EndAt, s.tz, s.now().In(s.tz).Year()),
		Extent: s.length(lang, b.EndAt.Sub(b.StartAt)),
	}
	if kind == KindCarApproval {
		sum.Title = s.cat.T(lang, "booking.car_summary", "Name", name, "Car", r.Name)
		sum.What = s.cat.T(lang, "booking.approval.what_car")
	}
	return sum
}

// length writes how long a booking is: "45 minutes", "2 hours", "1.5 hours".
func (s *Service) length(lang string, d time.Duration) string {
	if d < time.Hour {
		return s.cat.T(lang, "booking.approval.minutes", "Count", int(d.Minutes()), "Minutes", int(d.Minutes()))
	}
	h := d.Hours()
	return s.cat.T(lang, "booking.approval.hours", "Count", strconv.FormatFloat(h, 'f', -1, 64), "Hours", i18n.FormatFigure(lang, h))
}
