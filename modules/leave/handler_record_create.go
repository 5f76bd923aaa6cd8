package leave

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// recordForm is the request form plus the person HR records leave for.
type recordForm struct {
	PersonID string
	requestForm
}

// recordMessages replace the request form's "you" messages: HR writes about someone else.
var recordMessages = map[string]string{
	"leave.error.balance": "leave.hr.record.error.balance",
	"leave.error.overlap": "leave.hr.record.error.overlap",
}

// handleRecordNew shows the form, for ?person= when HR came from the overview.
func (m *Module) handleRecordNew(c *fiber.Ctx) error {
	form := recordForm{PersonID: c.Query("person"), requestForm: requestForm{Start: c.Query("start"), End: c.Query("end")}}
	return m.renderRecordForm(c, form, nil, nil, fiber.StatusOK)
}

// handleRecordCreate checks the days (the "check" button) or records the leave
// for the person, approved at once — e.g. sick leave reported by phone.
func (m *Module) handleRecordCreate(c *fiber.Ctx) error {
	form := recordForm{PersonID: c.FormValue("person_id"), requestForm: parseRequestForm(c)}
	in, errs := form.input()
	in.Comment = cleanText(in.Comment)
	personID := web.ParseID(form.PersonID, "person_id", errs)
	if errs.Any() {
		return m.renderRecordForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	quote, err := m.svc.Quote(c.UserContext(), personID, in)
	if errs, ok := recordErrors(err); ok {
		return m.renderRecordForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	// Recording leave already taken is what this form is for: no warning here.
	quote.StartsInPast = false
	if err != nil {
		return err
	}
	if c.FormValue("action") != "record" {
		return m.renderRecordForm(c, form, nil, &quote, fiber.StatusOK)
	}
	req, err := m.svc.Submit(c.UserContext(), web.ActorOf(c), personID, in)
	if errs, ok := recordErrors(err); ok {
		// Only HR's own leave can start in the past without their saying so:
		// it is a request of their own, not a record.
		quote.StartsInPast = errors.Is(err, ErrPastStart)
		return m.renderRecordForm(c, form, errs, &quote, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "leave.recorded")
	return c.Redirect("/leave/requests/"+web.FormatID(req.ID), fiber.StatusSeeOther)
}

// recordErrors maps Submit's errors onto the form; an inactive or unknown person is a wrong choice.
func recordErrors(err error) (web.Errors, bool) {
	if errors.Is(err, ErrNotFound) {
		errs := web.Errors{}
		errs.Add("person_id", web.MsgChoice)
		return errs, true
	}
	errs, ok := hrErrors(err)
	for field, msg := range errs {
		if key, ok := recordMessages[msg.Key]; ok {
			errs[field] = web.Msg{Key: key, Args: msg.Args}
		}
	}
	return errs, ok
}

func (m *Module) renderRecordForm(c *fiber.Ctx, form recordForm, errs web.Errors, quote *Quote, status int) error {
	types, err := m.svc.Types(c.UserContext(), true)
	if err != nil {
		return err
	}
	if form.TypeID == "" && len(types) > 0 {
		form.TypeID = web.FormatID(types[0].ID)
	}
	ppl, err := m.hrPersonOptions(c)
	if err != nil {
		return err
	}
	return web.RenderForm(c, "leave/record_form", web.Page{
		Title: "leave.hr.record.title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Types": typeOptions(types, web.LangOf(c)), "PersonOptions": ppl, "Quote": quoteView(quote),
			"PastStart": quote != nil && quote.StartsInPast},
	})
}
