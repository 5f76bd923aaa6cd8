package helpdesk

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// workEntryParams reads the ticket's and the entry's ids from the path.
func workEntryParams(c *fiber.Ctx) (id, entry uint, err error) {
	if id, err = web.IDParam(c); err != nil {
		return 0, 0, err
	}
	entry, err = web.IDParam(c, "entry")
	return id, entry, err
}

// refusedWork tells why an entry cannot be deleted (not one's own, not
// today's, the ticket closed) back on the log; false for other errors.
func refusedWork(c *fiber.Ctx, err error, back string) (bool, error) {
	for _, e := range []error{ErrWorkNotOwn, ErrWorkNotToday, ErrWorkClosedTick} {
		if errors.Is(err, e) {
			web.AddFlash(c, "error", web.T(c, messages[e]))
			return true, c.Redirect(back, fiber.StatusSeeOther)
		}
	}
	return false, nil
}

// handleWorkDeleteConfirm asks before deleting one's own entry of today. It
// changes nothing.
func (m *Module) handleWorkDeleteConfirm(c *fiber.Ctx) error {
	id, entry, err := workEntryParams(c)
	if err != nil {
		return err
	}
	back := ticketPath(id) + "/work"
	e, err := m.svc.WorkEntryFor(c.UserContext(), web.ActorOf(c), id, entry)
	if done, rerr := refusedWork(c, err, back); done {
		return rerr
	}
	if err != nil {
		return err
	}
	details := []string{web.T(c, "helpdesk.work.delete_effect", "Time", FormatMinutes(e.Minutes))}
	if len(e.Parts) > 0 {
		details = append(details, web.T(c, "helpdesk.work.delete_parts", "Count", len(e.Parts), "Cost", forints(web.LangOf(c), e.PartsCost)))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "helpdesk.work.delete_title",
		Question: web.T(c, "helpdesk.work.delete_question", "Text", clipText(e.Text, 80)),
		Details:  details,
		Action:   back + "/" + web.FormatID(e.ID) + "/delete",
		Button:   web.T(c, "helpdesk.work.delete"),
		Back:     back,
	})
}

// handleWorkDelete deletes the entry and returns to the log.
func (m *Module) handleWorkDelete(c *fiber.Ctx) error {
	id, entry, err := workEntryParams(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, ticketPath(id)+"/work")
	err = m.svc.DeleteWork(c.UserContext(), web.ActorOf(c), id, entry)
	if done, rerr := refusedWork(c, err, back); done {
		return rerr
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.work.deleted")
	return c.Redirect(back, fiber.StatusSeeOther)
}
