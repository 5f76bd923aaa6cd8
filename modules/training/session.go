package training

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/places"
)

// maxSessionDays is the longest session from its first day to its last.
const maxSessionDays = 14

// Errors of sessions; form_admin.go places each by its field.
var (
	ErrSessionNotFound  = errs.New(errs.NotFound, "training: no such session")
	ErrSessionDays      = errs.New(errs.Invalid, "training: the last day is before the first")
	ErrSessionTooLong   = errs.New(errs.Invalid, "training: a session lasts at most two weeks")
	ErrSessionPast      = errs.New(errs.Invalid, "training: a session cannot start in the past")
	ErrSessionOver      = errs.New(errs.Conflict, "training: the session is over")
	ErrSessionHours     = errs.New(errs.Invalid, "training: the session ends before it starts")
	ErrSessionYear      = errs.New(errs.Invalid, "training: the session's first day is in another year than the training's catalogue")
	ErrSessionPlace     = errs.New(errs.Invalid, "training: choose a room or write the place")
	ErrSessionRoom      = errs.New(errs.Invalid, "training: unknown room")
	ErrRoomTaken        = errs.New(errs.Conflict, "training: the room is taken at that time")
	ErrSessionTrainer   = errs.New(errs.Invalid, "training: choose a trainer or write the trainer's name")
	ErrTrainerUnknown   = errs.New(errs.Invalid, "training: the trainer is not an active member of staff")
	ErrTrainerBusy      = errs.New(errs.Conflict, "training: the trainer holds another session at that time")
	ErrSeatsRange       = errs.New(errs.Invalid, "training: the seats are out of range")
	ErrSeatsBelow       = errs.New(errs.Conflict, "training: fewer seats than people enrolled")
	ErrSessionCancelled = errs.New(errs.Conflict, "training: the session is cancelled")
	ErrSessionClosed    = errs.New(errs.Conflict, "training: the session's roster is recorded")
)

// SessionInput is a session as HR types it.
type SessionInput struct {
	FirstDay, LastDay calendar.Date
	FromMin, ToMin    int   // minutes after midnight, each day
	RoomID            *uint // a Kapu room; else Place
	Place             string
	TrainerID         *uint // a member of staff; else Trainer, an outside name
	Trainer           string
	Seats             int
}

// SessionInputOf is a stored session as an input, for its form.
func SessionInputOf(x *Session) SessionInput {
	return SessionInput{FirstDay: x.FirstDay, LastDay: x.LastDay, FromMin: x.FromMin, ToMin: x.ToMin,
		RoomID: x.RoomID, Place: x.Place, TrainerID: x.TrainerID, Trainer: x.Trainer, Seats: x.Seats}
}

// check trims the input and returns the problems that need no database:
// days, hours, place, trainer, seats. year is the training's catalogue.
func (in SessionInput) check(year int) (SessionInput, error) {
	in.Place, in.Trainer = trim(in.Place), trim(in.Trainer)
	var problems []error
	switch {
	case in.FirstDay.IsZero() || in.LastDay.IsZero():
		// the form's date parser said so
	case in.LastDay.Before(in.FirstDay):
		problems = append(problems, ErrSessionDays)
	case in.FirstDay.DaysUntil(in.LastDay) >= maxSessionDays:
		problems = append(problems, ErrSessionTooLong)
	}
	if !in.FirstDay.IsZero() && in.FirstDay.Year != year {
		problems = append(problems, ErrSessionYear)
	}
	if in.FromMin < 0 || in.ToMin > 24*60 || in.ToMin <= in.FromMin {
		problems = append(problems, ErrSessionHours)
	}
	if in.RoomID != nil {
		in.Place = ""
	} else if in.Place == "" {
		problems = append(problems, ErrSessionPlace)
	}
	if in.TrainerID != nil {
		in.Trainer = ""
	} else if in.Trainer == "" {
		problems = append(problems, ErrSessionTrainer)
	}
	if !validLine(in.Place, maxPlace) || !validLine(in.Trainer, maxTitle) {
		problems = append(problems, ErrAdminText)
	}
	if in.Seats < 1 || in.Seats > maxSeats {
		problems = append(problems, ErrSeatsRange)
	}
	return in, errors.Join(problems...)
}

