package training

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// completionForm is the record-on-behalf form as typed.
type completionForm struct {
	Person, Training, CompletedOn, Hours, Points, Score, CertificateNo, ValidUntil string
}

// completionFields name the form's fields for the service's problems.
func completionField(p LineProblem) string { return p.Field }

// handleCompletionNew shows the form to record a completion on behalf of
// someone (an outside course).
func (m *Module) handleCompletionNew(c *fiber.Ctx) error {
	f := completionForm{Person: c.Query("person"), CompletedOn: m.svc.today().String()}
	return m.renderCompletionForm(c, f, nil, fiber.StatusOK)
}

// handleCompletionCreate records it, or shows the form again as typed with
// each refusal by its field.
func (m *Module) handleCompletionCreate(c *fiber.Ctx) error {
	f := completionForm{Person: c.FormValue("person"), Training: c.FormValue("training"),
		CompletedOn: trim(c.FormValue("completed_on")), Hours: trim(c.FormValue("hours")), Points: trim(c.FormValue("points")),
		Score: trim(c.FormValue("score")), CertificateNo: c.FormValue("certificate_no"), ValidUntil: trim(c.FormValue("valid_until"))}
	errs := web.Errors{}
	in := CompletionInput{CertificateNo: f.CertificateNo}
	if f.Person != "" {
		in.PersonID = web.ParseID(f.Person, "person", errs)
	}
	if f.Training != "" {
		in.TrainingID = web.ParseID(f.Training, "training", errs)
	}
	in.CompletedOn = calendar.ParseOptionalDateField(f.CompletedOn, "completed_on", errs)
	in.ValidUntil = calendar.ParseOptionalDateField(f.ValidUntil, "valid_until", errs)
	if f.Hours != "" {
		if mins, ok := completionHours(f.Hours, false); ok && mins != nil {
			in.Minutes = mins
		} else {
			errs.Add("hours", "training.records.err.hours")
		}
	}
	// The ranges are the service's to check, so every refusal shows at once.
	in.Points = optionalWhole(f.Points, "points", errs)
	in.Score = optionalWhole(f.Score, "score", errs)
	if fh, err := c.FormFile("file"); err == nil {
		up, uerr := ReadCertificate(fh)
		if uerr != nil {
			errs.Add("file", recordMessageOf(uerr))
		}
		in.File = up
	}
	if errs.Any() {
		return m.renderCompletionForm(c, f, errs, fiber.StatusUnprocessableEntity)
	}
	done, err := m.svc.RecordOnBehalf(c.UserContext(), web.ActorOf(c), in)
	if placeProblems(errs, err, completionField) {
		return m.renderCompletionForm(c, f, errs, recordStatusOf(err))
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.completion.recorded")
	return c.Redirect("/training/people/"+web.FormatID(done.PersonID), fiber.StatusSeeOther)
}

func (m *Module) renderCompletionForm(c *fiber.Ctx, f completionForm, errs web.Errors, status int) error {
	ctx := c.UserContext()
	ppl, err := m.deps.People.ActivePeople(ctx)
	if err != nil {
		return err
	}
	personOpts := make([]web.Option, len(ppl))
	for i, p := range ppl {
		personOpts[i] = web.Option{Value: web.FormatID(p.ID), Label: p.Label}
	}
	ts, err := m.svc.TrainingChoices(ctx)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	trainingOpts := make([]web.Option, len(ts))
	for i, t := range ts {
		trainingOpts[i] = web.Option{Value: web.FormatID(t.ID), Label: strconv.Itoa(t.Year) + " · " + t.Title(lang) + " (" + t.Code + ")"}
	}
	return web.RenderForm(c, "training/completion_form", web.Page{Title: "training.completion.title", Form: f, Errors: errs,
		Status: status, Data: fiber.Map{"People": personOpts, "Trainings": trainingOpts}})
}

// TrainingChoices are the trainings a completion may be recorded for: this
// year's and the past years' catalogues, newest year first.
func (s *Service) TrainingChoices(ctx context.Context) ([]Training, error) {
	var ts []Training
	err := s.db.R.WithContext(ctx).Where("year <= ?", s.today().Year).Order("year DESC, title_hu, id").Limit(2000).Find(&ts).Error
	return ts, err
}

// optionalWhole reads a whole number that may be left empty (nil); only its
// form is checked here.
func optionalWhole(s, field string, errs web.Errors) *int {
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs.Add(field, web.MsgNumber)
		return nil
	}
	return &n
}
