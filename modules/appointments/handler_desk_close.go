package appointments

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// DeskClosePage is the form to close a desk for a day and, once desk, date
// and reason are given, how many appointments it touches.
type DeskClosePage struct {
	Offices  []OfficeDesks
	Desk     *Desk
	DeskID   uint
	Date     calendar.Date
	Reason   string
	Affected int
	Confirm  bool
}

// OfficeDesks is an office with its active desks, for the desk picker.
type OfficeDesks struct {
	Office Office
	Desks  []Desk
}

// closeErrors place the service's refusals on the close form.
var closeErrors = map[error]web.FieldMessage{
	ErrReason:            {"reason", "appointments.desk.error.reason"},
	ErrNoteTooLong:       {"reason", "appointments.desk.error.reason"},
	ErrDeskUnknown:       {"desk", "appointments.desk.error.desk"},
	ErrDeskAlreadyClosed: {"date", "appointments.desk.error.already_closed"},
	ErrDeskPastDay:       {"date", "appointments.desk.error.past_day"},
}

// handleDeskCloseConfirm shows the form (desk=, date=, reason= in the
// query); with all three, it says how many appointments the closing moves
// or asks to rebook, and offers the button. It changes nothing.
func (m *Module) handleDeskCloseConfirm(c *fiber.Ctx) error {
	errs := web.Errors{}
	p, err := m.closePage(c, c.Query("desk"), c.Query("date"), c.Query("reason"), errs)
	if err != nil {
		return err
	}
	if c.Query("desk") != "" && !errs.Any() {
		desk, n, err := m.svc.DeskAffected(c.UserContext(), web.ActorOf(c), p.DeskID, p.Date)
		if errs2, ok := web.FieldErrors(err, closeErrors); ok {
			return web.RenderForm(c, "appointments/desk_close", web.Page{Title: "appointments.desk.close.title", Data: p, Errors: errs2})
		}
		if err != nil {
			return err
		}
		p.Desk, p.Affected, p.Confirm = desk, n, true
	}
	page := web.Page{Title: "appointments.desk.close.title", Data: p, Errors: errs}
	if errs.Any() {
		return web.RenderForm(c, "appointments/desk_close", page)
	}
	return web.Render(c, "appointments/desk_close", page)
}

// closePage reads the close form's fields into the page.
func (m *Module) closePage(c *fiber.Ctx, desk, date, reason string, errs web.Errors) (*DeskClosePage, error) {
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	offices, err := s.DeskOffices(ctx, a)
	if err != nil {
		return nil, err
	}
	p := &DeskClosePage{Date: calendar.DateOf(s.now(), s.tz), Reason: strings.TrimSpace(reason)}
	var desks []Desk
	if err := s.db.R.WithContext(ctx).Where("active = ?", true).Order("name, id").Find(&desks).Error; err != nil {
		return nil, err
	}
	for _, o := range offices {
		od := OfficeDesks{Office: o}
		for _, d := range desks {
			if d.OfficeID == o.ID {
				od.Desks = append(od.Desks, d)
			}
		}
		p.Offices = append(p.Offices, od)
	}
	if desk == "" {
		return p, nil
	}
	p.DeskID = web.ParseID(desk, "desk", errs)
	p.Date = calendar.ParseDateField(date, "date", errs)
	if p.Reason == "" {
		errs.Add("reason", "appointments.desk.error.reason")
	} else if len([]rune(p.Reason)) > 200 {
		errs.Add("reason", "appointments.desk.error.reason_long")
	}
	return p, nil
}

// handleDeskClose closes the desk for the day and moves what fits.
func (m *Module) handleDeskClose(c *fiber.Ctx) error {
	errs := web.Errors{}
	p, err := m.closePage(c, c.FormValue("desk"), c.FormValue("date"), c.FormValue("reason"), errs)
	if err != nil {
		return err
	}
	if !errs.Any() {
		var moved, left int
		moved, left, err = m.svc.CloseDesk(c.UserContext(), web.ActorOf(c), p.DeskID, p.Date, p.Reason)
		if err == nil {
			web.Success(c, "appointments.desk.close.done", "Moved", moved, "Left", left)
			v := url.Values{"date": {p.Date.String()}}
			for _, od := range p.Offices {
				for _, d := range od.Desks {
					if d.ID == p.DeskID {
						v.Set("office", web.FormatID(od.Office.ID))
					}
				}
			}
			return c.Redirect("/desk?"+v.Encode(), fiber.StatusSeeOther)
		}
		var ok bool
		if errs, ok = web.FieldErrors(err, closeErrors); !ok {
			return err
		}
	}
	return web.RenderForm(c, "appointments/desk_close", web.Page{Title: "appointments.desk.close.title", Data: p, Errors: errs})
}