// days are the session's days, first to last.
func (in SessionInput) days() []calendar.Date {
	var out []calendar.Date
	for d := in.FirstDay; !d.After(in.LastDay); d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

// spans are the session's hours on each of its days, as instants.
func (in SessionInput) spans(tz *time.Location) ([]places.Span, error) {
	at := func(d calendar.Date, min int) (time.Time, error) {
		if min == 24*60 {
			return d.AddDays(1).Start(tz), nil
		}
		return calendar.At(d, min/60, min%60, tz)
	}
	var out []places.Span
	for _, d := range in.days() {
		start, err := at(d, in.FromMin)
		if err != nil {
			return nil, ErrSessionHours
		}
		end, err := at(d, in.ToMin)
		if err != nil {
			return nil, ErrSessionHours
		}
		out = append(out, places.Span{Start: start, End: end})
	}
	return out, nil
}

// sameRoomTime reports whether in keeps x's room and times, so its hold stays.
func (in SessionInput) sameRoomTime(x *Session) bool {
	sameRoom := (in.RoomID == nil && x.RoomID == nil) || (in.RoomID != nil && x.RoomID != nil && *in.RoomID == *x.RoomID)
	return sameRoom && in.FirstDay == x.FirstDay && in.LastDay == x.LastDay && in.FromMin == x.FromMin && in.ToMin == x.ToMin
}

// apply copies the input onto x.
func (in SessionInput) apply(x *Session) {
	x.FirstDay, x.LastDay, x.FromMin, x.ToMin = in.FirstDay, in.LastDay, in.FromMin, in.ToMin
	x.RoomID, x.Place, x.TrainerID, x.Trainer, x.Seats = in.RoomID, in.Place, in.TrainerID, in.Trainer, in.Seats
}

// sessionZone is the city hall's time zone.
func (s *Service) sessionZone() *time.Location {
	if s.deps.Cfg == nil || s.deps.Cfg.TZ == nil {
		return time.UTC
	}
	return s.deps.Cfg.TZ
}

// checkRoom refuses a room Kapu does not offer.
func (s *Service) checkRoom(ctx context.Context, in SessionInput) error {
	if in.RoomID == nil {
		return nil
	}
	rooms, err := s.Rooms.Rooms(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rooms, func(r places.Room) bool { return r.ID == *in.RoomID }) {
		return ErrSessionRoom
	}
	return nil
}

// checkTrainer refuses a trainer who is not active staff, or who holds
// another session (of any training, not cancelled) whose days and hours
// overlap in's. The trainer's row is locked (PostgreSQL), so two sessions
// for one trainer at once wait for each other.
func checkTrainer(tx *gorm.DB, in SessionInput, self uint) error {
	if in.TrainerID == nil {
		return nil
	}
	var p people.Person
	if err := db.ForUpdate(tx).Select("id").
		Where("id = ? AND active = ?", *in.TrainerID, true).Limit(1).Find(&p).Error; err != nil {
		return err
	}
	if p.ID == 0 {
		return ErrTrainerUnknown
	}
	var clash int64
	err := tx.Model(&Session{}).Where("trainer_id = ? AND status <> ? AND id <> ?", *in.TrainerID, SessionCancelled, self).
		Where("first_day <= ? AND last_day >= ? AND from_min < ? AND to_min > ?", in.LastDay, in.FirstDay, in.ToMin, in.FromMin).
		Count(&clash).Error
	if err != nil {
		return err
	}
	if clash > 0 {
		return ErrTrainerBusy
	}
	return nil
}

// hold books the session's room through the room's owner in tx; a room
// taken (or one the owner would not book) is ErrRoomTaken.
func (s *Service) hold(ctx context.Context, tx *gorm.DB, a actor.Actor, t *Training, in SessionInput) (*uint, error) {
	if in.RoomID == nil {
		return nil, nil
	}
	spans, err := in.spans(s.sessionZone())
	if err != nil {
		return nil, err
	}
	ref, err := s.Rooms.HoldRoom(ctx, tx, places.Hold{RoomID: *in.RoomID, Spans: spans, Title: t.Title(s.defaultLang()), By: a, Owner: holdOwner})
	if errors.Is(err, places.ErrRoomTaken) {
		return nil, ErrRoomTaken
	}
	if err != nil {
		return nil, err
	}
	return &ref, nil
}

// defaultLang is the installation's language, for what is written once for all.
func (s *Service) defaultLang() string {
	if s.deps.Cfg == nil || s.deps.Cfg.Lang == "" {
		return "hu"
	}
	return s.deps.Cfg.Lang
}

// trainingForSession is the training a session is added to, checked.
func trainingForSession(tx *gorm.DB, id uint) (*Training, error) {
	var t Training
	if err := tx.Where("id = ?", id).Limit(1).Find(&t).Error; err != nil {
		return nil, err
	}
	if t.ID == 0 {
		return nil, ErrTrainingNotFound
	}
	return &t, nil
}

// CreateSession schedules a session of a training: not in the past, in the
// training's year, the trainer free, the room held.
func (s *Service) CreateSession(ctx context.Context, a actor.Actor, trainingID uint, in SessionInput) (*Session, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	t, err := trainingForSession(s.db.R.WithContext(ctx), trainingID)
	if err != nil {
		return nil, err
	}
	var problems []error
	if !in.FirstDay.IsZero() && in.FirstDay.Before(s.today()) {
		problems = append(problems, ErrSessionPast)
	}
	if in, err = in.check(t.Year); err != nil {
		problems = append(problems, err)
	}
	if err := s.checkRoom(ctx, in); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return nil, joinFlat(problems...)
	}
	if !t.Active {
		return nil, ErrTrainingRetired
	}
	var x Session
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := checkTrainer(tx, in, 0); err != nil {
			return err
		}
		now := s.now()
		in.apply(&x)
		x.TrainingID, x.Status, x.CreatedAt, x.UpdatedAt = t.ID, SessionScheduled, now, now
		ref, err := s.hold(ctx, tx, a, t, in)
		if err != nil {
			return err
		}
		x.RoomHold = ref
		if err := tx.Create(&x).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "training.session.create", SessionEntity, x.ID, nil, &x); err != nil {
			return err
		}
		return history.Note(tx, a, history.Entry{Entity: SessionEntity, EntityID: x.ID, At: now, Action: "created"})
	})
	if err != nil {
		return nil, err
	}
	return &x, nil
}

