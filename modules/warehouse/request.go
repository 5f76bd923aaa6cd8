package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// KindRequest is the approval kind of a supply request.
const KindRequest = "warehouse.request"

// Settings of the approval chain. Up to the limit (forints, the value of
// the lines at their unit prices) the requester's line manager decides
// alone; above it a second step goes to the person whose username the
// second-approver setting names (the head of finance). Without that setting
// a request above the limit has the manager's step only.
const (
	SettingApprovalLimit  = "warehouse.approval_limit"
	SettingSecondApprover = "warehouse.second_approver"
	DefaultApprovalLimit  = 100_000
)

// Limits of a request.
const (
	maxLines    = 30
	maxPurpose  = 500
	maxLineText = 200
	// maxNeededBy is how far ahead a needed-by day may be: a year.
	maxNeededBy = 366
)

// Errors of requests.
var (
	ErrRequestNotFound = errs.New(errs.NotFound, "warehouse: no such request")
	ErrRequestNotOwn   = errs.New(errs.Forbidden, "warehouse: only who asked cancels a request")
	ErrSignedOut       = errs.New(errs.Forbidden, "warehouse: a request is made by a person")
	ErrNoLines         = errs.New(errs.Invalid, "warehouse: a request needs at least one line")
	ErrTooManyLines    = errs.New(errs.Invalid, "warehouse: a request has at most 30 lines")
	ErrPurpose         = errs.New(errs.Invalid, "warehouse: say what the supplies are for")
	ErrNeededBy        = errs.New(errs.Invalid, "warehouse: the needed-by day is past or more than a year ahead")
	ErrLineText        = errs.New(errs.Invalid, "warehouse: a free-text line says what is needed")
	ErrDuplicateItem   = errs.New(errs.Invalid, "warehouse: the item is on another line already")
	ErrApprover        = errs.New(errs.Invalid, "warehouse: nobody can approve this request")
	ErrNotPending      = errs.New(errs.Conflict, "warehouse: the request is no longer waiting for approval")
	ErrNotDecider      = errs.New(errs.Forbidden, "warehouse: only the request's approver decides it")
	ErrMoreThanAsked   = errs.New(errs.Invalid, "warehouse: an approver never approves more than asked")
	ErrLessReason      = errs.New(errs.Invalid, "warehouse: say why less is approved")
	ErrNothingApproved = errs.New(errs.Invalid, "warehouse: approving nothing is rejecting the request")
	ErrLineUnknown     = errs.New(errs.Invalid, "warehouse: no such line on this request")
	ErrNotCancellable  = errs.New(errs.Conflict, "warehouse: nothing on the request can be cancelled any more")
	// ErrNoApproval is a service built without the approval engine (a bug
	// of the assembly, not of the input).
	ErrNoApproval = errors.New("warehouse: no approval engine")
)

func init() {
	for e, k := range map[error]string{
		ErrRequestNotFound: "warehouse.err.request_not_found", ErrRequestNotOwn: "warehouse.err.request_not_own",
		ErrSignedOut: "warehouse.err.signed_out", ErrNoLines: "warehouse.err.no_lines", ErrTooManyLines: "warehouse.err.too_many_lines",
		ErrPurpose: "warehouse.err.purpose", ErrNeededBy: "warehouse.err.needed_by", ErrLineText: "warehouse.err.line_text",
		ErrDuplicateItem: "warehouse.err.duplicate_item", ErrApprover: "warehouse.err.approver", ErrNotPending: "warehouse.err.not_pending",
		ErrNotDecider: "warehouse.err.not_decider", ErrMoreThanAsked: "warehouse.err.more_than_asked",
		ErrLessReason: "warehouse.err.less_reason", ErrNothingApproved: "warehouse.err.nothing_approved",
		ErrLineUnknown: "warehouse.err.line_unknown", ErrNotCancellable: "warehouse.err.not_cancellable",
	} {
		messages[e] = k
	}
}

// LineError is a problem of one line of a request form: Line is its place
// (from 1), so the form shows the message beside it. errors.Is sees the
// error inside.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }
func (e *LineError) Unwrap() error { return e.Err }

