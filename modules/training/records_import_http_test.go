package training_test

import (
	"net/http"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/training"
)

// The import is all or nothing: a file with one bad row changes nothing and
// names the row; a right file writes each completion with its ledger row;
// the same file again is refused row by row; an unknown training is a
// problem unless HR asks to create it, in a draft catalogue of its year.
func TestImportCompletionsAllOrNothing(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		tr := recTraining(t, app, training.Training{Year: 2019, Code: "TUZ-01", TitleHU: "Tűzvédelmi oktatás", TitleEN: "Fire safety",
			Minutes: 120, Points: 4, Central: true, Certificate: true, ValidMonths: 12})
		hr := kaputest.SignedIn(t, app, "hr")
		if res, body := hr.Get("/training/admin/import"); res.StatusCode != http.StatusOK || !strings.Contains(body, "certificate_no") {
			t.Fatalf("the import page = %d; want 200 with the columns", res.StatusCode)
		}
		if res, body := hr.Get("/training/admin/import/sample.csv"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Certificate number") {
			t.Errorf("the sample = %d; want a CSV with the heads", res.StatusCode)
		}
		good := "person;training;date;hours;points;certificate_no;valid_until\n" +
			"employee;TUZ-01;2019-05-10;;;TV-19/1;\n" +
			kaputest.Person(t, app, "lakatos.bence").Email + ";Fire safety;2019.05.10.;2,5;6;;2020-01-31\n"
		bad := good + "senki;TUZ-01;2019-05-10;;;;\n" + "employee;TUZ-01;2019-13-40;x;;;\n"
		res, body := recPostMultipart(hr, "/training/admin/import", nil, recUpload{"file", "past.csv", []byte(bad)})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "No such person") || !strings.Contains(body, "2019-13-40") {
			t.Fatalf("a file with bad rows = %d; want 422 naming them", res.StatusCode)
		}
		if n := recCount(t, app, &training.Completion{}); n != 0 {
			t.Fatalf("a refused file wrote %d completions", n)
		}
		if n := recCount(t, app, &training.PointsRow{}); n != 0 {
			t.Fatalf("a refused file wrote %d ledger rows", n)
		}

		res, _ = recPostMultipart(hr, "/training/admin/import", nil, recUpload{"file", "past.csv", []byte(good)})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a right file = %d; want 303", res.StatusCode)
		}
		emp := recCompletionsOf(t, app, "employee")
		if len(emp) != 1 || emp[0].Source != training.CompletionImport || emp[0].TrainingID != tr.ID || emp[0].Points != 4 ||
			emp[0].CertificateNo != "TV-19/1" || !emp[0].ValidUntil.Equal(training.AddMonths(emp[0].CompletedOn, 12)) {
			t.Errorf("employee's imported completion = %+v", emp)
		}
		bence := recCompletionsOf(t, app, "lakatos.bence")
		if len(bence) != 1 || bence[0].Minutes != 150 || bence[0].Points != 6 || bence[0].ValidUntil.String() != "2020-01-31" {
			t.Errorf("Bence's imported completion = %+v; want 150 minutes, 6 points, valid until 2020-01-31", bence)
		}
		if l := recLedgerOf(t, app, "lakatos.bence"); len(l) != 1 || l[0].Points != 6 || !l[0].Central {
			t.Errorf("Bence's ledger = %+v; want 6 central points", l)
		}
		res, body = recPostMultipart(hr, "/training/admin/import", nil, recUpload{"file", "past.csv", []byte(good)})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already recorded") {
			t.Errorf("the same file again = %d; want 422, already recorded", res.StatusCode)
		}
		if n := recCount(t, app, &training.Completion{}); n != 2 {
			t.Errorf("%d completions after the second run; want 2", n)
		}

		unknown := "Munkatárs;Képzés;Dátum;Pontszám\nsimon.reka;Közbeszerzési alapismeretek;2018-11-20;3\n"
		res, body = recPostMultipart(hr, "/training/admin/import", nil, recUpload{"file", "old.csv", []byte(unknown)})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "holds no such training") {
			t.Fatalf("an unknown training = %d; want 422", res.StatusCode)
		}
		res, _ = recPostMultipart(hr, "/training/admin/import", map[string]string{"create_unknown": "1"}, recUpload{"file", "old.csv", []byte(unknown)})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("creating the unknown training = %d; want 303", res.StatusCode)
		}
		var made training.Training
		recMust(t, app.DB.R.Where("year = ? AND title_hu = ?", 2018, "Közbeszerzési alapismeretek").First(&made).Error)
		if made.Mandatory || made.Central || made.Points != 3 || made.Code == "" {
			t.Errorf("the created training = %+v; want internal, optional, 3 points, a code", made)
		}
		var cat training.Catalogue
		recMust(t, app.DB.R.Where("year = ?", 2018).First(&cat).Error)
		if cat.Status != training.CatalogueDraft {
			t.Errorf("the 2018 catalogue = %s; want a draft", cat.Status)
		}
		if l := recLedgerOf(t, app, "simon.reka"); len(l) != 1 || !l[0].Internal || l[0].Points != 3 {
			t.Errorf("Réka's ledger = %+v; want 3 internal points", l)
		}

		emp2 := kaputest.SignedIn(t, app, "employee")
		emp2.Get("/training")
		if res, _ := recPostMultipart(emp2, "/training/admin/import", nil, recUpload{"file", "past.csv", []byte(good)}); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee importing = %d; want 403", res.StatusCode)
		}
	})
}
