package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// rateLinkTTL is how long a rating link works: a month is enough to find
// the mail again, and after that the answer says little about the work.
const rateLinkTTL = 30 * 24 * time.Hour

// maxRateComment is the rating comment's limit (Rating.Comment's column).
const maxRateComment = 2000

// What a rating link finds when it is opened, beyond linktoken's Valid,
// Unknown and Expired.
const (
	RateDone      = "rated"      // the ticket was rated (through this link or otherwise)
	RateNotClosed = "not_closed" // the ticket was reopened: it can be rated once closed again
)

// Errors of the rating.
var (
	ErrRateScore   = errs.New(errs.Invalid, "helpdesk: pick a score from 1 to 5")
	ErrRateComment = errs.New(errs.Invalid, "helpdesk: the rating's comment is too long or holds control characters")
	ErrRateLink    = errs.New(errs.Conflict, "helpdesk: the rating link cannot be used")
)

func init() {
	for e, k := range map[error]string{
		ErrRateScore: "helpdesk.rate.err.score", ErrRateComment: "helpdesk.rate.err.comment", ErrRateLink: "helpdesk.rate.err.link",
	} {
		messages[e] = k
	}
}

// RateLink is the secret link in a closed ticket's rating mail: the
// reporter rates without signing in (on a phone, from the mail). One per
// ticket, stored hashed, usable once.
type RateLink struct {
	ID       uint `gorm:"primaryKey"`
	TicketID uint `gorm:"not null;uniqueIndex"`
	linktoken.Fields
	CreatedAt time.Time
}

func (RateLink) TableName() string { return "helpdesk_rate_links" }

// newRateLink makes ticket id's rating link in tx; fresh is false when the
// ticket has one already (its mail went out with it), and raw is "" then.
func (s *Service) newRateLink(tx *gorm.DB, id uint) (raw string, fresh bool, err error) {
	var n int64
	if err := tx.Model(&RateLink{}).Where("ticket_id = ?", id).Count(&n).Error; err != nil || n > 0 {
		return "", false, err
	}
	now := s.now().UTC()
	raw, f := linktoken.New(now, rateLinkTTL)
	if err := tx.Create(&RateLink{TicketID: id, Fields: f, CreatedAt: now}).Error; err != nil {
		return "", false, err
	}
	return raw, true, nil
}

// RateURL is the rating page of link raw, with score chosen when 1–5.
func (s *Service) RateURL(raw string, score int) string {
	u := strings.TrimRight(s.cfg.BaseURL, "/") + "/helpdesk/rate/" + raw
	if score >= 1 && score <= 5 {
		u += fmt.Sprintf("?score=%d", score)
	}
	return u
}

// rateChoices fills the rating mail's five links and the comment link.
func (s *Service) rateChoices(m *ticketMail, raw string) {
	for score := 1; score <= 5; score++ {
		m.Ratings = append(m.Ratings, rateChoice{Score: score, URL: s.RateURL(raw, score)})
	}
	m.CommentURL = s.RateURL(raw, 0)
}

// RateSig binds the rating form to its own link, so the form stands in for
// the session's CSRF token on a page that needs no sign-in.
func (s *Service) RateSig(raw string) string {
	return linktoken.FormSig(s.cfg.Secret, "helpdesk-rate", raw)
}

// RateCheck reports whether sig is the rating form's signature for raw.
func (s *Service) RateCheck(raw, sig string) bool {
	return linktoken.CheckFormSig(s.cfg.Secret, "helpdesk-rate", raw, sig)
}

// RateView is what a rating link's page shows.
type RateView struct {
	State  string
	Ticket *Ticket
	Lang   string  // the reporter's language, for the page
	Rating *Rating // once rated
}

// RateLinkView looks a rating link up without changing anything: mail
// scanners open links, so a GET never rates.
func (s *Service) RateLinkView(ctx context.Context, raw string) (*RateView, error) {
	v, _, err := s.rateView(s.db.R.WithContext(ctx), raw)
	return v, err
}

// rateView reads link raw, its ticket and any rating through q.
func (s *Service) rateView(q *gorm.DB, raw string) (*RateView, *RateLink, error) {
	var l RateLink
	if found, err := linktoken.Find(q, &l, raw); err != nil || !found {
		return &RateView{State: linktoken.Unknown}, nil, err
	}
	t, _, err := load(q, l.TicketID)
	if errors.Is(err, ErrNotFound) {
		return &RateView{State: linktoken.Unknown}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	v := &RateView{Ticket: t}
	if r, err := people.RecipientOf(q, s.cfg.Lang, t.ReporterID); err != nil {
		return nil, nil, err
	} else if r != nil {
		v.Lang = r.Lang
	}
	var rs []Rating
	if err := q.Where("ticket_id = ?", t.ID).Limit(1).Find(&rs).Error; err != nil {
		return nil, nil, err
	}
	if len(rs) == 1 {
		v.Rating = &rs[0]
	}
	switch tok := l.State(s.now()); {
	case v.Rating != nil || tok == linktoken.Used:
		v.State = RateDone
	case t.State != StateClosed:
		v.State = RateNotClosed
	default:
		v.State = tok
	}
	return v, &l, nil
}

// Rate records the reporter's score (1–5) and comment through link raw,
// once: the link is used in the same transaction, so of two presses one
// rates and the other finds it rated (ErrRateLink, the view says why).
// ip goes into the audit row.
func (s *Service) Rate(ctx context.Context, raw string, score int, comment, ip string) (*RateView, error) {
	comment = strings.TrimSpace(comment)
	var bad []error
	if score < 1 || score > 5 {
		bad = append(bad, ErrRateScore)
	}
	if !web.ValidText(comment, maxRateComment) {
		bad = append(bad, ErrRateComment)
	}
	var view *RateView
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		v, l, err := s.rateView(tx, raw)
		if err != nil {
			return err
		}
		view = v
		if v.State != linktoken.Valid {
			return ErrRateLink
		}
		if len(bad) > 0 {
			return errors.Join(bad...)
		}
		now := s.now().UTC()
		ok, err := linktoken.Use(tx, &RateLink{}, l.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			v.State = RateDone
			return ErrRateLink
		}
		r := &Rating{TicketID: v.Ticket.ID, Score: score, Comment: comment, CreatedAt: now}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		if err := s.markStatsDirty(tx, v.Ticket.ID); err != nil {
			return err
		}
		who := actor.Actor{ID: v.Ticket.ReporterID, IP: ip, Channel: actor.ChannelEmail}
		if p, err := people.RecipientOf(tx, "", v.Ticket.ReporterID); err != nil {
			return err
		} else if p != nil {
			who.Name = p.Name
		}
		if err := audit.Record(tx, who, "helpdesk.rate", "helpdesk_ticket", v.Ticket.ID, nil,
			map[string]any{"score": score, "comment": comment != ""}); err != nil {
			return err
		}
		v.Rating, v.State = r, RateDone
		return nil
	})
	return view, err
}
