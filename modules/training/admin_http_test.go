package training_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/training"
)

// adminFollow follows a 303 and returns the page it leads to.
func adminFollow(t *testing.T, c *kaputest.Client, res *http.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d; want 303", res.StatusCode)
	}
	_, body := c.Get(res.Header.Get("Location"))
	return html.UnescapeString(body)
}

// trainingForm is a right training form.
func trainingForm(code string) url.Values {
	return url.Values{"code": {code}, "title_hu": {"Tűzvédelmi oktatás"}, "title_en": {"Fire safety"}, "provider": {"Katasztrófavédelem"},
		"kind": {"classroom"}, "hours": {"1,5"}, "points": {"4"}, "cost": {"12 000"}, "central": {"1"}, "target": {"everyone"},
		"certificate": {"1"}, "valid_months": {"12"}, "mandatory": {"1"}}
}

// sessionForm is a right session form on day, 9:00–12:00, with the trainer (a person id).
func sessionForm(day string, trainer uint) url.Values {
	return url.Values{"first_day": {day}, "from": {"09:00"}, "to": {"12:00"}, "place": {"Díszterem"},
		"trainer_id": {strconv.FormatUint(uint64(trainer), 10)}, "seats": {"12"}}
}

// startYear starts year's catalogue as HR and returns the training made from form.
func startYear(t *testing.T, app *kapu.App, c *kaputest.Client, year int, form url.Values) *training.Training {
	t.Helper()
	y := strconv.Itoa(year)
	if res, _ := c.Post("/training/admin/years", url.Values{"year": {y}, "copy_from": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("starting %s = %d; want 303", y, res.StatusCode)
	}
	if res, _ := c.Post("/training/admin/"+y+"/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a new training in %s = %d; want 303", y, res.StatusCode)
	}
	var tr training.Training
	if err := app.DB.R.Where("year = ? AND code = ?", year, strings.ToUpper(form.Get("code"))).First(&tr).Error; err != nil {
		t.Fatal(err)
	}
	return tr2(tr)
}

func tr2(t training.Training) *training.Training { return &t }

// hrClient is HR signed in, with the form token a first page gives.
func hrClient(t *testing.T, app *kapu.App) *kaputest.Client {
	t.Helper()
	c := kaputest.SignedIn(t, app, "hr")
	c.Get("/training/admin")
	return c
}

