package training

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/people"
)

// ApprovalKinds are the requests managers decide: a training outside the
// plan (training.request) and a person's yearly plan (training.plan).
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{
		{Name: KindRequest, Summary: s.requestSummary, Describe: s.describeRequests,
			OnApprove: s.onRequestApprove, OnReject: s.onRequestReject},
		{Name: KindPlan, Summary: s.planSummary, Describe: s.describePlans,
			OnApprove: s.onPlanApprove, OnReject: s.onPlanReject},
	}
}

// requestFacts is what a request's summary is written from.
type requestFacts struct {
	e    Enrolment
	t    Training
	sess *Session
	name string
}

// requestFactsOf reads the facts of the enrolments ids through q, by id.
func requestFactsOf(q *gorm.DB, ids []uint) (map[uint]*requestFacts, error) {
	var es []Enrolment
	if err := q.Where("id IN ?", ids).Find(&es).Error; err != nil {
		return nil, err
	}
	var tids, sids, pids []uint
	for _, e := range es {
		tids, pids = append(tids, e.TrainingID), append(pids, e.PersonID)
		if e.SessionID != nil {
			sids = append(sids, *e.SessionID)
		}
	}
	var ts []Training
	if err := q.Where("id IN ?", tids).Find(&ts).Error; err != nil {
		return nil, err
	}
	var ss []Session
	if len(sids) > 0 {
		if err := q.Where("id IN ?", sids).Find(&ss).Error; err != nil {
			return nil, err
		}
	}
	names, err := people.NamesOf(q, pids)
	if err != nil {
		return nil, err
	}
	tByID := map[uint]*Training{}
	for i := range ts {
		tByID[ts[i].ID] = &ts[i]
	}
	sByID := map[uint]*Session{}
	for i := range ss {
		sByID[ss[i].ID] = &ss[i]
	}
	out := map[uint]*requestFacts{}
	for _, e := range es {
		t := tByID[e.TrainingID]
		if t == nil {
			continue
		}
		f := &requestFacts{e: e, t: *t, name: names[e.PersonID]}
		if e.SessionID != nil {
			f.sess = sByID[*e.SessionID]
		}
		out[e.ID] = f
	}
	return out, nil
}

// requestBrief is the short summary of a request in lang: "Training:
// First aid – Papp Eszter", the session's days, the cost per person; a
// pending one names its days so the inbox shows who else is away then.
func (s *Service) requestBrief(lang string, f *requestFacts) approval.Summary {
	title := f.t.Title(lang)
	sum := approval.Summary{
		Title:  s.cat.T(lang, "training.enrol.approval.title", "Training", title, "Name", f.name),
		What:   s.cat.T(lang, "training.enrol.approval.what", "Training", title),
		About:  f.name,
		Extent: s.cat.T(lang, "training.enrol.approval.cost", "Cost", forintsIn(lang, f.t.CostFt)),
		Path:   enrolmentPath(f.e.ID),
	}
	if f.sess != nil {
		sum.When = f.sess.Days(lang, s.today().Year)
		if f.e.Status == EnrolPending {
			sum.Away = &approval.Span{PersonID: f.e.PersonID, From: f.sess.FirstDay, To: f.sess.LastDay}
		}
	} else {
		sum.When = s.cat.T(lang, "training.approval.no_session") // an e-learning: an empty "When" reads as missing
	}
	return sum
}

// forintsIn writes an amount of forints in lang, "48 000 Ft".
func forintsIn(lang string, n int64) string { return i18n.FormatNumber(lang, float64(n), 0) + " Ft" }

// enrolmentPath is an enrolment's page.
func enrolmentPath(id uint) string { return fmt.Sprintf("/training/enrolments/%d", id) }

// planPath is a plan's page.
func planPath(id uint) string { return fmt.Sprintf("/training/plans/%d", id) }