// RequestInput is a request as the employee fills it in.
type RequestInput struct {
	DepartmentID uint // the cost centre
	Purpose      string
	NeededBy     calendar.Date // zero: no day
	Lines        []LineInput
}

// LineInput is one line of the form: a catalogue item (ItemID) or a free
// text with its unit and, optionally, an estimated unit price in forints.
// Quantity is as typed; it is read in the item's unit (ParseQty).
type LineInput struct {
	ItemID   uint
	Text     string
	Unit     string
	Price    int64
	Quantity string
}

// SubmitRequest records a's request and sends it to its approvers through
// the approval engine, in one transaction; the engine mails the first
// approver the lines with their quantities and value and the one-click
// links. Every problem of the form comes back at once (lines as
// LineError) and nothing is written.
func (s *Service) SubmitRequest(ctx context.Context, a actor.Actor, in RequestInput) (*Request, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	if s.deps.Approval == nil {
		return nil, ErrNoApproval
	}
	r, lines, err := s.checkRequest(ctx, a, in)
	if err != nil {
		return nil, err
	}
	var value int64
	for i := range lines {
		value += lines[i].value(lines[i].Requested)
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if ok, err := departmentIn(tx, r.DepartmentID); err != nil {
			return err
		} else if !ok {
			return ErrDepartment
		}
		approvers, err := s.approversFor(ctx, tx, a, value)
		if err != nil {
			return err
		}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		for i := range lines {
			lines[i].RequestID = r.ID
		}
		if err := tx.Create(&lines).Error; err != nil {
			return err
		}
		req, err := s.deps.Approval.Submit(ctx, tx, KindRequest, web.FormatID(r.ID), a, approvers)
		if err != nil {
			return err
		}
		r.ApprovalID = &req.ID
		if err := tx.Model(r).Update("approval_id", req.ID).Error; err != nil {
			return err
		}
		if err := history.Note(tx, a, history.Entry{Entity: requestEntity, EntityID: r.ID, At: s.now(), Action: "submitted"}); err != nil {
			return err
		}
		return audit.Record(tx, a, "warehouse.request.submit", requestEntity, r.ID, nil,
			map[string]any{"department_id": r.DepartmentID, "lines": auditLines(lines), "value": value, "approvers": approvers})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// checkRequest validates the form against the catalogue and builds the
// request and its lines (not yet stored).
func (s *Service) checkRequest(ctx context.Context, a actor.Actor, in RequestInput) (*Request, []RequestLine, error) {
	var problems []error
	purpose := trim(in.Purpose)
	switch {
	case !web.ValidText(purpose, maxPurpose):
		problems = append(problems, ErrText)
	case purpose == "":
		problems = append(problems, ErrPurpose)
	}
	if in.DepartmentID == 0 {
		problems = append(problems, ErrDepartment)
	}
	if !in.NeededBy.IsZero() {
		today := calendar.DateOf(s.now(), s.tz())
		if in.NeededBy.Before(today) || in.NeededBy.After(today.AddDays(maxNeededBy)) {
			problems = append(problems, ErrNeededBy)
		}
	}
	switch {
	case len(in.Lines) == 0:
		problems = append(problems, ErrNoLines)
	case len(in.Lines) > maxLines:
		return nil, nil, errors.Join(append(problems, ErrTooManyLines)...)
	}
	items, err := s.itemsOf(ctx, in.Lines)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	lines := make([]RequestLine, 0, len(in.Lines))
	seen := map[uint]bool{}
	for i, li := range in.Lines {
		l, lineProblems := checkLine(li, items, seen)
		for _, p := range lineProblems {
			problems = append(problems, &LineError{Line: i + 1, Err: p})
		}
		l.Seq, l.State, l.CreatedAt, l.UpdatedAt = i+1, LineRequested, now, now
		lines = append(lines, l)
	}
	if len(problems) > 0 {
		return nil, nil, errors.Join(problems...)
	}
	r := &Request{RequesterID: a.ID, DepartmentID: in.DepartmentID, Purpose: purpose, NeededBy: in.NeededBy,
		Status: RequestPending, CreatedAt: now, UpdatedAt: now}
	return r, lines, nil
}

// checkLine checks one line of the form; seen holds the items of the lines
// before it, so an item is asked for once.
func checkLine(li LineInput, items map[uint]*Item, seen map[uint]bool) (RequestLine, []error) {
	var problems []error
	var l RequestLine
	var unit Unit
	if li.ItemID != 0 {
		it := items[li.ItemID]
		switch {
		case it == nil:
			return l, []error{ErrNotFound}
		case !it.Active:
			problems = append(problems, ErrInactive)
		case seen[it.ID]:
			problems = append(problems, ErrDuplicateItem)
		}
		seen[li.ItemID] = true
		id := it.ID
		l.ItemID, l.Unit, l.UnitPrice, unit = &id, it.Unit, it.UnitPrice, it.UnitInfo()
	} else {
		text := trim(li.Text)
		switch {
		case !validLine(text, maxLineText):
			problems = append(problems, ErrText)
		case text == "":
			problems = append(problems, ErrLineText)
		}
		u, ok := UnitOf(li.Unit)
		if !ok {
			problems = append(problems, ErrUnit)
		}
		if li.Price < 0 || li.Price > maxUnitPrice {
			problems = append(problems, ErrPrice)
		}
		l.Text, l.Unit, l.UnitPrice, unit = text, u.Code, li.Price, u
	}
	q, err := ParseQty(li.Quantity, unit)
	if err != nil {
		problems = append(problems, err)
	}
	l.Requested = q
	return l, problems
}

// itemsOf reads the catalogue items the lines name, by id.
func (s *Service) itemsOf(ctx context.Context, lines []LineInput) (map[uint]*Item, error) {
	var ids []uint
	for _, l := range lines {
		if l.ItemID != 0 {
			ids = append(ids, l.ItemID)
		}
	}
	out := map[uint]*Item{}
	if len(ids) == 0 {
		return out, nil
	}
	var items []Item
	if err := s.db.R.WithContext(ctx).Where("id IN ?", ids).Find(&items).Error; err != nil {
		return nil, err
	}
	for i := range items {
		out[items[i].ID] = &items[i]
	}
	return out, nil
}

// departmentIn reports whether department id exists, read through tx.
func departmentIn(tx *gorm.DB, id uint) (bool, error) {
	var n int64
	err := tx.Table("departments").Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// tz is the city hall's zone, for "today".
func (s *Service) tz() *time.Location {
	if s.deps.Cfg != nil && s.deps.Cfg.TZ != nil {
		return s.deps.Cfg.TZ
	}
	return time.UTC
}

// approversFor is the chain a request of value (forints) by a goes through:
// a's line manager, then the second approver when the value is above the
// limit. Nobody approves their own request, so a requester without a
// manager (or who is their own) goes to the second approver alone; with
// neither, nobody can approve it (ErrApprover).
func (s *Service) approversFor(ctx context.Context, tx *gorm.DB, a actor.Actor, value int64) ([]uint, error) {
	var first uint
	if ppl := s.deps.People; ppl != nil {
		ctx = db.WithTx(ctx, tx)
		p, err := ppl.Person(ctx, a.ID)
		if err != nil && !db.IsNotFound(err) {
			return nil, err
		}
		if p != nil {
			m, err := ppl.ManagerOf(ctx, p)
			if err != nil {
				return nil, err
			}
			if m != nil && m.Active && m.ID != a.ID {
				first = m.ID
			}
		}
	}
	limit, second, err := approvalSettings(tx)
	if err != nil {
		return nil, err
	}
	var out []uint
	if first != 0 {
		out = append(out, first)
	}
	if second != 0 && second != a.ID && second != first && (value > limit || first == 0) {
		out = append(out, second)
	}
	if len(out) == 0 {
		return nil, ErrApprover
	}
	return out, nil
}

// approvalSettings reads the limit (DefaultApprovalLimit when unset or not
// a number) and the second approver's person id (0 when unset, unknown or
// inactive) through tx.
func approvalSettings(tx *gorm.DB) (limit int64, second uint, err error) {
	read := func(name string) (string, error) {
		var v string
		err := tx.Table("settings").Select("value").Where("name = ?", name).Limit(1).Scan(&v).Error
		return strings.TrimSpace(v), err
	}
	v, err := read(SettingApprovalLimit)
	if err != nil {
		return 0, 0, err
	}
	limit = DefaultApprovalLimit
	if n, perr := strconv.ParseInt(v, 10, 64); perr == nil && n >= 0 {
		limit = n
	}
	if v, err = read(SettingSecondApprover); err != nil || v == "" {
		return limit, 0, err
	}
	var ids []uint
	if err := tx.Table("people").Where("username = ? AND active = ?", v, true).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, 0, err
	}
	if len(ids) > 0 {
		second = ids[0]
	}
	return limit, second, nil
}

// RequestDetail is a request with its lines in form order.
type RequestDetail struct {
	Request
	Lines []RequestLine
}

// GetRequest is request id for a reader who may see it: who asked, an
// approver of any of its steps, the storekeeper. Anyone else is told there
// is no such request.
func (s *Service) GetRequest(ctx context.Context, a actor.Actor, id uint) (*RequestDetail, error) {
	q := s.db.R.WithContext(ctx)
	var r Request
	if err := q.Limit(1).Find(&r, id).Error; err != nil {
		return nil, err
	}
	if r.ID == 0 {
		return nil, ErrRequestNotFound
	}
	ok, err := mayView(q, a, &r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrRequestNotFound
	}
	lines, err := linesOf(q, r.ID)
	if err != nil {
		return nil, err
	}
	return &RequestDetail{Request: r, Lines: lines}, nil
}

// mayView reports whether a may see request r (see GetRequest).
func mayView(q *gorm.DB, a actor.Actor, r *Request) (bool, error) {
	switch {
	case a.ID == 0:
		return false, nil
	case a.ID == r.RequesterID || isStaff(a):
		return true, nil
	case r.ApprovalID == nil:
		return false, nil
	}
	var n int64
	err := q.Model(&approval.Step{}).Where("request_id = ? AND (approver_id = ? OR deputy_id = ? OR escalated_to_id = ?)",
		*r.ApprovalID, a.ID, a.ID, a.ID).Count(&n).Error
	return n > 0, err
}

// linesOf reads a request's lines in form order.
func linesOf(q *gorm.DB, requestID uint) ([]RequestLine, error) {
	var lines []RequestLine
	err := q.Where("request_id = ?", requestID).Order("seq").Find(&lines).Error
	return lines, err
}

// lockRequest reads request id for update (PostgreSQL's row lock; SQLite's
// writer holds the database); ErrRequestNotFound when there is none.
func (s *Service) lockRequest(tx *gorm.DB, id uint) (*Request, error) {
	q := db.ForUpdate(tx)
	var r Request
	if err := q.Limit(1).Find(&r, id).Error; err != nil {
		return nil, err
	}
	if r.ID == 0 {
		return nil, ErrRequestNotFound
	}
	return &r, nil
}

// CancelRequest is the requester taking their request back: every line not
// yet handed over is cancelled and what was reserved for it is released,
// exactly that much, in one transaction; a request still with its
// approvers is withdrawn from the engine, so their links stop working.
// Lines already handed over stay as they are. The approvers of a pending
// request, or the storekeeper of an approved one, are mailed.
func (s *Service) CancelRequest(ctx context.Context, a actor.Actor, id uint) (*RequestDetail, error) {
	if _, err := s.ledgerReady(ctx); err != nil {
		return nil, err
	}
	var out *RequestDetail
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var peek Request
		if err := tx.Limit(1).Find(&peek, id).Error; err != nil {
			return err
		}
		if peek.ID == 0 {
			return ErrRequestNotFound
		}
		if peek.RequesterID != a.ID {
			if ok, err := mayView(tx, a, &peek); err != nil {
				return err
			} else if !ok {
				return ErrRequestNotFound
			}
			return ErrRequestNotOwn
		}
		// The engine's row first, then ours: the order a decision locks
		// them in (the engine, then its callback), so neither waits for
		// the other forever. A decision that committed meanwhile leaves
		// the approval decided; the request is then served and cancelled
		// as an approved one.
		var deciders []uint
		if peek.Status == RequestPending && peek.ApprovalID != nil && s.deps.Approval != nil {
			var err error
			if deciders, err = currentDeciders(tx, *peek.ApprovalID); err != nil {
				return err
			}
			if err := s.deps.Approval.Withdraw(ctx, tx, a, *peek.ApprovalID); err != nil && !errors.Is(err, approval.ErrDecided) {
				return err
			}
		}
		r, err := s.lockRequest(tx, id)
		if err != nil {
			return err
		}
		if r.Status != RequestPending {
			deciders = nil
		}
		if r.Status != RequestPending && r.Status != RequestApproved {
			return ErrNotCancellable
		}
		lines, err := linesOf(tx, r.ID)
		if err != nil {
			return err
		}
		st, err := s.ledgerStmts(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		var cancelled []RequestLine
		served := false // the storekeeper had work from it
		for i := range lines {
			l := &lines[i]
			if !slices.Contains(cancellableLine, l.State) {
				continue
			}
			served = served || (l.State != LineRequested && l.State != LineApproved && l.State != LinePartly)
			if l.Reserved > 0 {
				if _, err := s.post(tx, st, a, change{mv: Movement{ItemID: *l.ItemID, Kind: KindRelease, Reserved: -l.Reserved,
					DepartmentID: &r.DepartmentID, RequestLineID: &l.ID}}); err != nil {
					return err
				}
			}
			res := tx.Model(&RequestLine{}).Where("id = ? AND state = ? AND reserved = ?", l.ID, l.State, l.Reserved).
				Updates(map[string]any{"state": LineCancelled, "reserved": 0, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return ErrNotCancellable // changed under us: cannot happen under the lock
			}
			cancelled = append(cancelled, *l)
			l.State, l.Reserved = LineCancelled, 0
		}
		if len(cancelled) == 0 {
			return ErrNotCancellable
		}
		err = history.Move(tx, a, history.Transition{Entity: requestEntity, Model: &Request{}, ID: r.ID,
			From: []string{r.Status}, To: RequestCancelled, Set: map[string]any{"cancelled_at": now}, At: now,
			Audit: "warehouse.request.cancel", Action: "cancel",
			Before: map[string]any{"status": r.Status, "lines": auditLines(cancelled)},
			After:  map[string]any{"status": RequestCancelled}})
		if errors.Is(err, history.ErrStateChanged) {
			return ErrNotCancellable
		}
		if err != nil {
			return err
		}
		r.Status, r.CancelledAt = RequestCancelled, &now
		if err := s.mailCancelled(ctx, tx, r, cancelled, deciders, served); err != nil {
			return err
		}
		out = &RequestDetail{Request: *r, Lines: lines}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// currentDeciders are who may decide approval request id's current step now.
func currentDeciders(tx *gorm.DB, id uint) ([]uint, error) {
	var steps []approval.Step
	err := tx.Where("request_id = ? AND status = ?", id, approval.StepPending).Find(&steps).Error
	var out []uint
	for i := range steps {
		out = append(out, steps[i].Deciders()...)
	}
	return out, err
}

// auditLine is a line as audit rows show it.
type auditLine struct {
	Seq       int    `json:"seq"`
	ItemID    *uint  `json:"item_id,omitempty"`
	Text      string `json:"text,omitempty"`
	Requested Qty    `json:"requested"`
	Approved  Qty    `json:"approved"`
	Reserved  Qty    `json:"reserved"`
	State     string `json:"state"`
	Reason    string `json:"reason,omitempty"`
}

func auditLines(lines []RequestLine) []auditLine {
	out := make([]auditLine, len(lines))
	for i, l := range lines {
		out[i] = auditLine{l.Seq, l.ItemID, l.Text, l.Requested, l.Approved, l.Reserved, l.State, l.Reason}
	}
	return out
}

// requestPath is a request's page for its requester and approvers.
func requestPath(id uint) string { return fmt.Sprintf("/warehouse/requests/%d", id) }

// requestNames is the Namer of requestEntity: "no. 12, Papp Eszter".
func (s *Service) requestNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID   uint
		Name string
	}
	if err := s.db.R.WithContext(ctx).Table("warehouse_requests r").Select("r.id, p.name").
		Joins("LEFT JOIN people p ON p.id = r.requester_id").Where("r.id IN ?", nums).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[web.FormatID(r.ID)] = s.cat.T(lang, "warehouse.request.name", "Number", web.FormatID(r.ID), "Name", r.Name)
	}
	return out, nil
}
