// Package people keeps the organisation: departments as a tree, staff with their
// managers, deputies and roles, passwords and language, and the CSV import.
package people

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
)

// Errors the handlers turn into pages or form messages.
var (
	ErrForbidden       = errs.New(errs.Forbidden, "people: not allowed")
	ErrNotFound        = errs.New(errs.NotFound, "people: not found")
	ErrBadCredentials  = errs.New(errs.Invalid, "people: wrong username or password")
	ErrDepartmentInUse = errs.New(errs.Conflict, "people: department still has people or sub-departments")
)

// FieldError is a rule broken by one form field; Key is the message's translation key.
type FieldError struct {
	Field string
	Key   string
}

func (e *FieldError) Error() string { return "people: " + e.Field + ": " + e.Key }

// FieldErrors is every rule a form breaks, so the person sees them all at once.
type FieldErrors []*FieldError

func (e FieldErrors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As find a single *FieldError in the list.
func (e FieldErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, fe := range e {
		out[i] = fe
	}
	return out
}

// Service holds the rules of the people module; handlers and other modules call it.
type Service struct {
	db   *db.DB
	cost int // bcrypt cost
	now  func() time.Time
	// dummyHash keeps a failed sign-in for an unknown name as slow as for a known one.
	dummyHash []byte

	// outbox mails set-password links, to absolute links under baseURL; nil
	// (a test that needs no mail) sends no links (see UseOutbox).
	outbox  *notify.Outbox
	baseURL string
	// endSessions signs a person out everywhere but one session; nil ends
	// nothing (see UseSessions).
	endSessions SessionEnder
}

// SessionEnder ends person personID's sessions except keepSessionID ("" ends
// all) inside tx, so they end exactly when the change commits.
// web.Storage.EndSessionsOf is the one Kapu uses.
type SessionEnder func(tx *gorm.DB, personID uint, keepSessionID string) (int64, error)

// NewService returns the people service; new password hashes take bcrypt
// cost (config's KAPU_PASSWORD_COST; 0 is bcrypt's default).
func NewService(d *db.DB, cost int) *Service {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	s := &Service{db: d, cost: cost, now: time.Now}
	s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such person"), cost)
	return s
}

// UseOutbox lets the service mail set-password links, whose addresses start with baseURL.
func (s *Service) UseOutbox(o *notify.Outbox, baseURL string) {
	s.outbox, s.baseURL = o, strings.TrimRight(baseURL, "/")
}

// UseSessions gives the service the way to sign people out: a new password
// or a deactivation ends the person's other sessions.
func (s *Service) UseSessions(f SessionEnder) { s.endSessions = f }

// MailsLinks reports whether the service can mail set-password links, so
// pages only offer what will happen.
func (s *Service) MailsLinks() bool { return s.outbox != nil }

// endSessionsOf signs person id out everywhere but keep, in tx.
func (s *Service) endSessionsOf(tx *gorm.DB, id uint, keep string) error {
	if s.endSessions == nil {
		return nil
	}
	_, err := s.endSessions(tx, id, keep)
	return err
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// PersonInput is a person as a form or an import row describes them.
type PersonInput struct {
	Username      string
	Name          string
	Email         string
	DepartmentID  *uint
	JobTitle      string
	ManagerID     *uint
	DeputyID      *uint
	Roles         []string
	Active        bool
	EmployedFrom  calendar.Date
	EmployedUntil calendar.Date
}

// normalise trims and lower-cases what is compared case-insensitively.
func (in *PersonInput) normalise() {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.JobTitle = strings.TrimSpace(in.JobTitle)
}

// Check returns every field rule that in breaks, without looking at the database.
func (in *PersonInput) Check() FieldErrors {
	in.normalise()
	var errs FieldErrors
	add := func(broken bool, field, key string) {
		if broken {
			errs = append(errs, &FieldError{field, key})
		}
	}
	add(!usernameRe.MatchString(in.Username), "username", "people.error.username")
	add(in.Name == "" || len(in.Name) > 200, "name", "people.error.name")
	add(!validEmail(in.Email), "email", "people.error.email")
	add(len(in.JobTitle) > 200, "job_title", "validation.too_long")
	add(!in.EmployedFrom.IsZero() && !in.EmployedUntil.IsZero() && in.EmployedUntil.Before(in.EmployedFrom), "employed_until", "people.error.employment")
	for _, r := range in.Roles {
		if !actor.IsRole(r) {
			add(true, "roles", "people.error.role")
			break
		}
	}
	return errs
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func canManagePeople(a actor.Actor) bool { return a.Has(actor.Admin, actor.HR) }

// standing is what decides who a person is to Kapu: how they sign in and
// what they may do. Only mayChange decides who may change it.
type standing struct {
	Username, Email string
	Roles           []string
	Active          bool
}

func (p *Person) standing() standing {
	return standing{p.Username, p.Email, p.RoleNames(), p.Active}
}

func (in *PersonInput) standing() standing {
	return standing{in.Username, in.Email, in.Roles, in.Active}
}

// mayChange is the one place that decides whether actor a may give person
// before (nil for a new person) the standing after, or (link) send them a
// set-password link. The person form, the deactivate button, the CSV
// import, the link button and the CLI all ask it, so a rule holds on every way in:
//   - only HR and administrators manage people at all;
//   - only administrators grant or take away the administrator role;
//   - HR leaves an administrator's roles, active state, username and email
//     alone and sends them no link (a changed address plus a link would be
//     their account);
//   - nobody deactivates themselves or takes away their own administrator role;
//   - links go only to active people, who can sign in with them.
func mayChange(a actor.Actor, before *Person, after standing, link bool) error {
	if !canManagePeople(a) {
		return ErrForbidden
	}
	wasAdmin := before != nil && containsRole(before.RoleNames(), actor.Admin)
	willAdmin := containsRole(after.Roles, actor.Admin)
	if !a.Has(actor.Admin) {
		if willAdmin != wasAdmin {
			return &FieldError{"roles", "people.error.admin_only"}
		}
		if wasAdmin {
			b := before.standing()
			switch {
			case link:
				return &FieldError{"", "people.error.admin_link"}
			case !sameRoles(b.Roles, after.Roles):
				return &FieldError{"roles", "people.error.admin_target"}
			case b.Active != after.Active:
				return &FieldError{"active", "people.error.admin_target"}
			case b.Username != after.Username:
				return &FieldError{"username", "people.error.admin_target"}
			case b.Email != after.Email:
				return &FieldError{"email", "people.error.admin_target"}
			}
		}
	}
	self := before != nil && a.ID == before.ID
	if self && wasAdmin && !willAdmin {
		return &FieldError{"roles", "people.error.own_admin"}
	}
	if self && !after.Active {
		return &FieldError{"active", "people.error.own_active"}
	}
	if link && before != nil && !before.Active {
		return &FieldError{"", "people.error.link_inactive"}
	}
	return nil
}

// sameRoles reports whether two role lists grant the same roles.
func sameRoles(a, b []string) bool {
	for _, r := range actor.Roles {
		if containsRole(a, r) != containsRole(b, r) {
			return false
		}
	}
	return true
}

// Person loads one person with their roles.
func (s *Service) Person(ctx context.Context, id uint) (*Person, error) {
	var p Person
	err := s.db.R.WithContext(ctx).Preload("Roles").First(&p, id).Error
	if db.IsNotFound(err) {
		return nil, ErrNotFound
	}
	return &p, err
}

// ByUsername loads one person by username (any case).
func (s *Service) ByUsername(ctx context.Context, username string) (*Person, error) {
	var p Person
	err := s.db.R.WithContext(ctx).Preload("Roles").
		Where("username = ?", strings.ToLower(strings.TrimSpace(username))).First(&p).Error
	if db.IsNotFound(err) {
		return nil, ErrNotFound
	}
	return &p, err
}

// CreatePerson adds a person under mayChange's rules. Nobody chooses another
// person's password: an active new person is mailed a set-password link
// (when the service mails, see MailsLinks).
func (s *Service) CreatePerson(ctx context.Context, a actor.Actor, in PersonInput) (*Person, error) {
	return s.createPerson(ctx, a, in, "")
}

// CreatePersonWithPassword adds a person who signs in with password at once:
// only for `kapu user create` on the server, which reads it from standard input.
func (s *Service) CreatePersonWithPassword(ctx context.Context, a actor.Actor, in PersonInput, password string) (*Person, error) {
	if a.Channel != actor.ChannelCLI {
		return nil, ErrForbidden
	}
	if err := checkPassword("password", password); err != nil {
		return nil, err
	}
	return s.createPerson(ctx, a, in, password)
}

func (s *Service) createPerson(ctx context.Context, a actor.Actor, in PersonInput, password string) (*Person, error) {
	if !canManagePeople(a) {
		return nil, ErrForbidden
	}
	if errs := in.Check(); errs != nil {
		return nil, errs
	}
	if err := mayChange(a, nil, in.standing(), false); err != nil {
		return nil, err
	}
	p := &Person{}
	if password != "" {
		h, err := s.hash(password)
		if err != nil {
			return nil, err
		}
		p.PasswordHash = h
		p.PasswordTemporary = true // `kapu user create`: the operator typed it
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.checkRefs(tx, 0, &in); err != nil {
			return err
		}
		s.apply(p, in)
		if err := checkUnique(tx, p); err != nil {
			return err
		}
		if err := tx.Create(p).Error; err != nil {
			return duplicateAsField(err)
		}
		if err := audit.Record(tx, a, "people.person.create", "person", p.ID, nil, p.auditView()); err != nil {
			return err
		}
		if password == "" && p.Active && s.MailsLinks() {
			return s.issueLink(tx, a, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdatePerson changes a person. The roles are replaced by in.Roles.
func (s *Service) UpdatePerson(ctx context.Context, a actor.Actor, id uint, in PersonInput) (*Person, error) {
	if !canManagePeople(a) {
		return nil, ErrForbidden
	}
	if errs := in.Check(); errs != nil {
		return nil, errs
	}
	var p Person
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Preload("Roles").First(&p, id).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		before := p.auditView()
		if err := mayChange(a, &p, in.standing(), false); err != nil {
			return err
		}
		if err := s.checkRefs(tx, p.ID, &in); err != nil {
			return err
		}
		s.apply(&p, in)
		if err := tx.Where("person_id = ?", p.ID).Delete(&PersonRole{}).Error; err != nil {
			return err
		}
		if err := checkUnique(tx, &p); err != nil {
			return err
		}
		if err := tx.Omit("Roles").Save(&p).Error; err != nil {
			return duplicateAsField(err)
		}
		if len(p.Roles) > 0 {
			if err := tx.Create(&p.Roles).Error; err != nil {
				return err
			}
		}
		if before.Active && !p.Active {
			if err := s.deactivated(tx, p.ID); err != nil {
				return err
			}
		}
		return audit.Record(tx, a, "people.person.update", "person", p.ID, before, p.auditView())
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// SetActive deactivates or reactivates a person. Nobody is deleted: their records stay.
func (s *Service) SetActive(ctx context.Context, a actor.Actor, id uint, active bool) error {
	if !canManagePeople(a) {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var p Person
		if err := tx.Preload("Roles").First(&p, id).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		after := p.standing()
		after.Active = active
		if err := mayChange(a, &p, after, false); err != nil {
			return err
		}
		if p.Active == active {
			return nil
		}
		before := p.auditView()
		p.Active = active
		if err := tx.Model(&p).Update("active", active).Error; err != nil {
			return err
		}
		if !active {
			if err := s.deactivated(tx, p.ID); err != nil {
				return err
			}
		}
		action := "people.person.deactivate"
		if active {
			action = "people.person.activate"
		}
		return audit.Record(tx, a, action, "person", p.ID, before, p.auditView())
	})
}

// deactivated ends what a deactivated person could still use: their
// sessions and their unused set-password links.
func (s *Service) deactivated(tx *gorm.DB, id uint) error {
	if err := s.voidLinks(tx, id); err != nil {
		return err
	}
	return s.endSessionsOf(tx, id, "")
}

// apply copies in onto p. It never touches the password: only the person
// (or `kapu user passwd`) chooses one.
func (s *Service) apply(p *Person, in PersonInput) {
	p.Username, p.Name, p.Email, p.JobTitle = in.Username, in.Name, in.Email, in.JobTitle
	p.DepartmentID, p.ManagerID, p.DeputyID, p.Active = in.DepartmentID, in.ManagerID, in.DeputyID, in.Active
	p.EmployedFrom, p.EmployedUntil = in.EmployedFrom, in.EmployedUntil
	p.Roles = p.Roles[:0]
	for _, r := range actor.Roles {
		if containsRole(in.Roles, r) {
			p.Roles = append(p.Roles, PersonRole{PersonID: p.ID, Role: r})
		}
	}
}

// checkRefs makes sure the department, manager and deputy exist and that nobody
// manages or deputises for themselves.
func (s *Service) checkRefs(tx *gorm.DB, selfID uint, in *PersonInput) error {
	if in.DepartmentID != nil && !exists(tx, &Department{}, *in.DepartmentID) {
		return &FieldError{"department_id", "people.error.department"}
	}
	for _, ref := range []struct {
		field string
		id    *uint
	}{{"manager_id", in.ManagerID}, {"deputy_id", in.DeputyID}} {
		if ref.id == nil {
			continue
		}
		if selfID != 0 && *ref.id == selfID {
			return &FieldError{ref.field, "people.error.self"}
		}
		if !exists(tx, &Person{}, *ref.id) {
			return &FieldError{ref.field, "people.error.person"}
		}
	}
	return nil
}

func exists(tx *gorm.DB, model any, id uint) bool {
	var n int64
	tx.Model(model).Where("id = ?", id).Count(&n)
	return n > 0
}

// checkUnique reports a username or email that another person already has.
// The unique indexes stay the final word; this gives the friendly message.
func checkUnique(tx *gorm.DB, p *Person) error {
	var errs FieldErrors
	for _, f := range []struct{ column, value, key string }{
		{"username", p.Username, "people.error.username_taken"},
		{"email", p.Email, "people.error.email_taken"},
	} {
		var n int64
		if err := tx.Model(&Person{}).Where(f.column+" = ? AND id <> ?", f.value, p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			errs = append(errs, &FieldError{f.column, f.key})
		}
	}
	if errs != nil {
		return errs
	}
	return nil
}

// duplicateAsField answers a unique-index violation that slipped past checkUnique
// (two people saved at the same moment) with the form message.
func duplicateAsField(err error) error {
	if db.IsDuplicate(err) {
		return &FieldError{"username", "people.error.username_taken"}
	}
	return err
}

func containsRole(list []string, r string) bool {
	for _, v := range list {
		if v == r {
			return true
		}
	}
	return false
}

func (s *Service) hash(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.cost)
	return string(h), err
}

// Authenticate checks a username and password of an active person.
func (s *Service) Authenticate(ctx context.Context, username, password string) (*Person, error) {
	p, err := s.ByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) || (err == nil && (!p.Active || p.PasswordHash == "")) {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(p.PasswordHash), []byte(password)) != nil {
		return nil, ErrBadCredentials
	}
	now := time.Now().UTC()
	if err := s.db.W.WithContext(ctx).Model(p).Update("last_login_at", now).Error; err != nil {
		return nil, err
	}
	p.LastLoginAt = &now
	return p, nil
}

// SetLanguage stores the acting person's language ("" follows the default).
func (s *Service) SetLanguage(ctx context.Context, a actor.Actor, lang string) error {
	if lang != "" && lang != "hu" && lang != "en" {
		return &FieldError{"lang", "profile.error.lang"}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Person{}).Where("id = ?", a.ID).Update("lang", lang).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "people.person.language", "person", a.ID, nil, map[string]string{"lang": lang})
	})
}

// FeedSig signs person id's calendar feed link of one module ("leave",
// "booking") with their current feed key (ical.FeedSig), or ErrNotFound.
func (s *Service) FeedSig(ctx context.Context, secret []byte, feed string, id uint) (string, error) {
	key, err := s.feedKey(ctx, id)
	if err != nil {
		return "", err
	}
	return ical.FeedSig(secret, feed, id, key), nil
}

// FeedSigOK reports whether sig signs person id's feed link with their
// current key: not for someone who does not exist, nor for a link given out
// before the key was replaced.
func (s *Service) FeedSigOK(ctx context.Context, secret []byte, feed string, id uint, sig string) (bool, error) {
	key, err := s.feedKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return ical.FeedSigOK(secret, feed, id, key, sig), nil
}

// feedKey is person id's calendar feed key (see Person.FeedKey).
func (s *Service) feedKey(ctx context.Context, id uint) (string, error) {
	var keys []string
	if err := s.db.R.WithContext(ctx).Model(&Person{}).Where("id = ?", id).Pluck("feed_key", &keys).Error; err != nil {
		return "", err
	}
	if len(keys) == 0 {
		return "", ErrNotFound
	}
	return keys[0], nil
}

// NewFeedKey gives the acting person a new random feed key: every calendar
// link they gave out before (bookings and leave alike) stops working, e.g.
// after one was shared by mistake, and their pages show the new links.
func (s *Service) NewFeedKey(ctx context.Context, a actor.Actor) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Person{}).Where("id = ?", a.ID).Update("feed_key", hex.EncodeToString(b)).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "people.person.feed_key", "person", a.ID, nil, nil)
	})
}