// lockSession reads a session for a change, locked on PostgreSQL.
func lockSession(tx *gorm.DB, id uint) (*Session, error) {
	var x Session
	if err := db.ForUpdate(tx).Where("id = ?", id).Limit(1).Find(&x).Error; err != nil {
		return nil, err
	}
	if x.ID == 0 {
		return nil, ErrSessionNotFound
	}
	switch x.Status {
	case SessionCancelled:
		return nil, ErrSessionCancelled
	case SessionClosed:
		return nil, ErrSessionClosed
	}
	return &x, nil
}

// UpdateSession changes a scheduled session that is not over. Its first
// day may stay where it is once it passed (a course under way), but not
// move into the past; its seats never go below those enrolled. A change of
// room or times releases the old hold and holds the room again.
func (s *Service) UpdateSession(ctx context.Context, a actor.Actor, id uint, in SessionInput) (*Session, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	var x Session
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		stored, err := lockSession(tx, id)
		if err != nil {
			return err
		}
		today := s.today()
		if stored.LastDay.Before(today) {
			return ErrSessionOver
		}
		t, err := trainingForSession(tx, stored.TrainingID)
		if err != nil {
			return err
		}
		var problems []error
		if !in.FirstDay.IsZero() && in.FirstDay != stored.FirstDay && in.FirstDay.Before(today) {
			problems = append(problems, ErrSessionPast)
		}
		if in, err = in.check(t.Year); err != nil {
			problems = append(problems, err)
		}
		if in.Seats >= 1 && in.Seats < stored.Enrolled {
			problems = append(problems, ErrSeatsBelow)
		}
		if err := s.checkRoom(ctx, in); err != nil {
			problems = append(problems, err)
		}
		if len(problems) > 0 {
			return joinFlat(problems...)
		}
		if err := checkTrainer(tx, in, stored.ID); err != nil {
			return err
		}
		before := *stored
		x = *stored
		if !in.sameRoomTime(stored) {
			if stored.RoomHold != nil {
				if err := s.Rooms.ReleaseRoom(ctx, tx, a, *stored.RoomHold); err != nil {
					return err
				}
			}
			if x.RoomHold, err = s.hold(ctx, tx, a, t, in); err != nil {
				return err
			}
		}
		in.apply(&x)
		x.UpdatedAt = s.now()
		// Guarded by the seats taken now; training_seats backs it.
		res := tx.Model(&Session{}).Where("id = ? AND enrolled <= ?", id, in.Seats).
			Select("first_day", "last_day", "from_min", "to_min", "room_id", "room_hold", "place", "trainer_id", "trainer",
				"seats", "updated_at").Updates(&x)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrSeatsBelow
		}
		if err := audit.Record(tx, a, "training.session.update", SessionEntity, x.ID, &before, &x); err != nil {
			return err
		}
		if err := history.Note(tx, a, history.Entry{Entity: SessionEntity, EntityID: x.ID, At: x.UpdatedAt, Action: "changed"}); err != nil {
			return err
		}
		if in.sameRoomTime(&before) && in.Place == before.Place {
			return nil // the seats or the trainer: nothing the participants must know
		}
		held, err := seatHolders(tx, x.ID)
		if err != nil {
			return err
		}
		return s.mailChanged(ctx, tx, t, &x, held)
	})
	if db.IsConstraint(err, ConstraintSeats) {
		return nil, ErrSeatsBelow
	}
	if err != nil {
		return nil, err
	}
	return &x, nil
}

