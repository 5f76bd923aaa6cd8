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
	"kapu/modules/platform/ical"
)

// Errors the handlers turn into pages or form messages.
var (
	ErrForbidden       = errors.New("people: not allowed")
	ErrNotFound        = errors.New("people: not found")
	ErrBadCredentials  = errors.New("people: wrong username or password")
	ErrDepartmentInUse = errors.New("people: department still has people or sub-departments")
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
}

// NewService returns the people service.
func NewService(d *db.DB) *Service { return &Service{db: d, cost: bcrypt.DefaultCost} }

// MinPasswordLen is the shortest password a person may choose.
const MinPasswordLen = 8

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
	Password      string // optional: sets the password when not empty
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
	add(in.Password != "" && len(in.Password) < MinPasswordLen, "password", "people.error.password_short")
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

// CreatePerson adds a person; only admins and HR may, and only admins grant admin.
func (s *Service) CreatePerson(ctx context.Context, a actor.Actor, in PersonInput) (*Person, error) {
	if !canManagePeople(a) {
		return nil, ErrForbidden
	}
	if errs := in.Check(); errs != nil {
		return nil, errs
	}
	if !a.Has(actor.Admin) && containsRole(in.Roles, actor.Admin) {
		return nil, &FieldError{"roles", "people.error.admin_only"}
	}
	p := &Person{}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.checkRefs(tx, 0, &in); err != nil {
			return err
		}
		if err := s.apply(p, in); err != nil {
			return err
		}
		if err := checkUnique(tx, p); err != nil {
			return err
		}
		if err := tx.Create(p).Error; err != nil {
			return duplicateAsField(err)
		}
		return audit.Record(tx, a, "people.person.create", "person", p.ID, nil, p.auditView())
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
		// Granting or taking away admin is for admins only; HR keeps it as it was.
		if !a.Has(actor.Admin) && containsRole(in.Roles, actor.Admin) != containsRole(before.Roles, actor.Admin) {
			return &FieldError{"roles", "people.error.admin_only"}
		}
		if a.ID == p.ID && containsRole(before.Roles, actor.Admin) && !containsRole(in.Roles, actor.Admin) {
			return &FieldError{"roles", "people.error.own_admin"}
		}
		if a.ID == p.ID && !in.Active {
			return &FieldError{"active", "people.error.own_active"}
		}
		if err := s.checkRefs(tx, p.ID, &in); err != nil {
			return err
		}
		if err := s.apply(&p, in); err != nil {
			return err
		}
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
	if a.ID == id && !active {
		return &FieldError{"active", "people.error.own_active"}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var p Person
		if err := tx.Preload("Roles").First(&p, id).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		if !a.Has(actor.Admin) && containsRole(p.RoleNames(), actor.Admin) {
			return ErrForbidden
		}
		if p.Active == active {
			return nil
		}
		before := p.auditView()
		p.Active = active
		if err := tx.Model(&p).Update("active", active).Error; err != nil {
			return err
		}
		action := "people.person.deactivate"
		if active {
			action = "people.person.activate"
		}
		return audit.Record(tx, a, action, "person", p.ID, before, p.auditView())
	})
}

// apply copies in onto p, hashing a new password when one is given.
func (s *Service) apply(p *Person, in PersonInput) error {
	p.Username, p.Name, p.Email, p.JobTitle = in.Username, in.Name, in.Email, in.JobTitle
	p.DepartmentID, p.ManagerID, p.DeputyID, p.Active = in.DepartmentID, in.ManagerID, in.DeputyID, in.Active
	p.EmployedFrom, p.EmployedUntil = in.EmployedFrom, in.EmployedUntil
	p.Roles = p.Roles[:0]
	for _, r := range actor.Roles {
		if containsRole(in.Roles, r) {
			p.Roles = append(p.Roles, PersonRole{PersonID: p.ID, Role: r})
		}
	}
	if in.Password != "" {
		h, err := s.hash(in.Password)
		if err != nil {
			return err
		}
		p.PasswordHash = h
	}
	return nil
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

// dummyHash keeps a failed login for an unknown name as slow as for a known one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such person"), bcrypt.DefaultCost)

// Authenticate checks a username and password of an active person.
func (s *Service) Authenticate(ctx context.Context, username, password string) (*Person, error) {
	p, err := s.ByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) || (err == nil && (!p.Active || p.PasswordHash == "")) {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
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

// ChangePassword sets a new password for the acting person after checking the current one.
func (s *Service) ChangePassword(ctx context.Context, a actor.Actor, current, next, confirm string) error {
	p, err := s.Person(ctx, a.ID)
	if err != nil {
		return err
	}
	if p.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(p.PasswordHash), []byte(current)) != nil {
		return &FieldError{"current", "profile.error.current"}
	}
	if len(next) < MinPasswordLen {
		return &FieldError{"new", "people.error.password_short"}
	}
	if next != confirm {
		return &FieldError{"confirm", "profile.error.confirm"}
	}
	return s.SetPassword(ctx, a, p.ID, next)
}

// SetPassword replaces a password without asking for the old one: for the
// person themself after ChangePassword's checks, an administrator, or the CLI.
func (s *Service) SetPassword(ctx context.Context, a actor.Actor, id uint, password string) error {
	if a.ID != id && a.Channel != actor.ChannelCLI && !a.Has(actor.Admin) {
		return ErrForbidden
	}
	if len(password) < MinPasswordLen {
		return &FieldError{"password", "people.error.password_short"}
	}
	h, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Person{}).Where("id = ?", id).Update("password_hash", h)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return audit.Record(tx, a, "people.person.password", "person", id, nil, nil)
	})
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
