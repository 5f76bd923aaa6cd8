package appointments

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"kapu/modules/platform/web"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/history"
	"kapu/modules/platform/linktoken"
)

// entity is the appointments' name in the audit log and the timelines.
const entity = "appointment"

// emailLockKey is the first key of the advisory lock that serialises one
// email address's bookings on PostgreSQL, so two at once cannot both pass the
// per-address limit (SQLite's one writer does that by itself).
const emailLockKey = 7426601

// BookInput is an appointment as the citizen's (or the front desk's) form
// gives it. Start is an instant, one of the free times Times offered.
type BookInput struct {
	CaseTypeID, OfficeID     uint
	Start                    time.Time
	Name, Email, Phone, Note string
	Lang                     string // the citizen's language, for the pages and the mail
	IP                       string
	Reason                   string // the front desk's note on a booking made for a citizen
	// Consent: the citizen accepted the data-processing notice; a booking
	// online needs it (the front desk tells a caller on the phone).
	Consent bool
}

// Ref names an appointment: by its personal link's token (the citizen), or
// by id (the front desk, who must hold a staff role).
type Ref struct {
	Token string
	ID    uint
}

// Validate checks what the citizen typed and returns every problem at once
// (errors.Join of ErrName, ErrEmail, ErrPhone, ErrNoteTooLong), so the form
// can mark each field. The front desk may leave the email out.
func Validate(in BookInput, staff bool) (BookInput, error) {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Phone = strings.TrimSpace(in.Phone)
	in.Note = strings.TrimSpace(in.Note)
	var problems []error
	if in.Name == "" || len([]rune(in.Name)) > maxName || !printable(in.Name) {
		problems = append(problems, ErrName)
	}
	if !(staff && in.Email == "") && !validEmail(in.Email) {
		problems = append(problems, ErrEmail)
	}
	if in.Phone != "" && !validPhone(in.Phone) {
		problems = append(problems, ErrPhone)
	}
	if !web.ValidText(in.Note, maxNote) {
		problems = append(problems, ErrNoteTooLong)
	}
	if !web.ValidText(in.Reason, maxReason) {
		problems = append(problems, ErrNoteTooLong)
	}
	return in, errors.Join(problems...)
}

