package people

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/web"
)

// PasswordLinkTTL is how long a set-password link works after it is sent.
const PasswordLinkTTL = 72 * time.Hour

// PasswordLink is a mailed link with which one person chooses their own
// password. Only the hash of its random token is stored, so a copy of the
// database opens no account; it works once, until ExpiresAt, and a newer
// link, a password set another way or a deactivation voids it.
type PasswordLink struct {
	ID uint `gorm:"primaryKey"`
	linktoken.Fields
	PersonID  uint `gorm:"not null;index"`
	VoidedAt  *time.Time
	CreatedAt time.Time
}

func (PasswordLink) TableName() string { return "people_password_links" }

// What a set-password link finds when it is opened.
const (
	LinkValid   = linktoken.Valid   // the form may be shown and sent
	LinkUnknown = linktoken.Unknown // no such link (mistyped, or not Kapu's)
	LinkExpired = linktoken.Expired // older than PasswordLinkTTL
	LinkUsed    = linktoken.Used    // the password was set with it
	LinkVoid    = "void"            // replaced by a newer link, a password set another way, or a deactivation
)

// ErrLinkNotValid means a set-password link can set nothing; the view says why.
var ErrLinkNotValid = errs.New(errs.NotFound, "people: set-password link cannot be used")

// ErrNoMail means the service was given no outbox, so it cannot mail links.
var ErrNoMail = errors.New("people: no outbox to mail set-password links")

// PasswordLinkView is what the page behind a set-password link shows.
type PasswordLinkView struct {
	State     string
	Person    *Person // nil for an unknown link
	ExpiresAt time.Time
}

// PasswordLinkPath is where a set-password link points, below the base URL.
const PasswordLinkPath = "/password/set/"

// PasswordLinkMail is the data of the set-password email (views/emails/password_link.tmpl).
type PasswordLinkMail struct {
	Name  string
	URL   string // absolute
	Hours int    // how long the link works
	New   bool   // the person has no password yet
}