// requestSummary describes one request for the approver, with its lines:
// the training, provider, session, hours, cost and the reason.
func (s *Service) requestSummary(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
	id, err := req.RowID()
	if err != nil {
		return approval.Summary{}, err
	}
	facts, err := requestFactsOf(tx, []uint{id})
	if err != nil {
		return approval.Summary{}, err
	}
	f := facts[id]
	if f == nil {
		return approval.Summary{Title: req.Title}, nil
	}
	sum := s.requestBrief(lang, f)
	T := func(k string, args ...any) string { return s.cat.T(lang, k, args...) }
	if f.t.Provider != "" {
		sum.Lines = append(sum.Lines, approval.Line{Label: T("training.enrol.provider"), Value: f.t.Provider})
	}
	sum.Lines = append(sum.Lines, approval.Line{Label: T("training.enrol.kind"), Value: T("training.kind." + f.t.Kind)})
	if f.sess != nil {
		sum.Lines = append(sum.Lines, approval.Line{Label: T("training.enrol.session"), Value: sum.When + " " + f.sess.Hours()})
		place := f.sess.Place // a room-held session stores none: the room's name is shown
		err := s.showRoomNames(ctx, 1, func(int) (*uint, *string) { return f.sess.RoomID, &place })
		if err != nil {
			return approval.Summary{}, err
		}
		if place != "" {
			sum.Lines = append(sum.Lines, approval.Line{Label: T("training.enrol.place"), Value: place})
		}
	}
	sum.Lines = append(sum.Lines,
		approval.Line{Label: T("training.enrol.hours"), Value: i18n.FormatFigure(lang, float64(f.t.Minutes)/60)},
		approval.Line{Label: T("training.enrol.points"), Value: i18n.FormatFigure(lang, float64(f.t.Points))},
		approval.Line{Label: T("training.enrol.cost"), Value: forintsIn(lang, f.t.CostFt)})
	if f.e.Reason != "" {
		sum.Lines = append(sum.Lines, approval.Line{Label: T("training.enrol.reason"), Value: f.e.Reason})
	}
	return sum, nil
}

// describeRequests is the short summary of many requests, three queries
// and a names query whatever their number.
func (s *Service) describeRequests(ctx context.Context, q *gorm.DB, reqs []approval.Request, lang string) ([]approval.Summary, error) {
	ids, err := approval.RowIDs(reqs)
	if err != nil {
		return nil, err
	}
	facts, err := requestFactsOf(q, ids)
	if err != nil {
		return nil, err
	}
	list := make([]*requestFacts, len(ids))
	for i, id := range ids {
		list[i] = facts[id]
	}
	return approval.Briefs(reqs, list, func(f *requestFacts) approval.Summary { return s.requestBrief(lang, f) }), nil
}

// onRequestApprove books the approved request: a seat, the waiting list
// (session full) or simply approved (no session).
func (s *Service) onRequestApprove(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
	e, t, sess, err := s.pendingRequest(tx, req)
	if err != nil || e == nil {
		return err
	}
	if err := s.placeable(sess); err != nil {
		return err
	}
	return s.place(ctx, tx, approval.Decider(ctx), e, t, sess)
}

// onRequestReject marks the request rejected; the engine mails the reason.
func (s *Service) onRequestReject(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
	e, _, _, err := s.pendingRequest(tx, req)
	if err != nil || e == nil {
		return err
	}
	return history.Move(tx, approval.Decider(ctx), history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: e.ID,
		From: []string{EnrolPending}, To: EnrolRejected, Comment: reason, Audit: "training.enrolment.reject", Action: "rejected", At: s.now()})
}

// pendingRequest locks the request's enrolment with its training and
// session; nil when it is no longer pending (cancelled meanwhile).
func (s *Service) pendingRequest(tx *gorm.DB, req *approval.Request) (*Enrolment, *Training, *Session, error) {
	id, err := req.RowID()
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := s.lockEnrolment(tx, id)
	if err != nil || e.Status != EnrolPending {
		return nil, nil, nil, err
	}
	var t Training
	if err := tx.First(&t, e.TrainingID).Error; err != nil {
		return nil, nil, nil, err
	}
	var sess *Session
	if e.SessionID != nil {
		var row Session
		if err := tx.First(&row, *e.SessionID).Error; err != nil {
			return nil, nil, nil, err
		}
		sess = &row
	}
	return e, &t, sess, nil
}

// placeable refuses to approve a request whose session was cancelled or
// has started meanwhile: the approver is told to reject it (the person
// may ask for another date), and nothing changes.
func (s *Service) placeable(sess *Session) error {
	if sess != nil && (sess.Status != SessionScheduled || s.started(sess)) {
		return &approval.Refusal{Key: "training.enrol.refusal.session_gone", Err: ErrSessionStarted}
	}
	return nil
}

// planFacts is what a plan's summary is written from.
type planFacts struct {
	p      Plan
	name   string
	titles []string
	cost   int64
}

