package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// handleSessionNew shows an empty session form for a training.
func (m *Module) handleSessionNew(c *fiber.Ctx) error {
	t, err := m.trainingOf(c)
	if err != nil {
		return err
	}
	return m.renderSessionForm(c, t, nil, sessionForm{From: "09:00", To: "12:00", Seats: "20"}, nil, 0)
}

// handleSessionCreate schedules the session, or shows the form again.
func (m *Module) handleSessionCreate(c *fiber.Ctx) error {
	t, err := m.trainingOf(c)
	if err != nil {
		return err
	}
	return m.saveSession(c, t, nil)
}

// handleSessionEdit shows a session's form, its timeline and its links.
func (m *Module) handleSessionEdit(c *fiber.Ctx) error {
	x, t, err := m.sessionOf(c)
	if err != nil {
		return err
	}
	return m.renderSessionForm(c, t, x, sessionFormOf(x), nil, 0)
}

// handleSessionUpdate saves a stored session.
func (m *Module) handleSessionUpdate(c *fiber.Ctx) error {
	x, t, err := m.sessionOf(c)
	if err != nil {
		return err
	}
	return m.saveSession(c, t, x)
}

// saveSession reads the form and saves it as a new (stored nil) or stored session.
func (m *Module) saveSession(c *fiber.Ctx, t *Training, stored *Session) error {
	f := parseSessionForm(c)
	in, fe := f.input()
	if fe.Any() {
		return m.renderSessionForm(c, t, stored, f, fe, 0)
	}
	var saved *Session
	var err error
	if stored == nil {
		saved, err = m.svc.CreateSession(c.UserContext(), web.ActorOf(c), t.ID, in)
	} else {
		saved, err = m.svc.UpdateSession(c.UserContext(), web.ActorOf(c), stored.ID, in)
	}
	if fe, ok := web.FieldErrors(err, sessionFields); ok {
		status := 0
		if errors.Is(err, errs.Conflict) && !errors.Is(err, errs.Invalid) {
			status = fiber.StatusConflict
		}
		return m.renderSessionForm(c, t, stored, f, fe, status)
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.admin.session.saved", "When", m.svc.sessionWhen(web.LangOf(c), saved))
	return c.Redirect(adminTrainingPath(t.ID), fiber.StatusSeeOther)
}

// sessionOf is the session of the :id in the path and its training.
func (m *Module) sessionOf(c *fiber.Ctx) (*Session, *Training, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, nil, err
	}
	return m.svc.AdminSession(c.UserContext(), web.ActorOf(c), id)
}

func (m *Module) renderSessionForm(c *fiber.Ctx, t *Training, x *Session, f sessionForm, fe web.Errors, status int) error {
	ctx := c.UserContext()
	rooms, err := m.svc.Rooms.Rooms(ctx)
	if err != nil {
		return err
	}
	roomOptions := make([]web.Option, len(rooms))
	for i, r := range rooms {
		label := r.Name
		if r.Building != "" {
			label += " (" + r.Building + ")"
		}
		roomOptions[i] = web.Option{Value: web.FormatID(r.ID), Label: label}
	}
	var trainers []web.Option
	if m.deps.People != nil {
		staff, err := m.deps.People.ActivePeople(ctx)
		if err != nil {
			return err
		}
		for _, p := range staff {
			trainers = append(trainers, web.Option{Value: web.FormatID(p.ID), Label: p.Label})
		}
	}
	data := fiber.Map{"Training": t, "Session": x, "RoomOptions": roomOptions, "TrainerOptions": trainers}
	title := "training.admin.session.new"
	if x != nil {
		title = "training.admin.session.edit"
		timeline, err := m.svc.SessionTimeline(ctx, web.ActorOf(c), x.ID)
		if err != nil {
			return err
		}
		data["Timeline"] = timeline
		data["When"] = m.svc.sessionWhen(web.LangOf(c), x)
	}
	return web.RenderForm(c, "training/admin_session", web.Page{Title: title, Form: f, Errors: fe, Status: status, Data: data})
}
