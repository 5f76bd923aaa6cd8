package leave

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// UndoWindow is how long the person who cancelled a request may undo it:
// enough to notice a wrong click, as for bookings.
const UndoWindow = 10 * time.Minute

// Why an undo is refused; a request the same dates no longer fit (a new
// request over them, a balance spent meanwhile) gets the form's own errors.
var (
	ErrUndoExpired   = errs.New(errs.Conflict, "leave: too late to undo the cancellation")
	ErrNotRestorable = errs.New(errs.Conflict, "leave: this cancellation cannot be undone")
)

// Resubmit is the undo of a cancellation, and leave has one honest undo: the
// same dates submitted again as a new request. A cancelled request never
// returns to approved by itself, since the balance, the team and the
// manager may have moved meanwhile; the new request passes every check of
// Submit and goes to the manager again, whoever undoes (only leave HR
// recorded on someone's behalf is recorded approved again). Only the person who
// cancelled may do it, within UndoWindow; the cancelled request's timeline
// says it was submitted again.
func (s *Service) Resubmit(ctx context.Context, a actor.Actor, id uint) (*Request, error) {
	var old Request
	if err := s.db.R.WithContext(ctx).First(&old, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	if err := s.undoable(s.db.R.WithContext(ctx), a, &old); err != nil {
		return nil, err
	}
	// Filed again as it was filed the first time: a request the person sent
	// goes to their manager again even when HR withdrew it and undoes that;
	// only leave HR recorded is recorded approved again.
	filer := a
	if old.CreatedBy == old.PersonID && a.ID != old.PersonID {
		p, err := s.people.Person(ctx, old.PersonID)
		if err != nil {
			return nil, err
		}
		filer = p.Actor()
	}
	// The past-start warning was answered when the request was first sent.
	req, err := s.Submit(ctx, filer, old.PersonID, RequestInput{TypeID: old.TypeID, Start: old.StartDate, End: old.EndDate,
		StartHalf: old.StartHalf, EndHalf: old.EndHalf, Comment: old.Comment, PastConfirmed: true})
	if err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		return history.Note(tx, a, history.Entry{Entity: HistoryEntity, EntityID: old.ID, Action: "resubmitted",
			Comment: "#" + web.FormatID(req.ID), At: s.now()})
	})
	return req, err
}

// undoable checks that r's last step was a's cancellation, within UndoWindow.
func (s *Service) undoable(q *gorm.DB, a actor.Actor, r *Request) error {
	if r.Status != StatusCancelled {
		return ErrNotRestorable
	}
	var es []history.Entry
	if err := q.Where("entity = ? AND entity_id = ?", HistoryEntity, r.ID).Order("at DESC, id DESC").Limit(1).Find(&es).Error; err != nil {
		return err
	}
	if len(es) == 0 || es[0].Action != "cancelled" || es[0].ActorID == nil || *es[0].ActorID != a.ID {
		return ErrNotRestorable
	}
	if s.now().Sub(es[0].At) > UndoWindow {
		return ErrUndoExpired
	}
	return nil
}

// SetClock replaces the service's clock, for tests that step past
// UndoWindow; call it while no request is running.
func (s *Service) SetClock(now func() time.Time) { s.now = now }
