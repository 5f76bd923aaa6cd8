package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// KindPurchase is the approval kind of a purchase a ticket's fix needs.
const KindPurchase = "helpdesk_purchase"

// SettingPurchaseLeadLimit names the setting of the highest estimated cost
// (forints) the queue's lead approves; DefaultPurchaseLeadLimit when unset.
const (
	SettingPurchaseLeadLimit = "helpdesk.purchase_lead_limit"
	DefaultPurchaseLeadLimit = 200_000
)

// Limits of a purchase request.
const (
	maxPurchaseWhat = 200
	maxPurchaseWhy  = 2000
)

// Errors of purchase requests.
var (
	ErrPurchaseWhat     = errs.New(errs.Invalid, "helpdesk: say what is to be bought")
	ErrPurchaseWhy      = errs.New(errs.Invalid, "helpdesk: say why the fix needs it")
	ErrPurchaseText     = errs.New(errs.Invalid, "helpdesk: a purchase text is too long or holds control characters")
	ErrPurchaseCost     = errs.New(errs.Invalid, "helpdesk: the estimated cost is forints, more than zero")
	ErrPurchaseApprover = errs.New(errs.Invalid, "helpdesk: nobody can approve this purchase")
	ErrPurchaseNotFound = errs.New(errs.NotFound, "helpdesk: no such purchase request on this ticket")
	ErrPurchaseNotOwn   = errs.New(errs.Forbidden, "helpdesk: only who asked, the queue's lead or an administrator withdraws a purchase")
	ErrPurchaseDecided  = errs.New(errs.Conflict, "helpdesk: the purchase is no longer waiting for approval")
	ErrNoApproval       = errors.New("helpdesk: no approval engine")
)

// PurchaseWithdrawn is a purchase request its asker (or the queue's lead, an
// administrator) took back while it waited; the engine's request is withdrawn
// with it, so the approver's links say so.
const PurchaseWithdrawn = "withdrawn"

func init() {
	for e, k := range map[error]string{
		ErrPurchaseWhat: "helpdesk.purchase.err.what", ErrPurchaseWhy: "helpdesk.purchase.err.why",
		ErrPurchaseText: "helpdesk.purchase.err.text", ErrPurchaseCost: "helpdesk.purchase.err.cost",
		ErrPurchaseApprover: "helpdesk.purchase.err.approver", ErrPurchaseNotFound: "helpdesk.purchase.err.not_found",
		ErrPurchaseNotOwn: "helpdesk.purchase.err.not_own", ErrPurchaseDecided: "helpdesk.purchase.err.decided",
	} {
		messages[e] = k
	}
}

// ApprovalKinds are the requests approvers decide: purchases for a fix.
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{{Name: KindPurchase, Summary: s.purchaseSummary, Describe: s.describePurchases,
		OnApprove: s.onPurchaseApprove, OnReject: s.onPurchaseReject}}
}

// PurchaseInput is a purchase request as staff give it.
type PurchaseInput struct {
	What, Why, Supplier string
	Cost                int64
	// Wait moves the ticket to waiting_vendor with the request, when its
	// state allows it.
	Wait bool
}

func (in PurchaseInput) check() (PurchaseInput, error) {
	in.What, in.Why, in.Supplier = strings.TrimSpace(in.What), strings.TrimSpace(in.Why), strings.TrimSpace(in.Supplier)
	var problems []error
	if in.What == "" {
		problems = append(problems, ErrPurchaseWhat)
	}
	if in.Why == "" {
		problems = append(problems, ErrPurchaseWhy)
	}
	if !validLine(in.What, maxPurchaseWhat) || !web.ValidText(in.Why, maxPurchaseWhy) || !validLine(in.Supplier, maxPurchaseWhat) {
		problems = append(problems, ErrPurchaseText)
	}
	if in.Cost <= 0 || in.Cost > maxForints {
		problems = append(problems, ErrPurchaseCost)
	}
	return in, errors.Join(problems...)
}

// purchaseLimit reads the lead's limit through tx.
func purchaseLimit(tx *gorm.DB) (int64, error) {
	var v string
	if err := tx.Table("settings").Select("value").Where("name = ?", SettingPurchaseLeadLimit).Limit(1).Scan(&v).Error; err != nil {
		return 0, err
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
		return n, nil
	}
	return DefaultPurchaseLeadLimit, nil
}

