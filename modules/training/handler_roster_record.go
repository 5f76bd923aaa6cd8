package training

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// rosterFormLine is one roster line as typed.
type rosterFormLine struct {
	Enrolment                                 uint
	Outcome, Score, CertificateNo, ValidUntil string
}

// rosterField is the form name of a roster line's field: line_<n>_<field>,
// so each line keeps its own messages.
func rosterField(n int, field string) string { return "line_" + strconv.Itoa(n) + "_" + field }

// handleRosterShow is the session's roster: everyone enrolled at once.
func (m *Module) handleRosterShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderRoster(c, id, nil, nil, fiber.StatusOK)
}

// handleRosterRecord records the whole roster, or shows it again with each
// refusal by its line's field and nothing recorded.
func (m *Module) handleRosterRecord(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	n := web.ParseInt(c.FormValue("lines"), "", 0, maxSeats, web.Errors{})
	errs := web.Errors{}
	var lines []RosterLine
	var typed []rosterFormLine
	for i := 0; i < n; i++ {
		f := rosterFormLine{Outcome: c.FormValue(rosterField(i, "outcome")), Score: trim(c.FormValue(rosterField(i, "score"))),
			CertificateNo: c.FormValue(rosterField(i, "certificate_no")), ValidUntil: trim(c.FormValue(rosterField(i, "valid_until")))}
		f.Enrolment = web.ParseID(c.FormValue(rosterField(i, "enrolment")), rosterField(i, "enrolment"), errs)
		if errs.Has(rosterField(i, "enrolment")) {
			return fiber.ErrNotFound // a forged line
		}
		l := RosterLine{EnrolmentID: f.Enrolment, Outcome: f.Outcome, CertificateNo: f.CertificateNo}
		l.Score = optionalWhole(f.Score, rosterField(i, "score"), errs)
		l.ValidUntil = calendar.ParseOptionalDateField(f.ValidUntil, rosterField(i, "valid_until"), errs)
		if fh, ferr := c.FormFile(rosterField(i, "file")); ferr == nil {
			up, uerr := ReadCertificate(fh)
			if uerr != nil {
				errs.Add(rosterField(i, "file"), recordMessageOf(uerr))
			}
			l.File = up
		}
		lines = append(lines, l)
		typed = append(typed, f)
	}
	if errs.Any() {
		errs.Add("", "training.records.err.form")
		return m.renderRoster(c, id, typed, errs, fiber.StatusUnprocessableEntity)
	}
	err = m.svc.RecordRoster(c.UserContext(), web.ActorOf(c), id, lines)
	if placeProblems(errs, err, func(p LineProblem) string { return rosterField(p.Line, p.Field) }) {
		if errors.Is(err, ErrRosterChanged) {
			typed = nil // the roster is read again as it is now
		}
		return m.renderRoster(c, id, typed, errs, recordStatusOf(err))
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.roster.recorded", "Count", len(lines))
	return c.Redirect("/training/admin/sessions/"+web.FormatID(id)+"/roster", fiber.StatusSeeOther)
}

// renderRoster shows the roster, with the lines as typed when given.
func (m *Module) renderRoster(c *fiber.Ctx, id uint, typed []rosterFormLine, errs web.Errors, status int) error {
	v, err := m.svc.Roster(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	if typed == nil || len(typed) != len(v.Lines) {
		typed = make([]rosterFormLine, len(v.Lines))
		for i, l := range v.Lines {
			typed[i] = rosterFormLine{Enrolment: l.Enrolment.ID, Outcome: l.Enrolment.Outcome}
			if l.Completion != nil {
				typed[i].CertificateNo = l.Completion.CertificateNo
				if l.Completion.Score != nil {
					typed[i].Score = strconv.Itoa(*l.Completion.Score)
				}
				if !l.Completion.ValidUntil.IsZero() {
					typed[i].ValidUntil = l.Completion.ValidUntil.String()
				}
			} else if !v.Default.IsZero() {
				typed[i].ValidUntil = v.Default.String()
			}
		}
	}
	outcomes := make([]web.Option, len(Outcomes))
	for i, o := range Outcomes {
		outcomes[i] = web.Option{Value: o, Label: web.T(c, "training.outcome."+o)}
	}
	return web.RenderForm(c, "training/roster", web.Page{Title: "training.roster.title", Status: status, Errors: errs,
		Data: fiber.Map{"View": v, "Outcomes": outcomes, "Title": v.Training.Title(web.LangOf(c)),
			"When": i18n.FormatDateRangeIn(web.LangOf(c), v.Session.FirstDay.Start(time.UTC), v.Session.LastDay.Start(time.UTC), 0)},
		Form: fiber.Map{"Lines": typed}})
}
