package appointments

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// DeskShowPage is one appointment for the front desk: all its data, its
// timeline, and the move and cancel forms while it may still change.
type DeskShowPage struct {
	View       *View
	Row        DayRow
	When       string
	Called     string // the desk it was called to
	Booker     string // "online", "phone", "walk_in" as words
	Entries    []history.Entry
	Actions    string // the timeline's sentence prefix, "" when an action has none (names only)
	Changeable bool
	MoveDate   calendar.Date
	Times      []DeskTime
	Self       string
	Back       string // the day of the appointment at its office
	Open       []Desk
}

// deskEvents is the stem of the timeline's sentences, one per action.
const deskEvents = "appointments.desk.event."

// DeskTime is one free time offered for a move or a booking.
type DeskTime struct {
	Value, Label string
	Checked      bool
}

// deskTimes are slots as the radio list of a form.
func deskTimes(slots []Slot, tz *time.Location, chosen string) []DeskTime {
	out := make([]DeskTime, len(slots))
	for i, sl := range slots {
		v := strconv.FormatInt(sl.Start.Unix(), 10)
		out[i] = DeskTime{Value: v, Label: sl.Start.In(tz).Format("15:04"), Checked: v == chosen}
	}
	return out
}

// parseStart reads a time the form offered (Unix seconds).
func parseStart(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// handleDeskShow shows one appointment (date= picks the day of the move's times).
func (m *Module) handleDeskShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderDeskShow(c, id, nil, fiber.StatusOK)
}

func (m *Module) renderDeskShow(c *fiber.Ctx, id uint, errs web.Errors, status int) error {
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	appt, err := s.Find(ctx, a, Ref{ID: id})
	if err != nil {
		return err
	}
	v, err := s.Describe(ctx, appt)
	if err != nil {
		return err
	}
	p := &DeskShowPage{View: v, Self: "/desk/a/" + web.FormatID(id)}
	var desks []Desk
	if err := s.db.R.WithContext(ctx).Where("office_id = ? AND active = ?", appt.OfficeID, true).Order("name, id").Find(&desks).Error; err != nil {
		return err
	}
	names := map[uint]string{}
	for _, d := range desks {
		names[d.ID] = d.Name
	}
	p.Open = desks
	day := calendar.DateOf(appt.BookedAt, s.tz)
	if appt.StartAt != nil {
		day = calendar.DateOf(*appt.StartAt, s.tz)
	}
	p.Back = "/desk?" + url.Values{"office": {web.FormatID(appt.OfficeID)}, "date": {day.String()}}.Encode()
	p.Row = m.row(c, DeskItem{Appointment: *appt, Type: v.Type}, names)
	if appt.StartAt != nil {
		year := calendar.DateOf(s.now(), s.tz).Year
		p.When = i18n.FormatTimeRangeIn(web.LangOf(c), *appt.StartAt, *appt.EndAt, s.tz, year)
	}
	if appt.CalledDeskID != nil {
		p.Called = names[*appt.CalledDeskID]
	}
	if p.Entries, err = history.Of(s.db.R.WithContext(ctx), entity, id); err != nil {
		return err
	}
	p.Actions = deskEvents
	for _, e := range p.Entries {
		if key := deskEvents + e.Action; web.T(c, key) == key {
			p.Actions = "" // an action of another part of Kapu without a sentence here
			break
		}
	}
	p.Changeable = appt.Status == StatusBooked || appt.Status == StatusPending
	if p.Changeable {
		p.MoveDate = calendar.DateOf(s.now(), s.tz)
		if appt.StartAt != nil && calendar.DateOf(*appt.StartAt, s.tz).After(p.MoveDate) {
			p.MoveDate = calendar.DateOf(*appt.StartAt, s.tz)
		}
		if d, err := calendar.ParseDate(c.Query("date", c.FormValue("date"))); err == nil {
			p.MoveDate = d
		}
		slots, err := s.Times(ctx, a, &v.Type, appt.OfficeID, p.MoveDate)
		if err != nil {
			return err
		}
		p.Times = deskTimes(slots, s.tz, c.FormValue("start"))
	}
	page := web.Page{Title: "appointments.desk.show.title", Data: p, Errors: errs, Status: status,
		Form: map[string]string{"reason": c.FormValue("reason"), "cancel_reason": cancelReason(c)}}
	if errs.Any() {
		return web.RenderForm(c, "appointments/desk_show", page)
	}
	return web.Render(c, "appointments/desk_show", page)
}

