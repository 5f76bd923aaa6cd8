package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// ApprovalKinds are the requests approvers decide: supply requests.
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{{Name: KindRequest, Summary: s.requestSummary, Describe: s.describeRequests,
		OnApprove: s.onRequestApprove, OnReject: s.onRequestReject,
		Lowerer: &approval.Lowerer{Lowerings: s.linkLowerings, Lower: s.lowerByLink}}}
}

// LineDecision is an approver's quantity for one line: at most what the
// line may have so far (what was asked, or what an earlier step allowed),
// "0" to refuse the line; less than that needs a reason.
type LineDecision struct {
	LineID   uint
	Quantity string
	Reason   string
}

// ApproveLines is an approver deciding request id in the app: the lines'
// quantities as given (lines not named keep theirs), then the approval of
// their step through the engine. The quantities commit first and the
// decision after it, in its own transaction (the engine opens it): a
// decision that then fails (someone decided first) leaves the lowered
// quantities as the step's proposal, which only ever lowers what later
// approvers and the reservation may give. On the last step the engine's
// callback reserves the approved quantities.
func (s *Service) ApproveLines(ctx context.Context, a actor.Actor, id uint, decisions []LineDecision, comment string) (*RequestDetail, error) {
	if s.deps.Approval == nil {
		return nil, ErrNoApproval
	}
	if len(strings.TrimSpace(comment)) > 2000 {
		return nil, approval.ErrCommentTooLong
	}
	var approvalID uint
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.decidable(tx, a, id)
		if err != nil {
			return err
		}
		approvalID = *r.ApprovalID
		lines, err := linesOf(tx, r.ID)
		if err != nil {
			return err
		}
		return s.setLines(tx, a, r, lines, decisions)
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.ledgerReady(ctx); err != nil {
		return nil, err
	}
	if _, err := s.deps.Approval.Decide(ctx, a, approval.Decision{RequestID: approvalID, Approve: true, Comment: comment}); err != nil {
		return nil, err
	}
	return s.GetRequest(ctx, a, id)
}