// CancelSession cancels a scheduled session. Everyone enrolled or waiting
// keeps their approval without a seat (approved, free to take another
// session) and is mailed; the room's hold is released; all in one
// transaction.
func (s *Service) CancelSession(ctx context.Context, a actor.Actor, id uint) error {
	if !isStaff(a) {
		return ErrNotHR
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		x, err := lockSession(tx, id)
		if err != nil {
			return err
		}
		if x.LastDay.Before(s.today()) {
			return ErrSessionOver
		}
		t, err := trainingForSession(tx, x.TrainingID)
		if err != nil {
			return err
		}
		held, err := seatHolders(tx, id)
		if err != nil {
			return err
		}
		for _, e := range held {
			err := history.Move(tx, a, history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: e.ID,
				From: []string{e.Status}, To: EnrolApproved, Set: map[string]any{"session_id": nil, "waiting_since": nil},
				Audit: "training.enrolment.session_cancelled", Action: "session_cancelled", At: now})
			if err != nil {
				return err
			}
		}
		err = history.Move(tx, a, history.Transition{Entity: SessionEntity, Model: &Session{}, ID: id,
			From: []string{SessionScheduled}, To: SessionCancelled, Set: map[string]any{"enrolled": 0, "room_hold": nil},
			Audit: "training.session.cancel", Action: "cancel", At: now})
		if errors.Is(err, history.ErrStateChanged) {
			return ErrSessionCancelled
		}
		if err != nil {
			return err
		}
		if x.RoomHold != nil {
			if err := s.Rooms.ReleaseRoom(ctx, tx, a, *x.RoomHold); err != nil {
				return err
			}
		}
		return s.mailCancelled(tx, t, x, held)
	})
}

// seatHolders are the enrolments holding a seat of the session or waiting for one.
func seatHolders(tx *gorm.DB, sessionID uint) ([]Enrolment, error) {
	var held []Enrolment
	err := tx.Where("session_id = ? AND status IN ?", sessionID, []string{EnrolEnrolled, EnrolWaiting}).Order("id").Find(&held).Error
	return held, err
}

// mailCancelled tells each person enrolled or waiting, in their language,
// that the session will not take place and that their approval stands.
func (s *Service) mailCancelled(tx *gorm.DB, t *Training, x *Session, held []Enrolment) error {
	return s.mailHeld(tx, t, x, held, "cancelled", func(lang string) (string, []string) {
		return s.t(lang, "training.admin.mail.cancel_title", "Title", t.Title(lang)), []string{
			s.t(lang, "training.admin.mail.cancel_line", "Title", t.Title(lang), "When", s.sessionWhen(lang, x)),
			s.t(lang, "training.admin.mail.cancel_next"),
		}
	})
}

// mailChanged tells each person enrolled or waiting when and where the
// session is now.
func (s *Service) mailChanged(ctx context.Context, tx *gorm.DB, t *Training, x *Session, held []Enrolment) error {
	place := x.Place
	if x.RoomID != nil {
		rooms, err := s.Rooms.Rooms(ctx)
		if err != nil {
			return err
		}
		for _, r := range rooms {
			if r.ID == *x.RoomID {
				place = r.Name
			}
		}
	}
	return s.mailHeld(tx, t, x, held, "changed/"+strconv.FormatInt(x.UpdatedAt.UnixNano(), 36), func(lang string) (string, []string) {
		return s.t(lang, "training.admin.mail.change_title", "Title", t.Title(lang)), []string{
			s.t(lang, "training.admin.mail.change_line", "Title", t.Title(lang), "When", s.sessionWhen(lang, x), "Place", place),
		}
	})
}

