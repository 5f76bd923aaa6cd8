package warehouse

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// A line fully reserved is not ready by itself: the storekeeper marks a
// request ready once its things are put together on the counter, since
// "reserved" only means the stock is held. MarkReady mails the requester
// the confirmation link.

// HandoverList is the storekeeper's list: approved requests with lines
// fully reserved (to put out) or ready (to hand over), oldest approval first.
func (s *Service) HandoverList(ctx context.Context, a actor.Actor) ([]RequestDetail, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	q := s.db.R.WithContext(ctx)
	var lines []RequestLine
	if err := q.Table("warehouse_request_lines l").Select("l.*").Joins("JOIN warehouse_requests r ON r.id = l.request_id").
		Where("r.status = ? AND l.state IN ?", RequestApproved, []string{LineReserved, LineReady}).
		Order("r.decided_at, r.id, l.seq").Scan(&lines).Error; err != nil {
		return nil, err
	}
	var out []RequestDetail
	idx := map[uint]int{}
	var ids []uint
	for _, l := range lines {
		i, ok := idx[l.RequestID]
		if !ok {
			i = len(out)
			idx[l.RequestID] = i
			out = append(out, RequestDetail{Request: Request{ID: l.RequestID}})
			ids = append(ids, l.RequestID)
		}
		out[i].Lines = append(out[i].Lines, l)
	}
	if len(ids) > 0 {
		var rs []Request
		if err := q.Where("id IN ?", ids).Find(&rs).Error; err != nil {
			return nil, err
		}
		for _, r := range rs {
			out[idx[r.ID]].Request = r
		}
	}
	return out, nil
}

// MarkReady puts request id's fully reserved lines out for pickup: they go
// ready and the requester gets one mail with the lines and the one-click
// confirmation link.
func (s *Service) MarkReady(ctx context.Context, a actor.Actor, id uint) error {
	if !isStaff(a) {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, lines, _, err := s.openRequestStep(ctx, tx, id, RequestApproved, ErrNothingReady)
		if err != nil {
			return err
		}
		now := s.now()
		var ready []RequestLine
		for i := range lines {
			l := &lines[i]
			if l.State != LineReserved {
				continue
			}
			if err := s.setLine(tx, l, LineReserved, map[string]any{"state": LineReady, "ready_at": now}); err != nil {
				return err
			}
			l.State, l.ReadyAt = LineReady, &now
			ready = append(ready, *l)
		}
		if len(ready) == 0 {
			return ErrNothingReady
		}
		if err := audit.Record(tx, a, "warehouse.request.ready", requestEntity, r.ID, nil,
			map[string]any{"lines": auditLines(ready)}); err != nil {
			return err
		}
		facts, err := linesFacts(tx, ready, nil)
		if err != nil {
			return err
		}
		if err := noteStep(tx, a, r.ID, eventReady, now, facts); err != nil {
			return err
		}
		return s.mailReady(tx, r, ready)
	})
}

// HandOver gives request id's ready lines to the requester: a catalogue
// line's reservation is issued (exactly what is reserved, booked to the
// request's department), a free-text line is handed over as approved. The
// lines wait for the requester's confirmation (handed_over).
func (s *Service) HandOver(ctx context.Context, a actor.Actor, id uint) error {
	if !isStaff(a) {
		return ErrForbidden
	}
	if _, err := s.ledgerReady(ctx); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, lines, st, err := s.openRequestStep(ctx, tx, id, RequestApproved, ErrNothingReady)
		if err != nil {
			return err
		}
		now := s.now()
		var done []RequestLine
		handed := map[uint]Qty{} // this handover's quantity per line, for the timeline
		for i := range lines {
			l := &lines[i]
			if l.State != LineReady {
				continue
			}
			issued := l.Approved
			if !l.Free() {
				issued = l.Reserved
				if issued > 0 {
					if _, err := s.post(tx, st, a, change{department: true, mv: Movement{ItemID: *l.ItemID, Kind: KindIssue,
						Quantity: -issued, Reserved: -issued, DepartmentID: &r.DepartmentID, RequestLineID: &l.ID}}); err != nil {
						return err
					}
				}
			}
			if err := s.setLine(tx, l, LineReady, map[string]any{"state": LineHandedOver, "reserved": 0,
				"issued": l.Issued + issued, "handed_over_at": now}); err != nil {
				return err
			}
			l.State, l.Reserved, l.Issued, l.HandedOverAt = LineHandedOver, 0, l.Issued+issued, &now
			done = append(done, *l)
			handed[l.ID] = issued
		}
		if len(done) == 0 {
			return ErrNothingReady
		}
		if err := audit.Record(tx, a, "warehouse.request.handover", requestEntity, r.ID, nil,
			map[string]any{"lines": auditLines(done)}); err != nil {
			return err
		}
		facts, err := linesFacts(tx, done, func(l *RequestLine) Qty { return handed[l.ID] })
		if err != nil {
			return err
		}
		if err := noteStep(tx, a, r.ID, eventHandover, now, facts); err != nil {
			return err
		}
		return s.mailRequester(tx, r, done, "warehouse.handover.mail.handed", fmt.Sprintf("handed/%d", now.UnixNano()), requestPath(r.ID))
	})
}

