package helpdesk

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSettingsCategoryAdd adds a category at the end of the queue's list.
func (m *Module) handleSettingsCategoryAdd(c *fiber.Ctx) error {
	key := c.Params("key")
	cf := categoryForm{NameHU: c.FormValue("name_hu"), NameEN: c.FormValue("name_en")}
	ct, err := m.svc.AddCategory(c.UserContext(), web.ActorOf(c), key, CategoryInput(cf))
	if e, ok := web.FieldErrors(err, nil); ok {
		return m.reshow(c, nil, cf, e)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.settings.category_added", "Name", ct.Name(web.LangOf(c)))
	return c.Redirect("/helpdesk/settings/"+key+"#categories", fiber.StatusSeeOther)
}

// handleSettingsCategoryRename gives a category new names; a refusal shows
// on the category's own row.
func (m *Module) handleSettingsCategoryRename(c *fiber.Ctx) error {
	key := c.Params("key")
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	in := CategoryInput{NameHU: c.FormValue("name_hu"), NameEN: c.FormValue("name_en")}
	err = m.svc.RenameCategory(c.UserContext(), web.ActorOf(c), key, id, in)
	if isInvalid(err) {
		e := web.Errors{}
		e.Add("rename_"+web.FormatID(id), "helpdesk.settings.err.category_name")
		return m.reshow(c, nil, categoryForm{}, e)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.settings.category_saved")
	return c.Redirect("/helpdesk/settings/"+key+"#categories", fiber.StatusSeeOther)
}

// handleSettingsCategoryMove moves a category one place up or down.
func (m *Module) handleSettingsCategoryMove(c *fiber.Ctx) error {
	key := c.Params("key")
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	if err := m.svc.MoveCategory(c.UserContext(), web.ActorOf(c), key, id, c.FormValue("dir") == "up"); err != nil {
		return err
	}
	return c.Redirect("/helpdesk/settings/"+key+"#categories", fiber.StatusSeeOther)
}

// handleSettingsCategoryActive turns a category off or on again.
func (m *Module) handleSettingsCategoryActive(c *fiber.Ctx) error {
	key := c.Params("key")
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "1"
	if err := m.svc.SetCategoryActive(c.UserContext(), web.ActorOf(c), key, id, active); err != nil {
		return err
	}
	msg := "helpdesk.settings.category_off"
	if active {
		msg = "helpdesk.settings.category_on"
	}
	web.Success(c, msg)
	return c.Redirect("/helpdesk/settings/"+key+"#categories", fiber.StatusSeeOther)
}
