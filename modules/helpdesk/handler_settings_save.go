package helpdesk

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// settingsFields places the settings' refusals that are not a FieldError.
var settingsFields = map[error]web.FieldMessage{
	ErrLead: {"lead", "helpdesk.settings.err.lead"},
}

// handleSettingsSave stores a queue's lead, hours and targets; anything
// that does not read comes back on its field with the rest as typed.
func (m *Module) handleSettingsSave(c *fiber.Ctx) error {
	key := c.Params("key")
	form := parseSettingsForm(c)
	in, e := form.input()
	if e.Any() {
		return m.reshow(c, &form, categoryForm{}, e)
	}
	err := m.svc.SaveQueueSettings(c.UserContext(), web.ActorOf(c), key, in)
	if e, ok := web.FieldErrors(err, settingsFields); ok {
		return m.reshow(c, &form, categoryForm{}, e)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.settings.saved")
	return c.Redirect("/helpdesk/settings/"+key, fiber.StatusSeeOther)
}
