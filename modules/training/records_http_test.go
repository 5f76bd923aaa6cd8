package training_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
	"kapu/modules/training"
)

// The roster marks everyone at once: a completed line writes a completion
// with the training's hours and points, its valid-until defaulted from the
// training, and its ledger row; the others are done with their outcome, the
// session closes, and a second roster is refused.
func TestRosterRecordsCompletionsAndPoints(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		tr := recTraining(t, app, training.Training{Code: "TUZ-01", TitleHU: "Tűzvédelmi oktatás", TitleEN: "Fire safety",
			Minutes: 240, Points: 8, Central: true, Certificate: true, ValidMonths: 12})
		day := today.AddDays(-1)
		sess, ens := recSession(t, app, tr, day, day, "employee", "lakatos.bence", "simon.reka")

		hr := kaputest.SignedIn(t, app, "hr")
		res, body := hr.Get("/training/admin/sessions/" + recID(sess.ID) + "/roster")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Papp Eszter") {
			t.Fatalf("the roster = %d; want 200 listing the enrolled", res.StatusCode)
		}
		// The lines are in name order: Lakatos, Papp, Simon.
		form := map[string]string{"lines": "3",
			"line_0_enrolment": recID(ens[1].ID), "line_0_outcome": training.OutcomeFailed,
			"line_1_enrolment": recID(ens[0].ID), "line_1_outcome": training.OutcomeCompleted, "line_1_score": "92",
			"line_1_certificate_no": "TV-2026/118",
			"line_2_enrolment":      recID(ens[2].ID), "line_2_outcome": training.OutcomeNoShow}
		res, _ = recPostMultipart(hr, "/training/admin/sessions/"+recID(sess.ID)+"/roster", form,
			recUpload{"line_1_file", "tanusitvany.pdf", recPDF})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("recording the roster = %d; want 303", res.StatusCode)
		}
		cs := recCompletionsOf(t, app, "employee")
		if len(cs) != 1 {
			t.Fatalf("employee has %d completions; want 1", len(cs))
		}
		c := cs[0]
		if c.Minutes != 240 || c.Points != 8 || c.CertificateNo != "TV-2026/118" || c.Score == nil || *c.Score != 92 ||
			c.Source != training.CompletionRoster || !c.CompletedOn.Equal(day) {
			t.Errorf("completion = %+v; want the training's 240 minutes and 8 points, score 92, its number", c)
		}
		if !c.ValidUntil.Equal(training.AddMonths(day, 12)) {
			t.Errorf("valid until = %v; want %v (12 months on)", c.ValidUntil, training.AddMonths(day, 12))
		}
		ledger := recLedgerOf(t, app, "employee")
		if len(ledger) != 1 || ledger[0].Points != 8 || !ledger[0].Central || ledger[0].Internal || ledger[0].CompletionID == nil || *ledger[0].CompletionID != c.ID {
			t.Errorf("ledger = %+v; want one central row of 8 points for the completion", ledger)
		}
		for _, u := range []string{"lakatos.bence", "simon.reka"} {
			if n := len(recCompletionsOf(t, app, u)); n != 0 {
				t.Errorf("%s has %d completions; want none", u, n)
			}
		}
		var after []training.Enrolment
		recMust(t, app.DB.R.Where("session_id = ?", sess.ID).Order("id").Find(&after).Error)
		for i, wantOutcome := range []string{training.OutcomeCompleted, training.OutcomeFailed, training.OutcomeNoShow} {
			if after[i].Status != training.EnrolDone || after[i].Outcome != wantOutcome {
				t.Errorf("enrolment %d = %s/%s; want done/%s", i, after[i].Status, after[i].Outcome, wantOutcome)
			}
		}
		var closed training.Session
		recMust(t, app.DB.R.First(&closed, sess.ID).Error)
		if closed.Status != training.SessionClosed {
			t.Errorf("session = %s; want closed", closed.Status)
		}
		if n := recCount(t, app, &training.CertificateFile{}); n != 1 {
			t.Errorf("%d certificate files; want 1", n)
		}
		if len(kaputest.MailsTo(t, app, "employee")) == 0 {
			t.Errorf("employee was not mailed about the completion")
		}
		res, _ = recPostMultipart(hr, "/training/admin/sessions/"+recID(sess.ID)+"/roster", form)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a second roster = %d; want 409", res.StatusCode)
		}
		if n := len(recCompletionsOf(t, app, "employee")); n != 1 {
			t.Errorf("the second roster left %d completions; want 1", n)
		}

		// Changing the training's validity afterwards changes no certificate issued.
		recMust(t, app.DB.W.Model(&training.Training{}).Where("id = ?", tr.ID).Update("valid_months", 36).Error)
		if got := recCompletionsOf(t, app, "employee")[0].ValidUntil; !got.Equal(c.ValidUntil) {
			t.Errorf("after a change of validity the completion is valid until %v; want %v", got, c.ValidUntil)
		}
		ov, err := app.Training.Overview(t.Context(), kaputest.Person(t, app, "employee").Actor(), c.PersonID, 0)
		recMust(t, err)
		if len(ov.Certificates) != 1 || !ov.Certificates[0].ValidUntil.Equal(c.ValidUntil) {
			t.Errorf("the overview's certificate after a change of validity = %+v; want valid until %v", ov.Certificates, c.ValidUntil)
		}

		// My trainings shows it, with its certificate and points.
		emp := kaputest.SignedIn(t, app, "employee")
		res, body = emp.Get("/training")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Fire safety") || !strings.Contains(body, "TV-2026/118") ||
			!strings.Contains(body, "/training/certificates/"+recID(c.ID)) {
			t.Errorf("My trainings = %d; want the completion with its certificate", res.StatusCode)
		}
	})
}