// purchaseApprover is who decides a purchase of cost for ticket t of queue
// q asked by requester. The issue names "the reporter's manager or the
// queue lead"; the rule: up to the limit setting the queue's lead (it is
// their budget of small parts), above it the reporter's manager (whose
// office pays for a replacement). Whichever of the two would be the
// requester themselves, or is missing, gives way to the other, since nobody
// approves their own request.
func (s *Service) purchaseApprover(ctx context.Context, tx *gorm.DB, requester uint, t *Ticket, q *Queue, cost int64) (uint, error) {
	limit, err := purchaseLimit(tx)
	if err != nil {
		return 0, err
	}
	var lead, mgr uint
	if q.LeadID != nil {
		lead = *q.LeadID
	}
	if s.people != nil {
		ctx = db.WithTx(ctx, tx)
		rep, err := s.people.Person(ctx, t.ReporterID)
		if err != nil && !db.IsNotFound(err) {
			return 0, err
		}
		if rep != nil {
			m, err := s.people.ManagerOf(ctx, rep)
			if err != nil {
				return 0, err
			}
			if m != nil && m.Active {
				mgr = m.ID
			}
		}
	}
	order := []uint{lead, mgr}
	if cost > limit {
		order = []uint{mgr, lead}
	}
	for _, id := range order {
		if id != 0 && id != requester {
			return id, nil
		}
	}
	return 0, ErrPurchaseApprover
}

// RequestPurchase records what a fix of ticket ticketID needs bought and
// sends it to its approver (purchaseApprover) through the approval engine,
// in one transaction; the engine mails the approver their links. Staff of
// the ticket's queue ask, on a ticket that is not closed.
func (s *Service) RequestPurchase(ctx context.Context, a actor.Actor, ticketID uint, in PurchaseInput) (*PurchaseRequest, error) {
	in, err := in.check()
	if s.approval == nil {
		return nil, ErrNoApproval
	}
	var pr *PurchaseRequest
	terr := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, q, lerr := loadForStaff(tx, a, ticketID)
		if lerr != nil {
			return lerr
		}
		if err != nil {
			return err
		}
		if t.State == StateClosed {
			return ErrClosed
		}
		approver, err := s.purchaseApprover(ctx, tx, a.ID, t, q, in.Cost)
		if err != nil {
			return err
		}
		pr = &PurchaseRequest{TicketID: t.ID, ByID: a.ID, What: in.What, Why: in.Why, Cost: in.Cost, Supplier: in.Supplier,
			State: PurchasePending, ApproverID: approver, CreatedAt: s.now().UTC()}
		if err := tx.Create(pr).Error; err != nil {
			return err
		}
		req, err := s.approval.Submit(ctx, tx, KindPurchase, web.FormatID(pr.ID), a, []uint{approver})
		if err != nil {
			return err
		}
		pr.ApprovalID = &req.ID
		if err := tx.Model(pr).Update("approval_id", req.ID).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.purchase.request", "helpdesk_ticket", t.ID, nil,
			map[string]any{"purchase_id": pr.ID, "what": pr.What, "cost": pr.Cost, "approver_id": approver}); err != nil {
			return err
		}
		if in.Wait && t.State != StateWaitingVendor && Allowed(t.State, StateWaitingVendor) {
			return s.moveState(tx, a, t, StateWaitingVendor, "", "")
		}
		return nil
	})
	if terr != nil {
		return nil, terr
	}
	return pr, nil
}

// PurchaseRow is a ticket's purchase request as its page lists it.
type PurchaseRow struct {
	PurchaseRequest
	By, Approver, DecidedByName string
	Withdrawable                bool // pending, and the reader may withdraw it
}

// Purchases are a ticket's purchase requests, newest first, for the staff
// of its queue.
func (s *Service) Purchases(ctx context.Context, a actor.Actor, ticketID uint) ([]PurchaseRow, error) {
	q := s.db.R.WithContext(ctx)
	_, qu, err := loadForStaff(q, a, ticketID)
	if err != nil {
		return nil, err
	}
	var prs []PurchaseRequest
	if err := q.Where("ticket_id = ?", ticketID).Order("created_at DESC, id DESC").Find(&prs).Error; err != nil {
		return nil, err
	}
	var ids []uint
	for _, p := range prs {
		ids = append(ids, p.ByID, p.ApproverID)
		if p.DecidedBy != nil {
			ids = append(ids, *p.DecidedBy)
		}
	}
	names, err := people.NamesOf(q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]PurchaseRow, len(prs))
	for i, p := range prs {
		out[i] = PurchaseRow{PurchaseRequest: p, By: names[p.ByID], Approver: names[p.ApproverID],
			Withdrawable: p.State == PurchasePending && mayWithdraw(a, qu, &p)}
		if p.DecidedBy != nil {
			out[i].DecidedByName = names[*p.DecidedBy]
		}
	}
	return out, nil
}

