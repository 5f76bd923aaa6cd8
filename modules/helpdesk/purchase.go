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
	ErrNoApproval       = errors.New("helpdesk: no approval engine")
)

func init() {
	for e, k := range map[error]string{
		ErrPurchaseWhat: "helpdesk.purchase.err.what", ErrPurchaseWhy: "helpdesk.purchase.err.why",
		ErrPurchaseText: "helpdesk.purchase.err.text", ErrPurchaseCost: "helpdesk.purchase.err.cost",
		ErrPurchaseApprover: "helpdesk.purchase.err.approver",
	} {
		messages[e] = k
	}
}

// ApprovalKinds are the requests approvers decide: purchases for a fix.
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{{Name: KindPurchase, Summary: s.purchaseSummary, OnApprove: s.onPurchaseApprove, OnReject: s.onPurchaseReject}}
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
}

// Purchases are a ticket's purchase requests, newest first, for the staff
// of its queue.
func (s *Service) Purchases(ctx context.Context, a actor.Actor, ticketID uint) ([]PurchaseRow, error) {
	q := s.db.R.WithContext(ctx)
	if _, _, err := loadForStaff(q, a, ticketID); err != nil {
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
		out[i] = PurchaseRow{PurchaseRequest: p, By: names[p.ByID], Approver: names[p.ApproverID]}
		if p.DecidedBy != nil {
			out[i].DecidedByName = names[*p.DecidedBy]
		}
	}
	return out, nil
}

// purchaseOf reads the purchase request and its ticket an approval is about.
func purchaseOf(tx *gorm.DB, req *approval.Request) (*PurchaseRequest, *Ticket, error) {
	id, ok := web.ID(req.SubjectID)
	if !ok {
		return nil, nil, fmt.Errorf("helpdesk: approval subject %q is not an id", req.SubjectID)
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

// purchaseSummary tells the approver what is to be bought, for which fault,
// why, at what estimated cost and who asks, in the reader's language.
func (s *Service) purchaseSummary(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
	pr, t, err := purchaseOf(tx, req)
	if err != nil {
		return approval.Summary{}, err
	}
	names, err := people.NamesOf(tx, []uint{pr.ByID, t.ReporterID})
	if err != nil {
		return approval.Summary{}, err
	}
	cost := forints(lang, pr.Cost)
	lines := []approval.Line{
		{Label: s.cat.T(lang, "helpdesk.purchase.what"), Value: pr.What},
		{Label: s.cat.T(lang, "helpdesk.purchase.cost"), Value: cost},
		{Label: s.cat.T(lang, "helpdesk.purchase.line_why"), Value: pr.Why},
		{Label: s.cat.T(lang, "helpdesk.purchase.ticket"), Value: t.Number + " " + t.Title},
		{Label: s.cat.T(lang, "helpdesk.purchase.reporter"), Value: names[t.ReporterID]},
		{Label: s.cat.T(lang, "helpdesk.purchase.by"), Value: names[pr.ByID]},
	}
	if pr.Supplier != "" {
		lines = append(lines, approval.Line{Label: s.cat.T(lang, "helpdesk.purchase.line_supplier"), Value: pr.Supplier})
	}
	return approval.Summary{
		Title:    s.cat.T(lang, "helpdesk.purchase.summary_title", "What", pr.What, "Number", t.Number),
		What:     s.cat.T(lang, "helpdesk.purchase.summary_what"),
		About:    pr.What + " (" + t.Number + ")",
		Duration: cost,
		Lines:    lines,
	}, nil
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