// SendPasswordLink mails person id a new set-password link and voids their
// older ones: how HR and administrators help someone in, since nobody
// chooses another person's password. mayChange decides who may.
func (s *Service) SendPasswordLink(ctx context.Context, a actor.Actor, id uint) (*Person, error) {
	if !canManagePeople(a) {
		return nil, ErrForbidden
	}
	if !s.MailsLinks() {
		return nil, ErrNoMail
	}
	var p Person
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Preload("Roles").First(&p, id).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		if err := mayChange(a, &p, p.standing(), true); err != nil {
			return err
		}
		return s.issueLink(tx, a, &p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// MaySendLink reports whether actor a may send p a set-password link now, or
// the translation key of the reason why not, so the page offers only what works.
func (s *Service) MaySendLink(a actor.Actor, p *Person) (bool, string) {
	if !s.MailsLinks() {
		return false, "people.password_link.no_mail"
	}
	var fe *FieldError
	if err := mayChange(a, p, p.standing(), true); errors.As(err, &fe) {
		return false, fe.Key
	} else if err != nil {
		return false, "error.forbidden"
	}
	return true, ""
}

// MayToggleActive reports whether a may deactivate (or reactivate) p, so the
// person page offers only the buttons that would work.
func (s *Service) MayToggleActive(a actor.Actor, p *Person) bool {
	after := p.standing()
	after.Active = !after.Active
	return mayChange(a, p, after, false) == nil
}

// issueLink voids p's unused links, stores a new one and queues its mail in
// p's language, all in tx, and records who sent it.
func (s *Service) issueLink(tx *gorm.DB, a actor.Actor, p *Person) error {
	if !s.MailsLinks() {
		return ErrNoMail
	}
	if err := s.voidLinks(tx, p.ID); err != nil {
		return err
	}
	raw, fields := linktoken.New(s.now(), PasswordLinkTTL)
	link := PasswordLink{Fields: fields, PersonID: p.ID}
	if err := tx.Create(&link).Error; err != nil {
		return err
	}
	err := s.outbox.Enqueue(tx, notify.Message{
		Key:      "people/password-link/" + web.FormatID(link.ID),
		To:       p.Email,
		ToName:   p.Name,
		Lang:     p.Lang,
		Template: "password_link",
		Reason:   "people.password_link.mail_reason",
		Data: PasswordLinkMail{
			Name: p.Name, URL: s.baseURL + PasswordLinkPath + raw,
			Hours: int(PasswordLinkTTL / time.Hour), New: p.PasswordHash == "",
		},
	})
	if err != nil {
		return err
	}
	return audit.Record(tx, a, "people.person.password_link", "person", p.ID, nil,
		map[string]any{"link_id": link.ID, "to": p.Email, "expires_at": link.ExpiresAt})
}

// notVoided keeps the links that no newer link or deactivation ended.
func notVoided(q *gorm.DB) *gorm.DB { return q.Where("voided_at IS NULL") }

// voidLinks ends every unused set-password link of person id.
func (s *Service) voidLinks(tx *gorm.DB, id uint) error {
	return tx.Model(&PasswordLink{}).Where("person_id = ? AND used_at IS NULL AND voided_at IS NULL", id).
		Update("voided_at", s.now().UTC()).Error
}

// PasswordLink looks a set-password link up without changing anything: GET
// and HEAD use it, so mail scanners that fetch every address in a mail use no link.
func (s *Service) PasswordLink(ctx context.Context, raw string) (*PasswordLinkView, error) {
	v, _, err := s.linkView(s.db.R.WithContext(ctx), raw)
	return v, err
}

func (s *Service) linkView(q *gorm.DB, raw string) (*PasswordLinkView, *PasswordLink, error) {
	var l PasswordLink
	if found, err := linktoken.Find(q, &l, raw); err != nil || !found {
		if err != nil {
			return nil, nil, err
		}
		return &PasswordLinkView{State: LinkUnknown}, nil, nil
	}
	var p Person
	if err := q.Preload("Roles").First(&p, l.PersonID).Error; err != nil {
		return nil, nil, err
	}
	v := &PasswordLinkView{Person: &p, ExpiresAt: l.ExpiresAt}
	switch state := l.State(s.now()); {
	case state == linktoken.Used:
		v.State = LinkUsed
	case l.VoidedAt != nil || !p.Active:
		v.State = LinkVoid
	default:
		v.State = state
	}
	return v, &l, nil
}

// SetPasswordByLink sets the password of the person a valid link was mailed
// to, uses the link up and signs that person out everywhere; it signs nobody
// in (the page sends them to the sign-in form). A link that is not valid
// returns ErrLinkNotValid with the view saying why, and nothing changes; a
// password that breaks a rule returns the field error and leaves the link usable.
func (s *Service) SetPasswordByLink(ctx context.Context, raw, password, confirm, ip string) (*PasswordLinkView, error) {
	v, err := s.PasswordLink(ctx, raw)
	if err != nil {
		return nil, err
	}
	if v.State != LinkValid {
		return v, ErrLinkNotValid
	}
	if err := checkPassword("password", password); err != nil {
		return v, err
	}
	if password != confirm {
		return v, &FieldError{"confirm", "profile.error.confirm"}
	}
	h, err := s.hash(password)
	if err != nil {
		return v, err
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		nv, l, err := s.linkView(tx, raw)
		if err != nil {
			return err
		}
		v = nv
		if v.State != LinkValid {
			return ErrLinkNotValid
		}
		// Whoever marks the link used first sets the password; a second
		// press of the button finds it used.
		used, err := linktoken.Use(tx, &PasswordLink{}, l.ID, s.now(), notVoided)
		if err != nil {
			return err
		}
		if !used {
			v.State = LinkUsed
			return ErrLinkNotValid
		}
		p := v.Person
		a := actor.Actor{ID: p.ID, Name: p.Name, Roles: p.RoleNames(), IP: ip, Channel: actor.ChannelEmail}
		if err := audit.Record(tx, a, "people.person.password_link_used", "person", p.ID, nil, map[string]any{"link_id": l.ID}); err != nil {
			return err
		}
		return s.storePassword(tx, a, p.ID, h, "", "people.person.password", false)
	})
	if err != nil {
		return v, err
	}
	v.State = LinkUsed
	return v, nil
}
