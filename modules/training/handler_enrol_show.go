package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// handleEnrolShow is one enrolment's page, for the person, their manager
// and HR: the training, session, status, place on the waiting list, the
// timeline, and cancel while it may be.
func (m *Module) handleEnrolShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	v, err := m.svc.EnrolmentOf(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	entries, err := history.Of(m.svc.db.R.WithContext(c.UserContext()), EnrolmentEntity, v.ID)
	if err != nil {
		return err
	}
	return web.Render(c, "training/enrol_show", web.Page{Title: "training.enrol.show.title",
		Data: fiber.Map{"V": v, "History": entries}})
}