// mailHeld queues one mail to each person of held in their language,
// written by text; what names the change in the mails' keys.
func (s *Service) mailHeld(tx *gorm.DB, t *Training, x *Session, held []Enrolment, what string,
	text func(lang string) (title string, lines []string)) error {
	if s.deps.Outbox == nil || len(held) == 0 {
		return nil
	}
	ids := make([]uint, len(held))
	byPerson := map[uint]uint{}
	for i, e := range held {
		ids[i] = e.PersonID
		byPerson[e.PersonID] = e.ID
	}
	to, err := people.Recipients(tx, s.defaultLang(), ids...)
	if err != nil {
		return err
	}
	for _, r := range to {
		if !r.Mailable() {
			continue
		}
		title, lines := text(r.Lang)
		err := s.deps.Outbox.Enqueue(tx, notify.Message{
			Key: fmt.Sprintf("training/session/%d/%s/%d", x.ID, what, byPerson[r.ID]), To: r.Email, ToName: r.Name,
			Lang: r.Lang, Template: "generic", Reason: "training.admin.mail.reason",
			Data: notify.Generic{Title: title, Lines: lines, ActionURL: "/training",
				ActionLabel: s.t(r.Lang, "training.admin.mail.cancel_action")}})
		if err != nil {
			return err
		}
	}
	return nil
}

// sessionWhen is a session's days and hours in lang: "12–14 Jan 09:00–12:00".
func (s *Service) sessionWhen(lang string, x *Session) string { return x.When(lang, s.today().Year) }

// SessionRow is a session on its training's page, with its waiting list's length.
type SessionRow struct {
	Session
	Waiting     int64
	TrainerName string // the staff trainer's name, or the outside trainer's
	RoomName    string // the Kapu room's name, when held in one
}

// FreeSeats is the seats not taken.
func (x *Session) FreeSeats() int { return max(x.Seats-x.Enrolled, 0) }

// TrainingSessions lists a training's sessions by first day.
func (s *Service) TrainingSessions(ctx context.Context, a actor.Actor, trainingID uint) ([]SessionRow, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	var rows []SessionRow
	err := s.db.R.WithContext(ctx).Table("training_sessions AS x").
		Select(`x.*, COALESCE(p.name, x.trainer) AS trainer_name,
		 (SELECT COUNT(*) FROM training_enrolments e WHERE e.session_id = x.id AND e.status = ?) AS waiting`, EnrolWaiting).
		Joins("LEFT JOIN people AS p ON p.id = x.trainer_id").
		Where("x.training_id = ?", trainingID).Order("x.first_day, x.from_min, x.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	rooms, err := s.Rooms.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if id := rows[i].RoomID; id != nil {
			for _, r := range rooms {
				if r.ID == *id {
					rows[i].RoomName = r.Name
				}
			}
		}
	}
	return rows, nil
}

// AdminSession is a session and its training, for HR's form.
func (s *Service) AdminSession(ctx context.Context, a actor.Actor, id uint) (*Session, *Training, error) {
	if !isStaff(a) {
		return nil, nil, ErrNotHR
	}
	q := s.db.R.WithContext(ctx)
	var x Session
	if err := q.Where("id = ?", id).Limit(1).Find(&x).Error; err != nil {
		return nil, nil, err
	}
	if x.ID == 0 {
		return nil, nil, ErrSessionNotFound
	}
	t, err := trainingForSession(q, x.TrainingID)
	if err != nil {
		return nil, nil, err
	}
	return &x, t, nil
}

// SessionTimeline is a session's timeline, oldest first.
func (s *Service) SessionTimeline(ctx context.Context, a actor.Actor, id uint) ([]history.Entry, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	return history.Of(s.db.R.WithContext(ctx), SessionEntity, id)
}

// HeldCount is how many people a cancellation would mail: enrolled and waiting.
func (s *Service) HeldCount(ctx context.Context, a actor.Actor, id uint) (int64, error) {
	if !isStaff(a) {
		return 0, ErrNotHR
	}
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Enrolment{}).
		Where("session_id = ? AND status IN ?", id, []string{EnrolEnrolled, EnrolWaiting}).Count(&n).Error
	return n, err
}

// joinFlat is errors.Join with the errors of joined ones lifted up, so the
// form kit finds every problem at the first level.
func joinFlat(es ...error) error {
	var flat []error
	for _, e := range es {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			flat = append(flat, j.Unwrap()...)
		} else if e != nil {
			flat = append(flat, e)
		}
	}
	return errors.Join(flat...)
}
