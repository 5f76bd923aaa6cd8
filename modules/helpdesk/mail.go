package helpdesk

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// What a mail tells its reader (the last part of its outbox key, and the
// catalog's helpdesk.mail.what.* headline).
const (
	mailReceipt  = "receipt"  // the reporter: we have your report
	mailNew      = "new"      // the queue's lead: a new ticket
	mailTaken    = "taken"    // the reporter: someone is on it
	mailAssigned = "assigned" // the assignee: it is yours now
	mailState    = "state"    // the reporter: the state changed
	mailResolved = "resolved" // the reporter: what was done
	mailReopened = "reopened" // the assignee: the reporter reopened it
	mailComment  = "comment"  // a comment the reader may see
	mailAnswer   = "answer"   // the assignee: the reporter answered
	mailWarning  = "warning"  // assignee and lead: 80 % of the SLA
	mailBreach   = "breach"   // assignee and lead: the SLA has passed
	mailRate     = "rate"     // the reporter: closed, how did we do?
)

// ticketMail is the data of the helpdesk_ticket and helpdesk_rate mails,
// written in the reader's language.
type ticketMail struct {
	Subject    string
	Number     string
	Title      string
	Headline   string
	Lines      []string
	Quote      string // a comment or the note given with the change
	QuoteBy    string
	URL        string // the ticket's page
	Ratings    []rateChoice
	CommentURL string // the rating page without a score chosen
}

// rateChoice is one of the rating mail's five one-click scores.
type rateChoice struct {
	Score int
	URL   string
}

// letter is one mail a change calls for: to whom, and what it tells.
type letter struct {
	to   uint
	what string
}

