package training_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// A person's points in a period are the sum of their ledger rows in it,
// with the internal cap taken in date order, and the person's page, the
// compliance view and its export all show that same figure.
func TestPointsAreTheLedgerEverywhere(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		ctx := context.Background()
		today := kaputest.Today(t, app)
		rules := training.DefaultPointsRules()
		period := rules.PeriodOf(today)
		hr := kaputest.Person(t, app, "hr").Actor()
		emp := kaputest.Person(t, app, "employee")
		record := func(code string, points int, central bool) {
			tr := recTraining(t, app, training.Training{Code: code, TitleHU: "Képzés " + code, Points: points, Central: central})
			_, err := app.Training.RecordOnBehalf(ctx, hr, training.CompletionInput{PersonID: emp.ID, TrainingID: tr.ID, CompletedOn: today})
			recMust(t, err)
		}
		record("INT-1", 20, false)
		record("INT-2", 20, false)
		record("INT-3", 20, false)
		record("CEN-1", 10, true)
		// A row outside the period counts nowhere.
		old := recTraining(t, app, training.Training{Year: period.Start.Year - 1, Code: "CEN-0", TitleHU: "Régi", Points: 30, Central: true})
		_, err := app.Training.RecordOnBehalf(ctx, hr, training.CompletionInput{PersonID: emp.ID, TrainingID: old.ID, CompletedOn: period.Start.AddDays(-1)})
		recMust(t, err)

		// The oracle: the ledger's rows in the period, summed here with the cap.
		var rows []training.Earned
		internal, central := 0, 0
		for _, r := range recLedgerOf(t, app, "employee") {
			if period.Contains(r.Day) {
				rows = append(rows, training.Earned{Day: r.Day, Points: r.Points, Internal: r.Internal, Central: r.Central})
				if r.Internal {
					internal += r.Points
				} else {
					central += r.Points
				}
			}
		}
		required := rules.Requirement(training.Graduate, emp.EmployedFrom, emp.EmployedUntil, period)
		capped := min(internal, required*rules.InternalCapShare/100)
		want := capped + central
		if internal != 60 || central != 10 || want >= internal+central {
			t.Fatalf("ledger in the period: %d internal, %d central; the cap (%d) should bite", internal, central, capped)
		}
		if s := rules.Standing(training.Graduate, emp.EmployedFrom, emp.EmployedUntil, rows, period, today); s.Counted != want {
			t.Fatalf("Standing over the ledger's rows counts %d; the cap in date order gives %d", s.Counted, want)
		}

		got, err := app.Training.PointsOf(ctx, emp.ID, today)
		recMust(t, err)
		if got.Counted != want || got.InternalOver != internal-capped {
			t.Errorf("PointsOf = %d counted, %d over; want %d, %d", got.Counted, got.InternalOver, want, internal-capped)
		}
		ov, err := app.Training.Overview(ctx, emp.Actor(), emp.ID, 0)
		recMust(t, err)
		if ov.Points.Counted != want || ov.Points.Required != required {
			t.Errorf("the overview = %d / %d; want %d / %d", ov.Points.Counted, ov.Points.Required, want, required)
		}
		_, body := kaputest.SignedIn(t, app, "employee").Get("/training")
		if figure := strconv.Itoa(want) + " / " + strconv.Itoa(required); !strings.Contains(body, figure) {
			t.Errorf("My trainings does not show %q", figure)
		}
		view, err := app.Training.Compliance(ctx, kaputest.Person(t, app, "manager").Actor(), 0)
		recMust(t, err)
		found := false
		for _, r := range view.Rows {
			if r.PersonID == emp.ID {
				found = true
				if r.Points.Counted != want {
					t.Errorf("the compliance view counts %d; want %d", r.Points.Counted, want)
				}
			}
		}
		if !found {
			t.Fatalf("the manager's compliance view has no row for the employee")
		}
		_, csv := kaputest.SignedIn(t, app, "manager").Get("/training/compliance?format=csv")
		line := recLineWith(csv, emp.Name)
		if !strings.Contains(line, ","+strconv.Itoa(want)+","+strconv.Itoa(required)+",") {
			t.Errorf("the export's row %q does not give %d of %d", line, want, required)
		}
	})
}

