package leave

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleOverviewShow is "My leave": this year's numbers, the requests and the feed link.
func (m *Module) handleOverviewShow(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	today := m.svc.Today()
	year := today.Year
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= today.Year-10 && y <= today.Year+1 {
		year = y
	}
	fig, err := m.svc.Figures(c.UserContext(), v.ID, year)
	if err != nil {
		return err
	}
	reqs, err := m.svc.MyRequests(c.UserContext(), v.ID, year)
	if err != nil {
		return err
	}
	feed, err := m.feed.URL(c, v.ID)
	if err != nil {
		return err
	}
	return web.Render(c, "leave/overview", web.Page{
		Title: "leave.overview_title",
		Form:  fiber.Map{},
		Data: fiber.Map{
			"Fig": figuresView(fig), "Requests": reqs, "Year": year,
			"PrevYear": year - 1, "NextYear": year + 1, "ThisYear": today.Year,
			"FeedURL": feed,
		},
	})
}

// FiguresView is Figures in days for templates.
type FiguresView struct {
	Figures
	AllocatedDays, CarriedDays, TakenDays, FutureDays, PendingDays, PlannedDays, ExpiredDays, RemainingDays, AvailableDays float64
}

func figuresView(f Figures) FiguresView {
	return FiguresView{Figures: f,
		AllocatedDays: halfDays(f.Allocated), CarriedDays: halfDays(f.Carried), TakenDays: halfDays(f.Taken),
		FutureDays: halfDays(f.Future), PendingDays: halfDays(f.Pending), PlannedDays: halfDays(f.Planned),
		ExpiredDays: halfDays(f.Expired), RemainingDays: halfDays(f.Remaining), AvailableDays: halfDays(f.Available)}
}
