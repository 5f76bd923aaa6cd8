package warehouse

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/people"
)

// confirmLinkTTL is how long a ready mail's link works: a month, as the
// helpdesk's rating link.
const confirmLinkTTL = 30 * 24 * time.Hour

// confirmPath is where the ready mail's link leads.
const confirmPath = "/warehouse/confirm/"

// What a confirmation link finds beyond linktoken's states.
const (
	ConfirmDone    = "confirmed" // used, or nothing is left to confirm
	ConfirmWaiting = "waiting"   // nothing handed over yet: come back after the pickup
)

// Errors of the confirmation.
var (
	ErrNothingToConfirm = errs.New(errs.Conflict, "warehouse: nothing on the request waits for a confirmation")
	ErrConfirmLink      = errs.New(errs.Conflict, "warehouse: the confirmation link cannot be used")
)

func init() {
	messages[ErrNothingToConfirm] = "warehouse.confirm.err.nothing"
	messages[ErrConfirmLink] = "warehouse.confirm.err.link"
}

// ConfirmLink is the secret link of a ready mail: the requester confirms
// receipt without signing in. Stored hashed, usable once; a request gets a
// fresh one with every ready mail.
type ConfirmLink struct {
	ID        uint `gorm:"primaryKey"`
	RequestID uint `gorm:"not null;index"`
	linktoken.Fields
	CreatedAt time.Time
}

func (ConfirmLink) TableName() string { return "warehouse_confirm_links" }

// newConfirmLink makes a link for request id in tx and returns its token.
func (s *Service) newConfirmLink(tx *gorm.DB, id uint) (string, error) {
	now := s.now()
	raw, f := linktoken.New(now, confirmLinkTTL)
	return raw, tx.Create(&ConfirmLink{RequestID: id, Fields: f, CreatedAt: now}).Error
}

// ConfirmURL is the absolute address of link raw.
func (s *Service) ConfirmURL(raw string) string {
	base := ""
	if s.deps.Cfg != nil {
		base = strings.TrimRight(s.deps.Cfg.BaseURL, "/")
	}
	return base + confirmPath + raw
}

// ConfirmSig binds the confirmation form to its link: it stands in for the
// session's CSRF token on a page that needs no sign-in.
func (s *Service) ConfirmSig(raw string) string {
	return linktoken.FormSig(s.secret(), "warehouse-confirm", raw)
}

// ConfirmCheck reports whether sig is the form's signature for raw.
func (s *Service) ConfirmCheck(raw, sig string) bool {
	return linktoken.CheckFormSig(s.secret(), "warehouse-confirm", raw, sig)
}

// secret is the suite's KAPU_SECRET ("" in a unit test without a config).
func (s *Service) secret() string {
	if s.deps.Cfg == nil {
		return ""
	}
	return s.deps.Cfg.Secret
}

// ConfirmView is what a confirmation link's page shows.
type ConfirmView struct {
	State   string
	Request *RequestDetail
	Lang    string // the requester's language
}

// ConfirmLinkView reads link raw without changing anything: mail scanners
// open links, so a GET never confirms.
func (s *Service) ConfirmLinkView(ctx context.Context, raw string) (*ConfirmView, error) {
	v, _, err := s.confirmView(s.db.R.WithContext(ctx), raw)
	return v, err
}

func (s *Service) confirmView(q *gorm.DB, raw string) (*ConfirmView, *ConfirmLink, error) {
	var l ConfirmLink
	if found, err := linktoken.Find(q, &l, raw); err != nil || !found {
		return &ConfirmView{State: linktoken.Unknown}, nil, err
	}
	var r Request
	if err := q.Limit(1).Find(&r, l.RequestID).Error; err != nil {
		return nil, nil, err
	}
	if r.ID == 0 {
		return &ConfirmView{State: linktoken.Unknown}, nil, nil
	}
	lines, err := linesOf(q, r.ID)
	if err != nil {
		return nil, nil, err
	}
	v := &ConfirmView{Request: &RequestDetail{Request: r, Lines: lines}}
	if p, err := people.RecipientOf(q, s.lang(), r.RequesterID); err != nil {
		return nil, nil, err
	} else if p != nil {
		v.Lang = p.Lang
	}
	handed, open := 0, 0
	for i := range lines {
		switch lines[i].State {
		case LineHandedOver:
			handed++
		case LineReserved, LineReady, LineToProcure, LineOrdered:
			open++
		}
	}
	switch tok := l.State(s.now()); {
	case tok == linktoken.Used || (handed == 0 && open == 0):
		v.State = ConfirmDone
	case tok == linktoken.Expired:
		v.State = tok
	case handed == 0:
		v.State = ConfirmWaiting
	default:
		v.State = linktoken.Valid
	}
	return v, &l, nil
}