// A roster with a wrong line comes back with the message by that line and
// records nothing; a line for someone not on the roster is a 404; someone
// neither HR nor the session's trainer does not see the roster, the trainer
// does.
func TestRosterRefusesBadLines(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		tr := recTraining(t, app, training.Training{Code: "ADAT-01", TitleHU: "Adatvédelem", Minutes: 120, Points: 4})
		sess, ens := recSession(t, app, tr, today, today, "employee")
		other, otherEns := recSession(t, app, tr, today, today, "lakatos.bence")
		path := "/training/admin/sessions/" + recID(sess.ID) + "/roster"

		hr := kaputest.SignedIn(t, app, "hr")
		hr.Get(path)
		res, body := recPostMultipart(hr, path, map[string]string{"lines": "1", "line_0_enrolment": recID(ens[0].ID),
			"line_0_outcome": "", "line_0_score": "140"})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "line_0_score") == "" {
			t.Errorf("a score of 140 = %d; want 422 by the score", res.StatusCode)
		}
		res, body = recPostMultipart(hr, path, map[string]string{"lines": "1", "line_0_enrolment": recID(ens[0].ID),
			"line_0_outcome": "excellent"})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "line_0_outcome") == "" {
			t.Errorf("an unknown outcome = %d; want 422 by the outcome", res.StatusCode)
		}
		res, body = recPostMultipart(hr, path, map[string]string{"lines": "1", "line_0_enrolment": recID(ens[0].ID),
			"line_0_outcome": training.OutcomeFailed, "line_0_certificate_no": "X-1"})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "line_0_certificate_no") == "" {
			t.Errorf("a certificate for a failed line = %d; want 422 by the number", res.StatusCode)
		}
		res, body = recPostMultipart(hr, path, map[string]string{"lines": "1", "line_0_enrolment": recID(ens[0].ID),
			"line_0_outcome": training.OutcomeCompleted}, recUpload{"line_0_file", "evil.html", []byte("<html><script>alert(1)</script></html>")})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "line_0_file") == "" {
			t.Errorf("an HTML certificate = %d; want 422 by the file", res.StatusCode)
		}
		res, _ = recPostMultipart(hr, path, map[string]string{"lines": "1", "line_0_enrolment": recID(otherEns[0].ID),
			"line_0_outcome": training.OutcomeCompleted})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("a line of another session = %d; want 404", res.StatusCode)
		}
		res, _ = recPostMultipart(hr, path, map[string]string{"lines": "0"})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a roster leaving someone out = %d; want 409", res.StatusCode)
		}
		if n := recCount(t, app, &training.Completion{}); n != 0 {
			t.Errorf("refused rosters wrote %d completions", n)
		}
		var e training.Enrolment
		recMust(t, app.DB.R.First(&e, ens[0].ID).Error)
		if e.Status != training.EnrolEnrolled {
			t.Errorf("a refused roster moved the enrolment to %s", e.Status)
		}

		future, _ := recSession(t, app, tr, today.AddDays(7), today.AddDays(7), "simon.reka")
		res, _ = recPostMultipart(hr, "/training/admin/sessions/"+recID(future.ID)+"/roster", map[string]string{"lines": "0"})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("the roster of a session to come = %d; want 422", res.StatusCode)
		}

		emp := kaputest.SignedIn(t, app, "employee")
		for _, p := range []string{path, "/training/admin/sessions/999999/roster", "/training/admin/sessions/abc/roster"} {
			if res, _ := emp.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("employee GET %s = %d; want 404", p, res.StatusCode)
			}
		}
		trainer := kaputest.Person(t, app, "manager")
		recMust(t, app.DB.W.Model(&training.Session{}).Where("id = ?", other.ID).Update("trainer_id", trainer.ID).Error)
		mgr := kaputest.SignedIn(t, app, "manager")
		if res, _ := mgr.Get("/training/admin/sessions/" + recID(other.ID) + "/roster"); res.StatusCode != http.StatusOK {
			t.Errorf("the trainer's roster = %d; want 200", res.StatusCode)
		}
		if _, body := mgr.Get("/training"); !strings.Contains(body, "/training/admin/sessions/"+recID(other.ID)+"/roster") {
			t.Errorf("the trainer's My trainings does not link the roster")
		}
		if res, _ := mgr.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("another trainer's roster = %d; want 404", res.StatusCode)
		}
	})
}

