package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// recordRoutes are the records' pages: my trainings (every signed-in
// person), a person's page (the person, their manager, HR), a session's
// roster (HR or the session's trainer: the service decides, so the route
// only asks for a sign-in), HR's completion form and import, and the
// compliance view (HR and managers). Each route carries its own guard
// rather than a group's, so a guard never spreads to another screen's
// paths under /training (a public feedback link).
func (m *Module) recordRoutes(s *web.Server) {
	login, hr := web.RequireLogin, web.Require(StaffRole)
	app := s.App
	app.Get("/training", login, m.handleMineShow)
	app.Get("/training/people/:id", login, m.handlePersonShow)
	app.Post("/training/people/:id/profile", hr, m.handleProfileSave)
	app.Get("/training/certificates/:id", login, m.handleCertificateShow)
	app.Get("/training/admin/sessions/:id/roster", login, m.handleRosterShow)
	app.Post("/training/admin/sessions/:id/roster", login, m.handleRosterRecord)
	app.Get("/training/admin/completions/new", hr, m.handleCompletionNew)
	app.Post("/training/admin/completions/new", hr, m.handleCompletionCreate)
	app.Post("/training/admin/completions/:id/certificate", hr, m.handleCertificateUpload)
	app.Get("/training/admin/import", hr, m.handleImportForm)
	app.Post("/training/admin/import", hr, m.handleImportCompletions)
	app.Get("/training/admin/import/sample.csv", hr, m.handleImportSample)
	app.Get("/training/compliance", web.Require(ComplianceRoles...), m.handleComplianceShow)
	s.AddNav(web.NavItem{Key: "training.compliance.nav", Path: "/training/compliance", Icon: "check",
		Section: web.SectionAdmin, Order: 21, Roles: ComplianceRoles})
}

// recordMessages are the messages of the records' refusals, for the forms
// to put by their fields.
var recordMessages = map[error]string{
	ErrRosterClosed: "training.records.err.roster_closed", ErrRosterEarly: "training.records.err.roster_early",
	ErrRosterChanged: "training.records.err.roster_changed", ErrOutcome: "training.records.err.outcome",
	ErrScore: "training.records.err.score", ErrCertificateNo: "training.records.err.certificate_no",
	ErrValidUntil: "training.records.err.valid_until", ErrNotCompleted: "training.records.err.not_completed",
	ErrCompletedOn: "training.records.err.completed_on", ErrPerson: "training.records.err.person",
	ErrTraining: "training.records.err.training", ErrMinutes: "training.records.err.hours",
	ErrPoints: "training.records.err.points", ErrDuplicate: "training.records.err.duplicate",
	ErrCertificateTooLarge: "training.records.err.file_too_large", ErrCertificateType: "training.records.err.file_type",
	ErrUnknownEducation: "training.records.err.education",
}

// recordMessageOf is the message key of a records refusal, "" for another error.
func recordMessageOf(err error) string {
	for e, key := range recordMessages {
		if errors.Is(err, e) {
			return key
		}
	}
	return ""
}

// placeProblems puts each problem's message on its form field, named by
// field; it reports whether err was such a list (or a single refusal it
// placed on the whole form).
func placeProblems(errs web.Errors, err error, field func(LineProblem) string) bool {
	var problems []LineProblem
	var re *RosterError
	var fp *FieldProblems
	switch {
	case errors.As(err, &re):
		problems = re.Problems
	case errors.As(err, &fp):
		problems = fp.Problems
	default:
		if key := recordMessageOf(err); key != "" {
			errs.Add("", key)
			return true
		}
		return false
	}
	for _, p := range problems {
		errs.AddOnce(field(p), recordMessageOf(p.Err))
	}
	if !errs.Has("") {
		errs.Add("", "training.records.err.form")
	}
	return true
}

// recordStatusOf is the status a form shown again answers with.
func recordStatusOf(err error) int {
	if errors.Is(err, ErrRosterChanged) || errors.Is(err, ErrRosterClosed) || errors.Is(err, ErrDuplicate) {
		return fiber.StatusConflict
	}
	return fiber.StatusUnprocessableEntity
}