// setLines records a's quantities for request r's lines (see decideLines),
// with an audit row and, when a line got less than it might, a timeline
// entry, in tx; the step's decision is the caller's.
func (s *Service) setLines(tx *gorm.DB, a actor.Actor, r *Request, lines []RequestLine, decisions []LineDecision) error {
	before := auditLines(lines)
	limits := make([]Qty, len(lines))
	for i := range lines {
		limits[i] = lines[i].granted()
	}
	if err := decideLines(lines, decisions); err != nil {
		return err
	}
	now := s.now()
	lowered := false
	for i := range lines {
		l := &lines[i]
		lowered = lowered || l.Approved < limits[i]
		if err := tx.Model(&RequestLine{}).Where("id = ?", l.ID).
			Updates(map[string]any{"approved": l.Approved, "state": l.State, "reason": l.Reason, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	if lowered { // the timeline tells only of less than asked; the approval says the rest
		if err := history.Note(tx, a, history.Entry{Entity: requestEntity, EntityID: r.ID, At: now, Action: "lines"}); err != nil {
			return err
		}
	}
	return audit.Record(tx, a, "warehouse.request.lines", requestEntity, r.ID, before, auditLines(lines))
}

// lowerings are the lines of a request an approver still decides, as the
// approve forms show them to a reader in lang: what was asked, and the
// quantity field starting at what the line may have.
func (s *Service) lowerings(lines []RequestLine, items map[uint]*Item, lang string) []approval.Lowering {
	var out []approval.Lowering
	for i := range lines {
		l := &lines[i]
		if !undecided(l) {
			continue
		}
		out = append(out, approval.Lowering{Label: lineLabel(l, items, lang), Asked: l.Requested.Format(lang),
			Unit: s.cat.T(lang, "warehouse.unit."+l.Unit), Value: typedQty(l.granted(), lang),
			QtyField: lineField(l.Seq, "qty"), ReasonField: lineField(l.Seq, "reason")})
	}
	return out
}

// linkLowerings are the lines the email link's approve page offers to lower.
func (s *Service) linkLowerings(ctx context.Context, q *gorm.DB, req *approval.Request, lang string) ([]approval.Lowering, error) {
	id, err := req.RowID()
	if err != nil {
		return nil, err
	}
	lines, err := linesOf(q, id)
	if err != nil {
		return nil, err
	}
	items, err := itemsOfLines(q, lines)
	if err != nil {
		return nil, err
	}
	return s.lowerings(lines, items, lang), nil
}

// lowerByLink records the quantities an approver typed on the email link's
// approve page, in the engine's deciding transaction just before the step
// is approved: the same rules as the app's ApproveLines (a line whose field
// was not sent keeps what it may have), each problem by its field.
func (s *Service) lowerByLink(ctx context.Context, tx *gorm.DB, req *approval.Request, values map[string]string, lang string) error {
	id, err := req.RowID()
	if err != nil {
		return err
	}
	r, lines, err := s.openRequest(tx, id, RequestPending, ErrNotPending)
	if err != nil {
		return err
	}
	var decisions []LineDecision
	for i := range lines {
		l := &lines[i]
		q, sent := values[lineField(l.Seq, "qty")]
		if sent && undecided(l) {
			decisions = append(decisions, LineDecision{LineID: l.ID, Quantity: q, Reason: values[lineField(l.Seq, "reason")]})
		}
	}
	if len(decisions) == 0 {
		return nil
	}
	err = s.setLines(tx, approval.Decider(ctx), r, lines, decisions)
	errs := web.Errors{}
	if placeRequestErrors(s.cat, lang, errs, err, func(n int) int { return n }, true) {
		return &approval.FieldErrors{Errors: errs}
	}
	return err
}

// decidable reads (and locks) request id for a, who is to decide it now:
// anyone who may not see it is told there is none, one who may see it but
// not decide it now is refused.
func (s *Service) decidable(tx *gorm.DB, a actor.Actor, id uint) (*Request, error) {
	r, err := s.lockRequest(tx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := mayView(tx, a, r); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrRequestNotFound
	}
	if r.Status != RequestPending || r.ApprovalID == nil {
		return nil, ErrNotPending
	}
	deciders, err := currentDeciders(tx, *r.ApprovalID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(deciders, a.ID) {
		return nil, ErrNotDecider
	}
	return r, nil
}

// RejectRequest is an approver refusing request id in the app, with the
// reason the engine requires; the engine's callback rejects every line and
// the engine mails the requester.
func (s *Service) RejectRequest(ctx context.Context, a actor.Actor, id uint, reason string) (*RequestDetail, error) {
	if s.deps.Approval == nil {
		return nil, ErrNoApproval
	}
	var approvalID uint
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.decidable(tx, a, id)
		if err == nil {
			approvalID = *r.ApprovalID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.deps.Approval.Decide(ctx, a, approval.Decision{RequestID: approvalID, Comment: reason}); err != nil {
		return nil, err
	}
	return s.GetRequest(ctx, a, id)
}

// decideLines applies decisions to lines (in place): every line still to
// decide gets its quantity and state, all problems at once (LineError by
// the line's place). A line nobody names keeps what it may have.
func decideLines(lines []RequestLine, decisions []LineDecision) error {
	byID := make(map[uint]*RequestLine, len(lines))
	for i := range lines {
		byID[lines[i].ID] = &lines[i]
	}
	var problems []error
	decided := map[uint]bool{}
	for i, d := range decisions {
		l := byID[d.LineID]
		if l == nil || decided[d.LineID] {
			problems = append(problems, &LineError{Line: i + 1, Err: ErrLineUnknown})
			continue
		}
		decided[l.ID] = true
		limit := l.granted() // 0 for a line an earlier step refused
		if !undecided(l) && l.State != LineRejected {
			continue // cancelled: nothing to decide
		}
		reason := trim(d.Reason)
		var q Qty
		var err error
		if s := strings.TrimSpace(d.Quantity); s != "0" {
			q, err = ParseQty(s, unitOf(l))
		}
		switch {
		case err != nil:
			problems = append(problems, &LineError{Line: l.Seq, Err: err})
			continue
		case q > limit:
			problems = append(problems, &LineError{Line: l.Seq, Err: ErrMoreThanAsked})
			continue
		case !web.ValidText(reason, maxReason):
			problems = append(problems, &LineError{Line: l.Seq, Err: ErrText})
			continue
		case q < limit && reason == "":
			problems = append(problems, &LineError{Line: l.Seq, Err: ErrLessReason})
			continue
		}
		l.Approved, l.State = q, lineStateFor(l, q)
		if q < limit {
			l.Reason = reason
		}
	}
	anything := false
	for i := range lines {
		l := &lines[i]
		if l.State == LineRequested {
			l.Approved, l.State = l.Requested, LineApproved
		}
		anything = anything || (undecided(l) && l.Approved > 0)
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	if !anything {
		return ErrNothingApproved
	}
	return nil
}

// undecided reports whether an approver still decides l.
func undecided(l *RequestLine) bool {
	return l.State == LineRequested || l.State == LineApproved || l.State == LinePartly
}

// lineStateFor is the state of line l approved q.
func lineStateFor(l *RequestLine, q Qty) string {
	switch {
	case q == 0:
		return LineRejected
	case q < l.Requested:
		return LinePartly
	}
	return LineApproved
}

// unitOf is the unit a line's quantities are counted in.
func unitOf(l *RequestLine) Unit {
	u, _ := UnitOf(l.Unit)
	return u
}

// requestOf reads, and locks, the request an approval is about.
func (s *Service) requestOf(tx *gorm.DB, req *approval.Request) (*Request, error) {
	id, err := req.RowID()
	if err != nil {
		return nil, err
	}
	return s.lockRequest(tx, id)
}

// onRequestApprove is the last approver's yes, in the engine's transaction:
// every line still open gets what it may have (a line nobody lowered, what
// was asked), then stock is reserved line by line through the ledger. What
// the shelf lacks is not refused: the line reserves what is available and
// the rest goes to the storekeeper's list to procure (a free-text line all
// of it; an item no longer stocked too). The storekeeper is mailed; the
// engine mails the requester the outcome with the lines.
func (s *Service) onRequestApprove(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
	id, err := req.RowID()
	if err != nil {
		return err
	}
	r, lines, st, err := s.openRequestStep(ctx, tx, id, RequestPending, ErrNotPending)
	if err != nil {
		return err
	}
	a := approval.Decider(ctx)
	now := s.now()
	for i := range lines {
		l := &lines[i]
		if l.State == LineRequested {
			l.Approved, l.State = l.Requested, LineApproved
		}
		if !undecided(l) {
			continue
		}
		if err := s.serveLine(tx, st, a, r, l); err != nil {
			return err
		}
		if err := tx.Model(&RequestLine{}).Where("id = ?", l.ID).
			Updates(map[string]any{"approved": l.Approved, "reserved": l.Reserved, "state": l.State, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	err = history.Move(tx, a, history.Transition{Entity: requestEntity, Model: &Request{}, ID: r.ID,
		From: []string{RequestPending}, To: RequestApproved, Set: map[string]any{"decided_at": now}, At: now,
		Audit: "warehouse.request.approve", Action: "approved",
		After: map[string]any{"status": RequestApproved, "lines": auditLines(lines)}})
	if errors.Is(err, history.ErrStateChanged) {
		return ErrNotPending
	}
	if err != nil {
		return err
	}
	return s.mailStore(ctx, tx, r, lines)
}

// serveLine reserves an approved line's quantity, or as much of it as is
// available, and sets its state: reserved when all of it is held,
// to_procure otherwise. Refusals of the ledger that say "not this item now"
// (short, retired, a unit changed to whole) send the rest to procurement;
// anything else fails the decision.
func (s *Service) serveLine(tx *gorm.DB, st *stmts, a actor.Actor, r *Request, l *RequestLine) error {
	want := l.Approved - l.Reserved
	if l.Free() || want <= 0 {
		l.State = LineToProcure
		if !l.Free() && want <= 0 {
			l.State = LineReserved
		}
		return nil
	}
	reserve := func(q Qty) error {
		_, err := s.post(tx, st, a, change{active: true, mv: Movement{ItemID: *l.ItemID, Kind: KindReserve, Reserved: q,
			DepartmentID: &r.DepartmentID, RequestLineID: &l.ID}})
		return err
	}
	err := reserve(want)
	var se *ShortError
	switch {
	case err == nil:
		l.Reserved += want
	case errors.As(err, &se) && !se.Reserved:
		if left := min(se.Left, want); left > 0 {
			if err := reserve(left); err != nil {
				return err
			}
			l.Reserved += left
		}
	case errors.Is(err, ErrInactive) || errors.Is(err, ErrFraction):
	default:
		return err
	}
	l.State = LineReserved
	if l.Reserved < l.Approved {
		l.State = LineToProcure
	}
	return nil
}

// onRequestReject is a refusal at any step: every line not cancelled is
// rejected and the request with it; the engine mails the requester the
// reason.
func (s *Service) onRequestReject(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
	r, err := s.requestOf(tx, req)
	if err != nil {
		return err
	}
	a := approval.Decider(ctx)
	now := s.now()
	if err := tx.Model(&RequestLine{}).Where("request_id = ? AND state IN ?", r.ID, []string{LineRequested, LineApproved, LinePartly}).
		Updates(map[string]any{"state": LineRejected, "approved": 0, "updated_at": now}).Error; err != nil {
		return err
	}
	err = history.Move(tx, a, history.Transition{Entity: requestEntity, Model: &Request{}, ID: r.ID,
		From: []string{RequestPending}, To: RequestRejected, Set: map[string]any{"decided_at": now}, At: now,
		Audit: "warehouse.request.reject", Action: "rejected", Comment: reason})
	if errors.Is(err, history.ErrStateChanged) {
		return ErrNotPending
	}
	return err
}

// ledgerCache keeps each database's prepared ledger statements once a call
// outside a transaction has prepared them.
var ledgerCache sync.Map // *db.DB → *stmts

// ledgerReady prepares the ledger's statements before a transaction (as
// move does) and remembers them for callbacks that run inside one.
func (s *Service) ledgerReady(ctx context.Context) (*stmts, error) {
	st, err := s.prepare(ctx)
	if err == nil {
		ledgerCache.Store(s.db, st)
	}
	return st, err
}

// ledgerStmts are post's statements for a movement inside tx, a
// transaction the service may not have opened (the approval engine's, when
// an email link decides): the prepared ones when a call made them earlier;
// otherwise on PostgreSQL prepared now on another connection, and on
// SQLite, whose one writer connection tx holds, prepared on tx for this
// transaction only (the audit row is then written through tx). A helper
// beside prepare; post is unchanged.
func (s *Service) ledgerStmts(ctx context.Context, tx *gorm.DB) (*stmts, error) {
	if st, ok := ledgerCache.Load(s.db); ok {
		return st.(*stmts), nil
	}
	if s.db.Dialect == db.Postgres {
		return s.ledgerReady(ctx)
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errNoTx
	}
	var st stmts
	var err error
	for _, p := range []struct {
		to  **sql.Stmt
		sql string
	}{{&st.update, updateSQL}, {&st.insert, insertSQL}, {&st.department, departmentSQL}} {
		if *p.to, err = sqlTx.PrepareContext(ctx, p.sql); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// requestFacts are the rows a request's summary is written from.
type requestFacts struct {
	r          *Request
	lines      []RequestLine
	items      map[uint]*Item
	requester  string
	department string
}

// requestFactsOf reads what reqs are about through q: the requests, their
// lines, the lines' items and the names of requesters and departments, five
// queries whatever their number. A request that is gone gets nil.
func requestFactsOf(q *gorm.DB, reqs []approval.Request) ([]*requestFacts, error) {
	ids, err := approval.RowIDs(reqs)
	if err != nil {
		return nil, err
	}
	var rs []Request
	if err := q.Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*requestFacts, len(rs))
	var personIDs, deptIDs []uint
	for i := range rs {
		byID[rs[i].ID] = &requestFacts{r: &rs[i]}
		personIDs, deptIDs = append(personIDs, rs[i].RequesterID), append(deptIDs, rs[i].DepartmentID)
	}
	var lines []RequestLine
	if len(rs) > 0 {
		if err := q.Where("request_id IN ?", ids).Order("request_id, seq").Find(&lines).Error; err != nil {
			return nil, err
		}
	}
	var itemIDs []uint
	for _, l := range lines {
		if f := byID[l.RequestID]; f != nil {
			f.lines = append(f.lines, l)
		}
		if l.ItemID != nil {
			itemIDs = append(itemIDs, *l.ItemID)
		}
	}
	items := map[uint]*Item{}
	if len(itemIDs) > 0 {
		var its []Item
		if err := q.Select("id, code, name_hu, name_en, unit").Where("id IN ?", itemIDs).Find(&its).Error; err != nil {
			return nil, err
		}
		for i := range its {
			items[its[i].ID] = &its[i]
		}
	}
	names, err := people.NamesOf(q, personIDs)
	if err != nil {
		return nil, err
	}
	deptNames, err := people.DepartmentNamesOf(q, deptIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*requestFacts, len(reqs))
	for i, id := range ids {
		f := byID[id]
		if f == nil {
			continue
		}
		f.items, f.requester, f.department = items, names[f.r.RequesterID], deptNames[f.r.DepartmentID]
		out[i] = f
	}
	return out, nil
}

// forintsIn writes an amount in lang: "86 000 Ft".
func forintsIn(lang string, n int64) string { return i18n.FormatNumber(lang, float64(n), 0) + " Ft" }

// value is forints for the lines still asked for or granted.
func (f *requestFacts) value() int64 {
	var v int64
	for i := range f.lines {
		l := &f.lines[i]
		if l.State != LineRejected && l.State != LineCancelled {
			v += l.value(l.granted())
		}
	}
	return v
}

// lineName is what a line is called in lang: the item's name and code, or
// the free text marked as such.
func (s *Service) lineName(lang string, f *requestFacts, l *RequestLine) string {
	if l.Free() {
		return l.Text + " (" + s.cat.T(lang, "warehouse.request.free_text") + ")"
	}
	if it := f.items[*l.ItemID]; it != nil {
		return it.Name(lang) + " (" + it.Code + ")"
	}
	return "#" + web.FormatID(*l.ItemID)
}

// qtyIn writes q of unit in lang: "3 rizsma", "3 reams".
func (s *Service) qtyIn(lang string, q Qty, unit string) string {
	return q.Format(lang) + " " + s.cat.T(lang, "warehouse.unit."+unit)
}

// lineValue is what a line says about its quantities in lang: "5 ream,
// 6 000 Ft" while undecided; "asked 5 ream, approved 3 ream, 3 600 Ft" once an
// approver gave less; then what is reserved and what is to procure.
func (s *Service) lineValue(lang string, l *RequestLine) string {
	unit := s.cat.T(lang, "warehouse.unit."+l.Unit)
	var out string
	switch {
	case l.State == LineRequested || (l.Approved == l.Requested && l.State != LineRejected && l.State != LineCancelled):
		out = s.qtyIn(lang, l.Requested, l.Unit)
	default:
		out = s.cat.T(lang, "warehouse.request.line_less", "Requested", l.Requested.Format(lang), "Approved", l.Approved.Format(lang), "Unit", unit)
	}
	if v := l.value(l.granted()); v > 0 && l.State != LineCancelled && l.State != LineRejected {
		out += ", " + forintsIn(lang, v)
	}
	if l.State != LineRequested {
		out += " · " + s.cat.T(lang, "warehouse.request.line_state."+l.State)
	}
	if p := l.ToProcure(); p > 0 && l.Reserved > 0 {
		out += " (" + s.cat.T(lang, "warehouse.request.line_split", "Reserved", l.Reserved.Format(lang), "Procure", p.Format(lang), "Unit", unit) + ")"
	}
	if l.Reason != "" {
		out += " — " + l.Reason
	}
	return out
}

// requestBrief is what lists and subjects say about a request in lang:
// "Supply request no. 12: Papp Eszter (3 lines)", for whom and which department,
// the needed-by day, and the value in the place of a length.
func (s *Service) requestBrief(lang string, f *requestFacts) approval.Summary {
	sum := approval.Summary{
		Title:  s.cat.T(lang, "warehouse.request.summary_title", "Number", web.FormatID(f.r.ID), "Name", f.requester, "Count", len(f.lines)),
		What:   s.cat.T(lang, "warehouse.request.summary_what"),
		About:  f.requester + " (" + f.department + ")",
		Extent: forintsIn(lang, f.value()),
		Path:   requestPath(f.r.ID),
	}
	if !f.r.NeededBy.IsZero() {
		y, m, d := f.r.NeededBy.Civil()
		sum.When = i18n.FormatDate(lang, y, m, d)
	}
	return sum
}

// describeRequests is the kind's Describe: the brief of every request of a
// list in a fixed number of queries; a request that is gone keeps its
// stored title.
func (s *Service) describeRequests(_ context.Context, q *gorm.DB, reqs []approval.Request, lang string) ([]approval.Summary, error) {
	facts, err := requestFactsOf(q, reqs)
	if err != nil {
		return nil, err
	}
	return approval.Briefs(reqs, facts, func(f *requestFacts) approval.Summary { return s.requestBrief(lang, f) }), nil
}

// requestSummary tells the approver, in their language, each line with its
// quantity and value, then the department, the purpose, the needed-by day
// and the total: what the request's mail and page show.
func (s *Service) requestSummary(_ context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
	facts, err := requestFactsOf(tx, []approval.Request{*req})
	if err != nil {
		return approval.Summary{}, err
	}
	f := facts[0]
	if f == nil {
		return approval.Summary{}, fmt.Errorf("warehouse: request %s of approval %d: %w", req.SubjectID, req.ID, gorm.ErrRecordNotFound)
	}
	sum := s.requestBrief(lang, f)
	for i := range f.lines {
		l := &f.lines[i]
		sum.Lines = append(sum.Lines, approval.Line{Label: s.lineName(lang, f, l), Value: s.lineValue(lang, l)})
	}
	sum.Lines = append(sum.Lines,
		approval.Line{Label: s.cat.T(lang, "warehouse.request.department"), Value: f.department},
		approval.Line{Label: s.cat.T(lang, "warehouse.request.purpose"), Value: f.r.Purpose})
	if sum.When != "" {
		sum.Lines = append(sum.Lines, approval.Line{Label: s.cat.T(lang, "warehouse.request.needed_by"), Value: sum.When})
	}
	sum.Lines = append(sum.Lines, approval.Line{Label: s.cat.T(lang, "warehouse.request.value"), Value: sum.Extent})
	return sum, nil
}

// mailStore tells every storekeeper, in their language, that request r was
// approved: what is reserved for it and what is to procure.
func (s *Service) mailStore(ctx context.Context, tx *gorm.DB, r *Request, lines []RequestLine) error {
	return s.mailStaff(ctx, tx, r, lines, "approved")
}

// mailCancelled tells those concerned that the requester cancelled r: the
// approvers still to decide (their links no longer work) and, when the
// store had work from it (reservations, procurement), the storekeepers.
func (s *Service) mailCancelled(ctx context.Context, tx *gorm.DB, r *Request, cancelled []RequestLine, deciders []uint, served bool) error {
	if s.deps.Outbox == nil {
		return nil
	}
	if len(deciders) > 0 {
		rs, err := people.Recipients(tx, s.lang(), deciders...)
		if err != nil {
			return err
		}
		if err := s.mailEach(tx, r, cancelled, rs, "cancelled", "warehouse.request.reason.approver"); err != nil {
			return err
		}
	}
	if !served {
		return nil
	}
	return s.mailStaff(ctx, tx, r, cancelled, "cancelled")
}

// mailStaff mails the storekeepers about event ("approved", "cancelled") of r.
func (s *Service) mailStaff(_ context.Context, tx *gorm.DB, r *Request, lines []RequestLine, event string) error {
	if s.deps.Outbox == nil {
		return nil
	}
	rs, err := people.RecipientsWithRole(tx, s.lang(), StaffRole)
	if err != nil {
		return err
	}
	return s.mailEach(tx, r, lines, rs, event, "warehouse.request.reason.store")
}

// mailEach queues one mail per recipient about event of r with its lines,
// keyed by the request, the event and the person, so a repeated change
// mails once.
func (s *Service) mailEach(tx *gorm.DB, r *Request, lines []RequestLine, rs []people.Recipient, event, reason string) error {
	if len(rs) == 0 {
		return nil
	}
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
		body := []string{s.cat.T(lang, "warehouse.request.mail."+event+"_body", "Name", facts.requester, "Department", facts.department)}
		for i := range lines {
			l := &lines[i]
			body = append(body, s.lineName(lang, facts, l)+": "+s.lineValue(lang, l))
		}
		err := s.deps.Outbox.Enqueue(tx, notify.Message{
			Key: fmt.Sprintf("warehouse/request/%d/%s/%d", r.ID, event, p.ID), To: p.Email, ToName: p.Name, Lang: lang,
			Template: "generic", Reason: reason,
			Data: notify.Generic{
				Title:       s.cat.T(lang, "warehouse.request.mail."+event+"_title", "Number", web.FormatID(r.ID), "Name", facts.requester),
				Lines:       body,
				ActionURL:   requestPath(r.ID),
				ActionLabel: s.cat.T(lang, "warehouse.request.mail.open"),
			},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lang is the suite's language, for people who never chose one.
func (s *Service) lang() string {
	if s.deps.Cfg != nil {
		return s.deps.Cfg.Lang
	}
	return ""
}
