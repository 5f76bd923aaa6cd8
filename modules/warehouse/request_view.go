package warehouse

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/history"
	"kapu/modules/platform/people"
)

// MinePerPage is how many requests "my requests" shows at a time.
const MinePerPage = 50

// openLine lists the states of a line still on its way to the requester:
// a request with one of them is still open for them.
var openLine = []string{LineRequested, LineApproved, LinePartly, LineReserved, LineToProcure, LineOrdered, LineReady, LineHandedOver}

// MineQuery picks a page of the requester's own requests; Open keeps those
// with a line still on its way (the start page's card).
type MineQuery struct {
	Page int
	Open bool
}

// RequestList is a page of requests with their lines and the items the
// lines name, read in three queries whatever the page's size.
type RequestList struct {
	Requests []RequestDetail
	Items    map[uint]*Item
	Total    int64
}

// MyRequests is a page of a's own requests, newest first.
func (s *Service) MyRequests(ctx context.Context, a actor.Actor, q MineQuery) (*RequestList, error) {
	out := &RequestList{Items: map[uint]*Item{}}
	if a.ID == 0 {
		return out, nil
	}
	page := max(q.Page, 1)
	r := s.db.R.WithContext(ctx)
	base := r.Model(&Request{}).Where("requester_id = ?", a.ID)
	if q.Open {
		base = base.Where("status IN ? AND EXISTS (SELECT 1 FROM warehouse_request_lines l WHERE l.request_id = warehouse_requests.id AND l.state IN ?)",
			[]string{RequestPending, RequestApproved}, openLine)
	}
	if err := base.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	var rs []Request
	if err := base.Session(&gorm.Session{}).Order("created_at DESC, id DESC").
		Limit(MinePerPage).Offset((page - 1) * MinePerPage).Find(&rs).Error; err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return out, nil
	}
	ids := make([]uint, len(rs))
	for i := range rs {
		ids[i] = rs[i].ID
	}
	var lines []RequestLine
	if err := r.Where("request_id IN ?", ids).Order("request_id, seq").Find(&lines).Error; err != nil {
		return nil, err
	}
	byReq := map[uint][]RequestLine{}
	for _, l := range lines {
		byReq[l.RequestID] = append(byReq[l.RequestID], l)
	}
	out.Requests = make([]RequestDetail, len(rs))
	for i := range rs {
		out.Requests[i] = RequestDetail{Request: rs[i], Lines: byReq[rs[i].ID]}
	}
	items, err := itemsOfLines(r, lines)
	if err != nil {
		return nil, err
	}
	out.Items = items
	return out, nil
}

// itemsOfLines reads the items lines name (id, code, names, unit).
func itemsOfLines(q *gorm.DB, lines []RequestLine) (map[uint]*Item, error) {
	out := map[uint]*Item{}
	var ids []uint
	for _, l := range lines {
		if l.ItemID != nil {
			ids = append(ids, *l.ItemID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var items []Item
	if err := q.Select("id, code, name_hu, name_en, unit, active").Where("id IN ?", ids).Find(&items).Error; err != nil {
		return nil, err
	}
	for i := range items {
		out[items[i].ID] = &items[i]
	}
	return out, nil
}

// OrderableItems are the catalogue's active items with their stock now,
// by category and code, for the request form.
func (s *Service) OrderableItems(ctx context.Context) ([]Item, error) {
	var items []Item
	err := s.db.R.WithContext(ctx).Where("active = ?", true).Order("category, code").Find(&items).Error
	return items, err
}

// HomeDepartment is a's own department, the request form's default cost
// centre; 0 when a has none.
func (s *Service) HomeDepartment(ctx context.Context, a actor.Actor) (uint, error) {
	if s.deps.People == nil || a.ID == 0 {
		return 0, nil
	}
	p, err := s.deps.People.Person(ctx, a.ID)
	if err != nil && !db.IsNotFound(err) {
		return 0, err
	}
	if p == nil || p.DepartmentID == nil {
		return 0, nil
	}
	return *p.DepartmentID, nil
}

// RequestView is what the request page shows one reader: the request and
// its lines, the names, the timeline and what the reader may do now.
type RequestView struct {
	RequestDetail
	Items      map[uint]*Item
	Requester  string
	Department string
	History    []history.Entry
	// CanCancel is the requester with a line still cancellable; CanDecide
	// an approver of the current step of a pending request.
	CanCancel, CanDecide bool
}

// Undecided reports whether an approver still decides line l.
func (l *RequestLine) Undecided() bool { return undecided(l) }

// ViewRequest is request id as its page shows it to a; someone who may not
// see it is told there is none (GetRequest's rule).
func (s *Service) ViewRequest(ctx context.Context, a actor.Actor, id uint) (*RequestView, error) {
	d, err := s.GetRequest(ctx, a, id)
	if err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx)
	v := &RequestView{RequestDetail: *d}
	if v.Items, err = itemsOfLines(q, d.Lines); err != nil {
		return nil, err
	}
	names, err := people.NamesOf(q, []uint{d.RequesterID})
	if err != nil {
		return nil, err
	}
	v.Requester = names[d.RequesterID]
	if err := q.Table("departments").Select("name").Where("id = ?", d.DepartmentID).Limit(1).Scan(&v.Department).Error; err != nil {
		return nil, err
	}
	if v.History, err = history.Of(q, requestEntity, d.ID); err != nil {
		return nil, err
	}
	if a.ID == d.RequesterID && (d.Status == RequestPending || d.Status == RequestApproved) {
		v.CanCancel = slices.ContainsFunc(d.Lines, func(l RequestLine) bool { return slices.Contains(cancellableLine, l.State) })
	}
	if d.Status == RequestPending && d.ApprovalID != nil {
		deciders, err := currentDeciders(q, *d.ApprovalID)
		if err != nil {
			return nil, err
		}
		v.CanDecide = slices.Contains(deciders, a.ID)
	}
	return v, nil
}