// printable: valid UTF-8 (a stray byte reads as U+FFFD, which is printable,
// and PostgreSQL refuses it) and no control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// validEmail accepts a bare address with a dotted domain, nothing more.
func validEmail(s string) bool {
	if s == "" || len(s) > maxEmail || !printable(s) || strings.ContainsAny(s, " <>\"(),;:\\[]") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validPhone accepts "+36 1 234 5678", "(06-30) 123/4567": 6 to 20 digits.
func validPhone(s string) bool {
	if len(s) > maxPhone {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-/() .", r):
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 20
}

// checkSlot is where start stands for t at office: an error when it is not
// a time Kapu offers now (too soon, too late, not on the grid, taken), else
// the desks free for it.
func (s *Service) checkSlot(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, start time.Time) ([]uint, error) {
	w, err := s.window(ctx, a, t)
	if err != nil {
		return nil, err
	}
	d := calendar.DateOf(start, s.tz)
	switch {
	case d.After(w.LastDay):
		return nil, ErrTooLate
	case d.Before(w.FirstDay):
		return nil, ErrTooSoon // read nothing for a day long gone
	}
	p, err := s.loadPlan(ctx, a, t, officeID, d, d)
	if err != nil {
		return nil, err
	}
	if len(p.desks) == 0 {
		return nil, ErrUnknownOffice
	}
	open := p.grid(d)[start.Unix()]
	switch {
	case len(open) == 0:
		return nil, ErrNotASlot
	case start.Before(w.From):
		return nil, ErrTooSoon
	}
	free := p.free(open, start)
	if len(free) == 0 {
		return nil, ErrTaken
	}
	return free, nil
}

// Book makes an appointment at a free desk of the office. A citizen (a
// signed-out actor) books online case types within their window, up to the
// case type's limit per email address; the front desk books any active case
// type from now on, for a citizen on the phone. A slot taken meanwhile is
// ErrTaken (NextFree offers others). The desk is Kapu's choice; the database
// refuses a second appointment over the same time at one desk whatever the
// check saw, and the next free desk is tried.
func (s *Service) Book(ctx context.Context, a actor.Actor, in BookInput) (*Appointment, error) {
	staff := isStaff(a)
	if a.ID != 0 && !staff {
		return nil, ErrForbidden
	}
	in, err := Validate(in, staff)
	if err != nil {
		return nil, err
	}
	if !staff && !in.Consent {
		return nil, ErrConsent
	}
	t, err := s.CaseType(ctx, in.CaseTypeID, !staff)
	if err != nil {
		return nil, err
	}
	start := in.Start.UTC().Truncate(time.Second)
	free, release, err := s.claimSlot(ctx, a, t, in.OfficeID, start)
	if err != nil {
		return nil, err
	}
	defer release()
	now := s.now()
	end := start.Add(time.Duration(t.Minutes) * time.Minute)
	salt, _, hash := s.newLink()
	appt := Appointment{Code: newCode(), CaseTypeID: t.ID, OfficeID: in.OfficeID, StartAt: &start, EndAt: &end,
		Status: StatusBooked, Source: SourceOnline, Name: in.Name, Email: in.Email, Phone: in.Phone, Note: in.Note,
		Lang: in.Lang, IP: in.IP, LinkSalt: salt, ManageHash: hash, BookedAt: now, CreatedAt: now, UpdatedAt: now}
	if appt.Lang == "" {
		appt.Lang = s.lang
	}
	if staff {
		appt.Source, appt.BookedBy, appt.ConfirmedAt = SourcePhone, &a.ID, &now
	} else if t.MustConfirm {
		hold := now.Add(time.Duration(t.HoldMinutes) * time.Minute)
		if hold.After(start) {
			hold = start
		}
		appt.Status, appt.HoldUntil = StatusPending, &hold
	} else {
		appt.ConfirmedAt = &now
	}
	err = s.db.Group(ctx, func(tx *gorm.DB) error {
		if !staff {
			if err := s.checkPerEmail(tx, t, appt.Email); err != nil {
				return err
			}
		}
		if err := s.insertAtFreeDesk(tx, &appt, free); err != nil {
			return err
		}
		by := a
		if !staff {
			by = citizen(a, &appt)
		}
		if err := audit.Record(tx, by, "appointment.create", entity, appt.ID, nil, map[string]any{
			"code": appt.Code, "case_type": t.ID, "office": appt.OfficeID, "desk": *appt.DeskID,
			"start": start, "status": appt.Status, "source": appt.Source}); err != nil {
			return err
		}
		// A reason is free text about a person: it goes on the timeline,
		// whose comments the erasure blanks, not into the audit row.
		if in.Reason != "" {
			if err := history.Note(tx, by, history.Entry{Entity: entity, EntityID: appt.ID, Action: "book", Comment: in.Reason, At: now}); err != nil {
				return err
			}
		}
		return s.tellBooked(tx, &appt)
	})
	if err != nil {
		if errors.Is(err, ErrTaken) {
			// The busy times said free and the database said taken (another
			// process booked it): those waiting on this claim read afresh.
			s.busyChanged()
		}
		return nil, err
	}
	s.busyChanged()
	return &appt, nil
}

// claimSlot is checkSlot's free desks at start with the first of them this
// process is not already booking in front (claimed until release), waiting
// while every free desk is being booked: when those bookings commit, the
// time is taken and the answer comes without a trip to the database.
func (s *Service) claimSlot(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, start time.Time) ([]uint, func(), error) {
	deadline := time.NewTimer(claimWait)
	defer deadline.Stop()
	for {
		free, err := s.checkSlot(ctx, a, t, officeID, start)
		if err != nil {
			return nil, nil, err
		}
		desk, release, busy := s.claims.take(free, start)
		if release != nil {
			return append([]uint{desk}, slices.DeleteFunc(free, func(d uint) bool { return d == desk })...), release, nil
		}
		select {
		case <-busy:
		case <-deadline.C:
			return free, func() {}, nil // the database decides
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// citizen is the actor of a change a citizen makes through their link: the
// audit log names the appointment's code, not the person, whose data is
// erased later.
func citizen(a actor.Actor, appt *Appointment) actor.Actor {
	return actor.Actor{Name: appt.Code, IP: a.IP, Channel: actor.ChannelApp}
}

// checkPerEmail refuses a booking past the case type's limit of active
// future appointments for one email address.
func (s *Service) checkPerEmail(tx *gorm.DB, t *CaseType, email string) error {
	if s.db.Dialect == db.Postgres {
		h := fnv.New32a()
		h.Write([]byte(email))
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", emailLockKey, int32(h.Sum32())).Error; err != nil {
			return err
		}
	}
	var n int64
	err := tx.Model(&Appointment{}).Where("email = ? AND case_type_id = ? AND status IN ? AND start_at > ?",
		email, t.ID, []string{StatusPending, StatusBooked}, s.now()).Count(&n).Error
	if err != nil {
		return err
	}
	if n >= int64(t.MaxPerEmail) {
		return ErrTooMany
	}
	return nil
}

// insertAtFreeDesk inserts appt at the first of desks the database accepts,
// each try in a savepoint: on PostgreSQL a refused INSERT spoils the
// transaction otherwise. None left is ErrTaken.
func (s *Service) insertAtFreeDesk(tx *gorm.DB, appt *Appointment, desks []uint) error {
	day := calendar.DateOf(*appt.StartAt, s.tz)
	for i, desk := range desks {
		// A desk closed for the day since the free times were read (the
		// front desk's CloseDesk) is passed over.
		var closed int64
		if err := tx.Model(&DeskException{}).Where(`desk_id = ? AND kind = ? AND "from" <= ? AND "to" >= ?`,
			desk, ExceptionClosed, day, day).Count(&closed).Error; err != nil {
			return err
		}
		if closed > 0 {
			continue
		}
		sp := fmt.Sprintf("appt_desk_%d", i)
		if err := tx.SavePoint(sp).Error; err != nil {
			return err
		}
		appt.ID, appt.DeskID = 0, &desk
		err := quiet(tx).Create(appt).Error
		if err == nil {
			return nil
		}
		if rerr := tx.RollbackTo(sp).Error; rerr != nil {
			return rerr
		}
		switch {
		case db.IsConstraint(err, "appt_overlap"):
			continue
		case db.IsDuplicate(err): // the code, once in hundreds of millions
			appt.Code = newCode()
			if err := tx.Create(appt).Error; err == nil {
				return nil
			}
			return ErrBusy
		case db.IsLockTimeout(err):
			return ErrBusy
		}
		return err
	}
	appt.DeskID = nil
	return ErrTaken
}

// quiet is tx without the query log: a refused overlap is an expected
// answer in a rush, not an error to log hundreds of times.
func quiet(tx *gorm.DB) *gorm.DB {
	return tx.Session(&gorm.Session{Logger: tx.Logger.LogMode(logger.Silent)})
}

// Find is the appointment ref names: the citizen's by their link (an erased
// or unknown link is ErrNotFound), any by id for the front desk.
func (s *Service) Find(ctx context.Context, a actor.Actor, ref Ref) (*Appointment, error) {
	return s.find(s.db.R.WithContext(ctx), a, ref)
}

func (s *Service) find(q *gorm.DB, a actor.Actor, ref Ref) (*Appointment, error) {
	var appt Appointment
	var res *gorm.DB
	switch {
	case ref.Token != "":
		if len(ref.Token) > 100 {
			return nil, ErrNotFound
		}
		res = q.Where("manage_hash = ? AND link_salt <> ''", linktoken.Hash(ref.Token)).Limit(1).Find(&appt)
	case ref.ID != 0:
		if !isStaff(a) {
			return nil, ErrForbidden
		}
		res = q.Where("id = ?", ref.ID).Limit(1).Find(&appt)
	default:
		return nil, ErrNotFound
	}
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &appt, nil
}

// actorFor is who a change through ref is: the staff member, or the citizen.
func actorFor(a actor.Actor, ref Ref, appt *Appointment) actor.Actor {
	if ref.Token != "" && !isStaff(a) {
		return citizen(a, appt)
	}
	return a
}

// changeable checks that appt may still be cancelled or moved by whoever
// ref says: pending or booked; a citizen only before it begins.
func (s *Service) changeable(appt *Appointment, staffRef bool) error {
	if appt.Status != StatusPending && appt.Status != StatusBooked {
		return ErrNotActive
	}
	if !staffRef && appt.StartAt != nil && !appt.StartAt.After(s.now()) {
		return ErrStarted
	}
	return nil
}

// blockUntil is until when appt's time stays blocked once given up (a
// cancel or a move, by the citizen or the front desk alike): BlockMinutes
// from now for a time still to come, nil when there is nothing to block.
func blockUntil(t *CaseType, appt *Appointment, now time.Time) *time.Time {
	if t.BlockMinutes <= 0 || appt.StartAt == nil || appt.EndAt == nil || appt.DeskID == nil || !appt.StartAt.After(now) {
		return nil
	}
	block := now.UTC().Add(time.Duration(t.BlockMinutes) * time.Minute)
	return &block
}

// Cancel cancels a pending or booked appointment and tells the citizen. The
// front desk gives a reason. The slot stays blocked for the case type's
// BlockMinutes, so it cannot be handed to someone waiting for it.
func (s *Service) Cancel(ctx context.Context, a actor.Actor, ref Ref, reason string) (*Appointment, error) {
	staffRef := ref.Token == "" || isStaff(a)
	reason = strings.TrimSpace(reason)
	if ref.Token == "" && reason == "" {
		return nil, ErrReason
	}
	if !web.ValidText(reason, maxReason) {
		return nil, ErrNoteTooLong
	}
	var out *Appointment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		appt, err := s.find(tx, a, ref)
		if err != nil {
			return err
		}
		if err := s.changeable(appt, staffRef); err != nil {
			return err
		}
		var t CaseType
		if err := tx.Where("id = ?", appt.CaseTypeID).Limit(1).Find(&t).Error; err != nil {
			return err
		}
		now := s.now()
		set := map[string]any{"cancelled_at": now, "cancel_reason": reason, "hold_until": nil}
		if block := blockUntil(&t, appt, now); block != nil {
			set["blocked_until"] = *block
			appt.BlockedUntil = block
		}
		if err := history.Move(tx, actorFor(a, ref, appt), history.Transition{Entity: entity, Model: &Appointment{}, ID: appt.ID,
			From: []string{StatusPending, StatusBooked}, To: StatusCancelled, Set: set,
			Audit: "appointment.cancel", Action: "cancel", Comment: reason, At: now}); err != nil {
			if errors.Is(err, history.ErrStateChanged) {
				return ErrNotActive
			}
			return err
		}
		appt.Status, appt.CancelledAt, appt.CancelReason = StatusCancelled, &now, reason
		out = appt
		return s.tellCancelled(tx, appt)
	})
	s.busyChanged()
	return out, err
}

// Move moves a pending or booked appointment to another free time of its
// case type at its office (the desk may change). The old time is kept until
// the new one is won: one UPDATE releases the one and takes the other, so a
// move that finds the new time taken changes nothing. The old time then
// stays blocked as a cancelled one does (blockUntil, a Block row). The
// citizen keeps their code and link and is told.
func (s *Service) Move(ctx context.Context, a actor.Actor, ref Ref, start time.Time, reason string) (*Appointment, error) {
	staffRef := ref.Token == "" || isStaff(a)
	reason = strings.TrimSpace(reason)
	if !web.ValidText(reason, maxReason) {
		return nil, ErrNoteTooLong
	}
	appt, err := s.Find(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	if err := s.changeable(appt, staffRef); err != nil {
		return nil, err
	}
	var t CaseType
	if err := s.db.R.WithContext(ctx).Where("id = ?", appt.CaseTypeID).Limit(1).Find(&t).Error; err != nil {
		return nil, err
	}
	start = start.UTC().Truncate(time.Second)
	if appt.StartAt != nil && start.Equal(*appt.StartAt) {
		return appt, nil
	}
	free, err := s.checkSlot(ctx, a, &t, appt.OfficeID, start)
	if err != nil {
		return nil, err
	}
	end := start.Add(time.Duration(t.Minutes) * time.Minute)
	was := *appt // the time and desk given up
	old := *appt.StartAt
	by := actorFor(a, ref, appt)
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		for i, desk := range free {
			sp := fmt.Sprintf("appt_move_%d", i)
			if err := tx.SavePoint(sp).Error; err != nil {
				return err
			}
			res := quiet(tx).Model(&Appointment{}).Where("id = ? AND status IN ? AND start_at = ?", appt.ID,
				[]string{StatusPending, StatusBooked}, old).
				Updates(map[string]any{"desk_id": desk, "start_at": start, "end_at": end, "moves": gorm.Expr("moves + 1"),
					"moved_at": now, "reminded_at": nil, "updated_at": now})
			if res.Error != nil {
				if rerr := tx.RollbackTo(sp).Error; rerr != nil {
					return rerr
				}
				if db.IsConstraint(res.Error, "appt_overlap") {
					continue
				}
				if db.IsLockTimeout(res.Error) {
					return ErrBusy
				}
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrNotActive // cancelled or moved meanwhile
			}
			appt.DeskID, appt.StartAt, appt.EndAt, appt.MovedAt, appt.RemindedAt = &desk, &start, &end, &now, nil
			appt.Moves++
			if until := blockUntil(&t, &was, now); until != nil {
				if err := tx.Create(&Block{OfficeID: was.OfficeID, DeskID: *was.DeskID, StartAt: old.UTC(), EndAt: was.EndAt.UTC(), Until: *until}).Error; err != nil {
					return err
				}
			}
			if err := audit.Record(tx, by, "appointment.move", entity, appt.ID,
				map[string]any{"start": old}, map[string]any{"start": start, "desk": desk}); err != nil {
				return err
			}
			if err := history.Note(tx, by, history.Entry{Entity: entity, EntityID: appt.ID, Action: "move", Comment: reason, At: now}); err != nil {
				return err
			}
			return s.tellMoved(tx, appt, old)
		}
		return ErrTaken
	})
	s.busyChanged()
	if err != nil {
		return nil, err
	}
	return appt, nil
}

// Confirm confirms a pending appointment through the citizen's link while
// its hold lasts. Confirming one already booked changes nothing.
func (s *Service) Confirm(ctx context.Context, a actor.Actor, ref Ref) (*Appointment, error) {
	var out *Appointment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		appt, err := s.find(tx, a, ref)
		if err != nil {
			return err
		}
		if appt.Status == StatusBooked {
			out = appt
			return nil
		}
		now := s.now()
		if appt.Status != StatusPending || appt.HoldUntil == nil || !appt.HoldUntil.After(now) {
			return ErrNotActive
		}
		if err := history.Move(tx, actorFor(a, ref, appt), history.Transition{Entity: entity, Model: &Appointment{}, ID: appt.ID,
			From: []string{StatusPending}, To: StatusBooked, Guard: []any{"hold_until > ?", now},
			Set:   map[string]any{"confirmed_at": now, "hold_until": nil},
			Audit: "appointment.confirm", Action: "confirm", At: now}); err != nil {
			if errors.Is(err, history.ErrStateChanged) {
				return ErrNotActive
			}
			return err
		}
		appt.Status, appt.ConfirmedAt, appt.HoldUntil = StatusBooked, &now, nil
		out = appt
		return s.tellConfirmed(tx, appt)
	})
	return out, err
}