// ConfirmByLink is the requester's confirmation through link raw: every
// handed-over line is received, and the link is used in the same
// transaction, so a second press finds it confirmed (ErrConfirmLink; the
// view says why). ip goes into the audit row.
func (s *Service) ConfirmByLink(ctx context.Context, raw, ip string) (*ConfirmView, error) {
	var view *ConfirmView
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		v, l, err := s.confirmView(tx, raw)
		if err != nil {
			return err
		}
		view = v
		if v.State != linktoken.Valid {
			return ErrConfirmLink
		}
		if ok, err := linktoken.Use(tx, &ConfirmLink{}, l.ID, s.now()); err != nil {
			return err
		} else if !ok {
			v.State = ConfirmDone
			return ErrConfirmLink
		}
		who := actor.Actor{ID: v.Request.RequesterID, IP: ip, Channel: actor.ChannelEmail}
		if p, err := people.RecipientOf(tx, "", who.ID); err != nil {
			return err
		} else if p != nil {
			who.Name = p.Name
		}
		lines, err := s.confirm(tx, who, v.Request.ID)
		if err != nil {
			return err
		}
		v.Request.Lines, v.State = lines, ConfirmDone
		return nil
	})
	return view, err
}

// ConfirmRequest is the requester's "received" button on the request page.
// Someone else's request is not found.
func (s *Service) ConfirmRequest(ctx context.Context, a actor.Actor, id uint) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var r Request
		if err := tx.Limit(1).Find(&r, id).Error; err != nil {
			return err
		}
		if r.ID == 0 || r.RequesterID != a.ID || a.ID == 0 {
			return ErrRequestNotFound
		}
		_, err := s.confirm(tx, a, id)
		return err
	})
}

// confirm closes request id's handed-over lines in tx: received as much
// as was issued; the storekeepers learn of it. The links of the request
// stop working (used), so an older mail cannot confirm again.
func (s *Service) confirm(tx *gorm.DB, a actor.Actor, id uint) ([]RequestLine, error) {
	r, err := s.lockRequest(tx, id)
	if err != nil {
		return nil, err
	}
	lines, err := linesOf(tx, r.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var done []RequestLine
	for i := range lines {
		l := &lines[i]
		if l.State != LineHandedOver {
			continue
		}
		if err := s.setLine(tx, l, LineHandedOver, map[string]any{"state": LineReceived, "received": l.Issued, "received_at": now}); err != nil {
			return nil, err
		}
		l.State, l.Received, l.ReceivedAt = LineReceived, l.Issued, &now
		done = append(done, *l)
	}
	if len(done) == 0 {
		return nil, ErrNothingToConfirm
	}
	if finished(lines) { // the request reads done, not approved, from now on
		if err := tx.Model(&Request{}).Where("id = ? AND status = ?", r.ID, RequestApproved).
			Updates(map[string]any{"status": RequestDone, "updated_at": now}).Error; err != nil {
			return nil, err
		}
	}
	if err := tx.Model(&ConfirmLink{}).Where("request_id = ? AND used_at IS NULL", r.ID).Update("used_at", now).Error; err != nil {
		return nil, err
	}
	if err := audit.Record(tx, a, "warehouse.request.confirm", requestEntity, r.ID, nil,
		map[string]any{"lines": auditLines(done)}); err != nil {
		return nil, err
	}
	facts, err := linesFacts(tx, done, func(l *RequestLine) Qty { return l.Received })
	if err != nil {
		return nil, err
	}
	if err := noteStep(tx, a, r.ID, eventConfirmed, now, facts); err != nil {
		return nil, err
	}
	if s.deps.Outbox != nil {
		rs, err := people.RecipientsWithRole(tx, s.lang(), StaffRole)
		if err != nil {
			return nil, err
		}
		if err := s.mailTo(tx, r, done, rs, "warehouse.confirm.mail.confirmed", "confirmed/"+now.Format("20060102150405.000000000"),
			requestPath(r.ID), "warehouse.request.reason.store"); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// finished reports whether nothing more will happen to any of lines: each
// received, refused or cancelled, and one at least received.
func finished(lines []RequestLine) bool {
	received := false
	for i := range lines {
		switch lines[i].State {
		case LineReceived:
			received = true
		case LineRejected, LineCancelled:
		default:
			return false
		}
	}
	return received
}
