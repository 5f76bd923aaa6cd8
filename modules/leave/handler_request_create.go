package leave

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestNew shows the request form, filled from ?start=&end=&type= (the plan's one-click request).
func (m *Module) handleRequestNew(c *fiber.Ctx) error {
	form := requestForm{TypeID: c.Query("type"), Start: c.Query("start"), End: c.Query("end")}
	return m.renderRequestForm(c, form, nil, nil, fiber.StatusOK)
}

// handleRequestCreate previews the cost (the "check" button) or sends the request.
func (m *Module) handleRequestCreate(c *fiber.Ctx) error {
	form := parseRequestForm(c)
	in, errs := form.input()
	if len(errs) > 0 {
		return m.renderRequestForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	v := web.ViewerOf(c)
	quote, err := m.svc.Quote(c.UserContext(), v.ID, in)
	if errs, ok := formErrors(err); ok {
		return m.renderRequestForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if c.FormValue("action") != "send" {
		return m.renderRequestForm(c, form, nil, &quote, fiber.StatusOK)
	}
	req, err := m.svc.Submit(c.UserContext(), web.ActorOf(c), v.ID, in)
	if errs, ok := formErrors(err); ok {
		if errors.Is(err, ErrPastStart) {
			quote.StartsInPast = true // the warning and its checkbox come with the message
		}
		return m.renderRequestForm(c, form, errs, &quote, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if req.Status == StatusApproved {
		web.Success(c, "leave.recorded")
	} else {
		web.Success(c, "leave.sent")
	}
	return c.Redirect("/leave/requests/"+web.FormatID(req.ID), fiber.StatusSeeOther)
}

func (m *Module) renderRequestForm(c *fiber.Ctx, form requestForm, errs web.Errors, quote *Quote, status int) error {
	types, err := m.svc.Types(c.UserContext(), true)
	if err != nil {
		return err
	}
	if form.TypeID == "" && len(types) > 0 {
		form.TypeID = web.FormatID(types[0].ID)
	}
	return web.RenderForm(c, "leave/request_form", web.Page{
		Title: "leave.new_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Types": typeOptions(types, web.LangOf(c)), "Quote": quoteView(quote),
			"PastStart": quote != nil && quote.StartsInPast},
	})
}

func typeOptions(types []Type, lang string) []web.Option {
	out := make([]web.Option, len(types))
	for i, t := range types {
		out[i] = web.Option{Value: web.FormatID(t.ID), Label: t.Name(lang)}
	}
	return out
}

// QuoteView is a quote in days for the template.
type QuoteView struct {
	Days   float64
	Counts bool
	Years  []YearAfter
}

// YearAfter is the balance left in one year after the request.
type YearAfter struct {
	Year       int
	Days       float64
	After      float64
	IsNegative bool
}

func quoteView(q *Quote) *QuoteView {
	if q == nil {
		return nil
	}
	v := &QuoteView{Days: halfDays(q.Halves), Counts: q.Type.CountsAgainst}
	for y := range q.PerYear {
		v.Years = append(v.Years, YearAfter{Year: y, Days: halfDays(q.PerYear[y]), After: halfDays(q.After[y]), IsNegative: q.After[y] < 0})
	}
	if len(v.Years) == 2 && v.Years[0].Year > v.Years[1].Year {
		v.Years[0], v.Years[1] = v.Years[1], v.Years[0]
	}
	return v
}
