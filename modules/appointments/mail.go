package appointments

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/web"
)

// bookedMail names the composer of a booking's confirmation (see tellBooked).
const bookedMail = "appointments.booked"

// Composers write the booking confirmation when the outbox sends it: booking
// is the hot path of a slot rush, so its transaction stores only which
// appointment to confirm.
func (m *Module) Composers() map[string]notify.Composer {
	return map[string]notify.Composer{bookedMail: m.svc.composeBooked}
}

// apptMail is what the citizens' mails show, in the citizen's language.
type apptMail struct {
	Code, Type, Purpose, Fee string
	Office, Address, Phone   string
	Directions               string
	When                     string // "2026. 03. 05., csütörtök, 09:30–09:50"
	Before                   string // a move's old time
	Documents                []string
	Link                     string // the personal page
	ConfirmLink              string
	HoldUntil                string
	Confirmed                bool         // the confirmation of a pending booking
	BookURL                  string       // where to book again
	Reason                   string       // why the front desk cancelled
	Ratings                  []ratingLink // the thank-you mail's one-click scores
}

// mailData fills what every appointment mail shows of a, its case type t
// and office o (either may be nil for rows gone since), in lang.
func (s *Service) mailData(t *CaseType, o *Office, a *Appointment, lang string) apptMail {
	d := apptMail{Code: a.Code, When: s.when(lang, a), Link: s.LinkURL(a),
		BookURL: strings.TrimRight(s.BaseURL, "/") + "/appointments"}
	if t != nil {
		d.Type, d.Purpose, d.Fee, d.Documents = t.Name(lang), t.Purpose(lang), t.Fee(lang), t.Documents(lang)
	}
	if o != nil {
		d.Office, d.Address, d.Phone, d.Directions = o.Name, o.Address, o.Phone, o.DirectionsIn(lang)
	}
	return d
}

// tellBooked queues the booking's confirmation (or, when the citizen must
// confirm, the mail with the confirmation link), written moments later by
// composeBooked. A booking without an email address (the front desk's) gets none.
func (s *Service) tellBooked(tx *gorm.DB, a *Appointment) error {
	if s.outbox == nil || s.cat == nil || a.Email == "" {
		return nil
	}
	return s.outbox.Later(tx, nil, fmt.Sprintf("appointments/%d/booked", a.ID), bookedMail, web.FormatID(a.ID))
}

// composeBooked writes what tellBooked queued, from the appointment as it
// is then: nothing once it is cancelled, expired or erased; a pending one
// gets the confirmation link.
func (s *Service) composeBooked(ctx context.Context, ref string) (*notify.Message, error) {
	id, ok := web.ID(ref)
	if !ok {
		return nil, fmt.Errorf("appointment confirmation of %q: not an id", ref)
	}
	q := s.db.R.WithContext(ctx)
	var appt Appointment
	if err := q.Limit(1).Find(&appt, id).Error; err != nil || appt.ID == 0 {
		return nil, err
	}
	if (appt.Status != StatusBooked && appt.Status != StatusPending) || appt.Email == "" || appt.LinkSalt == "" {
		return nil, nil
	}
	tpl := "appointments_booked"
	if appt.Status == StatusPending {
		tpl = "appointments_confirm"
	}
	return s.mail(q, nil, &appt, tpl, fmt.Sprintf("appointments/%d/booked", appt.ID), true, nil)
}

// tellMoved tells the citizen their appointment's new time (before is the
// old one), with a new calendar file that replaces the old event. A move to
// another desk at the same time is not mailed: citizens never need desk
// numbers ahead, and "moved" with the same time would only alarm them.
func (s *Service) tellMoved(tx *gorm.DB, a *Appointment, before time.Time) error {
	if before.Equal(*a.StartAt) {
		return nil
	}
	key := fmt.Sprintf("appointments/%d/moved/%d/%d", a.ID, a.Moves, a.StartAt.Unix())
	return s.enqueue(tx, nil, a, "appointments_moved", key, true, func(m *apptMail) {
		was := *a
		end := before.Add(a.EndAt.Sub(*a.StartAt))
		was.StartAt, was.EndAt = &before, &end
		m.Before = s.when(s.langOf(a), &was)
	})
}

// tellCancelled tells the citizen the appointment is cancelled.
func (s *Service) tellCancelled(tx *gorm.DB, a *Appointment) error {
	return s.enqueue(tx, nil, a, "appointments_cancelled", fmt.Sprintf("appointments/%d/cancelled", a.ID), false, nil)
}

// tellConfirmed tells the citizen their confirmation arrived: the booking
// holds now.
func (s *Service) tellConfirmed(tx *gorm.DB, a *Appointment) error {
	return s.enqueue(tx, nil, a, "appointments_booked", fmt.Sprintf("appointments/%d/confirmed", a.ID), true,
		func(m *apptMail) { m.Confirmed = true })
}

// enqueue queues mail tpl about a to its citizen in tx: the one way every
// appointment mail is queued (the changes here, the jobs, the bulk cancel).
// f names the case types and offices (a job's batch reads them once); nil
// reads a's own. A booking without an email address or link gets none.
func (s *Service) enqueue(tx *gorm.DB, f *mailFacts, a *Appointment, tpl, key string, ics bool, edit func(*apptMail)) error {
	if s.outbox == nil || s.cat == nil || strings.TrimSpace(a.Email) == "" || a.LinkSalt == "" {
		return nil
	}
	m, err := s.mail(tx, f, a, tpl, key, ics, edit)
	if err != nil || m == nil {
		return err
	}
	return s.outbox.Enqueue(tx, *m)
}