// purchaseOf reads the purchase request and its ticket an approval is about.
func purchaseOf(tx *gorm.DB, req *approval.Request) (*PurchaseRequest, *Ticket, error) {
	id, err := req.RowID()
	if err != nil {
		return nil, nil, err
	}
	var pr PurchaseRequest
	if err := tx.First(&pr, id).Error; err != nil {
		return nil, nil, err
	}
	var t Ticket
	if err := tx.First(&t, pr.TicketID).Error; err != nil {
		return nil, nil, err
	}
	return &pr, &t, nil
}

// forints writes an amount in lang: "86 000 Ft".
func forints(lang string, n int64) string {
	return i18n.FormatNumber(lang, float64(n), 0) + " Ft"
}

// purchaseFacts are the rows a purchase's summary is written from.
type purchaseFacts struct {
	pr              *PurchaseRequest
	t               *Ticket
	reporter, asker string
}

// purchaseFactsOf reads what reqs are about through q: the purchases, their
// tickets and the names of reporters and askers, three queries whatever
// their number. A request whose purchase or ticket is gone gets nil.
func purchaseFactsOf(q *gorm.DB, reqs []approval.Request) ([]*purchaseFacts, error) {
	ids, err := approval.RowIDs(reqs)
	if err != nil {
		return nil, err
	}
	var prs []PurchaseRequest
	if err := q.Where("id IN ?", ids).Find(&prs).Error; err != nil {
		return nil, err
	}
	ticketIDs := make([]uint, 0, len(prs))
	for _, p := range prs {
		ticketIDs = append(ticketIDs, p.TicketID)
	}
	var ts []Ticket
	if len(ticketIDs) > 0 {
		if err := q.Where("id IN ?", ticketIDs).Find(&ts).Error; err != nil {
			return nil, err
		}
	}
	tickets := make(map[uint]*Ticket, len(ts))
	personIDs := make([]uint, 0, 2*len(prs))
	for i := range ts {
		tickets[ts[i].ID] = &ts[i]
		personIDs = append(personIDs, ts[i].ReporterID)
	}
	byID := make(map[uint]*PurchaseRequest, len(prs))
	for i := range prs {
		byID[prs[i].ID] = &prs[i]
		personIDs = append(personIDs, prs[i].ByID)
	}
	names, err := people.NamesOf(q, personIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*purchaseFacts, len(reqs))
	for i, id := range ids {
		pr := byID[id]
		if pr == nil || tickets[pr.TicketID] == nil {
			continue
		}
		t := tickets[pr.TicketID]
		out[i] = &purchaseFacts{pr: pr, t: t, reporter: names[t.ReporterID], asker: names[pr.ByID]}
	}
	return out, nil
}

// purchaseBrief is what lists and email subjects say about a purchase in
// lang: "Purchase: monitor (IT-00042)", the kind as a noun, the item with
// its ticket, and the estimated cost in the place of a length.
func (s *Service) purchaseBrief(lang string, f *purchaseFacts) approval.Summary {
	return approval.Summary{
		Title:  s.cat.T(lang, "helpdesk.purchase.summary_title", "What", f.pr.What, "Number", f.t.Number),
		What:   s.cat.T(lang, "helpdesk.purchase.summary_what"),
		About:  f.pr.What + " (" + f.t.Number + ")",
		Extent: forints(lang, f.pr.Cost),
	}
}

// describePurchases is the kind's Describe: the brief of every request of
// a list (the inbox, one's own requests, the audit log) in a fixed number of
// queries; a request whose purchase is gone keeps its stored title.
func (s *Service) describePurchases(_ context.Context, q *gorm.DB, reqs []approval.Request, lang string) ([]approval.Summary, error) {
	facts, err := purchaseFactsOf(q, reqs)
	if err != nil {
		return nil, err
	}
	return approval.Briefs(reqs, facts, func(f *purchaseFacts) approval.Summary { return s.purchaseBrief(lang, f) }), nil
}

