package approval

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
)

// Span is a stretch of days a person is away because of a request.
type Span struct {
	PersonID uint
	From, To calendar.Date
}

// TeamAbsences is what the engine's Absences may answer besides
// people.Absences: for each span, the names of the person's teammates (the
// same department) away on any of its days, for all spans in one query, so
// a list of requests says who else is away without a query per row. The
// leave module implements it.
type TeamAbsences interface {
	TeamAway(ctx context.Context, spans []Span) ([][]string, error)
}

// RowID is the record a request is about, for the kinds whose subject is
// one row's id (every module's so far); an error names the kind, as a
// subject that is not an id is a bug, not a visitor's doing.
func (r *Request) RowID() (uint, error) {
	n, err := strconv.ParseUint(r.SubjectID, 10, 32)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("approval: %s subject %q is not an id", r.Kind, r.SubjectID)
	}
	return uint(n), nil
}

// RowIDs is RowID of each request, for a Describe.
func RowIDs(reqs []Request) ([]uint, error) {
	ids := make([]uint, len(reqs))
	for i := range reqs {
		id, err := reqs[i].RowID()
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// Briefs is a Describe's answer from each request's facts, read for all of
// them at once (nil for a request whose subject is gone: it keeps its
// stored title).
func Briefs[F any](reqs []Request, facts []*F, brief func(*F) Summary) []Summary {
	out := make([]Summary, len(reqs))
	for i, f := range facts {
		if f == nil {
			out[i] = Summary{Title: reqs[i].Title}
			continue
		}
		out[i] = brief(f)
	}
	return out
}

// Headline is the title with the request's dates, for email subjects and
// lists: "Annual leave: Papp Eszter, 12–14 Jan".
func (s Summary) Headline() string {
	if s.When == "" {
		return s.Title
	}
	return s.Title + ", " + s.When
}

// AwayNames lists AlsoAway for a page: "Simon Réka, Szalai Ádám".
func (s Summary) AwayNames() string { return strings.Join(s.AlsoAway, ", ") }

// Describe builds the short summaries of reqs (title, when, how long, who
// else is away) in lang, in the order of reqs: a few queries per kind and
// one for the absences, whatever the number of requests. A request of a
// kind no longer registered keeps its stored title.
func (e *Engine) Describe(ctx context.Context, reqs []Request, lang string) ([]Summary, error) {
	return e.describe(ctx, e.db.R.WithContext(ctx), reqs, lang)
}

func (e *Engine) describe(ctx context.Context, q *gorm.DB, reqs []Request, lang string) ([]Summary, error) {
	out := make([]Summary, len(reqs))
	var order []string
	byKind := map[string][]int{}
	for i, r := range reqs {
		if _, seen := byKind[r.Kind]; !seen {
			order = append(order, r.Kind)
		}
		byKind[r.Kind] = append(byKind[r.Kind], i)
	}
	for _, name := range order {
		idx := byKind[name]
		k, ok := e.kind(name)
		switch {
		case !ok:
			for _, i := range idx {
				out[i] = Summary{Title: reqs[i].Title}
			}
		case k.Describe != nil:
			sub := make([]Request, len(idx))
			for j, i := range idx {
				sub[j] = reqs[i]
			}
			sums, err := k.Describe(ctx, q, sub, lang)
			if err != nil {
				return nil, err
			}
			if len(sums) != len(sub) {
				return nil, fmt.Errorf("approval: kind %q described %d of %d requests", name, len(sums), len(sub))
			}
			for j, i := range idx {
				out[i] = sums[j]
			}
		default:
			for _, i := range idx {
				s, err := k.Summary(ctx, q, &reqs[i], lang)
				if err != nil {
					return nil, err
				}
				out[i] = s
			}
		}
	}
	return out, e.alsoAway(ctx, out)
}

// alsoAway fills AlsoAway of the summaries that name a Span, in one call.
func (e *Engine) alsoAway(ctx context.Context, sums []Summary) error {
	ta, ok := e.Absences.(TeamAbsences)
	if !ok {
		return nil
	}
	var spans []Span
	var at []int
	for i := range sums {
		if sums[i].Away != nil {
			spans = append(spans, *sums[i].Away)
			at = append(at, i)
		}
	}
	if len(spans) == 0 {
		return nil
	}
	names, err := ta.TeamAway(ctx, spans)
	if err != nil {
		return err
	}
	for j, i := range at {
		if j < len(names) {
			sums[i].AlsoAway = names[j]
		}
	}
	return nil
}

// Title is the request's title with its dates in lang ("Annual leave: Papp
// Eszter, 12–14 Jan"), for messages about it; its stored title when it cannot
// be described any more.
func (e *Engine) Title(ctx context.Context, req *Request, lang string) string {
	return e.describeOne(ctx, e.db.R.WithContext(ctx), req, lang).Headline()
}

// describeOne is Describe for one request, read through q.
func (e *Engine) describeOne(ctx context.Context, q *gorm.DB, req *Request, lang string) Summary {
	sums, err := e.describe(ctx, q, []Request{*req}, lang)
	if err != nil || len(sums) != 1 {
		return Summary{Title: req.Title}
	}
	return sums[0]
}

// Progress is where a request of several steps stands once a step was
// approved and a later one waits: who approved the step before and when,
// and whom the current step waits for.
type Progress struct {
	Seq, Steps int // the step now waiting, of how many
	PrevSeq    int
	PrevBy     string
	PrevAt     *time.Time
	Approver   string // the current step's approver
	Deputy     string // acting for the approver, if any
	Escalated  string // the approver's manager, after waiting, if any
}

// progressOf is the progress of req from its steps; nil while the first step
// waits or once the request is decided.
func progressOf(req *Request, steps []StepRow) *Progress {
	if req.Status != StatusPending || req.CurrentStep < 2 {
		return nil
	}
	p := &Progress{Seq: req.CurrentStep, Steps: len(steps)}
	for _, s := range steps {
		switch s.Seq {
		case req.CurrentStep - 1:
			p.PrevSeq, p.PrevBy, p.PrevAt = s.Seq, s.DecidedByName, s.DecidedAt
		case req.CurrentStep:
			p.Approver, p.Deputy, p.Escalated = s.ApproverName, s.DeputyName, s.EscalatedName
		}
	}
	return p
}

// stepRows loads a request's steps with the names pages show.
func stepRows(q *gorm.DB, requestID uint) ([]StepRow, error) {
	return stepRowsOf(q, []uint{requestID})
}

// stepRowsOf loads the steps of several requests, in request and step order.
func stepRowsOf(q *gorm.DB, requestIDs []uint) ([]StepRow, error) {
	var out []StepRow
	err := q.Table("approval_steps AS s").
		Select("s.*, ap.name AS approver_name, dp.name AS deputy_name, es.name AS escalated_name, dc.name AS decided_by_name").
		Joins("JOIN people AS ap ON ap.id = s.approver_id").
		Joins("LEFT JOIN people AS dp ON dp.id = s.deputy_id").
		Joins("LEFT JOIN people AS es ON es.id = s.escalated_to_id").
		Joins("LEFT JOIN people AS dc ON dc.id = s.decided_by_id").
		Where("s.request_id IN ?", requestIDs).Order("s.request_id, s.seq").Scan(&out).Error
	return out, err
}

// waitingNames are who may decide a pending step now: the approver, their
// deputy and, after escalation, the approver's manager.
func waitingNames(s StepRow) string {
	names := []string{s.ApproverName}
	for _, n := range []string{s.DeputyName, s.EscalatedName} {
		if n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}
