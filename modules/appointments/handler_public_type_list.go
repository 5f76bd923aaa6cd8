package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// typeCard is one case type on the start page.
type typeCard struct {
	ID                 uint
	Name, Purpose, Fee string
	Minutes            int
}

// handlePublicTypeList is the start: the case types a citizen may book online.
func (m *Module) handlePublicTypeList(c *fiber.Ctx) error {
	types, err := m.svc.CaseTypes(c.UserContext(), true)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	cards := make([]typeCard, len(types))
	for i, t := range types {
		cards[i] = typeCard{ID: t.ID, Name: t.Name(lang), Purpose: t.Purpose(lang), Fee: t.Fee(lang), Minutes: t.Minutes}
	}
	return web.RenderPublic(c, "appointments/public_types", web.Page{Title: "appt.pub.title",
		Data: &struct {
			pubBase
			Types []typeCard
		}{Types: cards}})
}