// mail is the message tpl about a in the citizen's language, naming its
// case type and office from f (read through q when f is nil).
func (s *Service) mail(q *gorm.DB, f *mailFacts, a *Appointment, tpl, key string, ics bool, edit func(*apptMail)) (*notify.Message, error) {
	if f == nil {
		var err error
		if f, err = factsOf(q, a); err != nil {
			return nil, err
		}
	}
	lang := s.langOf(a)
	t, o := f.types[a.CaseTypeID], f.offices[a.OfficeID]
	d := s.mailData(t, o, a, lang)
	d.ConfirmLink = d.Link + "/confirm"
	if a.HoldUntil != nil {
		d.HoldUntil = i18n.FormatDateTime(lang, *a.HoldUntil, s.tz)
	}
	if edit != nil {
		edit(&d)
	}
	m := &notify.Message{Key: key, To: a.Email, ToName: a.Name, Lang: lang, Template: tpl, Data: d, Reason: "appt.mail.reason", Public: true}
	if ics && a.StartAt != nil {
		v := &View{Appointment: a}
		if t != nil {
			v.Type = *t
		}
		if o != nil {
			v.Office = *o
		}
		m.Attachments = []notify.Attachment{{Name: icsName(a), ContentType: ical.ContentType, Data: s.ICS(v, lang)}}
	}
	return m, nil
}

// mailFacts are the case types and offices mails name.
type mailFacts struct {
	types   map[uint]*CaseType
	offices map[uint]*Office
}

// facts reads every case type and office (a city hall has a few dozen),
// once for a batch of mails.
func facts(q *gorm.DB) (*mailFacts, error) {
	var ts []CaseType
	var os []Office
	if err := q.Find(&ts).Error; err != nil {
		return nil, err
	}
	if err := q.Find(&os).Error; err != nil {
		return nil, err
	}
	return newFacts(ts, os), nil
}

// factsOf reads the case type and office of one appointment's mail.
func factsOf(q *gorm.DB, a *Appointment) (*mailFacts, error) {
	var ts []CaseType
	var os []Office
	if err := q.Where("id = ?", a.CaseTypeID).Limit(1).Find(&ts).Error; err != nil {
		return nil, err
	}
	if err := q.Where("id = ?", a.OfficeID).Limit(1).Find(&os).Error; err != nil {
		return nil, err
	}
	return newFacts(ts, os), nil
}

func newFacts(ts []CaseType, os []Office) *mailFacts {
	f := &mailFacts{types: map[uint]*CaseType{}, offices: map[uint]*Office{}}
	for i := range ts {
		f.types[ts[i].ID] = &ts[i]
	}
	for i := range os {
		f.offices[os[i].ID] = &os[i]
	}
	return f
}

// langOf is the citizen's language, or the suite's.
func (s *Service) langOf(a *Appointment) string {
	if a.Lang == "hu" || a.Lang == "en" {
		return a.Lang
	}
	return s.lang
}

// when is the appointment's local day, weekday and times in lang.
func (s *Service) when(lang string, a *Appointment) string {
	if a.StartAt == nil {
		return ""
	}
	start := a.StartAt.In(s.tz)
	end := start
	if a.EndAt != nil {
		end = a.EndAt.In(s.tz)
	}
	d := calendar.DateOf(start, s.tz)
	day := i18n.FormatDate(lang, d.Year, d.Month, d.Day)
	if s.cat != nil {
		day += ", " + s.cat.T(lang, "weekday."+weekdayKeys[(int(d.Weekday())+6)%7])
	}
	return day + ", " + start.Format("15:04") + "–" + end.Format("15:04")
}

// icsType is the calendar file's media type.
const icsType = ical.ContentType

// icsName is the calendar file's name: the booking code, which opens nothing.
func icsName(a *Appointment) string {
	return "appointment-" + strings.ReplaceAll(a.Code, "-", "") + ".ics"
}

// ICS is the appointment as one calendar event (instants in UTC: the
// calendar app shows them in the citizen's local time), with the same UID
// whatever its time, so a moved appointment's file replaces the old one.
func (s *Service) ICS(v *View, lang string) []byte {
	tr := func(key string, args ...any) string {
		if s.cat == nil {
			return key
		}
		return s.cat.T(lang, key, args...)
	}
	var desc []string
	desc = append(desc, tr("appt.ics.code", "Code", v.Code))
	if docs := v.Type.Documents(lang); len(docs) > 0 {
		desc = append(desc, tr("appt.pub.documents")+":")
		for _, d := range docs {
			desc = append(desc, "- "+d)
		}
	}
	if link := s.LinkURL(v.Appointment); link != "" {
		desc = append(desc, tr("appt.ics.link", "Link", link))
	}
	ev := ical.Event{
		UID:         fmt.Sprintf("appointment-%d@%s", v.ID, ical.Host(s.BaseURL)),
		Summary:     v.Type.Name(lang) + " – " + v.Office.Name,
		Location:    strings.TrimSpace(v.Office.Name + ", " + v.Office.Address),
		Description: strings.Join(desc, "\n"),
		Status:      ical.StatusConfirmed,
	}
	if v.StartAt != nil {
		ev.Start = *v.StartAt
		ev.End = ev.Start.Add(20 * time.Minute)
		if v.EndAt != nil {
			ev.End = *v.EndAt
		}
	}
	switch v.Status {
	case StatusPending:
		ev.Status = ical.StatusTentative
	case StatusCancelled, StatusExpired:
		ev.Status = ical.StatusCancelled
	}
	cal := ical.Calendar{ProdID: "-//Kapu//Appointments//HU", Events: []ical.Event{ev}}
	return cal.Write(s.now())
}
