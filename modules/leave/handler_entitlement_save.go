package leave

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// entitlementForm is the bulk entitlement form as typed. Checked carries the
// plan HR was shown, so "apply" does exactly what the check announced.
type entitlementForm struct {
	Year, Days, DepartmentID, Checked string
	ProRata                           bool
}

// adjustmentForm is the adjustment form as typed.
type adjustmentForm struct {
	PersonID, Year, Days, Reason string
}

// entitlementPage holds both forms of the page; each keeps its own values.
type entitlementPage struct {
	Ent entitlementForm
	Adj adjustmentForm
}

func (f entitlementForm) input() (EntitlementInput, web.Errors) {
	errs := web.Errors{}
	var in EntitlementInput
	var err error
	if in.Year, err = strconv.Atoi(strings.TrimSpace(f.Year)); err != nil {
		errs.Add("year", "leave.hr.error.year")
	}
	var ok bool
	if in.Halves, ok = hrParseDays(f.Days); !ok || in.Halves < 0 {
		errs.Add("days", "leave.hr.error.days")
	}
	if id := web.ParseOptionalID(f.DepartmentID, "department_id", errs); id != nil {
		in.DepartmentID = *id
	}
	in.ProRata = f.ProRata
	return in, errs
}

// planKey sums up a plan so a changed form (or a changed department) is checked again before applying.
func planKey(in EntitlementInput, p *EntitlementPlan) string {
	return fmt.Sprintf("%d:%d:%d:%t:%d:%d", in.Year, in.Halves, in.DepartmentID, in.ProRata, len(p.Lines), p.Changes)
}

// handleEntitlementForm shows the bulk entitlement and adjustment forms.
func (m *Module) handleEntitlementForm(c *fiber.Ctx) error {
	year := strconv.Itoa(m.svc.Today().Year)
	form := entitlementPage{
		Ent: entitlementForm{Year: year, ProRata: true},
		Adj: adjustmentForm{PersonID: c.Query("person"), Year: year},
	}
	return m.renderEntitlements(c, form, nil, nil, "", fiber.StatusOK)
}

// handleEntitlementSave checks a bulk setting (how many people, who changes)
// or applies the setting HR checked.
func (m *Module) handleEntitlementSave(c *fiber.Ctx) error {
	form := entitlementPage{
		Ent: entitlementForm{Year: c.FormValue("year"), Days: c.FormValue("days"), DepartmentID: c.FormValue("department_id"),
			ProRata: c.FormValue("pro_rata") == "on", Checked: c.FormValue("checked")},
		Adj: adjustmentForm{Year: strconv.Itoa(m.svc.Today().Year)},
	}
	in, errs := form.Ent.input()
	if errs.Any() {
		return m.renderEntitlements(c, form, errs, nil, "ent", fiber.StatusUnprocessableEntity)
	}
	a := web.ActorOf(c)
	plan, err := m.svc.PlanEntitlements(c.UserContext(), a, in)
	if errs, ok := hrErrors(err); ok {
		return m.renderEntitlements(c, form, errs, nil, "ent", fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	key := planKey(in, plan)
	if c.FormValue("action") != "apply" || form.Ent.Checked != key {
		var errs web.Errors
		if c.FormValue("action") == "apply" {
			errs = web.Errors{}
			errs.Add("", "leave.hr.ent.recheck")
		}
		form.Ent.Checked = key
		return m.renderEntitlements(c, form, errs, plan, "ent", fiber.StatusOK)
	}
	plan, err = m.svc.ApplyEntitlements(c.UserContext(), a, in)
	var failed *EntitlementError
	switch {
	case errors.As(err, &failed):
		// Nothing was saved; say so and at whom it stopped, and keep the form.
		web.ServerOf(c).Log.Error("leave entitlements failed", "request_id", c.Locals("requestid"), "error", err)
		errs := web.Errors{}
		errs.Add("", "leave.hr.ent.failed", "Name", failed.Name)
		return m.renderEntitlements(c, form, errs, nil, "ent", fiber.StatusInternalServerError)
	case err != nil:
		if errs, ok := hrErrors(err); ok {
			return m.renderEntitlements(c, form, errs, nil, "ent", fiber.StatusUnprocessableEntity)
		}
		return err
	}
	web.Success(c, "leave.hr.ent.done", "Count", len(plan.Lines), "Changed", plan.Changes, "Year", in.Year)
	back := url.Values{"year": {strconv.Itoa(in.Year)}}
	if in.DepartmentID > 0 {
		back.Set("dept", web.FormatID(in.DepartmentID))
	}
	return c.Redirect("/leave/admin?"+back.Encode(), fiber.StatusSeeOther)
}

// planLimit is how many changing lines the check shows; the counts cover everyone.
const planLimit = 100

// entPlanView is the check's result for the template, in days.
type entPlanView struct {
	People, Changes, ProRated, More int
	Lines                           []entPlanLine
}

// entPlanLine is one person whose allocation would change.
type entPlanLine struct {
	Name, Department string
	Current, New     float64
	ProRated         bool
}

func entPlanOf(p *EntitlementPlan) *entPlanView {
	if p == nil {
		return nil
	}
	v := &entPlanView{People: len(p.Lines), Changes: p.Changes, ProRated: p.ProRated}
	for _, l := range p.Lines {
		if l.New == l.Current {
			continue
		}
		if len(v.Lines) == planLimit {
			v.More++
			continue
		}
		v.Lines = append(v.Lines, entPlanLine{Name: l.Name, Department: l.Department, Current: halfDays(l.Current), New: halfDays(l.New), ProRated: l.ProRated})
	}
	return v
}

// renderEntitlements shows the page; which says the form the error summary belongs to.
func (m *Module) renderEntitlements(c *fiber.Ctx, form entitlementPage, errs web.Errors, plan *EntitlementPlan, which string, status int) error {
	depts, err := m.svc.people.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	ppl, err := m.hrPersonOptions(c)
	if err != nil {
		return err
	}
	today := m.svc.Today()
	var years []web.Option
	for y := today.Year + 1; y >= today.Year-1; y-- {
		years = append(years, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	return web.RenderForm(c, "leave/entitlements", web.Page{
		Title: "leave.hr.ent.title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Plan": entPlanOf(plan), "DepartmentOptions": depts, "PersonOptions": ppl, "YearOptions": years, "Which": which},
	})
}
