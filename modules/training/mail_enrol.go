package training

import (
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// mailPlaced tells the person of enrolment e where they stand now that it
// is booked (directly or approved): a seat on the session, its waiting
// list with their place, or approved without a session.
func (s *Service) mailPlaced(tx *gorm.DB, e *Enrolment, t *Training, sess *Session) error {
	key := "training.enrol.mail.approved"
	switch e.Status {
	case EnrolEnrolled:
		key = "training.enrol.mail.enrolled"
	case EnrolWaiting:
		key = "training.enrol.mail.waiting"
	}
	return s.mailEnrolment(tx, e, t, sess, key, fmt.Sprintf("training/enrolment/%d/%s", e.ID, e.Status))
}

// mailPromoted tells the first waiting that a seat came free and is theirs.
func (s *Service) mailPromoted(tx *gorm.DB, e *Enrolment, t *Training, sess *Session) error {
	return s.mailEnrolment(tx, e, t, sess, "training.enrol.mail.promoted", fmt.Sprintf("training/enrolment/%d/promoted", e.ID))
}

// mailEnrolment queues, in tx, the mail key (…_title, …_intro) to the
// person of e in their language: the training, the session's days, hours
// and place, and a link to the enrolment's page.
func (s *Service) mailEnrolment(tx *gorm.DB, e *Enrolment, t *Training, sess *Session, key, mailKey string) error {
	if s.deps.Outbox == nil || s.cat == nil {
		return nil
	}
	lang := "hu"
	if s.deps.Cfg != nil {
		lang = s.deps.Cfg.Lang
	}
	r, err := people.RecipientOf(tx, lang, e.PersonID)
	if err != nil || !r.Mailable() {
		return err
	}
	T := func(k string, args ...any) string { return s.cat.T(r.Lang, k, args...) }
	title := t.Title(r.Lang)
	lines := []string{T(key+"_intro", "Training", title)}
	if sess != nil {
		lines = append(lines, T("training.enrol.mail.session", "Days", sess.Days(r.Lang, s.today().Year), "Hours", sess.Hours()))
		place := sess.Place // a copy: sess may be saved after the mail, and a room-held session stores no place
		err := s.showRoomNames(tx.Statement.Context, 1, func(int) (*uint, *string) { return sess.RoomID, &place })
		if err != nil {
			return err
		}
		if place != "" {
			lines = append(lines, T("training.enrol.mail.place", "Place", place))
		}
	}
	if e.Status == EnrolWaiting && sess != nil {
		pos, err := waitingPositions(tx, []uint{sess.ID})
		if err != nil {
			return err
		}
		lines = append(lines, T("training.enrol.mail.position", "Position", pos[e.ID]))
	}
	return s.deps.Outbox.Enqueue(tx, notify.Message{Key: mailKey, To: r.Email, ToName: r.Name, Lang: r.Lang,
		Template: "generic", Reason: "training.enrol.mail.reason",
		Data: notify.Generic{Title: T(key+"_title", "Training", title), Lines: lines,
			ActionURL: enrolmentPath(e.ID), ActionLabel: T("training.enrol.mail.action")}})
}