// HR records an outside course for someone not enrolled; the form keeps
// what was typed and puts each refusal by its field; nobody else may.
func TestRecordOnBehalf(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		tr := recTraining(t, app, training.Training{Code: "ELS-01", TitleHU: "Elsősegély", TitleEN: "First aid",
			Minutes: 480, Points: 16, Central: true, Certificate: true, ValidMonths: 36})
		emp := kaputest.Person(t, app, "employee")
		hr := kaputest.SignedIn(t, app, "hr")
		hr.Get("/training/admin/completions/new")

		res, body := hr.Post("/training/admin/completions/new", url.Values{"person": {recID(emp.ID)}, "training": {recID(tr.ID)},
			"completed_on": {today.AddDays(3).String()}, "points": {"500"}, "certificate_no": {"ÉLS/77"}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "completed_on") == "" ||
			kaputest.FieldError(body, "points") == "" || !strings.Contains(html.UnescapeString(body), `value="ÉLS/77"`) {
			t.Errorf("a future day and 500 points = %d; want 422 by both, the number kept", res.StatusCode)
		}
		res, _ = hr.Post("/training/admin/completions/new", url.Values{"person": {recID(emp.ID)}, "training": {recID(tr.ID)},
			"completed_on": {today.String()}, "hours": {"7,5"}, "certificate_no": {"ÉLS/77"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("recording on behalf = %d; want 303", res.StatusCode)
		}
		cs := recCompletionsOf(t, app, "employee")
		if len(cs) != 1 || cs[0].Source != training.CompletionRecord || cs[0].EnrolmentID != nil || cs[0].Minutes != 450 ||
			cs[0].Points != 16 || !cs[0].ValidUntil.Equal(training.AddMonths(today, 36)) {
			t.Fatalf("completions = %+v; want one recorded, 450 minutes, 16 points, valid 36 months", cs)
		}
		if l := recLedgerOf(t, app, "employee"); len(l) != 1 || l[0].Points != 16 {
			t.Errorf("ledger = %+v; want the 16 points", l)
		}
		res, _ = hr.Post("/training/admin/completions/new", url.Values{"person": {recID(emp.ID)}, "training": {recID(tr.ID)},
			"completed_on": {today.String()}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("the same completion twice = %d; want 409", res.StatusCode)
		}

		other := kaputest.SignedIn(t, app, "employee")
		other.Get("/training")
		res, _ = other.Post("/training/admin/completions/new", url.Values{"person": {recID(emp.ID)}, "training": {recID(tr.ID)},
			"completed_on": {today.String()}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee recording = %d; want 403", res.StatusCode)
		}
		if n := len(recCompletionsOf(t, app, "employee")); n != 1 {
			t.Errorf("%d completions; want 1", n)
		}
	})
}

// A certificate file is checked by its bytes and served only to who may
// see the person's record, never as a page the browser would run.
func TestCertificateFileServedToWhoMaySee(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		tr := recTraining(t, app, training.Training{Code: "ELS-01", TitleHU: "Elsősegély", Points: 16, Central: true, Certificate: true, ValidMonths: 36})
		c, err := app.Training.RecordOnBehalf(t.Context(), kaputest.Person(t, app, "hr").Actor(),
			training.CompletionInput{PersonID: kaputest.Person(t, app, "employee").ID, TrainingID: tr.ID, CompletedOn: today})
		recMust(t, err)
		hr := kaputest.SignedIn(t, app, "hr")
		hr.Get("/training/people/" + recID(c.PersonID))
		path := "/training/admin/completions/" + recID(c.ID) + "/certificate"
		recPostMultipart(hr, path, nil, recUpload{"file", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)})
		if n := recCount(t, app, &training.CertificateFile{}); n != 0 {
			t.Fatalf("an SVG was kept as a certificate")
		}
		res, _ := recPostMultipart(hr, path, map[string]string{"next": "/training/people/" + recID(c.PersonID)}, recUpload{"file", "cert.pdf", recPDF})
		if res.StatusCode != http.StatusSeeOther || recCount(t, app, &training.CertificateFile{}) != 1 {
			t.Fatalf("uploading a PDF = %d; want 303 and the file kept", res.StatusCode)
		}
		file := "/training/certificates/" + recID(c.ID)
		for user, want := range map[string]int{"employee": 200, "manager": 200, "hr": 200, "lakatos.bence": 404, "meszaros.laszlo": 404} {
			res, body := kaputest.SignedIn(t, app, user).Get(file)
			if res.StatusCode != want {
				t.Errorf("%s GET the certificate = %d; want %d", user, res.StatusCode, want)
				continue
			}
			if want == 200 && (res.Header.Get("Content-Type") != "application/pdf" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") || !strings.HasPrefix(body, "%PDF")) {
				t.Errorf("the certificate is served as %q, %q, %q", res.Header.Get("Content-Type"), res.Header.Get("X-Content-Type-Options"), res.Header.Get("Content-Security-Policy"))
			}
		}
	})
}