// planFactsOf reads plans ids with their trainings, titles in lang.
func planFactsOf(q *gorm.DB, ids []uint, lang string) (map[uint]*planFacts, error) {
	var ps []Plan
	if err := q.Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	var items []struct {
		PlanID           uint
		TitleHU, TitleEN string
		CostFt           int64
	}
	err := q.Table("training_plan_items AS i").Select("i.plan_id, t.title_hu, t.title_en, t.cost_ft").
		Joins("JOIN training_trainings AS t ON t.id = i.training_id").Where("i.plan_id IN ?", ids).
		Order("i.plan_id, t.title_hu, t.id").Scan(&items).Error
	if err != nil {
		return nil, err
	}
	var pids []uint
	for _, p := range ps {
		pids = append(pids, p.PersonID)
	}
	names, err := people.NamesOf(q, pids)
	if err != nil {
		return nil, err
	}
	out := map[uint]*planFacts{}
	for _, p := range ps {
		out[p.ID] = &planFacts{p: p, name: names[p.PersonID]}
	}
	for _, it := range items {
		if f := out[it.PlanID]; f != nil {
			t := Training{TitleHU: it.TitleHU, TitleEN: it.TitleEN}
			f.titles, f.cost = append(f.titles, t.Title(lang)), f.cost+it.CostFt
		}
	}
	return out, nil
}

// planBrief is the short summary of a plan: "Training plan 2027: Papp
// Eszter", 3 trainings, the cost.
func (s *Service) planBrief(lang string, f *planFacts) approval.Summary {
	return approval.Summary{
		Title:  s.cat.T(lang, "training.enrol.plan_approval.title", "Year", f.p.Year, "Name", f.name),
		What:   s.cat.T(lang, "training.enrol.plan_approval.what", "Year", f.p.Year),
		About:  f.name,
		When:   fmt.Sprint(f.p.Year),
		Extent: s.cat.T(lang, "training.enrol.plan_approval.extent", "Count", len(f.titles), "Cost", forintsIn(lang, f.cost)),
		Path:   planPath(f.p.ID),
	}
}

// planSummary describes one plan, a line per training.
func (s *Service) planSummary(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
	id, err := req.RowID()
	if err != nil {
		return approval.Summary{}, err
	}
	facts, err := planFactsOf(tx, []uint{id}, lang)
	if err != nil {
		return approval.Summary{}, err
	}
	f := facts[id]
	if f == nil {
		return approval.Summary{Title: req.Title}, nil
	}
	sum := s.planBrief(lang, f)
	for i, title := range f.titles {
		sum.Lines = append(sum.Lines, approval.Line{Label: s.cat.T(lang, "training.enrol.plan_approval.item", "N", i+1), Value: title})
	}
	if f.p.Note != "" {
		sum.Lines = append(sum.Lines, approval.Line{Label: s.cat.T(lang, "training.enrol.plan.note"), Value: f.p.Note})
	}
	return sum, nil
}

// describePlans is the short summary of many plans.
func (s *Service) describePlans(ctx context.Context, q *gorm.DB, reqs []approval.Request, lang string) ([]approval.Summary, error) {
	ids, err := approval.RowIDs(reqs)
	if err != nil {
		return nil, err
	}
	facts, err := planFactsOf(q, ids, lang)
	if err != nil {
		return nil, err
	}
	list := make([]*planFacts, len(ids))
	for i, id := range ids {
		list[i] = facts[id]
	}
	return approval.Briefs(reqs, list, func(f *planFacts) approval.Summary { return s.planBrief(lang, f) }), nil
}

// onPlanApprove approves the plan: its trainings are booked without asking.
func (s *Service) onPlanApprove(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
	return s.decidePlan(ctx, tx, req, PlanApproved, "")
}

// onPlanReject sends the plan back to its owner, who may change it and submit again.
func (s *Service) onPlanReject(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
	return s.decidePlan(ctx, tx, req, PlanRejected, reason)
}

func (s *Service) decidePlan(ctx context.Context, tx *gorm.DB, req *approval.Request, to, comment string) error {
	id, err := req.RowID()
	if err != nil {
		return err
	}
	return history.Move(tx, approval.Decider(ctx), history.Transition{Entity: PlanEntity, Model: &Plan{}, ID: id,
		From: []string{PlanPending}, To: to, Comment: comment, Audit: "training.plan." + to, Action: to, At: s.now()})
}
