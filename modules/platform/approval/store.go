package approval

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/history"
)

// InboxItem is one request waiting for a person's decision.
type InboxItem struct {
	RequestID     uint
	Kind          string
	Title         string
	RequesterName string
	Seq           int
	ApproverID    uint
	ApproverName  string // shown when the person decides for someone else
	ActivatedAt   *time.Time
	SubjectID     string
	RequesterID   uint
	Summary       Summary `gorm:"-"` // filled by InboxIn, in the reader's language
}

// waitingFor selects the pending current steps a person may decide.
func waitingFor(q *gorm.DB, personID uint) *gorm.DB {
	return q.Table("approval_steps AS s").
		Joins("JOIN approval_requests AS r ON r.id = s.request_id AND r.current_step = s.seq").
		Where("s.status = ? AND r.status = ?", StepPending, StatusPending).
		Where("s.approver_id = ? OR s.deputy_id = ? OR s.escalated_to_id = ?", personID, personID, personID)
}

// Inbox lists what waits for the person's decision, oldest first.
func (e *Engine) Inbox(ctx context.Context, personID uint) ([]InboxItem, error) {
	var out []InboxItem
	err := waitingFor(e.db.R.WithContext(ctx), personID).
		Select("r.id AS request_id, r.kind, r.title, r.subject_id, r.requester_id, rq.name AS requester_name, s.seq, s.approver_id, ap.name AS approver_name, s.activated_at").
		Joins("JOIN people AS rq ON rq.id = r.requester_id").
		Joins("JOIN people AS ap ON ap.id = s.approver_id").
		Order("s.activated_at, r.id").Scan(&out).Error
	return out, err
}

// InboxIn is Inbox with each request described in lang, the reader's
// language: title, dates, length and, for leave, who else of the
// requester's team is away then; a bounded number of queries for the page.
func (e *Engine) InboxIn(ctx context.Context, personID uint, lang string) ([]InboxItem, error) {
	items, err := e.Inbox(ctx, personID)
	if err != nil || len(items) == 0 {
		return items, err
	}
	reqs := make([]Request, len(items))
	for i, it := range items {
		reqs[i] = Request{ID: it.RequestID, Kind: it.Kind, SubjectID: it.SubjectID, RequesterID: it.RequesterID,
			Title: it.Title, Status: StatusPending, CurrentStep: it.Seq}
	}
	sums, err := e.Describe(ctx, reqs, lang)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Summary = sums[i]
		items[i].Title = sums[i].Title
	}
	return items, nil
}

// MineItem is one of a person's own requests, described in the reader's
// language, with whom it waits for while pending.
type MineItem struct {
	Request
	Summary    Summary
	Steps      int    // how many steps the request has
	WaitingFor string // the current step's approver (and deputy), while pending
}

// MineIn is Mine with each request described in lang and, for the pending
// ones, whom they wait for: a bounded number of queries for the list.
func (e *Engine) MineIn(ctx context.Context, personID uint, limit int, lang string) ([]MineItem, error) {
	reqs, err := e.Mine(ctx, personID, limit)
	if err != nil || len(reqs) == 0 {
		return nil, err
	}
	sums, err := e.Describe(ctx, reqs, lang)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(reqs))
	for i := range reqs {
		ids[i] = reqs[i].ID
	}
	steps, err := stepRowsOf(e.db.R.WithContext(ctx), ids)
	if err != nil {
		return nil, err
	}
	out := make([]MineItem, len(reqs))
	at := make(map[uint]int, len(reqs))
	for i := range reqs {
		out[i] = MineItem{Request: reqs[i], Summary: sums[i]}
		at[reqs[i].ID] = i
	}
	for _, st := range steps {
		it := &out[at[st.RequestID]]
		it.Steps++
		if it.Status == StatusPending && st.Seq == it.CurrentStep {
			it.WaitingFor = waitingNames(st)
		}
	}
	return out, nil
}

// Waiting counts what waits for the person, for the navigation badge.
func (e *Engine) Waiting(ctx context.Context, personID uint) (int64, error) {
	var n int64
	err := waitingFor(e.db.R.WithContext(ctx), personID).Count(&n).Error
	return n, err
}

// Detail is a request with its steps and history, for its page.
type Detail struct {
	Request   Request
	Summary   Summary
	Steps     []StepRow
	History   []history.Entry
	Requester string
	Current   *StepRow  // the pending step, if any
	Progress  *Progress // after an approved step, whom the request waits for now
}

// StepRow is a step with the names a page shows.
type StepRow struct {
	Step
	ApproverName  string
	DeputyName    string
	EscalatedName string
	DecidedByName string
}

// Detail loads a request for a. The requester, every approver, deputy and
// escalation target of its steps, and administrators may see it.
func (e *Engine) Detail(ctx context.Context, a actor.Actor, id uint, lang string) (*Detail, error) {
	q := e.db.R.WithContext(ctx)
	d := &Detail{}
	if err := q.First(&d.Request, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	var err error
	if d.Steps, err = stepRows(q, id); err != nil {
		return nil, err
	}
	d.Progress = progressOf(&d.Request, d.Steps)
	allowed := a.ID == d.Request.RequesterID || a.Has(actor.Admin)
	for i := range d.Steps {
		s := &d.Steps[i]
		if s.CanDecide(a.ID) {
			allowed = true
		}
		if s.Status == StepPending && d.Request.Status == StatusPending {
			d.Current = s
		}
	}
	if !allowed {
		return nil, ErrForbidden
	}
	if d.History, err = history.Of(q, Entity, id); err != nil {
		return nil, err
	}
	if p, err := e.people.Person(ctx, d.Request.RequesterID); err == nil {
		d.Requester = p.Name
	}
	if k, ok := e.kind(d.Request.Kind); ok {
		s, err := k.Summary(ctx, q, &d.Request, lang)
		if err != nil {
			return nil, err
		}
		d.Summary = s
	} else {
		d.Summary = Summary{Title: d.Request.Title}
	}
	return d, nil
}

// Mine lists the requests a person made, newest first.
func (e *Engine) Mine(ctx context.Context, personID uint, limit int) ([]Request, error) {
	var out []Request
	err := e.db.R.WithContext(ctx).Where("requester_id = ?", personID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Digest reports whether the person chose one daily email over one per request.
func (e *Engine) Digest(ctx context.Context, personID uint) bool {
	return e.wantsDigest(e.db.R.WithContext(ctx), personID)
}

// SetDigest stores the person's choice.
func (e *Engine) SetDigest(ctx context.Context, personID uint, digest bool) error {
	return e.db.W.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "person_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"digest"}),
	}).Create(&Pref{PersonID: personID, Digest: digest}).Error
}
