package training

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// mailGeneric queues a plain notice to r in its language, keyed so the
// outbox sends it once; nobody without an address or active account is mailed.
func (s *Service) mailGeneric(tx *gorm.DB, key string, r *people.Recipient, reason, title string, lines []string, url, label string) error {
	if s.deps.Outbox == nil || !r.Mailable() {
		return nil
	}
	return s.deps.Outbox.Enqueue(tx, notify.Message{Key: key, To: r.Email, ToName: r.Name, Lang: r.Lang,
		Template: "generic", Reason: reason,
		Data: notify.Generic{Title: title, Lines: lines, ActionURL: url, ActionLabel: label}})
}

// clockOf writes minutes after midnight as "09:30".
func clockOf(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// whenText is a session's days and hours in lang, the year left out when it is year.
func (s *Service) whenText(lang string, first, last calendar.Date, fromMin, toMin, year int) string {
	tz := s.deps.Cfg.TZ
	days := i18n.FormatDateRangeIn(lang, first.Start(tz), last.Start(tz), year)
	return days + ", " + clockOf(fromMin) + "–" + clockOf(toMin)
}

// placeText is where a session is held: its Kapu room's name, else the place in words.
func placeText(p *sessionPlace, rooms map[uint]string) string {
	if p.RoomID != nil && rooms[*p.RoomID] != "" {
		return rooms[*p.RoomID]
	}
	return p.Place
}

// mailReminder tells r of a session a week (sentRemindWeek) or a day ahead.
func (s *Service) mailReminder(tx *gorm.DB, kind, key string, r *people.Recipient, p *sessionPlace, rooms map[uint]string, today calendar.Date) error {
	if r == nil {
		return nil
	}
	lang, title := r.Lang, p.title(r.Lang)
	when := s.whenText(lang, p.FirstDay, p.LastDay, p.FromMin, p.ToMin, today.Year)
	heading := s.t(lang, "training.mail.remind_week_title", "Title", title, "When", i18n.FormatDateRangeIn(lang, p.FirstDay.Start(s.deps.Cfg.TZ), p.FirstDay.Start(s.deps.Cfg.TZ), today.Year))
	if kind == sentRemindDay {
		heading = s.t(lang, "training.mail.remind_day_title", "Title", title)
	}
	lines := []string{s.t(lang, "training.mail.when", "When", when)}
	if place := placeText(p, rooms); place != "" {
		lines = append(lines, s.t(lang, "training.mail.where", "Place", place))
	}
	lines = append(lines, s.t(lang, "training.mail.remind_cancel"))
	return s.mailGeneric(tx, "training/"+kind+"/"+key, r, "training.mail.reason_enrolled", heading, lines,
		"/training", s.t(lang, "training.mail.open_mine"))
}

// expiring is a person's newest certificate of a training code that runs out soon.
type expiring struct {
	CompletionID uint
	PersonID     uint
	ValidUntil   calendar.Date
	TitleHU      string
	TitleEN      string
}

// mailExpiry warns the holder (manager nil) or their manager of a
// certificate running out on e.ValidUntil.
func (s *Service) mailExpiry(tx *gorm.DB, kind string, e *expiring, holder, manager *people.Recipient) error {
	r := holder
	if manager != nil {
		r = manager
	}
	if r == nil {
		return nil
	}
	lang := r.Lang
	title := (&Training{TitleHU: e.TitleHU, TitleEN: e.TitleEN}).Title(lang)
	date := i18n.FormatDate(lang, e.ValidUntil.Year, e.ValidUntil.Month, e.ValidUntil.Day)
	key := fmt.Sprintf("training/%s/%d", kind, e.CompletionID)
	if manager == nil {
		return s.mailGeneric(tx, key, r, "training.mail.reason_certificate",
			s.t(lang, "training.mail.expiry_title", "Title", title, "Date", date),
			[]string{s.t(lang, "training.mail.expiry_text", "Title", title, "Date", date)},
			"/training", s.t(lang, "training.mail.open_mine"))
	}
	return s.mailGeneric(tx, key+"/manager", r, "training.mail.reason_manager",
		s.t(lang, "training.mail.expiry_manager_title", "Name", holder.Name, "Title", title, "Date", date),
		[]string{s.t(lang, "training.mail.expiry_manager_text", "Name", holder.Name, "Title", title, "Date", date)},
		"", "")
}

// planNamesShown caps the names a plan reminder lists; the rest are counted.
const planNamesShown = 30

// mailPlanReminder asks manager to agree the year's plans with the people named.
func (s *Service) mailPlanReminder(tx *gorm.DB, year int, manager *people.Recipient, names []string) error {
	lang := manager.Lang
	lines := []string{s.t(lang, "training.mail.plan_text", "Count", len(names), "Year", year)}
	shown := names
	if len(shown) > planNamesShown {
		shown = shown[:planNamesShown]
	}
	lines = append(lines, strings.Join(shown, ", "))
	if rest := len(names) - len(shown); rest > 0 {
		lines = append(lines, s.t(lang, "training.mail.plan_more", "Count", rest))
	}
	lines = append(lines, s.t(lang, "training.mail.plan_hint"))
	return s.mailGeneric(tx, fmt.Sprintf("training/plan_reminder/%d", year), manager, "training.mail.reason_manager",
		s.t(lang, "training.mail.plan_title", "Year", year), lines, "", "")
}

// feedbackChoice is one of the feedback mail's one-click scores.
type feedbackChoice struct {
	Score int
	URL   string
}

// feedbackMail is the training_feedback template's data.
type feedbackMail struct {
	Title      string // the subject and heading
	Text       string
	Ratings    []feedbackChoice
	CommentURL string
}

// mailFeedback sends r the one-click rating of a session they took part in.
func (s *Service) mailFeedback(tx *gorm.DB, r *people.Recipient, p *sessionPlace, raw string, today calendar.Date) error {
	if s.deps.Outbox == nil || !r.Mailable() {
		return nil
	}
	lang, title := r.Lang, p.title(r.Lang)
	m := feedbackMail{Title: s.t(lang, "training.mail.feedback_title", "Title", title),
		Text:       s.t(lang, "training.mail.feedback_text", "Title", title, "When", s.whenText(lang, p.FirstDay, p.LastDay, p.FromMin, p.ToMin, today.Year)),
		CommentURL: s.FeedbackURL(raw, 0)}
	for score := 1; score <= 5; score++ {
		m.Ratings = append(m.Ratings, feedbackChoice{Score: score, URL: s.FeedbackURL(raw, score)})
	}
	return s.deps.Outbox.Enqueue(tx, notify.Message{Key: fmt.Sprintf("training/feedback/%d", p.EnrolmentID),
		To: r.Email, ToName: r.Name, Lang: lang, Template: "training_feedback", Reason: "training.mail.reason_feedback", Data: m})
}
