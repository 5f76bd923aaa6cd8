package appointments

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/cache"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Errors the handlers turn into form messages or statuses. Each has a
// message in the citizen's language (see form.go's fieldErrors).
var (
	ErrUnknownType   = errs.New(errs.NotFound, "appointments: unknown case type")
	ErrNotOnline     = errs.New(errs.Invalid, "appointments: this case type is not booked online")
	ErrUnknownOffice = errs.New(errs.NotFound, "appointments: no such office serves this case type")
	ErrTooSoon       = errs.New(errs.Invalid, "appointments: before the earliest bookable time")
	ErrTooLate       = errs.New(errs.Invalid, "appointments: beyond the booking horizon")
	ErrNotASlot      = errs.New(errs.Invalid, "appointments: not one of the offered times")
	ErrTaken         = errs.New(errs.Conflict, "appointments: the time was just taken")
	ErrTooMany       = errs.New(errs.Conflict, "appointments: this email address already holds the most appointments allowed")
	ErrName          = errs.New(errs.Invalid, "appointments: a name is needed")
	ErrEmail         = errs.New(errs.Invalid, "appointments: a valid email address is needed")
	ErrPhone         = errs.New(errs.Invalid, "appointments: not a phone number")
	ErrNoteTooLong   = errs.New(errs.Invalid, "appointments: the note is too long")
	ErrNotFound      = errs.New(errs.NotFound, "appointments: no such appointment")
	ErrForbidden     = errs.New(errs.Forbidden, "appointments: not allowed")
	ErrNotActive     = errs.New(errs.Conflict, "appointments: the appointment is no longer active")
	ErrStarted       = errs.New(errs.Conflict, "appointments: the appointment has begun or passed")
	ErrNotServed     = errs.New(errs.Conflict, "appointments: only a served appointment can be rated")
	ErrRated         = errs.New(errs.Conflict, "appointments: the appointment was rated already")
	ErrRating        = errs.New(errs.Invalid, "appointments: a rating is 1 to 5")
	ErrReason        = errs.New(errs.Invalid, "appointments: the front desk gives a reason")
	ErrBusy          = errs.New(errs.Conflict, "appointments: busy, try again")
	ErrConsent       = errs.New(errs.Invalid, "appointments: the data-processing notice was not accepted")
)

// Limits of what a citizen may type.
const (
	maxName  = 200
	maxEmail = 254
	maxPhone = 50
	maxNote  = 1000
)

// StaffRoles run the front desk and book on citizens' behalf; AdminRoles set
// up offices, desks and case types.
var (
	StaffRoles = []string{actor.Frontdesk, actor.Admin}
	AdminRoles = []string{actor.Admin}
)

// Service holds the appointment rules; it owns its transactions.
type Service struct {
	db     *db.DB
	cal    *calendar.Calendar
	people *people.Service
	outbox *notify.Outbox
	cat    *i18n.Catalog
	tz     *time.Location
	lang   string
	// BaseURL is the suite's public address; mailed links start with it.
	BaseURL string
	now     func() time.Time
	secret  []byte
	// setups and types are the setup every booking reads before its
	// write, kept in memory (see SetupChanged).
	setups *cache.Map[setupKey, *officeSetup]
	types  *cache.Map[uint, CaseType]
	// offices are the offices serving each case type.
	offices *cache.Map[uint, []Office]
	// busyCache is what the desks hold, for citizens' pages (see busyTTL).
	busyCache *cache.Map[busyKey, map[uint][]busySpan]
	// claims are the desk times this process is booking (see claims).
	claims claims
	// retention is how long personal data is kept after an appointment (see Erase).
	retention time.Duration
	// reminderHour is the local hour from which the working day before an
	// appointment its reminder goes out (KAPU_APPT_REMINDER_HOUR): late
	// enough that the day's bookings are in, early enough to read that day.
	reminderHour int
}

