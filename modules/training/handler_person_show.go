package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePersonShow is a person's trainings for their manager or HR (and
// the person), with HR's profile form.
func (m *Module) handlePersonShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderOverview(c, id, "training/person", "training.person.title", nil, nil, fiber.StatusOK)
}

// handleProfileSave sets the person's education and civil-servant flag.
func (m *Module) handleProfileSave(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	in := ProfileInput{CivilServant: c.FormValue("civil_servant") != ""}
	edu, perr := ParseEducation(c.FormValue("education"))
	if perr == nil {
		in.Education = edu
		err = m.svc.SaveProfile(c.UserContext(), web.ActorOf(c), id, in)
	} else {
		err = perr
	}
	if errors.Is(err, ErrUnknownEducation) {
		errs := web.Errors{}
		errs.Add("education", "training.records.err.education")
		return m.renderOverview(c, id, "training/person", "training.person.title", nil, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.person.profile_saved")
	return c.Redirect("/training/people/"+web.FormatID(id), fiber.StatusSeeOther)
}

// handleCertificateUpload adds (or replaces) a completion's certificate file.
func (m *Module) handleCertificateUpload(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	fh, _ := c.FormFile("file")
	up, err := ReadCertificate(fh)
	if err == nil {
		err = m.svc.AttachCertificate(c.UserContext(), web.ActorOf(c), id, up)
	}
	back := web.NextOr(c, "/training/admin")
	if key := recordMessageOf(err); key != "" {
		web.AddFlash(c, "error", web.T(c, key))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.person.certificate_saved")
	return c.Redirect(back, fiber.StatusSeeOther)
}
