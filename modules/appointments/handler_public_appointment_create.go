package appointments

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// altTime is another free time offered when the chosen one was just taken:
// a button of the same form, so what was typed goes with it.
type altTime struct {
	Label string
	Value string // "2026-03-05/0930"
}

// formView is the booking form of one time.
type formView struct {
	pubBase
	Type         typeView
	Office       *Office
	When         string // "2026. 03. 05., csütörtök, 09:30–09:50"
	Action       string
	Token        string
	Form         bookForm
	Taken        bool
	Alternatives []altTime
	Month, Day   string // back to the month, the day
	pow          int    // KAPU_APPT_POW_BITS
	powNonce     string // the proof of work posted, carried by the "just taken" page
}

// Work is the form's proof of work (of its Token), nil when it is off.
func (v *formView) Work() *web.FormWork { return web.NewFormWork(v.Token, v.pow, powWait, v.powNonce) }

// bookTarget is what the form's path names: the case type, the office and
// the time; a problem page (returned as done) when one of them is wrong.
type bookTarget struct {
	t      *CaseType
	office *Office
	day    calendar.Date
	start  time.Time
}

func (m *Module) bookTarget(c *fiber.Ctx) (*bookTarget, bool, error) {
	t, err := m.publicType(c)
	if err != nil {
		return nil, true, serviceProblem(c, err, problem{})
	}
	office, err := m.publicOffice(c, t)
	if err != nil {
		return nil, true, serviceProblem(c, err, problem{Back: "/appointments/t/" + web.FormatID(t.ID), BackLabel: "appt.pub.back_type"})
	}
	d, err := dateParam(c)
	if err != nil {
		return nil, true, err
	}
	start, err := parseHHMM(d, c.Params("hhmm"), m.svc.tz)
	if err != nil {
		return nil, true, m.slotProblem(c, t, office, d, err)
	}
	return &bookTarget{t: t, office: office, day: d, start: start}, false, nil
}

// slotProblem is the page for a time that cannot be booked at all (too soon,
// too late, not one of the times): back to the month.
func (m *Module) slotProblem(c *fiber.Ctx, t *CaseType, office *Office, d calendar.Date, err error) error {
	links := linkBase{Base: typeBase(t.ID, office.ID)}
	return serviceProblem(c, err, problem{pubBase: pubBase{office: office}, Back: links.MonthURL(d), BackLabel: "appt.pub.back_month"})
}

// newForm is the form page of bt's time with what was typed, carrying token.
func (m *Module) newForm(c *fiber.Ctx, bt *bookTarget, f bookForm, token string) *formView {
	s := m.svc
	links := linkBase{Base: typeBase(bt.t.ID, bt.office.ID)}
	end := bt.start.Add(time.Duration(bt.t.Minutes) * time.Minute)
	return &formView{pubBase: pubBase{office: bt.office}, Type: viewType(bt.t, web.LangOf(c)), Office: bt.office,
		When:   dayHeading(c, bt.day) + ", " + clockRange(bt.start, end, s.tz),
		Action: c.Path(), Token: token, Form: f,
		Month: links.MonthURL(bt.day), Day: links.DayURL(bt.day),
		pow: web.ServerOf(c).Cfg.ApptPowBits, powNonce: c.FormValue(web.WorkField)}
}

// alternatives are up to six other free times: the same day's first.
func (m *Module) alternatives(c *fiber.Ctx, bt *bookTarget) ([]altTime, error) {
	const n = 6
	s := m.svc
	ctx, a := c.UserContext(), web.ActorOf(c)
	same, err := s.Times(ctx, a, bt.t, bt.office.ID, bt.day)
	if err != nil {
		return nil, err
	}
	var out []altTime
	for _, sl := range same {
		if len(out) < n && !sl.Start.Equal(bt.start) {
			out = append(out, altTime{Label: clockOf(sl.Start, s.tz), Value: bt.day.String() + "/" + hhmm(sl.Start, s.tz)})
		}
	}
	if len(out) < n {
		later, err := s.NextFree(ctx, a, bt.t, bt.office.ID, bt.day.AddDays(1).Start(s.tz), n-len(out))
		if err != nil {
			return nil, err
		}
		for _, sl := range later {
			d := calendar.DateOf(sl.Start, s.tz)
			out = append(out, altTime{Label: dayHeading(c, d) + ", " + clockOf(sl.Start, s.tz), Value: d.String() + "/" + hhmm(sl.Start, s.tz)})
		}
	}
	return out, nil
}