// SetDeputyUntil lets the acting person's deputy decide for them until the given
// day (a zero day ends it). It needs a deputy, and a day from today to a year ahead.
func (s *Service) SetDeputyUntil(ctx context.Context, a actor.Actor, until, today calendar.Date) error {
	p, err := s.Person(ctx, a.ID)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		switch {
		case p.DeputyID == nil:
			return &FieldError{"until", "profile.error.no_deputy"}
		case until.Before(today) || until.After(today.AddDays(366)):
			return &FieldError{"until", "profile.error.until"}
		}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Person{}).Where("id = ?", a.ID).Update("deputy_until", until).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "people.person.deputy", "person", a.ID,
			map[string]string{"deputy_until": p.DeputyUntil.String()}, map[string]string{"deputy_until": until.String()})
	})
}

// ManagerOf returns who manages p: the named manager, else the head of p's
// department (or of the nearest department above whose head is not p), else nil.
func (s *Service) ManagerOf(ctx context.Context, p *Person) (*Person, error) {
	if p.ManagerID != nil {
		return s.Person(ctx, *p.ManagerID)
	}
	deptID := p.DepartmentID
	for depth := 0; deptID != nil && depth < 32; depth++ {
		var d Department
		if err := s.db.R.WithContext(ctx).First(&d, *deptID).Error; err != nil {
			if db.IsNotFound(err) {
				return nil, nil
			}
			return nil, err
		}
		if d.HeadID != nil && *d.HeadID != p.ID {
			return s.Person(ctx, *d.HeadID)
		}
		deptID = d.ParentID
	}
	return nil, nil
}
