package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSessionCancelConfirm asks before a session is cancelled, saying who is mailed.
func (m *Module) handleSessionCancelConfirm(c *fiber.Ctx) error {
	x, t, err := m.sessionOf(c)
	if err != nil {
		return err
	}
	if x.Status != SessionScheduled {
		flashRefusal(c, map[string]error{SessionCancelled: ErrSessionCancelled, SessionClosed: ErrSessionClosed}[x.Status])
		return c.Redirect(adminSessionPath(x.ID), fiber.StatusSeeOther)
	}
	held, err := m.svc.HeldCount(c.UserContext(), web.ActorOf(c), x.ID)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	details := []string{web.T(c, "training.admin.cancel.detail_mail", "Count", held)}
	if x.RoomID != nil {
		details = append(details, web.T(c, "training.admin.cancel.detail_room"))
	}
	return web.RenderConfirm(c, web.Confirm{Title: "training.admin.cancel.title",
		Question: web.T(c, "training.admin.cancel.question", "Title", t.Title(lang), "When", m.svc.sessionWhen(lang, x)),
		Details:  details, Action: adminSessionPath(x.ID) + "/cancel", Button: web.T(c, "training.admin.cancel.button"),
		Back: adminSessionPath(x.ID)})
}

// handleSessionCancel cancels the session.
func (m *Module) handleSessionCancel(c *fiber.Ctx) error {
	x, t, err := m.sessionOf(c)
	if err != nil {
		return err
	}
	if err := m.svc.CancelSession(c.UserContext(), web.ActorOf(c), x.ID); flashRefusal(c, err) {
		return c.Redirect(web.NextOr(c, adminTrainingPath(t.ID)), fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	web.Success(c, "training.admin.cancel.done", "When", m.svc.sessionWhen(web.LangOf(c), x))
	return c.Redirect(web.NextOr(c, adminTrainingPath(t.ID)), fiber.StatusSeeOther)
}