// moveErrors place the core's refusals of a move on the form.
var moveErrors = map[error]web.FieldMessage{
	ErrTaken:     {"start", "appointments.desk.error.taken"},
	ErrNotASlot:  {"start", "appointments.desk.error.not_a_slot"},
	ErrTooSoon:   {"start", "appointments.desk.error.too_soon"},
	ErrTooLate:   {"start", "appointments.desk.error.too_late"},
	ErrNotActive: {"", "appointments.desk.error.not_active"},
}

// handleDeskMove moves the appointment to a free time of its case type; the
// core emails the citizen.
func (m *Module) handleDeskMove(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	start, ok := parseStart(c.FormValue("start"))
	if !ok {
		errs := web.Errors{}
		errs.Add("start", "appointments.desk.error.pick_time")
		return m.renderDeskShow(c, id, errs, 0)
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if len([]rune(reason)) > 500 {
		errs := web.Errors{}
		errs.Add("reason", "appointments.desk.error.note")
		return m.renderDeskShow(c, id, errs, 0)
	}
	appt, err := m.svc.Move(c.UserContext(), web.ActorOf(c), Ref{ID: id}, start, reason)
	if errs, ok := web.FieldErrors(err, moveErrors); ok {
		return m.renderDeskShow(c, id, errs, 0)
	}
	if err != nil {
		return err
	}
	web.Success(c, "appointments.desk.moved", "Code", appt.Code, "When", web.DateTime(c, *appt.StartAt))
	return c.Redirect("/desk/a/"+web.FormatID(id), fiber.StatusSeeOther)
}

// handleDeskCancelConfirm asks before cancelling, with the reason the show
// page's form gave (reason= in the query; without it the form again).
func (m *Module) handleDeskCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	reason := cancelReason(c)
	if reason == "" || len([]rune(reason)) > 500 {
		errs := web.Errors{}
		errs.Add("cancel_reason", "appointments.desk.error.reason")
		return m.renderDeskShow(c, id, errs, 0)
	}
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	appt, err := s.Find(ctx, a, Ref{ID: id})
	if err != nil {
		return err
	}
	if appt.Status != StatusBooked && appt.Status != StatusPending {
		return ErrNotActive
	}
	v, err := s.Describe(ctx, appt)
	if err != nil {
		return err
	}
	details := []string{web.T(c, "appointments.desk.cancel.reason", "Reason", reason)}
	if appt.Email != "" {
		details = append(details, web.T(c, "appointments.desk.cancel.mailed", "Email", appt.Email))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title: "appointments.desk.cancel.title",
		Question: web.T(c, "appointments.desk.cancel.question", "Code", appt.Code, "Name", appt.Name,
			"Type", v.Type.Name(web.LangOf(c)), "When", web.DateTime(c, *appt.StartAt)),
		Details: details,
		Action:  "/desk/a/" + web.FormatID(id) + "/cancel?reason=" + urlQuery(reason),
		Button:  web.T(c, "appointments.desk.cancel.button"),
		Back:    "/desk/a/" + web.FormatID(id),
	})
}

// handleDeskCancel cancels the appointment with the front desk's reason;
// the core emails the citizen.
func (m *Module) handleDeskCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if reason == "" {
		reason = c.Query("reason")
	}
	appt, err := m.svc.Cancel(c.UserContext(), web.ActorOf(c), Ref{ID: id}, reason)
	if errors.Is(err, ErrReason) || errors.Is(err, ErrNoteTooLong) {
		errs := web.Errors{}
		errs.Add("cancel_reason", "appointments.desk.error.reason")
		return m.renderDeskShow(c, id, errs, 0)
	}
	if err != nil {
		return err
	}
	web.Success(c, "appointments.desk.cancelled", "Code", appt.Code)
	return c.Redirect(web.NextOr(c, "/desk/a/"+web.FormatID(id)), fiber.StatusSeeOther)
}

// cancelReason is the reason the show page's cancel form gave.
func cancelReason(c *fiber.Ctx) string {
	r := c.Query("cancel_reason")
	if r == "" {
		r = c.Query("reason")
	}
	return strings.TrimSpace(r)
}