// noTrainingYet takes the demo's trainings and profiles away: HR's first
// steps, and the records' fixtures, start from an installation with no
// catalogue yet.
func noTrainingYet(t *testing.T, app *kapu.App) {
	t.Helper()
	for _, m := range []any{&training.PointsRow{}, &training.Feedback{}, &training.CertificateFile{}, &training.Completion{},
		&training.Enrolment{}, &training.PlanItem{}, &training.Plan{}, &training.Session{}, &training.Training{},
		&training.Catalogue{}, &training.Profile{}} {
		if err := app.DB.W.Session(&gorm.Session{AllowGlobalUpdate: true}).Delete(m).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func id(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// HR starts next year, adds a training and a session, publishes the year
// and cancels the session: the person enrolled is mailed and keeps the
// approval without a seat.
func TestAdminHRFlow(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := kaputest.SignedIn(t, app, "hr")
		if res, body := c.Get("/training/admin"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Start a year") {
			t.Fatalf("the years page = %d", res.StatusCode)
		}
		next := kaputest.Today(t, app).Year + 1
		tr := startYear(t, app, c, next, trainingForm("tuzv-alap"))
		if tr.Minutes != 90 || tr.CostFt != 12000 || !tr.Central || !tr.Mandatory || tr.ValidMonths != 12 {
			t.Errorf("the saved training = %+v", tr)
		}
		_, body := c.Get("/training/admin/" + strconv.Itoa(next))
		if !strings.Contains(body, "TUZV-ALAP") || !strings.Contains(body, "Fire safety") {
			t.Errorf("the year's list does not show the training")
		}
		if _, body := c.Get("/training/admin/" + strconv.Itoa(next) + "?kind=online"); strings.Contains(body, "TUZV-ALAP") {
			t.Errorf("the kind filter kept a classroom training")
		}
		for _, path := range []string{"/training/admin/" + strconv.Itoa(next) + "/new", "/training/admin/trainings/" + id(tr.ID),
			"/training/admin/trainings/" + id(tr.ID) + "/sessions/new"} {
			if res, _ := c.Get(path); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d; want 200", path, res.StatusCode)
			}
		}
		// A target of departments takes the ids ticked.
		dept := *kaputest.Person(t, app, "manager").DepartmentID
		form := trainingForm("TUZV-ALAP")
		form.Set("target", "departments")
		form["department_ids"] = []string{id(dept)}
		if res, _ := c.Post("/training/admin/trainings/"+id(tr.ID), form); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a department target = %d; want 303", res.StatusCode)
		}
		var saved training.Training
		app.DB.R.First(&saved, tr.ID)
		if saved.Target != training.TargetDepartments || saved.TargetList != id(dept) {
			t.Errorf("the target is %s %q; want departments %d", saved.Target, saved.TargetList, dept)
		}
		if _, body := c.Get("/training/admin/trainings/" + id(tr.ID)); !strings.Contains(body, `value="`+id(dept)+`" checked`) {
			t.Errorf("the form does not tick the training's department")
		}
		form["department_ids"] = []string{"999999"}
		if res, body := c.Post("/training/admin/trainings/"+id(tr.ID), form); res.StatusCode != http.StatusUnprocessableEntity ||
			kaputest.FieldError(body, "department_ids") == "" {
			t.Errorf("an unknown department = %d; want 422 by the departments", res.StatusCode)
		}
		hr := kaputest.Person(t, app, "hr")
		day := strconv.Itoa(next) + "-01-19"
		res, _ := c.Post("/training/admin/trainings/"+id(tr.ID)+"/sessions/new", sessionForm(day, hr.ID))
		if body := adminFollow(t, c, res); !strings.Contains(body, "The session is saved") || !strings.Contains(body, "0 / 12") ||
			!strings.Contains(body, hr.Name) {
			t.Errorf("the training page does not list the new session")
		}
		var x training.Session
		if err := app.DB.R.Where("training_id = ?", tr.ID).First(&x).Error; err != nil {
			t.Fatal(err)
		}
		if _, body := c.Get("/training/admin/sessions/" + id(x.ID)); !strings.Contains(body, "/training/admin/sessions/"+id(x.ID)+"/roster") {
			t.Errorf("the session page does not link its roster")
		}

		if res, body := c.Get("/training/admin/" + strconv.Itoa(next) + "/publish"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Publish the "+strconv.Itoa(next)) {
			t.Errorf("the publish question = %d", res.StatusCode)
		}
		res, _ = c.Post("/training/admin/"+strconv.Itoa(next)+"/publish", nil)
		if body := adminFollow(t, c, res); !strings.Contains(body, "is published") {
			t.Errorf("no word of the publishing")
		}
		var cat training.Catalogue
		app.DB.R.Where("year = ?", next).First(&cat)
		if cat.Status != training.CataloguePublished {
			t.Errorf("the catalogue is %s; want published", cat.Status)
		}

		emp := kaputest.Person(t, app, "employee")
		e := training.Enrolment{TrainingID: tr.ID, SessionID: &x.ID, PersonID: emp.ID, Status: training.EnrolEnrolled, Source: training.SourceRequest}
		if err := app.DB.W.Create(&e).Error; err != nil {
			t.Fatal(err)
		}
		app.DB.W.Model(&training.Session{}).Where("id = ?", x.ID).Update("enrolled", 1)
		moved := sessionForm(strconv.Itoa(next)+"-01-20", hr.ID)
		moved.Set("seats", "15")
		if res, _ := c.Post("/training/admin/sessions/"+id(x.ID), moved); res.StatusCode != http.StatusSeeOther {
			t.Errorf("moving the session = %d; want 303", res.StatusCode)
		}
		if mails := kaputest.MailsTo(t, app, "employee"); len(mails) != 1 || !strings.Contains(mails[0].Subject, "Changed") {
			t.Errorf("the employee got %d mails; want one about the moved session", len(mails))
		}
		moved.Set("seats", "16") // only the seats: nobody is mailed
		c.Post("/training/admin/sessions/"+id(x.ID), moved)
		if res, body := c.Get("/training/admin/sessions/" + id(x.ID) + "/cancel"); res.StatusCode != http.StatusOK || !strings.Contains(body, "1 people enrolled or waiting") {
			t.Errorf("the cancel question = %d and does not say who is mailed", res.StatusCode)
		}
		res, _ = c.Post("/training/admin/sessions/"+id(x.ID)+"/cancel", nil)
		if body := adminFollow(t, c, res); !strings.Contains(body, "is cancelled") || !strings.Contains(body, "Cancelled") {
			t.Errorf("the training page does not show the cancellation")
		}
		var after training.Enrolment
		app.DB.R.First(&after, e.ID)
		if after.Status != training.EnrolApproved || after.SessionID != nil {
			t.Errorf("the enrolment is %s on %v; want approved without a session", after.Status, after.SessionID)
		}
		mails := kaputest.MailsTo(t, app, "employee")
		if len(mails) != 2 || !strings.Contains(mails[1].Subject, "Cancelled") || !strings.Contains(mails[1].Text, "20 Jan") {
			t.Errorf("the employee got %d mails; want a second about the cancelled session", len(mails))
		}
	})
}

