package people

import (
	"context"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
)

// Password rules. bcrypt reads only the first 72 bytes of a password and
// refuses longer ones, so a longer password is refused with a message rather
// than cut short in silence (or failing as a server error).
const (
	MinPasswordLen   = 8  // characters
	MaxPasswordBytes = 72 // bytes: an accented letter takes two
)

// checkPassword is the one place that says whether a new password may be
// chosen; field is the form field that carries it.
func checkPassword(field, pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return &FieldError{field, "people.error.password_short"}
	case len(pw) > MaxPasswordBytes:
		return &FieldError{field, "people.error.password_long"}
	}
	return nil
}

// ChangePassword sets a new password for the acting person after checking the
// current one, and signs them out everywhere but in keepSession, the session
// they changed it from (someone who knew the old password is out then).
func (s *Service) ChangePassword(ctx context.Context, a actor.Actor, current, next, confirm, keepSession string) error {
	p, err := s.Person(ctx, a.ID)
	if err != nil {
		return err
	}
	if p.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(p.PasswordHash), []byte(current)) != nil {
		return &FieldError{"current", "profile.error.current"}
	}
	if err := checkPassword("new", next); err != nil {
		return err
	}
	if p.PasswordTemporary && next == current {
		return &FieldError{"new", "profile.error.same"}
	}
	if next != confirm {
		return &FieldError{"confirm", "profile.error.confirm"}
	}
	h, err := s.hash(next)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		return s.storePassword(tx, a, p.ID, h, keepSession, "people.person.password", false)
	})
}

// SetPassword replaces a password without asking for the old one: only for
// `kapu user passwd` on the server. Everyone else chooses their own password
// (ChangePassword, or a set-password link HR or an administrator sends).
// Every session of the person ends, and since someone else chose the
// password, the person is asked for their own at the next sign-in.
func (s *Service) SetPassword(ctx context.Context, a actor.Actor, id uint, password string) error {
	if a.Channel != actor.ChannelCLI {
		return ErrForbidden
	}
	if err := checkPassword("password", password); err != nil {
		return err
	}
	h, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		return s.storePassword(tx, a, id, h, "", "people.person.password", true)
	})
}

// storePassword saves a new password hash in tx, voids the person's unused
// set-password links, ends their sessions but keep, and records action.
// temporary says whether someone other than the person chose it.
func (s *Service) storePassword(tx *gorm.DB, a actor.Actor, id uint, hash, keep, action string, temporary bool) error {
	res := tx.Model(&Person{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "password_temporary": temporary})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	if err := s.voidLinks(tx, id); err != nil {
		return err
	}
	if err := s.endSessionsOf(tx, id, keep); err != nil {
		return err
	}
	return audit.Record(tx, a, action, "person", id, nil, nil)
}