// notify queues the mails a change to t calls for, in its transaction.
// Nobody is mailed about their own action (the receipt excepted: it is the
// reporter's proof), internal comments mail nobody, and every mail's key
// names the change it is about, so a repeated call queues nothing twice.
func (s *Service) notify(tx *gorm.DB, a actor.Actor, t *Ticket, q *Queue, ch change) error {
	if s.outbox == nil || s.cat == nil {
		return nil
	}
	letters, ref, err := s.letters(tx, a, t, q, ch)
	if err != nil || len(letters) == 0 {
		return err
	}
	ids := make([]uint, 0, len(letters))
	for _, l := range letters {
		ids = append(ids, l.to)
	}
	rs, err := people.Recipients(tx, s.cfg.Lang, ids...)
	if err != nil {
		return err
	}
	byID := make(map[uint]people.Recipient, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
	}
	names, err := s.mailNames(tx, a, t, ch)
	if err != nil {
		return err
	}
	for _, l := range letters {
		r, ok := byID[l.to]
		if !ok || !r.Mailable() {
			continue
		}
		m := s.ticketLetter(r.Lang, t, q, ch, l.what, names)
		tpl := "helpdesk_ticket"
		if l.what == mailRate {
			raw, fresh, err := s.newRateLink(tx, t.ID)
			if err != nil {
				return err
			}
			if !fresh { // the rating mail went out with the link made then
				continue
			}
			s.rateChoices(&m, raw)
			tpl = "helpdesk_rate"
		}
		reason := "helpdesk.mail.reason_staff"
		if l.to == t.ReporterID {
			reason = "helpdesk.mail.reason_reporter"
		}
		err := s.outbox.Enqueue(tx, notify.Message{
			Key: fmt.Sprintf("helpdesk/%d/%s/%d/%s", t.ID, ch.Kind, ref, l.what), To: r.Email, ToName: r.Name,
			Lang: r.Lang, Template: tpl, Data: m, Reason: reason,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// letters decides who is told what about ch, and the number the mails'
// keys carry: the comment's id, or the status-log line the change wrote.
func (s *Service) letters(tx *gorm.DB, a actor.Actor, t *Ticket, q *Queue, ch change) ([]letter, uint, error) {
	var out []letter
	seen := map[uint]bool{}
	add := func(id uint, what string) {
		if id == 0 || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, letter{to: id, what: what})
	}
	other := func(id uint) bool { return id != 0 && id != a.ID }
	assignee := uint(0)
	if t.AssigneeID != nil {
		assignee = *t.AssigneeID
	}
	lead := uint(0)
	if q.LeadID != nil {
		lead = *q.LeadID
	}
	var ref uint
	switch ch.Kind {
	case ChangeReport:
		add(t.ReporterID, mailReceipt)
		if other(lead) {
			add(lead, mailNew)
		}
		return out, 0, nil
	case ChangeComment:
		if ch.Comment == nil || ch.Comment.Internal {
			return nil, 0, nil
		}
		ref = ch.Comment.ID
		if other(t.ReporterID) {
			add(t.ReporterID, mailComment)
		}
		if other(assignee) {
			if a.ID == t.ReporterID {
				add(assignee, mailAnswer)
			} else {
				add(assignee, mailComment)
			}
		}
		return out, ref, nil
	case ChangeAssign:
		if other(t.ReporterID) && ch.From != ch.To {
			add(t.ReporterID, mailTaken)
		}
		if other(ch.AssigneeID) {
			add(ch.AssigneeID, mailAssigned)
		}
	case ChangeState:
		if other(t.ReporterID) {
			switch {
			case ch.To == StateClosed && t.MergedIntoID == nil && t.ResolutionCode != ResolvedDuplicate:
				add(t.ReporterID, mailRate)
			case ch.To == StateResolved:
				add(t.ReporterID, mailResolved)
			default:
				add(t.ReporterID, mailState)
			}
		}
		if a.ID != 0 && a.ID == t.ReporterID && other(assignee) {
			add(assignee, mailReopened)
		}
	case ChangeWarning, ChangeBreach:
		what := mailWarning
		if ch.Kind == ChangeBreach {
			what = mailBreach
		}
		add(assignee, what)
		add(lead, what)
	default:
		return nil, 0, nil
	}
	if len(out) == 0 {
		return nil, 0, nil
	}
	err := tx.Model(&TicketEvent{}).Where("ticket_id = ?", t.ID).Select("COALESCE(MAX(id), 0)").Scan(&ref).Error
	return out, ref, err
}

// mailNames are the names the mails of one change mention: the actor, the
// reporter and the assignee.
func (s *Service) mailNames(tx *gorm.DB, a actor.Actor, t *Ticket, ch change) (map[uint]string, error) {
	ids := []uint{t.ReporterID}
	if a.ID != 0 {
		ids = append(ids, a.ID)
	}
	if t.AssigneeID != nil {
		ids = append(ids, *t.AssigneeID)
	}
	if ch.AssigneeID != 0 {
		ids = append(ids, ch.AssigneeID)
	}
	return people.NamesOf(tx, ids)
}

// ticketURL is the ticket's page as a link from a mail client.
func (s *Service) ticketURL(id uint) string {
	return fmt.Sprintf("%s/helpdesk/tickets/%d", strings.TrimRight(s.cfg.BaseURL, "/"), id)
}

// ticketLetter writes mail what about t in lang.
func (s *Service) ticketLetter(lang string, t *Ticket, q *Queue, ch change, what string, names map[uint]string) ticketMail {
	T := func(key string, args ...any) string { return s.cat.T(lang, key, args...) }
	state := func(st string) string { return T("helpdesk.state." + st) }
	m := ticketMail{Number: t.Number, Title: t.Title, URL: s.ticketURL(t.ID)}
	assignee := ""
	if t.AssigneeID != nil {
		assignee = names[*t.AssigneeID]
	}
	headArgs := []any{"Queue", q.Name(lang), "Name", assignee, "State", state(ch.To)}
	switch what {
	case mailReceipt:
		m.Lines = append(m.Lines, T("helpdesk.mail.receipt_text", "Number", t.Number, "Queue", q.Name(lang)))
		m.Quote = t.Description
	case mailNew:
		m.Lines = append(m.Lines,
			T("helpdesk.mail.line_reporter", "Name", names[t.ReporterID]),
			T("helpdesk.mail.line_priority", "Priority", t.Priority, "Impact", T("helpdesk.impact."+t.Impact)))
		if place := placeOf(t); place != "" {
			m.Lines = append(m.Lines, T("helpdesk.mail.line_place", "Place", place))
		}
		m.Quote = t.Description
	case mailTaken, mailAssigned:
		m.Lines = append(m.Lines, T("helpdesk.mail.line_state", "State", state(t.State)))
	case mailState:
		if ch.To == StateWaitingReporter {
			m.Lines = append(m.Lines, T("helpdesk.mail.waiting_reporter_text"))
		} else {
			m.Lines = append(m.Lines, T("helpdesk.mail.line_state", "State", state(ch.To)))
		}
		m.Quote = ch.Note
	case mailResolved:
		if t.ResolutionCode != "" {
			m.Lines = append(m.Lines, T("helpdesk.mail.line_resolution", "Code", T("helpdesk.mail.resolution."+t.ResolutionCode)))
		}
		m.Lines = append(m.Lines, T("helpdesk.mail.resolved_text"))
		m.Quote = ch.Note
	case mailReopened:
		m.Quote = ch.Note
	case mailComment, mailAnswer:
		if ch.Comment != nil {
			m.Quote, m.QuoteBy = ch.Comment.Body, names[ch.Comment.ByID]
		}
		if ch.To == StateInProgress {
			m.Lines = append(m.Lines, T("helpdesk.mail.line_state", "State", state(ch.To)))
		}
	case mailWarning, mailBreach:
		if t.DueAt != nil {
			m.Lines = append(m.Lines, T("helpdesk.mail.line_due", "Due", i18n.FormatDateTime(lang, *t.DueAt, s.tz)))
		}
		m.Lines = append(m.Lines, T("helpdesk.mail.line_priority", "Priority", t.Priority, "Impact", T("helpdesk.impact."+t.Impact)))
	case mailRate:
		m.Lines = append(m.Lines, T("helpdesk.mail.rate_text"))
	}
	key := "helpdesk.mail.what." + what
	if what == mailState {
		key += "." + ch.To
	}
	m.Headline = T(key, headArgs...)
	m.Subject = T("helpdesk.mail.subject", "Number", t.Number, "Headline", m.Headline, "Title", t.Title)
	return m
}

// placeOf is where a fault is, as one line ("Városháza, 2, 214").
func placeOf(t *Ticket) string {
	var parts []string
	for _, p := range []string{t.Building, t.Floor, t.Room} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