// Only HR opens the catalogue's pages and posts to them.
func TestAdminOtherRolesForbidden(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		next := strconv.Itoa(kaputest.Today(t, app).Year + 1)
		for _, who := range []string{"employee", "manager", "admin"} {
			c := kaputest.SignedIn(t, app, who)
			c.Get("/") // the form token, so a 403 is the role's
			if res, _ := c.Get("/training/admin"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s opening the catalogue = %d; want 403", who, res.StatusCode)
			}
			if res, _ := c.Post("/training/admin/years", url.Values{"year": {next}, "copy_from": {"0"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s starting a year = %d; want 403", who, res.StatusCode)
			}
		}
		var n int64
		app.DB.R.Model(&training.Catalogue{}).Count(&n)
		if n != 0 {
			t.Errorf("%d catalogues made by others than HR", n)
		}
		c := kaputest.SignedIn(t, app, "hr")
		for _, path := range []string{"/training/admin/abc", "/training/admin/1999", "/training/admin/trainings/x", "/training/admin/trainings/999",
			"/training/admin/sessions/0", "/training/admin/sessions/999/cancel", "/training/admin/" + next} {
			if res, _ := c.Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", path, res.StatusCode)
			}
		}
	})
}

// A wrong training form comes back with every message by its field and
// what was typed; a wrong start of a year too.
func TestAdminBadInputKept(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := hrClient(t, app)
		year := kaputest.Today(t, app).Year
		y := strconv.Itoa(year)
		if res, body := c.Post("/training/admin/years", url.Values{"year": {strconv.Itoa(year - 1)}, "copy_from": {"0"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			kaputest.FieldError(body, "year") == "" {
			t.Errorf("starting last year = %d; want 422 by the year", res.StatusCode)
		}
		tr := startYear(t, app, c, year, trainingForm("ADAT"))
		form := trainingForm("rossz kód!")
		form.Set("title_hu", "")
		form.Set("title_en", "Data protection")
		form.Set("hours", "sok")
		form.Set("points", "500")
		form.Set("target", "roles")
		form.Set("target_lines", "hr\nfőnök")
		form.Set("certificate", "")
		res, body := c.Post("/training/admin/"+y+"/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong training = %d; want 422", res.StatusCode)
		}
		for _, f := range []string{"hours", "points"} {
			if kaputest.FieldError(body, f) == "" {
				t.Errorf("no message by %s", f)
			}
		}
		if b := html.UnescapeString(body); !strings.Contains(b, `value="rossz kód!"`) || !strings.Contains(b, `value="Data protection"`) || !strings.Contains(b, "főnök") {
			t.Errorf("the form did not keep what was typed")
		}
		form.Set("hours", "2")
		form.Set("points", "4")
		res, body = c.Post("/training/admin/"+y+"/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a training wrong in the service = %d; want 422", res.StatusCode)
		}
		for _, f := range []string{"code", "title_hu", "target_lines", "valid_months"} {
			if kaputest.FieldError(body, f) == "" {
				t.Errorf("no service message by %s", f)
			}
		}
		form = trainingForm("adat")
		res, body = c.Post("/training/admin/"+y+"/new", form)
		if res.StatusCode == http.StatusSeeOther || !strings.Contains(kaputest.FieldError(body, "code"), "already") && !strings.Contains(kaputest.FieldError(body, "code"), "has this code") {
			t.Errorf("a second ADAT = %d, %q; want the code's message", res.StatusCode, kaputest.FieldError(body, "code"))
		}
		sf := sessionForm("nem dátum", 0)
		sf.Set("trainer_id", "")
		sf.Set("seats", "0")
		sf.Set("to", "25:00")
		res, body = c.Post("/training/admin/trainings/"+id(tr.ID)+"/sessions/new", sf)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong session = %d; want 422", res.StatusCode)
		}
		for _, f := range []string{"first_day", "to", "seats"} {
			if kaputest.FieldError(body, f) == "" {
				t.Errorf("no message by the session's %s", f)
			}
		}
		if !strings.Contains(body, `value="Díszterem"`) {
			t.Errorf("the session form did not keep the place")
		}
	})
}