// purchaseSummary tells the approver what is to be bought, for which fault,
// why, at what estimated cost and who asks, in the reader's language: the
// brief of lists with the lines of the request's page and mail.
func (s *Service) purchaseSummary(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
	facts, err := purchaseFactsOf(tx, []approval.Request{*req})
	if err != nil {
		return approval.Summary{}, err
	}
	f := facts[0]
	if f == nil {
		return approval.Summary{}, fmt.Errorf("helpdesk: purchase %s of approval %d: %w", req.SubjectID, req.ID, gorm.ErrRecordNotFound)
	}
	sum := s.purchaseBrief(lang, f)
	sum.Lines = []approval.Line{
		{Label: s.cat.T(lang, "helpdesk.purchase.what"), Value: f.pr.What},
		{Label: s.cat.T(lang, "helpdesk.purchase.cost"), Value: sum.Extent},
		{Label: s.cat.T(lang, "helpdesk.purchase.line_why"), Value: f.pr.Why},
		{Label: s.cat.T(lang, "helpdesk.purchase.ticket"), Value: f.t.Number + " " + f.t.Title},
		{Label: s.cat.T(lang, "helpdesk.purchase.reporter"), Value: f.reporter},
		{Label: s.cat.T(lang, "helpdesk.purchase.by"), Value: f.asker},
	}
	if f.pr.Supplier != "" {
		sum.Lines = append(sum.Lines, approval.Line{Label: s.cat.T(lang, "helpdesk.purchase.line_supplier"), Value: f.pr.Supplier})
	}
	return sum, nil
}

func (s *Service) onPurchaseApprove(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
	return s.decidePurchase(ctx, tx, req, PurchaseApproved, "")
}

func (s *Service) onPurchaseReject(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
	return s.decidePurchase(ctx, tx, req, PurchaseRejected, reason)
}

// decidePurchase records the approver's decision in their transaction: the
// request's state, an internal line on the ticket for its staff, the audit
// row, and a mail to the ticket's assignee unless they asked (the engine
// tells the requester).
func (s *Service) decidePurchase(ctx context.Context, tx *gorm.DB, req *approval.Request, state, reason string) error {
	by := approval.Decider(ctx)
	pr, t, err := purchaseOf(tx, req)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	set := map[string]any{"state": state, "decided_at": now, "reason": clipText(reason, maxPurchaseWhy)}
	if by.ID != 0 {
		set["decided_by"] = by.ID
	}
	res := tx.Model(&PurchaseRequest{}).Where("id = ? AND state = ?", pr.ID, PurchasePending).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return nil // decided already: nothing more to say
	}
	lang := people.MailLang("", s.lang())
	cost := forints(lang, pr.Cost)
	body := s.cat.T(lang, "helpdesk.purchase.comment_"+state, "What", pr.What, "Cost", cost, "Name", by.Name, "Reason", reason)
	if err := tx.Create(&Comment{TicketID: t.ID, ByID: by.ID, Body: clipText(body, maxComment), Internal: true, CreatedAt: now}).Error; err != nil {
		return err
	}
	if err := tx.Model(&Ticket{}).Where("id = ?", t.ID).Update("updated_at", now).Error; err != nil {
		return err
	}
	if err := audit.Record(tx, by, "helpdesk.purchase."+state, "helpdesk_ticket", t.ID,
		map[string]any{"purchase_id": pr.ID, "state": PurchasePending}, map[string]any{"purchase_id": pr.ID, "state": state, "reason": reason}); err != nil {
		return err
	}
	if t.AssigneeID == nil || *t.AssigneeID == pr.ByID || s.outbox == nil {
		return nil
	}
	r, err := people.RecipientOf(tx, s.lang(), *t.AssigneeID)
	if err != nil || !r.Mailable() {
		return err
	}
	lines := []string{s.cat.T(r.Lang, "helpdesk.purchase.mail_"+state, "What", pr.What, "Cost", forints(r.Lang, pr.Cost), "Name", by.Name)}
	if reason != "" {
		lines = append(lines, s.cat.T(r.Lang, "helpdesk.purchase.mail_reason", "Reason", reason))
	}
	return s.outbox.Enqueue(tx, notify.Message{
		Key: fmt.Sprintf("helpdesk/purchase/%d/%s", pr.ID, state), To: r.Email, ToName: r.Name, Lang: r.Lang,
		Template: "generic", Reason: "helpdesk.purchase.mail_reason_assignee",
		Data: notify.Generic{
			Title:       s.cat.T(r.Lang, "helpdesk.purchase.mail_title_"+state, "Number", t.Number, "What", pr.What),
			Lines:       lines,
			ActionURL:   "/helpdesk/tickets/" + web.FormatID(t.ID) + "/purchase",
			ActionLabel: s.cat.T(r.Lang, "helpdesk.purchase.mail_open"),
		},
	})
}

// mayWithdraw reports whether a may take back purchase pr of queue q: the
// staff member who asked, or whoever manages the queue (its lead, an
// administrator), as a booking's unit or an admin may cancel a booking
// waiting for approval.
func mayWithdraw(a actor.Actor, q *Queue, pr *PurchaseRequest) bool {
	return a.ID != 0 && (a.ID == pr.ByID || maySet(a, q))
}

