package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleMineShow is My trainings: the signed-in person's overview.
func (m *Module) handleMineShow(c *fiber.Ctx) error {
	a := web.ActorOf(c)
	feed, err := m.FeedURL(c, a.ID)
	if err != nil {
		return err
	}
	return m.renderOverview(c, a.ID, "training/mine", "training.mine.title", fiber.Map{"FeedURL": feed}, nil, fiber.StatusOK)
}

// handleCertificateShow serves a certificate file to whoever may see the
// person's record (web.SendStored).
func (m *Module) handleCertificateShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	f, err := m.svc.Certificate(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	return web.SendStored(c, f.ContentType, "certificate-"+web.FormatID(f.CompletionID)+f.Ext(), f.Data)
}

// renderOverview shows the overview of person on the template name, with
// the page's own extra data (may be nil); the year comes from ?year= (this
// year when absent or wrong).
func (m *Module) renderOverview(c *fiber.Ctx, personID uint, name, title string, extra fiber.Map, errs web.Errors, status int) error {
	year := c.QueryInt("year", 0)
	if year < 2000 || year > 2100 {
		year = 0
	}
	v, err := m.svc.Overview(c.UserContext(), web.ActorOf(c), personID, year)
	if err != nil {
		return err
	}
	form := fiber.Map{"Education": string(v.Profile.Education), "CivilServant": v.Profile.CivilServant}
	educations := []web.Option{{Value: string(Graduate), Label: web.T(c, "training.education.graduate")},
		{Value: string(Secondary), Label: web.T(c, "training.education.secondary")}}
	data := fiber.Map{"V": v, "Educations": educations}
	for k, x := range extra {
		data[k] = x
	}
	return web.RenderForm(c, name, web.Page{Title: title, Data: data,
		Form: form, Errors: errs, Status: status})
}
