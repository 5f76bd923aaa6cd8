package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// handleTrainingNew shows an empty training form for a year.
func (m *Module) handleTrainingNew(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	cat, err := m.svc.Catalogue(c.UserContext(), web.ActorOf(c), year)
	if err != nil {
		return err
	}
	return m.renderTrainingForm(c, cat.Year, nil, trainingForm{Kind: KindClassroom, Target: TargetEveryone, Points: "0", Cost: "0"}, nil, 0)
}

// handleTrainingCreate adds the training to the year, or shows the form again.
func (m *Module) handleTrainingCreate(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	if _, err := m.svc.Catalogue(c.UserContext(), web.ActorOf(c), year); err != nil {
		return err
	}
	return m.saveTraining(c, year, nil)
}

// handleTrainingEdit shows a training's form and its sessions.
func (m *Module) handleTrainingEdit(c *fiber.Ctx) error {
	t, err := m.trainingOf(c)
	if err != nil {
		return err
	}
	return m.renderTrainingForm(c, t.Year, t, trainingFormOf(t, web.LangOf(c)), nil, 0)
}

// handleTrainingUpdate saves a stored training.
func (m *Module) handleTrainingUpdate(c *fiber.Ctx) error {
	t, err := m.trainingOf(c)
	if err != nil {
		return err
	}
	return m.saveTraining(c, t.Year, t)
}

// handleTrainingActive stops offering a training, or offers it again.
func (m *Module) handleTrainingActive(c *fiber.Ctx) error {
	t, err := m.trainingOf(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "1"
	if err := m.svc.SetTrainingActive(c.UserContext(), web.ActorOf(c), t.ID, active); err != nil {
		return err
	}
	key := "training.admin.training.retired"
	if active {
		key = "training.admin.training.offered"
	}
	web.Success(c, key, "Code", t.Code)
	return c.Redirect(web.NextOr(c, adminTrainingPath(t.ID)), fiber.StatusSeeOther)
}

// saveTraining reads the form and saves it as a new (stored nil) or stored training.
func (m *Module) saveTraining(c *fiber.Ctx, year int, stored *Training) error {
	f := parseTrainingForm(c)
	in, fe := f.input()
	if fe.Any() {
		return m.renderTrainingForm(c, year, stored, f, fe, 0)
	}
	var saved *Training
	var err error
	if stored == nil {
		saved, err = m.svc.CreateTraining(c.UserContext(), web.ActorOf(c), year, in)
	} else {
		saved, err = m.svc.UpdateTraining(c.UserContext(), web.ActorOf(c), stored.ID, in)
	}
	if err != nil {
		fe = web.Errors{}
		locked := placeLocked(err, fe)
		if fe.AddFieldErrors(err, trainingFields(f.Target)) || locked {
			status := 0
			if errors.Is(err, errs.Conflict) && !errors.Is(err, errs.Invalid) {
				status = fiber.StatusConflict
			}
			return m.renderTrainingForm(c, year, stored, f, fe, status)
		}
		return err
	}
	web.Success(c, "training.admin.training.saved", "Code", saved.Code)
	return c.Redirect(adminTrainingPath(saved.ID), fiber.StatusSeeOther)
}

// trainingOf is the training of the :id in the path (404 for a malformed or unknown id).
func (m *Module) trainingOf(c *fiber.Ctx) (*Training, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	return m.svc.AdminTraining(c.UserContext(), web.ActorOf(c), id)
}

func (m *Module) renderTrainingForm(c *fiber.Ctx, year int, t *Training, f trainingForm, fe web.Errors, status int) error {
	ctx := c.UserContext()
	var depts []web.Option
	if m.deps.People != nil {
		var err error
		if depts, err = m.deps.People.DepartmentOptions(ctx); err != nil {
			return err
		}
	}
	data := fiber.Map{"Year": year, "Training": t, "Past": m.svc.isPast(year),
		"KindOptions": adminOptions(c, "training.kind.", Kinds), "TargetOptions": adminOptions(c, "training.target.", Targets),
		"DepartmentOptions": depts}
	if t != nil {
		sessions, err := m.svc.TrainingSessions(ctx, web.ActorOf(c), t.ID)
		if err != nil {
			return err
		}
		data["Sessions"] = sessions
	}
	title := "training.admin.training.new"
	if t != nil {
		title = "training.admin.training.edit"
	}
	return web.RenderForm(c, "training/admin_training", web.Page{Title: title, Form: f, Errors: fe, Status: status, Data: data})
}
