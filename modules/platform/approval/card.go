package approval

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// cardItems is how many waiting requests the start page lists.
const cardItems = 5

// waitingCard is the start page's list of what waits for my decision. People
// who never decide anything see no card at all while nothing waits for them.
func (m *Module) waitingCard(c *fiber.Ctx) (*web.Card, error) {
	v := web.ViewerOf(c)
	items, err := m.engine.InboxIn(c.UserContext(), v.ID, web.LangOf(c))
	if err != nil {
		return nil, err
	}
	card := &web.Card{Order: 5, Title: web.T(c, "approval.card.title"), Link: "/approvals",
		LinkText: web.T(c, "approval.card.all")}
	if v.Has(actor.Manager, actor.Fleet, actor.HR) {
		card.Empty = web.T(c, "approval.inbox_empty")
	}
	if len(items) > cardItems {
		card.Note = web.T(c, "approval.card.more", "Count", len(items))
		items = items[:cardItems]
	}
	for _, it := range items {
		sum := it.Summary
		ci := web.CardItem{Text: sum.Title, When: sum.When, Detail: sum.Duration, Link: "/approvals/" + web.FormatID(it.RequestID)}
		if ci.Text == "" {
			ci.Text = it.Title
		}
		if ci.When == "" && it.ActivatedAt != nil {
			ci.When = i18n.FormatDateTime(web.LangOf(c), *it.ActivatedAt, web.ServerOf(c).Cfg.TZ)
		}
		card.Items = append(card.Items, ci)
	}
	return card, nil
}

// Standing is where a pending request stands: its step of all, and who decides now.
type Standing struct {
	SubjectID string
	Step      int
	Steps     int
	Approver  string
}

// Standings answers, for requests of kind about the subjects, those still
// pending: which step they are at and whose decision they wait for.
func (e *Engine) Standings(ctx context.Context, kind string, subjectIDs []string) (map[string]Standing, error) {
	if len(subjectIDs) == 0 {
		return nil, nil
	}
	var rows []Standing
	err := e.db.R.WithContext(ctx).Table("approval_requests AS r").
		Select(`r.subject_id, r.current_step AS step,
			(SELECT COUNT(*) FROM approval_steps a WHERE a.request_id = r.id) AS steps,
			p.name AS approver`).
		Joins("JOIN approval_steps s ON s.request_id = r.id AND s.seq = r.current_step").
		Joins("JOIN people p ON p.id = COALESCE(s.escalated_to_id, s.approver_id)").
		Where("r.kind = ? AND r.status = ? AND r.subject_id IN ?", kind, StatusPending, subjectIDs).
		Scan(&rows).Error
	out := make(map[string]Standing, len(rows))
	for _, r := range rows {
		out[r.SubjectID] = r
	}
	return out, err
}