// A person's page is the person's, their manager's and HR's: anyone else,
// and a bad id, get 404; only HR may change the profile.
func TestPersonPageScope(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		emp := kaputest.Person(t, app, "employee")
		path := "/training/people/" + recID(emp.ID)
		for user, want := range map[string]int{"employee": 200, "manager": 200, "hr": 200, "lakatos.bence": 404, "meszaros.laszlo": 404, "it": 404} {
			if res, _ := kaputest.SignedIn(t, app, user).Get(path); res.StatusCode != want {
				t.Errorf("%s GET %s = %d; want %d", user, path, res.StatusCode, want)
			}
		}
		hr := kaputest.SignedIn(t, app, "hr")
		for _, p := range []string{"/training/people/abc", "/training/people/0", "/training/people/99999999"} {
			if res, _ := hr.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
		_, body := hr.Get(path)
		if !strings.Contains(body, `name="education"`) {
			t.Errorf("HR's person page has no profile form")
		}
		res, body := hr.Post(path+"/profile", url.Values{"education": {"doctorate"}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "education") == "" {
			t.Errorf("an unknown education = %d; want 422 by the field", res.StatusCode)
		}
		if res, _ := hr.Post(path+"/profile", url.Values{"education": {"secondary"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the profile = %d; want 303", res.StatusCode)
		}
		var prof training.Profile
		recMust(t, app.DB.R.First(&prof, emp.ID).Error)
		if prof.Education != training.Secondary || prof.CivilServant {
			t.Errorf("profile = %+v; want secondary, not a civil servant", prof)
		}
		mgr := kaputest.SignedIn(t, app, "manager")
		mgr.Get(path)
		if res, _ := mgr.Post(path+"/profile", url.Values{"education": {"graduate"}, "civil_servant": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a manager changing the profile = %d; want 403", res.StatusCode)
		}
	})
}

// Every records page speaks both languages: no message key shows through.
func TestRecordsPagesSpeakBothLanguages(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		recCatalogue(t, app, today.Year, training.CataloguePublished)
		tr := recTraining(t, app, training.Training{Code: "TUZ-01", TitleHU: "Tűzvédelmi oktatás", TitleEN: "Fire safety", Mandatory: true,
			Certificate: true, ValidMonths: 12, Points: 2, Central: true})
		sess, _ := recSession(t, app, tr, today, today, "employee")
		emp := kaputest.Person(t, app, "employee")
		_, err := app.Training.RecordOnBehalf(t.Context(), kaputest.Person(t, app, "hr").Actor(), training.CompletionInput{
			PersonID: emp.ID, TrainingID: tr.ID, CompletedOn: today, CertificateNo: "A-1"})
		recMust(t, err)
		key := regexp.MustCompile(`\btraining\.[a-z_]+\.[a-z_.]+`)
		for _, lang := range []string{"en", "hu"} {
			hr := kaputest.Person(t, app, "hr")
			recMust(t, app.People.SetLanguage(t.Context(), hr.Actor(), lang))
			c := kaputest.SignedIn(t, app, "hr")
			for _, p := range []string{"/training", "/training/people/" + recID(emp.ID), "/training/compliance",
				"/training/admin/import", "/training/admin/completions/new", "/training/admin/sessions/" + recID(sess.ID) + "/roster"} {
				res, body := c.Get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s GET %s = %d", lang, p, res.StatusCode)
				}
				if k := key.FindString(body); k != "" {
					t.Errorf("%s GET %s shows the key %s", lang, p, k)
				}
			}
		}
	})
}