// handlePublicAppointmentNew is the booking form of a time: the time and
// office summed up, the checklist, the citizen's details and the notice.
// A time taken since the day was shown offers the next free ones.
func (m *Module) handlePublicAppointmentNew(c *fiber.Ctx) error {
	bt, done, err := m.bookTarget(c)
	if done {
		return err
	}
	_, err = m.svc.checkSlot(c.UserContext(), web.ActorOf(c), bt.t, bt.office.ID, bt.start)
	v := m.newForm(c, bt, bookForm{}, web.FormToken(c, formBook))
	p := web.Page{Title: "appt.pub.form_title", Data: v}
	switch {
	case errors.Is(err, ErrTaken):
		v.Taken = true
		if v.Alternatives, err = m.alternatives(c, bt); err != nil {
			return err
		}
		p.Errors = web.Errors{}
		p.Errors.Add("", errKeys[ErrTaken])
		p.Status = fiber.StatusConflict
	case err != nil:
		return m.slotProblem(c, bt.t, bt.office, bt.day, err)
	}
	return web.RenderPublicForm(c, "appointments/public_form", p)
}

// handlePublicAppointmentCreate books the time (or the other time the
// citizen picked after it was taken, "alt") and sends them to their
// personal page. Whatever is wrong shows the form again with what was typed.
func (m *Module) handlePublicAppointmentCreate(c *fiber.Ctx) error {
	bt, done, err := m.bookTarget(c)
	if done {
		return err
	}
	if alt := c.FormValue("alt"); alt != "" {
		ds, hm, _ := strings.Cut(alt, "/")
		d, derr := calendar.ParseDate(ds)
		start, herr := parseHHMM(d, hm, m.svc.tz)
		if derr != nil || herr != nil {
			return m.slotProblem(c, bt.t, bt.office, bt.day, ErrNotASlot)
		}
		bt.day, bt.start = d, start
	}
	f := readBookForm(c)
	// Until it is refused, the form shown again keeps the posted token: the
	// waiting and the work done for it still count.
	v := m.newForm(c, bt, f, c.FormValue(web.FormField))
	p := web.Page{Title: "appt.pub.form_title", Data: v, Errors: web.Errors{}}
	if err := web.CheckFormToken(c, formBook, bookMinAge, formMaxAge); err != nil {
		v.Token = web.FormToken(c, formBook)
		p.Errors.Add("", formTokenKey(err))
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	// The token is single use: a booking spends it (so does a bot's
	// honeypot), nothing the citizen can put right does.
	use, err := web.UseFormToken(c, formBook, formMaxAge)
	if err != nil {
		v.Token = web.FormToken(c, formBook)
		p.Errors.Add("", formTokenKey(err))
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	defer use.Release()
	if err := web.CheckFormWork(c, v.pow, powWait); err != nil {
		p.Errors.Add("", formTokenKey(err))
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	if c.FormValue("website") != "" {
		// The field people never see: a script filled it. It is told the
		// booking failed, as if the time were gone, and nothing is stored.
		use.Spend()
		p.Errors.Add("", "appt.err.not_booked")
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	in := BookInput{CaseTypeID: bt.t.ID, OfficeID: bt.office.ID, Start: bt.start,
		Name: f.Name, Email: f.Email, Phone: f.Phone, Note: f.Note, Lang: web.LangOf(c), IP: web.ActorOf(c).IP, Consent: f.Privacy}
	if !f.Privacy {
		p.Errors.Add("privacy", "appt.err.privacy")
	}
	if _, verr := Validate(in, false); verr != nil {
		p.Errors.AddFieldErrors(verr, bookTable)
	}
	if p.Errors.Any() {
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	appt, err := m.svc.Book(c.UserContext(), web.ActorOf(c), in)
	switch {
	case errors.Is(err, ErrTaken):
		// The details were fine (Validate passed): the answer offers the
		// next free times, carrying them, on a page lighter than the form.
		v.Taken = true
		if v.Alternatives, err = m.alternatives(c, bt); err != nil {
			return err
		}
		p.Status = fiber.StatusConflict
		return web.RenderPublic(c, "appointments/public_taken", p)
	case err != nil:
		if !p.Errors.AddFieldErrors(err, bookTable) {
			return err
		}
		p.Status = statusOf(err)
		return web.RenderPublicForm(c, "appointments/public_form", p)
	}
	use.Spend()
	return c.Redirect(m.svc.LinkPath(appt)+"?new=1", fiber.StatusSeeOther)
}