// withdrawable reads purchase purchaseID of ticket ticketID for a, who is
// to withdraw it: the ticket as for its queue's staff, then
// ErrPurchaseNotFound (not this ticket's), ErrPurchaseNotOwn or
// ErrPurchaseDecided.
func withdrawable(q *gorm.DB, a actor.Actor, ticketID, purchaseID uint) (*Ticket, *PurchaseRequest, error) {
	t, qu, err := loadForStaff(q, a, ticketID)
	if err != nil {
		return nil, nil, err
	}
	var pr PurchaseRequest
	if err := q.Where("id = ? AND ticket_id = ?", purchaseID, t.ID).Limit(1).Find(&pr).Error; err != nil {
		return nil, nil, err
	}
	switch {
	case pr.ID == 0:
		return nil, nil, ErrPurchaseNotFound
	case !mayWithdraw(a, qu, &pr):
		return nil, nil, ErrPurchaseNotOwn
	case pr.State != PurchasePending:
		return nil, nil, ErrPurchaseDecided
	}
	return t, &pr, nil
}

// PurchaseToWithdraw is the pending purchase a may withdraw, for the
// confirmation page; it changes nothing.
func (s *Service) PurchaseToWithdraw(ctx context.Context, a actor.Actor, ticketID, purchaseID uint) (*PurchaseRow, error) {
	q := s.db.R.WithContext(ctx)
	_, pr, err := withdrawable(q, a, ticketID, purchaseID)
	if err != nil {
		return nil, err
	}
	names, err := people.NamesOf(q, []uint{pr.ByID, pr.ApproverID})
	if err != nil {
		return nil, err
	}
	return &PurchaseRow{PurchaseRequest: *pr, By: names[pr.ByID], Approver: names[pr.ApproverID], Withdrawable: true}, nil
}

// WithdrawPurchase takes back a pending purchase in one transaction: the
// engine's request is withdrawn (its email links then say so and it leaves
// the approver's inbox), the row becomes withdrawn, the ticket's staff get
// an internal line and the audit log a row. The engine lets only the
// requester withdraw; the queue's lead or an administrator does it through
// the system, as booking does, and the helpdesk's own audit row names them.
// A purchase decided meanwhile is ErrPurchaseDecided and nothing changes.
// Like the engine's withdrawal, it mails nobody: the approver has nothing
// left to do.
func (s *Service) WithdrawPurchase(ctx context.Context, a actor.Actor, ticketID, purchaseID uint) (*PurchaseRequest, error) {
	if s.approval == nil {
		return nil, ErrNoApproval
	}
	var pr *PurchaseRequest
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, p, err := withdrawable(tx, a, ticketID, purchaseID)
		if err != nil {
			return err
		}
		pr = p
		// The engine's lock on its request comes first, as in a decision
		// (which updates the purchase inside it): no two orders of locks.
		if pr.ApprovalID != nil {
			who := a
			if a.ID != pr.ByID {
				who = actor.System()
			}
			if err := s.approval.Withdraw(ctx, tx, who, *pr.ApprovalID); err != nil {
				if errors.Is(err, approval.ErrDecided) {
					return ErrPurchaseDecided
				}
				return err
			}
		}
		now := s.now().UTC()
		res := tx.Model(&PurchaseRequest{}).Where("id = ? AND state = ?", pr.ID, PurchasePending).
			Updates(map[string]any{"state": PurchaseWithdrawn, "decided_at": now, "decided_by": a.ID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrPurchaseDecided
		}
		pr.State, pr.DecidedAt, pr.DecidedBy = PurchaseWithdrawn, &now, &a.ID
		lang := people.MailLang("", s.lang())
		body := s.cat.T(lang, "helpdesk.purchase.comment_withdrawn", "What", pr.What, "Cost", forints(lang, pr.Cost), "Name", a.Name)
		if err := tx.Create(&Comment{TicketID: t.ID, ByID: a.ID, Body: clipText(body, maxComment), Internal: true, CreatedAt: now}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Ticket{}).Where("id = ?", t.ID).Update("updated_at", now).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.purchase."+PurchaseWithdrawn, "helpdesk_ticket", t.ID,
			map[string]any{"purchase_id": pr.ID, "state": PurchasePending},
			map[string]any{"purchase_id": pr.ID, "state": PurchaseWithdrawn, "what": pr.What, "cost": pr.Cost})
	})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

// lang is the suite's language (KAPU_LANG).
func (s *Service) lang() string {
	if s.cfg == nil {
		return ""
	}
	return s.cfg.Lang
}

// clipText cuts s to at most max characters.
func clipText(s string, max int) string {
	r := []rune(s)
	if len(r) > max {
		return string(r[:max])
	}
	return s
}