// Once the year is past, its training's points cannot change (409, by the
// field, nothing written); its title may be corrected.
func TestAdminPastYearGuard(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := hrClient(t, app)
		year := kaputest.Today(t, app).Year
		tr := startYear(t, app, c, year, trainingForm("ELSOSEGELY"))
		app.Training.SetClock(func() time.Time { return time.Now().AddDate(1, 0, 0) })
		form := trainingForm("ELSOSEGELY")
		form.Set("points", "8")
		form.Set("hours", "3")
		res, body := c.Post("/training/admin/trainings/"+id(tr.ID), form)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("changing a past training's points = %d; want 409", res.StatusCode)
		}
		if kaputest.FieldError(body, "points") == "" || kaputest.FieldError(body, "hours") == "" {
			t.Errorf("the refusal is not by the points and hours")
		}
		if !strings.Contains(html.UnescapeString(body), "past year's training") {
			t.Errorf("the refusal does not say why")
		}
		var got training.Training
		app.DB.R.First(&got, tr.ID)
		if got.Points != 4 || got.Minutes != 90 {
			t.Errorf("the past training now has %d points and %d minutes", got.Points, got.Minutes)
		}
		form = trainingForm("ELSOSEGELY")
		form.Set("title_hu", "Elsősegély-nyújtási oktatás")
		res, _ = c.Post("/training/admin/trainings/"+id(tr.ID), form)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("fixing a past training's title = %d; want 303", res.StatusCode)
		}
	})
}

