package appointments

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// ratePage is the satisfaction form of a served appointment.
type ratePage struct {
	pubBase
	Appt   *pubAppt
	Token  string
	Score  int
	Note   string
	Scores []int
	Error  string // a translation key about the whole form (rated already …)
}

// handlePublicAppointmentRateAsk is the rating form with the score the
// mail's link chose; nothing is recorded on a GET (mail scanners open links).
func (m *Module) handlePublicAppointmentRateAsk(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	score, _ := strconv.Atoi(c.Query("score"))
	if score < 1 || score > 5 {
		score = 0
	}
	page := &ratePage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage), Score: score, Scores: []int{1, 2, 3, 4, 5}}
	status := fiber.StatusOK
	switch {
	case pa.Rated:
		page.Error, status = errKeys[ErrRated], fiber.StatusConflict
	case !pa.CanRate:
		page.Error, status = errKeys[ErrNotServed], fiber.StatusConflict
	}
	return web.RenderPublic(c, "appointments/public_rate", web.Page{Title: "appt.rate.title", Data: page, Status: status})
}

// handlePublicAppointmentRate records the rating, once.
func (m *Module) handlePublicAppointmentRate(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	score, _ := strconv.Atoi(c.FormValue("score"))
	page := &ratePage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage), Score: score,
		Note: limit(c.FormValue("note"), 4*maxNote), Scores: []int{1, 2, 3, 4, 5}}
	p := web.Page{Title: "appt.rate.title", Data: page, Errors: web.Errors{}}
	if terr := web.CheckFormToken(c, formManage, 0, formMaxAge); terr != nil {
		p.Errors.Add("", formTokenKey(terr))
		return web.RenderPublicForm(c, "appointments/public_rate", p)
	}
	_, err = m.svc.Rate(c.UserContext(), web.ActorOf(c), Ref{Token: trimToken(c.Params("token"))}, score, page.Note)
	switch {
	case err == nil:
		return c.Redirect(pa.Link+"?rated=1", fiber.StatusSeeOther)
	case errKey(err) == "":
		return err
	case errors.Is(err, ErrRating):
		p.Errors.Add("score", errKeys[ErrRating])
	case errors.Is(err, ErrNoteTooLong):
		p.Errors.Add("note", errKeys[ErrNoteTooLong])
	default:
		page.Error = errKey(err)
		p.Status = statusOf(err)
		p.Errors.Add("", page.Error)
	}
	return web.RenderPublicForm(c, "appointments/public_rate", p)
}