// openRequestStep begins a step on request id's lines inside tx (the
// storekeeper's ready and handover, the last approval's reservation): the
// request and its lines as openRequest gives them, and the ledger's
// statements for tx, so every step reads and locks the same way.
func (s *Service) openRequestStep(ctx context.Context, tx *gorm.DB, id uint, status string, wrong error) (*Request, []RequestLine, *stmts, error) {
	r, lines, err := s.openRequest(tx, id, status, wrong)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := s.ledgerStmts(ctx, tx)
	if err != nil {
		return nil, nil, nil, err
	}
	return r, lines, st, nil
}

// openRequest reads request id inside tx, locked, refused with wrong unless
// its status is status, and its lines in order: a step that moves no stock
// (an email link's lowered quantities) needs no more.
func (s *Service) openRequest(tx *gorm.DB, id uint, status string, wrong error) (*Request, []RequestLine, error) {
	r, err := s.lockRequest(tx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != status {
		return nil, nil, wrong
	}
	lines, err := linesOf(tx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	return r, lines, nil
}

// mailReady makes a fresh confirmation link for r and mails it to the
// requester with the lines now ready.
func (s *Service) mailReady(tx *gorm.DB, r *Request, lines []RequestLine) error {
	raw, err := s.newConfirmLink(tx, r.ID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("ready/%d", s.now().UnixNano())
	return s.mailRequester(tx, r, lines, "warehouse.handover.mail.ready", key, s.ConfirmURL(raw))
}

// mailRequester queues the mail prefix (its _title, _body and _action
// keys) about r's lines to its requester, in their language, leading to
// url. key makes a repeated step mail once.
func (s *Service) mailRequester(tx *gorm.DB, r *Request, lines []RequestLine, prefix, key, url string) error {
	if s.deps.Outbox == nil {
		return nil
	}
	p, err := people.RecipientOf(tx, s.lang(), r.RequesterID)
	if err != nil || p == nil || !p.Mailable() {
		return err
	}
	return s.mailTo(tx, r, lines, []people.Recipient{*p}, prefix, key, url, "warehouse.handover.mail.reason")
}

// mailTo queues one mail per recipient in rs about r's lines.
func (s *Service) mailTo(tx *gorm.DB, r *Request, lines []RequestLine, rs []people.Recipient, prefix, key, url, reason string) error {
	f, err := requestFactsOf(tx, []approval.Request{{SubjectID: web.FormatID(r.ID)}})
	if err != nil {
		return err
	}
	facts := f[0]
	if facts == nil {
		return ErrRequestNotFound
	}
	facts.lines = lines
	for _, p := range rs {
		if !p.Mailable() {
			continue
		}
		lang := p.Lang
		body := []string{s.cat.T(lang, prefix+"_body", "Number", web.FormatID(r.ID), "Name", facts.requester)}
		for i := range lines {
			l := &lines[i]
			body = append(body, s.lineName(lang, facts, l)+": "+s.qtyIn(lang, shownQty(l), l.Unit))
		}
		err := s.deps.Outbox.Enqueue(tx, notify.Message{
			Key: fmt.Sprintf("warehouse/request/%d/%s/%d", r.ID, key, p.ID), To: p.Email, ToName: p.Name, Lang: lang,
			Template: "generic", Reason: reason,
			Data: notify.Generic{Title: s.cat.T(lang, prefix+"_title", "Number", web.FormatID(r.ID)), Lines: body,
				ActionURL: url, ActionLabel: s.cat.T(lang, prefix+"_action")},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// shownQty is the quantity a line's mail names at its step: what was
// handed over once it was, what is held for it, else what was approved.
func shownQty(l *RequestLine) Qty {
	switch {
	case l.Issued > 0:
		return l.Issued
	case l.Reserved > 0:
		return l.Reserved
	}
	return l.Approved
}

// workdaysSince counts the working days after from up to now (a handover
// on Monday is 2 working days old on Wednesday).
func (s *Service) workdaysSince(ctx context.Context, from, now time.Time) (int, error) {
	if s.deps.Calendar == nil {
		return int(now.Sub(from).Hours() / 24), nil
	}
	a := calendar.DateOf(from, s.tz()).AddDays(1)
	n, err := s.deps.Calendar.WorkdaysBetween(ctx, a, calendar.DateOf(now, s.tz()))
	return n, err
}

// counterNames are the requesters' and the departments' names of list, so
// the storekeeper's counter says whom each request is for: two queries for
// any number.
func (s *Service) counterNames(ctx context.Context, list []RequestDetail) (who, dept map[uint]string, err error) {
	var persons, depts []uint
	for _, r := range list {
		persons, depts = append(persons, r.RequesterID), append(depts, r.DepartmentID)
	}
	q := s.db.R.WithContext(ctx)
	if who, err = people.NamesOf(q, persons); err != nil {
		return nil, nil, err
	}
	dept, err = people.DepartmentNamesOf(q, depts)
	return who, dept, err
}
