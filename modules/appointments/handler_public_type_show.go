package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// typeView is a case type as its pages show it, in the citizen's language.
type typeView struct {
	ID                 uint
	Name, Purpose, Fee string
	Minutes            int
	Documents          []string
}

func viewType(t *CaseType, lang string) typeView {
	return typeView{ID: t.ID, Name: t.Name(lang), Purpose: t.Purpose(lang), Fee: t.Fee(lang), Minutes: t.Minutes, Documents: t.Documents(lang)}
}

// publicType is the case type of the path's :type, bookable online; a
// problem page for an unknown or hidden one.
func (m *Module) publicType(c *fiber.Ctx) (*CaseType, error) {
	id, ok := web.ID(c.Params("type"))
	if !ok {
		return nil, ErrUnknownType
	}
	return m.svc.CaseType(c.UserContext(), id, true)
}

// publicOffice is the path's :office when it serves t.
func (m *Module) publicOffice(c *fiber.Ctx, t *CaseType) (*Office, error) {
	id, ok := web.ID(c.Params("office"))
	if !ok {
		return nil, ErrUnknownOffice
	}
	offices, err := m.svc.OfficesFor(c.UserContext(), t.ID)
	if err != nil {
		return nil, err
	}
	for i := range offices {
		if offices[i].ID == id {
			return &offices[i], nil
		}
	}
	return nil, ErrUnknownOffice
}

// handlePublicTypeShow is a case type: what it is for, what to bring, the
// fee, and the offices serving it; with one office, straight on to its month.
func (m *Module) handlePublicTypeShow(c *fiber.Ctx) error {
	t, err := m.publicType(c)
	if err != nil {
		return serviceProblem(c, err, problem{})
	}
	offices, err := m.svc.OfficesFor(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	if len(offices) == 1 {
		return c.Redirect(linkBase{Base: typeBase(t.ID, offices[0].ID)}.Base, fiber.StatusSeeOther)
	}
	return web.RenderPublic(c, "appointments/public_type", web.Page{Title: "appt.pub.type_title",
		Data: &struct {
			pubBase
			Type    typeView
			Offices []Office
		}{Type: viewType(t, web.LangOf(c)), Offices: offices}})
}

// typeBase is the month page of case type t at office o.
func typeBase(t, o uint) string {
	return "/appointments/t/" + web.FormatID(t) + "/o/" + web.FormatID(o)
}