// NewService returns the appointments service; slots are local to d.Cfg.TZ.
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, cal: d.Calendar, people: d.People, outbox: d.Outbox, cat: d.Catalog,
		tz: d.Cfg.TZ, lang: d.Cfg.Lang, BaseURL: d.Cfg.BaseURL,
		now: func() time.Time { return time.Now().UTC() }, secret: []byte(d.Cfg.Secret),
		setups: cache.New[setupKey, *officeSetup](setupTTL), types: cache.New[uint, CaseType](setupTTL), offices: cache.New[uint, []Office](setupTTL),
		busyCache:    cache.New[busyKey, map[uint][]busySpan](busyTTL),
		retention:    time.Duration(d.Cfg.ApptRetentionDays) * 24 * time.Hour,
		reminderHour: d.Cfg.ApptReminderHour}
}

// SetClock makes the service read the time from now (tests, the demo); what
// it remembered of the desks' busy times was as of the old clock.
func (s *Service) SetClock(now func() time.Time) {
	s.now = now
	s.busyChanged()
}

// isStaff reports whether a acts for the front desk.
func isStaff(a actor.Actor) bool { return a.ID != 0 && a.Has(StaffRoles...) }

// CaseTypes are the active case types, in their order; online only the ones
// citizens may book themselves.
func (s *Service) CaseTypes(ctx context.Context, online bool) ([]CaseType, error) {
	q := s.db.R.WithContext(ctx).Where("active = ?", true)
	if online {
		q = q.Where("online = ?", true)
	}
	var out []CaseType
	return out, q.Order(`"order", id`).Find(&out).Error
}

// CaseType is an active case type; for a citizen (online) only one booked online.
func (s *Service) CaseType(ctx context.Context, id uint, online bool) (*CaseType, error) {
	t, err := s.types.Load(id, func() (CaseType, error) {
		var t CaseType
		res := s.db.R.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&t)
		if res.Error == nil && res.RowsAffected == 0 {
			return t, ErrUnknownType // not kept: ids in URLs are the client's choice
		}
		return t, res.Error
	})
	if err != nil {
		return nil, err
	}
	if t.ID == 0 || !t.Active {
		return nil, ErrUnknownType
	}
	if online && !t.Online {
		return nil, ErrNotOnline
	}
	return &t, nil
}

// OfficesFor are the active offices with an active desk serving case type
// typeID, from memory like the rest of the setup (see SetupChanged).
func (s *Service) OfficesFor(ctx context.Context, typeID uint) ([]Office, error) {
	return s.offices.Load(typeID, func() ([]Office, error) {
		var out []Office
		err := s.db.R.WithContext(ctx).Where(`active = ? AND id IN (SELECT d.office_id FROM appt_desks d
			JOIN appt_desk_case_types dc ON dc.desk_id = d.id WHERE d.active = ? AND dc.case_type_id = ?)`, true, true, typeID).
			Order("name, id").Find(&out).Error
		return out, err
	})
}

// Office is the active office id.
func (s *Service) Office(ctx context.Context, id uint) (*Office, error) {
	var o Office
	res := s.db.R.WithContext(ctx).Where("id = ? AND active = ?", id, true).Limit(1).Find(&o)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrUnknownOffice
	}
	return &o, nil
}

// newLink gives an appointment a fresh personal link: the salt to store, the
// token for the URL and its hash for the lookup. A new link (the front desk
// acted, the old one leaked) makes every earlier one stop working.
func (s *Service) newLink() (salt, token, hash string) {
	salt = web.RandomToken()[:22]
	token = s.linkToken(salt)
	return salt, token, linktoken.Hash(token)
}

// linkToken is the personal link's token for salt: 256 bits no one can
// guess without KAPU_SECRET, so the reminder and the thank-you mail can
// carry the link the citizen already has.
func (s *Service) linkToken(salt string) string {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("appointment-link:" + salt))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// LinkPath is the appointment's personal page, "" once its data is erased.
func (s *Service) LinkPath(a *Appointment) string {
	if a.LinkSalt == "" {
		return ""
	}
	return "/appointments/my/" + s.linkToken(a.LinkSalt)
}

// LinkURL is LinkPath with the suite's address, for mail.
func (s *Service) LinkURL(a *Appointment) string {
	if p := s.LinkPath(a); p != "" {
		return strings.TrimRight(s.BaseURL, "/") + p
	}
	return ""
}