// Twenty records of the same completion at once: exactly one is written,
// the others are refused as duplicates, and the ledger holds one row.
func TestRecordOnBehalfOnceUnderRace(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		tr := recTraining(t, app, training.Training{Code: "ELS-01", TitleHU: "Elsősegély", Points: 16, Central: true})
		hr := kaputest.Person(t, app, "hr").Actor()
		in := training.CompletionInput{PersonID: kaputest.Person(t, app, "employee").ID, TrainingID: tr.ID, CompletedOn: today}
		const n = 20
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := app.Training.RecordOnBehalf(context.Background(), hr, in)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, training.ErrDuplicate), db.IsLockTimeout(err):
			default:
				t.Errorf("a racing record: %v", err)
			}
		}
		if ok != 1 || len(recCompletionsOf(t, app, "employee")) != 1 || len(recLedgerOf(t, app, "employee")) != 1 {
			t.Errorf("%d records succeeded, %d completions, %d ledger rows; want 1 each", ok,
				len(recCompletionsOf(t, app, "employee")), len(recLedgerOf(t, app, "employee")))
		}
	})
}

// My trainings of another year lists that year's mandatory trainings; a
// year out of range is this year's.
func TestMineOfAnotherYear(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		today := kaputest.Today(t, app)
		recCatalogue(t, app, today.Year-1, training.CataloguePublished)
		recTraining(t, app, training.Training{Year: today.Year - 1, Code: "ADAT-01", TitleHU: "Adatvédelem", TitleEN: "Data protection", Mandatory: true})
		c := kaputest.SignedIn(t, app, "employee")
		_, body := c.Get("/training")
		if strings.Contains(body, "Data protection") || !strings.Contains(body, "?year="+recID(uint(today.Year-1))) {
			t.Errorf("this year's page shows last year's training, or no link to last year")
		}
		_, body = c.Get("/training?year=" + recID(uint(today.Year-1)))
		if !strings.Contains(body, "Data protection") {
			t.Errorf("last year's page does not show its mandatory training")
		}
		if res, _ := c.Get("/training?year=99999"); res.StatusCode != http.StatusOK {
			t.Errorf("a year out of range = %d; want this year's page", res.StatusCode)
		}
	})
}
