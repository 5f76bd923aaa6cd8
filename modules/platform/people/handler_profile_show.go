package people

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleProfileShow shows the signed-in person's own details, language and password forms.
func (m *Module) handleProfileShow(c *fiber.Ctx) error {
	return m.renderProfile(c, nil, fiber.StatusOK)
}

// handleProfileLanguage saves the person's language.
func (m *Module) handleProfileLanguage(c *fiber.Ctx) error {
	err := m.svc.SetLanguage(c.UserContext(), web.ActorOf(c), c.FormValue("lang"))
	if errs, ok := formErrors(err); ok {
		return m.renderProfile(c, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	// The message is shown on the next page, which is in the new language already.
	lang := c.FormValue("lang")
	if lang == "" {
		lang = web.ServerOf(c).Cfg.Lang
	}
	web.AddFlash(c, "success", web.ServerOf(c).Catalog.T(lang, "profile.language_saved"))
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

// handleProfilePassword changes the person's password after checking the
// current one; the person stays signed in here and nowhere else.
func (m *Module) handleProfilePassword(c *fiber.Ctx) error {
	err := m.svc.ChangePassword(c.UserContext(), web.ActorOf(c), c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm"),
		web.Session(c).ID())
	if errs, ok := formErrors(err); ok {
		return m.renderProfile(c, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "profile.password_saved")
	if web.ViewerOf(c).MustChoosePassword { // chosen at last: on to what they came for
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

// handleProfileDeputy lets the person's deputy act for them until a date, or ends that.
func (m *Module) handleProfileDeputy(c *fiber.Ctx) error {
	var until calendar.Date
	if raw := c.FormValue("until"); raw != "" && c.FormValue("end") == "" {
		errs := web.Errors{}
		if until = calendar.ParseDateField(raw, "until", errs); errs.Any() {
			return m.renderProfile(c, errs, fiber.StatusUnprocessableEntity)
		}
	}
	today := calendar.Today(web.ServerOf(c).Cfg.TZ)
	err := m.svc.SetDeputyUntil(c.UserContext(), web.ActorOf(c), until, today)
	if errs, ok := formErrors(err); ok {
		return m.renderProfile(c, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if until.IsZero() {
		web.Success(c, "profile.deputy_ended")
	} else {
		web.Success(c, "profile.deputy_saved", "Date", i18n.FormatDate(web.LangOf(c), until.Year, until.Month, until.Day))
	}
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

// handleProfileFeeds replaces the person's calendar feed links.
func (m *Module) handleProfileFeeds(c *fiber.Ctx) error {
	if err := m.svc.NewFeedKey(c.UserContext(), web.ActorOf(c)); err != nil {
		return err
	}
	web.Success(c, "profile.feeds_replaced")
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

func (m *Module) renderProfile(c *fiber.Ctx, errs web.Errors, status int) error {
	v := web.ViewerOf(c)
	p, err := m.svc.Person(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	mgr, err := m.svc.ManagerOf(c.UserContext(), p)
	if err != nil {
		return err
	}
	today := calendar.Today(web.ServerOf(c).Cfg.TZ)
	data := fiber.Map{"Person": p, "Manager": mgr, "Roles": p.RoleNames(),
		"DeputyActing": !p.DeputyUntil.IsZero() && !p.DeputyUntil.Before(today)}
	if p.DepartmentID != nil {
		if d, err := m.svc.Department(c.UserContext(), *p.DepartmentID); err == nil {
			data["Department"] = d
		}
	}
	if p.DeputyID != nil {
		if d, err := m.svc.Person(c.UserContext(), *p.DeputyID); err == nil {
			data["Deputy"] = d
		}
	}
	langs := []web.Option{{Value: "", Label: web.T(c, "profile.lang_default", "Lang", i18n.LangNames[web.ServerOf(c).Cfg.Lang])}}
	for _, l := range i18n.Langs {
		langs = append(langs, web.Option{Value: l, Label: i18n.LangNames[l]})
	}
	data["LangOptions"] = langs
	return web.RenderForm(c, "people/profile", web.Page{
		Title: "profile.title", Errors: errs, Status: status, Data: data,
		Form: fiber.Map{"Lang": p.Lang, "Until": c.FormValue("until", p.DeputyUntil.String())},
	})
}