// Rate records the citizen's rating (1–5, an optional comment) of a served
// appointment, once.
func (s *Service) Rate(ctx context.Context, a actor.Actor, ref Ref, score int, note string) (*Appointment, error) {
	if score < 1 || score > 5 {
		return nil, ErrRating
	}
	note = strings.TrimSpace(note)
	if !web.ValidText(note, maxNote) {
		return nil, ErrNoteTooLong
	}
	var out *Appointment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		appt, err := s.find(tx, a, ref)
		if err != nil {
			return err
		}
		switch {
		case appt.RatedAt != nil:
			return ErrRated
		case appt.Status != StatusServed:
			return ErrNotServed
		}
		now := s.now()
		res := tx.Model(&Appointment{}).Where("id = ? AND rated_at IS NULL", appt.ID).
			Updates(map[string]any{"rating": score, "rating_note": note, "rated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrRated
		}
		appt.Rating, appt.RatingNote, appt.RatedAt = score, note, &now
		out = appt
		return audit.Record(tx, actorFor(a, ref, appt), "appointment.rate", entity, appt.ID, nil, map[string]any{"rating": score})
	})
	return out, err
}

// View is an appointment with what its pages and mails show about it.
type View struct {
	*Appointment
	Type   CaseType
	Office Office
	Desk   Desk // empty for a walk-in still waiting
}

// Describe loads what appt's pages show: its case type, office and desk,
// as they are now (a case type made inactive since still shows).
func (s *Service) Describe(ctx context.Context, appt *Appointment) (*View, error) {
	return s.describe(s.db.R.WithContext(ctx), appt)
}

func (s *Service) describe(q *gorm.DB, appt *Appointment) (*View, error) {
	v := &View{Appointment: appt}
	if err := q.Where("id = ?", appt.CaseTypeID).Limit(1).Find(&v.Type).Error; err != nil {
		return nil, err
	}
	if err := q.Where("id = ?", appt.OfficeID).Limit(1).Find(&v.Office).Error; err != nil {
		return nil, err
	}
	if appt.DeskID != nil {
		if err := q.Where("id = ?", *appt.DeskID).Limit(1).Find(&v.Desk).Error; err != nil {
			return nil, err
		}
	}
	return v, nil
}