// The compliance view lights each person: a mandatory training not done by
// its day is red, one done with a valid certificate (even of an earlier
// year's catalogue, by its code) is not missing. HR sees everyone, a
// manager their own people, an employee nothing; the export has the
// page's rows.
func TestComplianceLightsAndScope(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		ctx := context.Background()
		today := kaputest.Today(t, app)
		if today.Month == 1 && today.Day == 1 {
			t.Skip("no day of this year before today to be due on")
		}
		recCatalogue(t, app, today.Year, training.CataloguePublished)
		due := today.AddDays(-1)
		recTraining(t, app, training.Training{Code: "TUZ-01", TitleHU: "Tűzvédelmi oktatás", TitleEN: "Fire safety", Mandatory: true,
			DueBy: due, Certificate: true, ValidMonths: 24, Points: 2, Central: true})
		last := recTraining(t, app, training.Training{Year: today.Year - 1, Code: "TUZ-01", TitleHU: "Tűzvédelmi oktatás", Certificate: true, ValidMonths: 24, Points: 2, Central: true})
		emp := kaputest.Person(t, app, "employee")
		_, err := app.Training.RecordOnBehalf(ctx, kaputest.Person(t, app, "hr").Actor(), training.CompletionInput{
			PersonID: emp.ID, TrainingID: last.ID, CompletedOn: today.AddDays(-200)})
		recMust(t, err)

		mgr := kaputest.Person(t, app, "manager")
		view, err := app.Training.Compliance(ctx, mgr.Actor(), 0)
		recMust(t, err)
		team, err := people.Reports(app.DB.R, mgr.ID)
		recMust(t, err)
		byName := map[string]training.ComplianceRow{}
		for _, r := range view.Rows {
			byName[r.Name] = r
		}
		if len(view.Rows) == 0 || len(view.Rows) > len(team) {
			t.Fatalf("the manager sees %d rows; want their %d people at most", len(view.Rows), len(team))
		}
		if r, ok := byName["Lakatos Bence"]; !ok || r.Light != training.Red || len(r.Missing) != 1 || r.Missing[0].State != training.MandatoryOverdue {
			t.Errorf("Lakatos Bence = %+v; want red, fire safety overdue", r)
		}
		if r := byName[emp.Name]; len(r.Missing) != 0 {
			t.Errorf("the employee's fire safety, done last year with a valid certificate, is missing: %+v", r.Missing)
		}
		if _, ok := byName["Rácz Anita"]; ok {
			t.Errorf("the manager sees another department's person")
		}

		hrView, err := app.Training.Compliance(ctx, kaputest.Person(t, app, "hr").Actor(), 0)
		recMust(t, err)
		if len(hrView.Rows) <= len(view.Rows) {
			t.Errorf("HR sees %d rows, the manager %d; want HR to see everyone", len(hrView.Rows), len(view.Rows))
		}

		c := kaputest.SignedIn(t, app, "manager")
		res, body := c.Get("/training/compliance")
		if res.StatusCode != 200 || !strings.Contains(body, "Lakatos Bence") || strings.Contains(body, "Rácz Anita") {
			t.Errorf("the manager's compliance page = %d; want their people only", res.StatusCode)
		}
		res, csv := c.Get("/training/compliance?format=csv")
		if lines := strings.Count(strings.TrimSpace(csv), "\n") + 1; res.StatusCode != 200 || lines != len(view.Rows)+1 {
			t.Errorf("the export = %d with %d lines; want the %d rows and a head", res.StatusCode, lines, len(view.Rows))
		}
		if res, _ := c.Get("/training/compliance?format=xlsx"); res.StatusCode != 200 {
			t.Errorf("the XLSX export = %d", res.StatusCode)
		}
		for _, p := range []string{"/training/compliance?dept=abc", "/training/compliance?dept=999999", "/training/compliance?format=pdf"} {
			if res, _ := c.Get(p); res.StatusCode != 404 {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
		if res, _ := kaputest.SignedIn(t, app, "employee").Get("/training/compliance"); res.StatusCode != 403 {
			t.Errorf("an employee's compliance view = %d; want 403", res.StatusCode)
		}
		// My trainings: the mandatory training and its state.
		_, body = kaputest.SignedIn(t, app, "lakatos.bence").Get("/training")
		if !strings.Contains(body, "Fire safety") || !strings.Contains(body, "Overdue") {
			t.Errorf("Bence's page does not show fire safety overdue")
		}
	})
}

// recLineWith is the first line of text containing s.
func recLineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
