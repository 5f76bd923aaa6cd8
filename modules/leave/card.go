package leave

import (
	"context"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Start-page windows: requests still ahead, and the team's week.
const (
	cardRequests = 5
	cardStanding = 20 // my latest approval requests searched for where they stand
	teamDays     = 7
)

// myLeaveCard is the start page's list of my leave still ahead, with where
// each pending request stands, under the days I have left this year.
func (m *Module) myLeaveCard(c *fiber.Ctx) (*web.Card, error) {
	s, ctx, me := m.svc, c.UserContext(), web.ViewerOf(c).ID
	today := s.Today()
	f, err := s.Figures(ctx, me, today.Year)
	if err != nil {
		return nil, err
	}
	lang := web.LangOf(c)
	card := &web.Card{Order: 20, Title: web.T(c, "leave.card.title"), Link: "/leave", LinkText: web.T(c, "leave.card.all"),
		Empty: web.T(c, "leave.card.empty"),
		Note:  web.T(c, "leave.card.left", "Days", i18n.FormatFigure(lang, halfDays(f.Remaining)), "Year", today.Year)}
	rows, err := s.requestRows(s.db.R.WithContext(ctx).
		Where("leave_requests.person_id = ? AND leave_requests.end_date >= ? AND leave_requests.status IN ?", me, today, activeStatuses).
		Order("leave_requests.start_date, leave_requests.id").Limit(cardRequests))
	if err != nil {
		return nil, err
	}
	// Where each pending request stands, from the approval engine's own
	// list of my requests (leave and its cancellations among them).
	mine, err := s.engine.MineIn(ctx, me, cardStanding, lang)
	if err != nil {
		return nil, err
	}
	waits := map[string]approval.MineItem{}
	for _, it := range mine {
		if (it.Kind == KindLeave || it.Kind == KindCancel) && it.WaitingFor != "" {
			waits[it.SubjectID] = it
		}
	}
	for _, r := range rows {
		item := web.CardItem{When: s.span(lang, r.StartDate, r.EndDate), Text: r.TypeName(lang),
			Link: "/leave/requests/" + web.FormatID(r.ID), Badge: web.T(c, "leave.status."+r.Status), BadgeClass: r.StatusClass()}
		if w, ok := waits[web.FormatID(r.ID)]; ok {
			item.Detail = web.T(c, "leave.card.waits", "Name", w.WaitingFor, "Step", w.CurrentStep, "Steps", w.Steps)
		}
		card.Items = append(card.Items, item)
	}
	return card, nil
}

// teamAwayCard is the start page's list of who of my team is away this
// week: my department's people and those I manage. Private types show only
// that the person is away.
func (m *Module) teamAwayCard(c *fiber.Ctx) (*web.Card, error) {
	s, ctx, me := m.svc, c.UserContext(), web.ViewerOf(c).ID
	team, err := s.teamOf(ctx, me)
	if err != nil || len(team) == 0 {
		return nil, err
	}
	today := s.Today()
	last := today.AddDays(teamDays - 1)
	rows, err := s.requestRows(s.db.R.WithContext(ctx).
		Where("leave_requests.person_id IN ? AND leave_requests.status IN ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			team, []string{StatusApproved, StatusCancelRequested}, last, today).
		Order("leave_requests.start_date, leave_requests.id"))
	if err != nil {
		return nil, err
	}
	lang := web.LangOf(c)
	card := &web.Card{Order: 30, Title: web.T(c, "leave.card.team_title"), Link: "/leave/team",
		LinkText: web.T(c, "leave.card.team_all"), Empty: web.T(c, "leave.card.team_empty")}
	type away struct {
		from calendar.Date
		item web.CardItem
	}
	var all []away
	for _, r := range rows {
		what := r.TypeName(lang)
		if r.Private {
			what = web.T(c, "leave.card.away")
		}
		all = append(all, away{r.StartDate, web.CardItem{When: s.span(lang, r.StartDate, r.EndDate), Text: r.Person, Detail: what}})
	}
	// Training days (people.Engagements) are away too: each run of days of
	// one training is a line, as the team calendar draws them.
	es, err := s.Engagements.Engagements(ctx, team, today, last)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(es))
	for i, e := range es {
		ids[i] = e.PersonID
	}
	names, err := people.NamesOf(s.db.R.WithContext(ctx), ids)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(es); {
		j := i + 1
		for j < len(es) && es[j].PersonID == es[i].PersonID && es[j].TitleHU == es[i].TitleHU {
			j++
		}
		what := web.T(c, "leave.card.training", "Title", es[i].Title(lang))
		all = append(all, away{es[i].Day, web.CardItem{When: s.span(lang, es[i].Day, es[j-1].Day), Text: names[es[i].PersonID], Detail: what}})
		i = j
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].from.Before(all[j].from) })
	for _, a := range all {
		card.Items = append(card.Items, a.item)
	}
	return card, nil
}

// teamOf is the active people of the person's department and those they manage, without them.
func (s *Service) teamOf(ctx context.Context, personID uint) ([]uint, error) {
	q := s.db.R.WithContext(ctx)
	p, err := s.people.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	ids, err := people.Reports(q, personID)
	if err != nil {
		return nil, err
	}
	if p.DepartmentID != nil {
		var same []uint
		if err := q.Table("people").Where("department_id = ? AND active = ?", *p.DepartmentID, true).Pluck("id", &same).Error; err != nil {
			return nil, err
		}
		ids = append(ids, same...)
	}
	out := ids[:0]
	seen := map[uint]bool{personID: true}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// span writes a leave's days the short way lists do: "12–14 Jan", "jan. 12–14.".
func (s *Service) span(lang string, from, to calendar.Date) string {
	return i18n.FormatDateRangeIn(lang, from.Start(time.UTC), to.Start(time.UTC), s.Today().Year)
}
