package people

import (
	"gorm.io/gorm"

	"kapu/modules/platform/i18n"
)

// Recipient is a person as a mail addresses them. Lang is already the
// language to write in: the person's own choice, else the suite's.
type Recipient struct {
	ID     uint
	Name   string
	Email  string
	Lang   string
	Active bool
}

// Mailable reports whether a mail to r can go out: active, with an address.
func (r *Recipient) Mailable() bool { return r != nil && r.Active && r.Email != "" }

// recipientColumns are the people columns a Recipient is read from.
const recipientColumns = "people.id, people.name, people.email, people.lang, people.active"

// Recipients reads the people ids through q (inside a transaction, that
// transaction), in id order, active or not; ids with nobody behind them are
// left out. lang is the suite's language (KAPU_LANG), for people who never
// chose one.
func Recipients(q *gorm.DB, lang string, ids ...uint) ([]Recipient, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return scanRecipients(q.Table("people").Where("people.id IN ?", ids), lang)
}

// RecipientOf reads person id through q like Recipients; nil when there is no
// such person.
func RecipientOf(q *gorm.DB, lang string, id uint) (*Recipient, error) {
	rs, err := Recipients(q, lang, id)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// RecipientsWithRole reads, through q and in id order, every active person
// who holds role: the staff a unit's mail goes to.
func RecipientsWithRole(q *gorm.DB, lang, role string) ([]Recipient, error) {
	return scanRecipients(q.Table("people").
		Joins("JOIN person_roles pr ON pr.person_id = people.id AND pr.role = ?", role).
		Where("people.active = ?", true), lang)
}

func scanRecipients(q *gorm.DB, lang string) ([]Recipient, error) {
	var out []Recipient
	if err := q.Select(recipientColumns).Order("people.id ASC").Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Lang = MailLang(out[i].Lang, lang)
	}
	return out, nil
}

// MailLang is the language to write to a person in: their own, else the
// suite's lang, else Kapu's first language.
func MailLang(own, lang string) string {
	switch {
	case own != "":
		return own
	case lang != "":
		return lang
	}
	return i18n.Langs[0]
}

// NamesOf maps people's ids to their names, read through q (a caller's
// transaction or the read pool): one query for a whole list.
func NamesOf(q *gorm.DB, ids []uint) (map[uint]string, error) { return namesIn(q, "people", ids) }

// DepartmentNamesOf maps departments' ids to their names, as NamesOf does people's.
func DepartmentNamesOf(q *gorm.DB, ids []uint) (map[uint]string, error) {
	return namesIn(q, "departments", ids)
}

func namesIn(q *gorm.DB, table string, ids []uint) (map[uint]string, error) {
	var rows []struct {
		ID   uint
		Name string
	}
	if len(ids) > 0 {
		if err := q.Table(table).Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
	}
	out := make(map[uint]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
