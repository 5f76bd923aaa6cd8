package people

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// personForm is the person form as typed, so it can be shown again unchanged.
type personForm struct {
	Username, Name, Email, JobTitle string
	DepartmentID, ManagerID         string
	DeputyID                        string // no password: nobody chooses another person's
	EmployedFrom, EmployedUntil     string
	Roles                           []string
	Active                          bool
}

func personFormFrom(p *Person) personForm {
	return personForm{
		Username: p.Username, Name: p.Name, Email: p.Email, JobTitle: p.JobTitle,
		DepartmentID: idString(p.DepartmentID), ManagerID: idString(p.ManagerID), DeputyID: idString(p.DeputyID),
		Roles: p.RoleNames(), Active: p.Active,
		EmployedFrom: p.EmployedFrom.String(), EmployedUntil: p.EmployedUntil.String(),
	}
}

func parsePersonForm(c *fiber.Ctx) personForm {
	f := personForm{
		Username: c.FormValue("username"), Name: c.FormValue("name"), Email: c.FormValue("email"),
		JobTitle: c.FormValue("job_title"), DepartmentID: c.FormValue("department_id"),
		ManagerID: c.FormValue("manager_id"), DeputyID: c.FormValue("deputy_id"),
		Active:       c.FormValue("active") == "on",
		EmployedFrom: c.FormValue("employed_from"), EmployedUntil: c.FormValue("employed_until"),
	}
	if args := c.Request().PostArgs(); args != nil {
		for _, v := range args.PeekMulti("roles") {
			f.Roles = append(f.Roles, string(v))
		}
	}
	if form, err := c.MultipartForm(); err == nil && len(f.Roles) == 0 {
		f.Roles = form.Value["roles"]
	}
	return f
}

// input converts the typed form; a malformed id is a tampered form.
func (f personForm) input() (PersonInput, web.Errors) {
	errs := web.Errors{}
	in := PersonInput{
		Username: f.Username, Name: f.Name, Email: f.Email, JobTitle: f.JobTitle,
		Roles: f.Roles, Active: f.Active,
	}
	in.DepartmentID = web.ParseOptionalID(f.DepartmentID, "department_id", errs)
	in.ManagerID = web.ParseOptionalID(f.ManagerID, "manager_id", errs)
	in.DeputyID = web.ParseOptionalID(f.DeputyID, "deputy_id", errs)
	in.EmployedFrom = calendar.ParseOptionalDateField(f.EmployedFrom, "employed_from", errs)
	in.EmployedUntil = calendar.ParseOptionalDateField(f.EmployedUntil, "employed_until", errs)
	return in, errs
}

func idString(id *uint) string {
	if id == nil {
		return ""
	}
	return web.FormatID(*id)
}

// formErrors turns a service error into form messages, or reports that it is not a form error.
func formErrors(err error) (web.Errors, bool) {
	var list FieldErrors
	var one *FieldError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = FieldErrors{one}
	default:
		return nil, false
	}
	errs := web.Errors{}
	for _, fe := range list {
		if _, seen := errs[fe.Field]; !seen {
			errs.Add(fe.Field, fe.Key)
		}
	}
	return errs, true
}

func roleOptions(c *fiber.Ctx) []web.Option {
	out := make([]web.Option, 0, len(actor.Roles))
	for _, r := range actor.Roles {
		out = append(out, web.Option{Value: r, Label: web.T(c, "role."+r)})
	}
	return out
}