// A trainer holds one session at a time: an overlapping one of another
// training is refused by the trainer field (409); one after it is fine.
func TestAdminTrainerOverlap(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := hrClient(t, app)
		next := kaputest.Today(t, app).Year + 1
		first := startYear(t, app, c, next, trainingForm("TUZV"))
		form := trainingForm("ADAT")
		form.Set("title_hu", "Adatvédelem")
		if res, _ := c.Post("/training/admin/"+strconv.Itoa(next)+"/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the second training = %d", res.StatusCode)
		}
		var second training.Training
		app.DB.R.Where("year = ? AND code = ?", next, "ADAT").First(&second)
		trainer := kaputest.Person(t, app, "manager").ID
		day := strconv.Itoa(next) + "-02-09"
		if res, _ := c.Post("/training/admin/trainings/"+id(first.ID)+"/sessions/new", sessionForm(day, trainer)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the first session = %d", res.StatusCode)
		}
		clash := sessionForm(day, trainer)
		clash.Set("from", "11:00")
		clash.Set("to", "13:00")
		res, body := c.Post("/training/admin/trainings/"+id(second.ID)+"/sessions/new", clash)
		if res.StatusCode != http.StatusConflict || !strings.Contains(kaputest.FieldError(body, "trainer_id"), "another session") {
			t.Errorf("an overlapping session of the trainer = %d, %q; want 409 by the trainer", res.StatusCode, kaputest.FieldError(body, "trainer_id"))
		}
		clash.Set("from", "12:00")
		clash.Set("to", "14:00")
		if res, _ := c.Post("/training/admin/trainings/"+id(second.ID)+"/sessions/new", clash); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the trainer's session after the first = %d; want 303", res.StatusCode)
		}
	})
}

// A session cannot start in the past.
func TestAdminSessionInThePast(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := hrClient(t, app)
		today := kaputest.Today(t, app)
		tr := startYear(t, app, c, today.Year, trainingForm("TUZV"))
		res, body := c.Post("/training/admin/trainings/"+id(tr.ID)+"/sessions/new",
			sessionForm(today.AddDays(-1).String(), kaputest.Person(t, app, "hr").ID))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(kaputest.FieldError(body, "first_day"), "past") {
			t.Errorf("a session yesterday = %d, %q; want 422 by the first day", res.StatusCode, kaputest.FieldError(body, "first_day"))
		}
		var n int64
		app.DB.R.Model(&training.Session{}).Count(&n)
		if n != 0 {
			t.Errorf("%d sessions written", n)
		}
	})
}

// Publishing an empty year, or twice, and cancelling a session twice are
// worded on the page HR returns to; nothing changes.
func TestAdminRefusalsAreWorded(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		c := hrClient(t, app)
		next := strconv.Itoa(kaputest.Today(t, app).Year + 1)
		c.Post("/training/admin/years", url.Values{"year": {next}, "copy_from": {"0"}})
		res, _ := c.Post("/training/admin/"+next+"/publish", nil)
		if body := adminFollow(t, c, res); !strings.Contains(body, "An empty catalogue cannot be published") {
			t.Errorf("publishing an empty year is not explained")
		}
		var cat training.Catalogue
		app.DB.R.Where("year = ?", next).First(&cat)
		if cat.Status != training.CatalogueDraft {
			t.Errorf("the empty year is %s", cat.Status)
		}
		y, _ := strconv.Atoi(next)
		form := trainingForm("TUZV")
		c.Post("/training/admin/"+next+"/new", form)
		var tr training.Training
		app.DB.R.Where("year = ?", y).First(&tr)
		c.Post("/training/admin/"+next+"/publish", nil)
		res, _ = c.Post("/training/admin/"+next+"/publish", nil)
		if body := adminFollow(t, c, res); !strings.Contains(body, "already published") {
			t.Errorf("a second publishing is not explained")
		}
		c.Post("/training/admin/trainings/"+id(tr.ID)+"/sessions/new", sessionForm(next+"-03-02", kaputest.Person(t, app, "hr").ID))
		var x training.Session
		app.DB.R.Where("training_id = ?", tr.ID).First(&x)
		c.Post("/training/admin/sessions/"+id(x.ID)+"/cancel", nil)
		res, _ = c.Post("/training/admin/sessions/"+id(x.ID)+"/cancel", nil)
		if body := adminFollow(t, c, res); !strings.Contains(body, "already cancelled") {
			t.Errorf("a second cancel is not explained")
		}
		if res, _ := c.Get("/training/admin/sessions/" + id(x.ID) + "/cancel"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the cancel question of a cancelled session = %d; want 303 back to it", res.StatusCode)
		}
	})
}
