package appointments

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// DeskBookPage is the phone booking: case type, office and date first (a
// GET form), then the day's free times and the citizen's details.
type DeskBookPage struct {
	Types   []CaseType
	Offices []Office
	TypeID  uint
	Office  uint
	Date    calendar.Date
	Ready   bool // type, office and date chosen: the times and details show
	Times   []DeskTime
}

// DeskBookForm is what the clerk typed, shown again after an error.
type DeskBookForm struct {
	Name, Email, Phone, Note, Reason string
	Lang                             string // the citizen's language, for the mails
}

// deskBookErrors place the core's refusals on the booking form's fields.
var deskBookErrors = map[error]web.FieldMessage{
	ErrName:          {"name", "appointments.desk.error.name"},
	ErrEmail:         {"email", "appointments.desk.error.email"},
	ErrPhone:         {"phone", "appointments.desk.error.phone"},
	ErrNoteTooLong:   {"note", "appointments.desk.error.note"},
	ErrTaken:         {"start", "appointments.desk.error.taken"},
	ErrNotASlot:      {"start", "appointments.desk.error.not_a_slot"},
	ErrTooSoon:       {"start", "appointments.desk.error.too_soon"},
	ErrTooLate:       {"start", "appointments.desk.error.too_late"},
	ErrUnknownType:   {"type", "appointments.desk.error.type"},
	ErrUnknownOffice: {"office", "appointments.desk.error.office"},
}

// handleDeskBookNew shows the phone booking form.
func (m *Module) handleDeskBookNew(c *fiber.Ctx) error {
	return m.renderDeskBook(c, web.Errors{}, DeskBookForm{Lang: m.svc.lang})
}

func (m *Module) renderDeskBook(c *fiber.Ctx, errs web.Errors, form DeskBookForm) error {
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	offices, err := s.DeskOffices(ctx, a)
	if err != nil {
		return err
	}
	p := &DeskBookPage{Offices: offices, Date: calendar.DateOf(s.now(), s.tz)}
	if p.Types, err = s.CaseTypes(ctx, false); err != nil {
		return err
	}
	val := func(k string) string {
		if v := c.FormValue(k); v != "" {
			return v
		}
		return c.Query(k)
	}
	p.TypeID, _ = web.ID(val("type"))
	p.Office, _ = web.ID(val("office"))
	if d, err := calendar.ParseDate(val("date")); err == nil {
		p.Date = d
	} else if val("date") != "" {
		errs.Add("date", web.MsgDate)
	}
	if p.TypeID != 0 && p.Office != 0 && !errs.Has("date") {
		t, err := s.CaseType(ctx, p.TypeID, false)
		switch {
		case errors.Is(err, ErrUnknownType):
			errs.Add("type", "appointments.desk.error.type")
		case err != nil:
			return err
		default:
			slots, err := s.Times(ctx, a, t, p.Office, p.Date)
			if err != nil {
				return err
			}
			p.Ready, p.Times = true, deskTimes(slots, s.tz, val("start"))
		}
	}
	page := web.Page{Title: "appointments.desk.book.title", Data: p, Form: form, Errors: errs}
	if errs.Any() {
		return web.RenderForm(c, "appointments/desk_book", page)
	}
	return web.Render(c, "appointments/desk_book", page)
}

// handleDeskBookCreate books for a citizen on the phone (email optional,
// any active case type, from now on) and shows the new appointment.
func (m *Module) handleDeskBookCreate(c *fiber.Ctx) error {
	form := DeskBookForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Phone: c.FormValue("phone"),
		Note: c.FormValue("note"), Reason: c.FormValue("reason"), Lang: c.FormValue("lang")}
	if form.Lang != "hu" && form.Lang != "en" {
		form.Lang = m.svc.lang
	}
	errs := web.Errors{}
	typ := web.ParseID(c.FormValue("type"), "type", errs)
	office := web.ParseID(c.FormValue("office"), "office", errs)
	start, ok := parseStart(c.FormValue("start"))
	if !ok {
		errs.Add("start", "appointments.desk.error.pick_time")
	}
	if len([]rune(form.Reason)) > 500 {
		errs.Add("reason", "appointments.desk.error.note")
	}
	if errs.Any() {
		return m.renderDeskBook(c, errs, form)
	}
	appt, err := m.svc.Book(c.UserContext(), web.ActorOf(c), BookInput{CaseTypeID: typ, OfficeID: office, Start: start,
		Name: form.Name, Email: form.Email, Phone: form.Phone, Note: form.Note, Reason: form.Reason, Lang: form.Lang, IP: web.ClientIP(c)})
	if errs, ok := web.FieldErrors(err, deskBookErrors); ok {
		return m.renderDeskBook(c, errs, form)
	}
	if err != nil {
		return err
	}
	web.Success(c, "appointments.desk.booked", "Code", appt.Code, "When", web.DateTime(c, *appt.StartAt))
	return c.Redirect("/desk/a/"+web.FormatID(appt.ID), fiber.StatusSeeOther)
}
