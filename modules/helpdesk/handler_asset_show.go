package helpdesk

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// planForm is the maintenance plan form as typed.
type planForm struct {
	ID                                    uint
	Title, Category, EveryMonths, NextDue string
}

// planFields places the plan's refusals next to its fields.
var planFields = map[error]web.FieldMessage{
	ErrPlanTitle: {"plan_title", "helpdesk.plan.err.title"}, ErrTitleTooLong: {"plan_title", "helpdesk.err.title_too_long"},
	ErrPlanEvery: {"every_months", "helpdesk.plan.err.every"}, ErrPlanDue: {"next_due", "helpdesk.plan.err.due"},
	ErrPlanCategory: {"category", "helpdesk.plan.err.category"},
}

// handleAssetShow is the asset page: its data, figures, fault history and
// maintenance plans; ?plan= puts that plan in the plan form to edit it.
func (m *Module) handleAssetShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	var pf planForm
	if pid, ok := web.ID(c.Query("plan")); ok {
		pf.ID = pid
	}
	return m.renderAssetShow(c, id, pf, nil, fiber.StatusOK)
}

func (m *Module) renderAssetShow(c *fiber.Ctx, id uint, pf planForm, errs web.Errors, status int) error {
	a, ctx := web.ActorOf(c), c.UserContext()
	h, err := m.svc.AssetHistory(ctx, a, id)
	if err != nil {
		return err
	}
	plans, err := m.svc.Plans(ctx, a, id)
	if err != nil {
		return err
	}
	cats, catName, err := m.assetCategories(c, h.Asset.QueueKey)
	if err != nil {
		return err
	}
	if pf.ID != 0 && errs == nil {
		found := false
		for _, p := range plans {
			if p.ID == pf.ID {
				pf = planForm{ID: p.ID, Title: p.Title, Category: web.FormatID(p.CategoryID),
					EveryMonths: strconv.Itoa(p.EveryMonths), NextDue: p.NextDue.String()}
				found = true
			}
		}
		if !found {
			pf = planForm{}
		}
	}
	if pf.ID == 0 && errs == nil && pf.EveryMonths == "" {
		pf.EveryMonths = "12"
	}
	page := web.Page{Title: "helpdesk.asset.title", Form: pf, Errors: errs, Status: status,
		Data: fiber.Map{"H": h, "Plans": plans, "Categories": cats, "CategoryName": catName,
			"ReportURL": "/helpdesk/new?asset=" + url.QueryEscape(h.Asset.Tag)}}
	if errs != nil {
		return web.RenderForm(c, "helpdesk/asset_show", page)
	}
	return web.Render(c, "helpdesk/asset_show", page)
}

// assetCategories are the active categories of the queue key as options
// and by id, in the viewer's language.
func (m *Module) assetCategories(c *fiber.Ctx, key string) ([]web.Option, map[uint]string, error) {
	ctx := c.UserContext()
	qs, err := m.svc.Queues(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[uint]string{}
	var opts []web.Option
	for _, q := range qs {
		if q.Key != key {
			continue
		}
		cs, err := m.svc.Categories(ctx, q.ID, true)
		if err != nil {
			return nil, nil, err
		}
		for _, ct := range cs {
			names[ct.ID] = ct.Name(web.LangOf(c))
			if ct.Active {
				opts = append(opts, web.Option{Value: web.FormatID(ct.ID), Label: ct.Name(web.LangOf(c))})
			}
		}
	}
	return opts, names, nil
}

// handlePlanCreate adds a maintenance plan to the asset.
func (m *Module) handlePlanCreate(c *fiber.Ctx) error { return m.savePlan(c, 0) }

// handlePlanUpdate changes one of the asset's plans.
func (m *Module) handlePlanUpdate(c *fiber.Ctx) error {
	pid, err := web.IDParam(c, "plan")
	if err != nil {
		return err
	}
	return m.savePlan(c, pid)
}

func (m *Module) savePlan(c *fiber.Ctx, pid uint) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	pf := planForm{ID: pid, Title: c.FormValue("plan_title"), Category: c.FormValue("category"),
		EveryMonths: c.FormValue("every_months"), NextDue: c.FormValue("next_due")}
	errs := web.Errors{}
	in := PlanInput{Title: pf.Title}
	in.CategoryID = web.ParseID(pf.Category, "category", errs)
	in.EveryMonths = web.ParseInt(pf.EveryMonths, "every_months", 1, maxEveryMonths, errs)
	in.NextDue = calendar.ParseDateField(pf.NextDue, "next_due", errs)
	if errs.Any() {
		return m.renderAssetShow(c, id, pf, errs, fiber.StatusUnprocessableEntity)
	}
	p, err := m.svc.SavePlan(c.UserContext(), web.ActorOf(c), id, pid, in)
	if fe, ok := web.FieldErrors(err, planFields); ok {
		return m.renderAssetShow(c, id, pf, fe, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.plan.saved", "Title", p.Title, "Date", web.Date(c, p.NextDue))
	return c.Redirect("/helpdesk/assets/"+web.FormatID(id)+"#plans", fiber.StatusSeeOther)
}

// handlePlanDeleteConfirm asks before a plan ends.
func (m *Module) handlePlanDeleteConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	pid, err := web.IDParam(c, "plan")
	if err != nil {
		return err
	}
	plans, err := m.svc.Plans(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.ID == pid {
			back := "/helpdesk/assets/" + web.FormatID(id)
			return web.RenderConfirm(c, web.Confirm{Title: "helpdesk.plan.delete_title",
				Question: web.T(c, "helpdesk.plan.delete_question", "Title", p.Title),
				Details:  []string{web.T(c, "helpdesk.plan.delete_details")},
				Action:   back + "/plans/" + web.FormatID(pid) + "/delete", Button: web.T(c, "helpdesk.plan.delete"), Back: back})
		}
	}
	return ErrPlanNotFound
}

// handlePlanDelete ends a plan; its tickets stay.
func (m *Module) handlePlanDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	pid, err := web.IDParam(c, "plan")
	if err != nil {
		return err
	}
	if err := m.svc.DeletePlan(c.UserContext(), web.ActorOf(c), id, pid); err != nil {
		return err
	}
	web.Success(c, "helpdesk.plan.deleted")
	return c.Redirect(web.NextOr(c, "/helpdesk/assets/"+web.FormatID(id)), fiber.StatusSeeOther)
}
