package appointments

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// pubAppt is an appointment as its personal page shows it: only this
// citizen's own booking, found by the link they hold.
type pubAppt struct {
	Code       string
	Type       typeView
	Office     Office
	When       string // the local date, weekday and times
	Status     string
	StatusKey  string
	StatusTone string // is-ok, is-warn, is-off
	Link       string // the personal page's path
	Changeable bool   // may still be moved or cancelled
	Pending    bool
	HoldUntil  string
	CanRate    bool
	Rated      bool
	Rating     int
	Start      time.Time
}

// loadAppt is the appointment of the path's token and what its page shows;
// a clear 404 page (done) for an unknown, erased or tampered link.
func (m *Module) loadAppt(c *fiber.Ctx) (*View, *pubAppt, bool, error) {
	token := trimToken(c.Params("token"))
	appt, err := m.svc.Find(c.UserContext(), web.ActorOf(c), Ref{Token: token})
	if err == nil && token == "" {
		err = ErrNotFound
	}
	if err != nil {
		if errKey(err) != "" {
			return nil, nil, true, renderProblem(c, fiber.StatusNotFound, problem{Title: "appt.gone.title", Text: "appt.gone.text"})
		}
		return nil, nil, true, err
	}
	v, err := m.svc.Describe(c.UserContext(), appt)
	if err != nil {
		return nil, nil, true, err
	}
	return v, m.viewAppt(c, v), false, nil
}

func (m *Module) viewAppt(c *fiber.Ctx, v *View) *pubAppt {
	s := m.svc
	p := &pubAppt{Code: v.Code, Type: viewType(&v.Type, web.LangOf(c)), Office: v.Office, Status: v.Status,
		StatusKey: "appt.status." + v.Status, Link: s.LinkPath(v.Appointment), Rating: v.Rating, Rated: v.RatedAt != nil}
	if v.StartAt != nil {
		p.Start = *v.StartAt
		end := *v.StartAt
		if v.EndAt != nil {
			end = *v.EndAt
		}
		p.When = dayHeading(c, dateIn(*v.StartAt, s)) + ", " + clockRange(*v.StartAt, end, s.tz)
	}
	p.Changeable = s.changeable(v.Appointment, false) == nil
	p.Pending = v.Status == StatusPending && v.HoldUntil != nil && v.HoldUntil.After(s.now())
	if p.Pending {
		p.HoldUntil = web.DateTime(c, *v.HoldUntil)
	}
	p.CanRate = v.Status == StatusServed && v.RatedAt == nil
	switch v.Status {
	case StatusBooked, StatusServed, StatusArrived, StatusCalled:
		p.StatusTone = "is-ok"
	case StatusPending:
		p.StatusTone = "is-warn"
	default:
		p.StatusTone = "is-off"
	}
	return p
}

// apptPage is the personal page's data.
type apptPage struct {
	pubBase
	Appt   *pubAppt
	Note   string // a translation key: "booked", "moved" …
	Token  string // the inline rating form's
	Scores []int
}

// notes are the ?…=1 messages after an action (there is no session for a flash).
var notes = []struct{ param, key string }{
	{"new", "appt.my.note_new"}, {"moved", "appt.my.note_moved"}, {"cancelled", "appt.my.note_cancelled"},
	{"confirmed", "appt.my.note_confirmed"}, {"rated", "appt.my.note_rated"},
}

// handlePublicAppointmentShow is the citizen's personal page: the code, what,
// where and when, what to bring, and what they may still do.
func (m *Module) handlePublicAppointmentShow(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	page := &apptPage{pubBase: pubBase{office: &v.Office}, Appt: pa}
	for _, n := range notes {
		if c.Query(n.param) == "1" {
			page.Note = n.key
			if n.param == "new" && v.Status == StatusPending {
				page.Note = "appt.my.note_new_pending"
			}
		}
	}
	if pa.CanRate {
		page.Token, page.Scores = web.FormToken(c, formManage), []int{1, 2, 3, 4, 5}
	}
	return web.RenderPublic(c, "appointments/public_my", web.Page{Title: "appt.my.title", Data: page})
}

// handlePublicAppointmentICS is the appointment as a calendar file, the same
// one the confirmation mail carries.
func (m *Module) handlePublicAppointmentICS(c *fiber.Ctx) error {
	v, _, done, err := m.loadAppt(c)
	if done {
		return err
	}
	if v.StartAt == nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, icsType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+icsName(v.Appointment)+`"`)
	return c.Send(m.svc.ICS(v, web.LangOf(c)))
}
