package appointments_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/audit"
)

// fieldValue is the value the named text input shows.
func fieldValue(body, field string) string {
	re := regexp.MustCompile(`name="` + regexp.QuoteMeta(field) + `"[^>]* value="([^"]*)"`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// location is where a redirect points.
func location(t *testing.T, res *http.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status = %d; want 303", res.StatusCode)
	}
	return res.Header.Get("Location")
}

// officeValues is a valid office as the form sends it (a fresh map: the
// client adds its CSRF token to it).
func officeValues() url.Values {
	return url.Values{"name": {"Adóiroda"}, "address": {"2851 Tölgyesd, Piac tér 4."},
		"directions": {"A piac felőli bejárat, első emelet."}, "accessibility": {"Lift a bejárattól balra."},
		"directions_en": {"The entrance facing the market, first floor."}, "accessibility_en": {"Lift left of the entrance."},
		"phone": {"+36 34 555 0150"}, "email": {"adoiroda@example.hu"}, "active": {"on"}}
}

// caseTypeValues is a valid case type as the form sends it.
func caseTypeValues(name string) url.Values {
	return url.Values{"name_hu": {name}, "name_en": {name + " (EN)"}, "purpose_hu": {"Helyi adók."}, "purpose_en": {"Local taxes."},
		"documents_hu": {"  Adóazonosító jel \r\n\r\nHatározat  "}, "documents_en": {"Tax number\nDecision"},
		"fee_hu": {"Díjmentes."}, "fee_en": {"Free."}, "minutes": {"25"}, "horizon_days": {"30"}, "lead_days": {"1"},
		"lead_minutes": {"60"}, "max_per_email": {"2"}, "hold_minutes": {"60"}, "block_minutes": {"0"}, "order": {"90"},
		"active": {"on"}, "online": {"on"}}
}

func TestSetupOfficeDeskAndCaseTypes(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "admin")
		if res, body := c.Get("/desk/setup"); res.StatusCode != 200 || !strings.Contains(body, "Okmányiroda") {
			t.Fatalf("GET /desk/setup = %d; want the list with the demo's offices", res.StatusCode)
		}
		if _, home := c.Get("/"); !strings.Contains(home, `href="/desk/setup"`) {
			t.Errorf("the admin's navigation has no link to the appointment settings")
		}

		// Two case types, one of them with a messy checklist.
		var typeIDs []uint
		for _, name := range []string{"Építményadó", "Telekadó"} {
			c.Get("/desk/setup/types/new")
			loc := location(t, mustPost(t, c, "/desk/setup/types/new", caseTypeValues(name)))
			if loc != "/desk/setup#types" {
				t.Errorf("after creating a case type: Location = %q", loc)
			}
			var ct appointments.CaseType
			app.DB.R.Where("name_hu = ?", name).First(&ct)
			if ct.ID == 0 || ct.Minutes != 25 || !ct.Online || ct.MustConfirm || ct.DocumentsHU != "Adóazonosító jel\nHatározat" {
				t.Errorf("stored case type = %+v; want 25 minutes, online, the checklist cleaned to two lines", ct)
			}
			typeIDs = append(typeIDs, ct.ID)
		}

		// An office, then a desk with two intervals on Monday.
		c.Get("/desk/setup/offices/new")
		officePath := location(t, mustPost(t, c, "/desk/setup/offices/new", officeValues()))
		var office appointments.Office
		app.DB.R.Where("name = ?", "Adóiroda").First(&office)
		if want := fmt.Sprintf("/desk/setup/offices/%d", office.ID); office.ID == 0 || officePath != want {
			t.Fatalf("new office went to %q (office %d); want its page %q", officePath, office.ID, want)
		}
		if office.DirectionsEN != "The entrance facing the market, first floor." || office.AccessibilityEN != "Lift left of the entrance." {
			t.Errorf("the office's English texts are %q, %q; want what was typed", office.DirectionsEN, office.AccessibilityEN)
		}
		c.Get(officePath + "/desks/new")
		desk := url.Values{"name": {"1. ablak"}, "active": {"on"}, "hours_1": {"08:00-12:00, 13:00-18:00"},
			"hours_2": {"8-16"}, "hours_5": {"08:00-12:00"},
			"case_types": {fmt.Sprint(typeIDs[0]), fmt.Sprint(typeIDs[1])}}
		if loc := location(t, mustPost(t, c, officePath+"/desks/new", desk)); loc != officePath {
			t.Errorf("after adding a desk: Location = %q; want the office %q", loc, officePath)
		}
		var d appointments.Desk
		app.DB.R.Where("office_id = ?", office.ID).First(&d)
		var hours []appointments.DeskHours
		app.DB.R.Where("desk_id = ?", d.ID).Order(`weekday, "from"`).Find(&hours)
		got := []string{}
		for _, h := range hours {
			got = append(got, fmt.Sprintf("%v %d-%d", h.Weekday, h.From, h.To))
		}
		if want := "Monday 480-720,Monday 780-1080,Tuesday 480-960,Friday 480-720"; strings.Join(got, ",") != want {
			t.Errorf("stored hours = %v; want %s", got, want)
		}
		var links int64
		app.DB.R.Model(&appointments.DeskCaseType{}).Where("desk_id = ?", d.ID).Count(&links)
		if links != 2 {
			t.Errorf("the desk serves %d case types; want 2", links)
		}
		_, page := c.Get(officePath)
		for _, want := range []string{"1. ablak", "08:00–12:00, 13:00–18:00", "Adóiroda"} {
			if !strings.Contains(page, want) {
				t.Errorf("the office page does not show %q", want)
			}
		}
		_, form := c.Get(fmt.Sprintf("/desk/setup/desks/%d", d.ID))
		if v := fieldValue(form, "hours_1"); v != "08:00-12:00, 13:00-18:00" {
			t.Errorf("the desk form shows Monday as %q", v)
		}
		for _, id := range typeIDs {
			if !regexp.MustCompile(`name="case_types" value="` + fmt.Sprint(id) + `" checked`).MatchString(form) {
				t.Errorf("case type %d is not ticked on the desk form", id)
			}
		}
		for _, action := range []string{"appointments.office.create", "appointments.desk.create", "appointments.case_type.create"} {
			var n int64
			app.DB.R.Model(&audit.Entry{}).Where("action = ?", action).Count(&n)
			if n == 0 {
				t.Errorf("no audit row %s", action)
			}
		}
		if _, log := c.Get("/admin/audit"); !strings.Contains(log, "1. ablak, Adóiroda") {
			t.Errorf("the audit log does not name the desk with its office")
		}

		// Switched off on creation stays off (GORM would take the column's default).
		off := caseTypeValues("Iparűzési adó")
		off.Del("online")
		off.Del("active")
		mustPost(t, c, "/desk/setup/types/new", off)
		var offType appointments.CaseType
		app.DB.R.Where("name_hu = ?", "Iparűzési adó").First(&offType)
		if offType.ID == 0 || offType.Online || offType.Active {
			t.Errorf("a case type created unticked is online %v, active %v; want neither", offType.Online, offType.Active)
		}
		closed := officeValues()
		closed.Set("name", "Régi okmányiroda")
		closed.Del("active")
		mustPost(t, c, "/desk/setup/offices/new", closed)
		var closedOffice appointments.Office
		app.DB.R.Where("name = ?", "Régi okmányiroda").First(&closedOffice)
		if closedOffice.ID == 0 || closedOffice.Active {
			t.Errorf("an office created unticked is active %v; want inactive", closedOffice.Active)
		}

		// A bad number comes back next to its field.
		bad := caseTypeValues("Idegenforgalmi adó")
		bad.Set("minutes", "500")
		bad.Set("max_per_email", "sok")
		res, body := c.Post("/desk/setup/types/new", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "max_per_email") == "" {
			t.Errorf("a case type with a word for a number = %d, message %q; want 422 with the message", res.StatusCode, kaputest.FieldError(body, "max_per_email"))
		}
		bad.Set("max_per_email", "2")
		if _, body := c.Post("/desk/setup/types/new", bad); !strings.Contains(kaputest.FieldError(body, "minutes"), "5 to 480") {
			t.Errorf("500 minutes: message %q; want the range 5 to 480", kaputest.FieldError(body, "minutes"))
		}
		// The service's refusals come back all at once, each next to its field.
		bad.Set("lead_days", "31")
		bad.Set("name_en", "  ")
		res, body = c.Post("/desk/setup/types/new", bad)
		for field, want := range map[string]string{"minutes": "5 to 480", "lead_days": "0 to 30", "name_en": "required"} {
			if msg := kaputest.FieldError(body, field); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, want) {
				t.Errorf("a case type with three problems = %d, %s: message %q; want 422 with %q", res.StatusCode, field, msg, want)
			}
		}
		if v := fieldValue(body, "name_hu"); v != "Idegenforgalmi adó" {
			t.Errorf("the case type form shows the name %q after the errors; want what was typed", v)
		}
		typed := officeValues()
		typed.Set("name", "")
		typed.Set("phone", "hívjon")
		typed.Set("email", "adoiroda@")
		res, body = c.Post(officePath, typed)
		for field, want := range map[string]string{"name": "required", "phone": "not a phone number", "email": "valid email"} {
			if msg := kaputest.FieldError(body, field); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, want) {
				t.Errorf("an office with three problems = %d, %s: message %q; want 422 with %q", res.StatusCode, field, msg, want)
			}
		}
		for field, want := range map[string]string{"phone": "hívjon", "email": "adoiroda@", "address": "2851 Tölgyesd, Piac tér 4."} {
			if v := fieldValue(body, field); v != want {
				t.Errorf("the office form shows %s %q after the errors; want what was typed, %q", field, v, want)
			}
		}
		var stored appointments.Office
		app.DB.R.First(&stored, office.ID)
		if stored.Name != "Adóiroda" || stored.Phone != "+36 34 555 0150" {
			t.Errorf("a refused office form changed the office to %q, %q", stored.Name, stored.Phone)
		}
	})
}

func TestSetupDeskHoursRefused(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "admin")
		var d appointments.Desk
		app.DB.R.Order("id").First(&d)
		var before int64
		app.DB.R.Model(&appointments.DeskHours{}).Where("desk_id = ?", d.ID).Count(&before)
		path := fmt.Sprintf("/desk/setup/desks/%d", d.ID)
		c.Get(path)
		cases := []struct{ typed, want string }{
			{"12:00-08:00", "ends after it starts"},
			{"08:00-12:00, 11:00-13:00", "without overlaps"},
			{"13:00-15:00, 08:00-12:00", "in order"},
			{"25:00-26:00", "between 00:00 and 24:00"},
			{"reggel nyolctól", "Write it like this"},
		}
		for _, tc := range cases {
			t.Run(tc.typed, func(t *testing.T) {
				res, body := c.Post(path, url.Values{"name": {d.Name}, "active": {"on"}, "hours_1": {tc.typed}, "hours_3": {"08:00-16:00"}})
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("POST with Monday %q = %d; want 422", tc.typed, res.StatusCode)
				}
				if msg := kaputest.FieldError(body, "hours_1"); !strings.Contains(msg, tc.want) {
					t.Errorf("Monday %q: message next to the field = %q; want it to say %q", tc.typed, msg, tc.want)
				}
				if kaputest.FieldError(body, "hours_3") != "" {
					t.Errorf("Wednesday's good hours got a message too")
				}
				if v := fieldValue(body, "hours_1"); v != tc.typed {
					t.Errorf("Monday shows %q after the error; want what was typed, %q", v, tc.typed)
				}
				if v := fieldValue(body, "hours_3"); v != "08:00-16:00" {
					t.Errorf("Wednesday shows %q after the error; want what was typed", v)
				}
			})
		}
		var after int64
		app.DB.R.Model(&appointments.DeskHours{}).Where("desk_id = ?", d.ID).Count(&after)
		if after != before {
			t.Errorf("refused forms changed the desk's hours: %d rows, was %d", after, before)
		}
	})
}

func TestSetupOnlyForAdmins(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		var d appointments.Desk
		app.DB.R.Order("id").First(&d)
		var ct appointments.CaseType
		app.DB.R.Order("id").First(&ct)
		var ex appointments.DeskException
		app.DB.R.Order("id").First(&ex)
		posts := []struct {
			path string
			form url.Values
		}{
			{"/desk/setup/offices/new", officeValues()},
			{fmt.Sprintf("/desk/setup/offices/%d", d.OfficeID), officeValues()},
			{fmt.Sprintf("/desk/setup/offices/%d/delete", d.OfficeID), url.Values{}},
			{fmt.Sprintf("/desk/setup/offices/%d/desks/new", d.OfficeID), url.Values{"name": {"9. ablak"}, "hours_1": {"08:00-12:00"}}},
			{fmt.Sprintf("/desk/setup/desks/%d", d.ID), url.Values{"name": {"Átnevezve"}}},
			{fmt.Sprintf("/desk/setup/desks/%d/exceptions", d.ID), url.Values{"ex_from": {"2030-01-07"}, "ex_kind": {"closed"}}},
			{fmt.Sprintf("/desk/setup/exceptions/%d/delete", ex.ID), url.Values{}},
			{"/desk/setup/types/new", caseTypeValues("Tiltott")},
			{fmt.Sprintf("/desk/setup/types/%d", ct.ID), caseTypeValues("Tiltott")},
		}
		for _, user := range []string{"employee", "frontdesk"} {
			c := kaputest.SignedIn(t, app, user)
			if res, _ := c.Get("/desk/setup"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: GET /desk/setup = %d; want 403", user, res.StatusCode)
			}
			if _, home := c.Get("/"); strings.Contains(home, `href="/desk/setup"`) {
				t.Errorf("%s sees the appointment settings in the navigation", user)
			}
			for _, p := range posts {
				form := url.Values{} // a copy: the client adds its own CSRF token
				for k, v := range p.form {
					form[k] = v
				}
				if res, _ := c.Post(p.path, form); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: POST %s = %d; want 403", user, p.path, res.StatusCode)
				}
			}
		}
		var n int64
		app.DB.R.Model(&audit.Entry{}).Where("action LIKE ?", "appointments.%").Count(&n)
		if n != 0 {
			t.Errorf("refused posts wrote %d audit rows", n)
		}
		var still appointments.Desk
		app.DB.R.First(&still, d.ID)
		if still.Name != d.Name {
			t.Errorf("a refused post renamed the desk to %q", still.Name)
		}
		// The service refuses on its own, whatever the routes say.
		if _, err := app.Appointments.SaveOffice(t.Context(), kaputest.Person(t, app, "frontdesk").Actor(), 0,
			appointments.OfficeInput{Name: "X", Address: "Y"}); err == nil {
			t.Errorf("SaveOffice by the front desk succeeded")
		}
	})
}

func TestSetupExceptionsAndDelete(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "admin")
		var d appointments.Desk
		app.DB.R.Order("id").Offset(2).First(&d)
		path := fmt.Sprintf("/desk/setup/desks/%d", d.ID)
		c.Get(path)
		// Other hours with bad hours, and an end before the start, come back.
		res, body := c.Post(path+"/exceptions", url.Values{"ex_from": {"2030-03-12"}, "ex_to": {"2030-03-11"},
			"ex_kind": {"hours"}, "ex_hours": {"10:00-09:00"}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "ex_to") == "" || kaputest.FieldError(body, "ex_hours") == "" {
			t.Errorf("a bad exception = %d (to: %q, hours: %q); want 422 with both messages", res.StatusCode,
				kaputest.FieldError(body, "ex_to"), kaputest.FieldError(body, "ex_hours"))
		}
		if v := fieldValue(body, "ex_hours"); v != "10:00-09:00" {
			t.Errorf("the exception's hours show %q after the error; want what was typed", v)
		}
		res, _ = c.Post(path+"/exceptions", url.Values{"ex_from": {"2030-03-11"}, "ex_to": {"2030-03-12"},
			"ex_kind": {"hours"}, "ex_hours": {"10-14"}, "ex_reason": {"képzés"}})
		if loc := location(t, res); !strings.HasPrefix(loc, path) {
			t.Errorf("after adding an exception: Location = %q", loc)
		}
		// A second exception on one of those days is refused.
		res, body = c.Post(path+"/exceptions", url.Values{"ex_from": {"2030-03-12"}, "ex_kind": {"closed"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(kaputest.FieldError(body, "ex_from"), "already has an exception") {
			t.Errorf("an overlapping exception = %d, message %q; want 422 saying there is one", res.StatusCode, kaputest.FieldError(body, "ex_from"))
		}
		var ex appointments.DeskException
		app.DB.R.Where("desk_id = ? AND reason = ?", d.ID, "képzés").First(&ex)
		if ex.ID == 0 || ex.Hours != "10:00-14:00" || ex.From.String() != "2030-03-11" || ex.To.String() != "2030-03-12" {
			t.Fatalf("stored exception = %+v; want 11–12 March 2030, 10:00-14:00", ex)
		}
		// Deleting asks first and changes nothing on the GET.
		del := fmt.Sprintf("/desk/setup/exceptions/%d/delete", ex.ID)
		if res, body := c.Get(del); res.StatusCode != 200 || !strings.Contains(body, `action="`+del+`"`) {
			t.Errorf("GET %s = %d; want the confirmation posting to itself", del, res.StatusCode)
		}
		if app.DB.R.First(&appointments.DeskException{}, ex.ID).Error != nil {
			t.Fatalf("the confirmation page deleted the exception")
		}
		if loc := location(t, mustPost(t, c, del, url.Values{})); !strings.HasPrefix(loc, path) {
			t.Errorf("after deleting: Location = %q; want the desk", loc)
		}
		if app.DB.R.Where("id = ?", ex.ID).Find(&[]appointments.DeskException{}).RowsAffected != 0 {
			t.Errorf("the exception is still there")
		}

		// An office with an appointment is deactivated, not deleted; a fresh one goes.
		var ct appointments.CaseType
		app.DB.R.Order("id").First(&ct)
		start := time.Date(2030, 3, 11, 9, 0, 0, 0, time.UTC)
		end := start.Add(20 * time.Minute)
		appt := appointments.Appointment{Code: "TST-001", CaseTypeID: ct.ID, OfficeID: d.OfficeID, DeskID: &d.ID,
			StartAt: &start, EndAt: &end, Status: appointments.StatusBooked, Source: appointments.SourcePhone, Lang: "hu", BookedAt: start}
		if err := app.DB.W.Create(&appt).Error; err != nil {
			t.Fatal(err)
		}
		officePath := fmt.Sprintf("/desk/setup/offices/%d", d.OfficeID)
		res, body = c.Post(officePath+"/delete", url.Values{})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Untick") {
			t.Errorf("deleting an office with appointments = %d; want 409 saying to switch it off", res.StatusCode)
		}
		if app.DB.R.First(&appointments.Office{}, d.OfficeID).Error != nil {
			t.Errorf("the office with appointments was deleted")
		}
		c.Get("/desk/setup/offices/new")
		loc := location(t, mustPost(t, c, "/desk/setup/offices/new", officeValues()))
		c.Get(loc + "/desks/new")
		mustPost(t, c, loc+"/desks/new", url.Values{"name": {"1. ablak"}, "hours_1": {"08:00-12:00"}})
		if loc := location(t, mustPost(t, c, loc+"/delete", url.Values{})); loc != "/desk/setup" {
			t.Errorf("after deleting a fresh office: Location = %q", loc)
		}
		var n int64
		app.DB.R.Model(&appointments.Office{}).Where("name = ?", "Adóiroda").Count(&n)
		if n != 0 {
			t.Errorf("the fresh office was not deleted")
		}
	})
}

// The demo seeds its offices, desks and case types, and with the history
// weeks of appointments the database accepted: none overlap at a desk, each
// has a code, a personal link and a time inside its desk's hours.
func TestSetupDemo(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		var offices, desks, types int64
		app.DB.R.Model(&appointments.Office{}).Count(&offices)
		app.DB.R.Model(&appointments.Desk{}).Count(&desks)
		app.DB.R.Model(&appointments.CaseType{}).Count(&types)
		if offices != 2 || desks != 6 || types != 8 {
			t.Errorf("demo: %d offices, %d desks, %d case types; want 2, 6, 8", offices, desks, types)
		}
		var all []appointments.Appointment
		app.DB.R.Where("desk_id IS NOT NULL").Order("desk_id, start_at").Find(&all)
		if len(all) < 1000 {
			t.Fatalf("demo history: %d appointments; want weeks of them", len(all))
		}
		statuses := map[string]int{}
		active := map[string]bool{appointments.StatusPending: true, appointments.StatusBooked: true,
			appointments.StatusArrived: true, appointments.StatusCalled: true, appointments.StatusServed: true}
		codes := map[string]bool{}
		var last *appointments.Appointment
		rated, served := 0, 0
		now := time.Now()
		for i := range all {
			a := &all[i]
			statuses[a.Status]++
			if codes[a.Code] || !regexp.MustCompile(`^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$`).MatchString(a.Code) {
				t.Errorf("appointment %d has code %q; want a unique code like K7F-3QX", a.ID, a.Code)
			}
			codes[a.Code] = true
			if a.LinkSalt == "" || a.ManageHash == "" {
				t.Errorf("appointment %d has no personal link", a.ID)
			}
			if a.Status == appointments.StatusServed {
				served++
				if a.Rating > 0 {
					rated++
				}
				if a.ArrivedAt == nil || a.CalledAt == nil || a.ServedAt == nil || a.ServedAt.Before(*a.CalledAt) {
					t.Errorf("served appointment %d lacks its times", a.ID)
				}
				if a.StartAt.After(now) {
					t.Errorf("appointment %d is served but starts in the future", a.ID)
				}
			}
			if !active[a.Status] {
				continue
			}
			if last != nil && *last.DeskID == *a.DeskID && a.StartAt.Before(*last.EndAt) {
				t.Errorf("appointments %d and %d overlap at desk %d", last.ID, a.ID, *a.DeskID)
			}
			last = a
		}
		for _, s := range []string{appointments.StatusServed, appointments.StatusBooked, appointments.StatusNoShow, appointments.StatusCancelled} {
			if statuses[s] == 0 {
				t.Errorf("the demo has no %s appointment (statuses %v)", s, statuses)
			}
		}
		if served == 0 || rated*100/served < 25 || rated*100/served > 55 {
			t.Errorf("%d of %d served appointments are rated; want about 40 %%", rated, served)
		}
		var bot []appointments.Appointment
		app.DB.R.Where("email = ?", "gyors.idopont.2026@example.net").Find(&bot)
		botDays, botIPs := map[string]bool{}, map[string]bool{}
		for _, a := range bot {
			botDays[a.StartAt.In(app.Cfg.TZ).Format(time.DateOnly)] = true
			botIPs[a.IP] = true
			if a.Status != appointments.StatusBooked || a.Source != appointments.SourceOnline || !a.StartAt.After(now) ||
				now.Sub(a.BookedAt) > 7*24*time.Hour {
				t.Errorf("bot appointment %+v; want booked online in the past week for a coming day", a)
			}
		}
		if len(bot) < 15 || len(botDays) != 1 || len(botIPs) != 1 {
			t.Errorf("the bot holds %d appointments on %d days from %d addresses; want about 20 on one day from one", len(bot), len(botDays), len(botIPs))
		}
		var rules struct{ Offline, Confirm, Block int64 }
		app.DB.R.Model(&appointments.CaseType{}).Where("online = ?", false).Count(&rules.Offline)
		app.DB.R.Model(&appointments.CaseType{}).Where("must_confirm = ?", true).Count(&rules.Confirm)
		app.DB.R.Model(&appointments.CaseType{}).Where("block_minutes = ?", 30).Count(&rules.Block)
		if rules.Offline != 1 || rules.Confirm != 1 || rules.Block != 1 {
			t.Errorf("demo case types: %+v; want one booked only at the desk, one confirmed by link, one blocking cancelled slots", rules)
		}
		var leave int64
		app.DB.R.Model(&appointments.DeskException{}).Where("reason = ?", "szabadság").Count(&leave)
		if leave != 1 {
			t.Errorf("%d desks are on leave; want one", leave)
		}
	}, kaputest.WithHistory())
}

func TestParseHoursSpans(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typed string
		want  string // FormatHoursSpans of the result
		err   error
	}{
		{"08:00-12:00, 13:00-18:00", "08:00-12:00, 13:00-18:00", nil},
		{" 8-12 ; 12:30–16 ", "08:00-12:00, 12:30-16:00", nil},
		{"8.30-12.00", "08:30-12:00", nil},
		{"00:00-24:00", "00:00-24:00", nil},
		{"08:00-12:00, 12:00-13:00", "08:00-12:00, 12:00-13:00", nil}, // back to back
		{"", "", nil},
		{"08:00-12:00,", "08:00-12:00", nil},
		{"12:00-08:00", "", appointments.ErrHoursOrder},
		{"08:00-08:00", "", appointments.ErrHoursOrder},
		{"08:00-12:00, 11:00-13:00", "", appointments.ErrHoursOverlap},
		{"13:00-15:00, 08:00-12:00", "", appointments.ErrHoursOverlap},
		{"25:00-26:00", "", appointments.ErrHoursRange},
		{"08:60-09:00", "", appointments.ErrHoursRange},
		{"24:00-24:30", "", appointments.ErrHoursRange},
		{"08:00", "", appointments.ErrHoursFormat},
		{"8:0-9:00", "", appointments.ErrHoursFormat},
		{"nyolctól délig", "", appointments.ErrHoursFormat},
		{"08:00-12:00-13:00", "", appointments.ErrHoursFormat},
		{"8-9,9-10,10-11,11-12,12-13,13-14,14-15,15-16,16-17,17-18,18-19,19-20,20-21", "", appointments.ErrHoursMany},
	}
	for _, tc := range cases {
		spans, err := appointments.ParseHoursSpans(tc.typed)
		if err != tc.err || (err == nil && appointments.FormatHoursSpans(spans) != tc.want) {
			t.Errorf("ParseHoursSpans(%q) = %q, %v; want %q, %v", tc.typed, appointments.FormatHoursSpans(spans), err, tc.want, tc.err)
		}
	}
}

func mustPost(t *testing.T, c *kaputest.Client, path string, form url.Values) *http.Response {
	t.Helper()
	res, body := c.Post(path, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s = %d; want 303\n%s", path, res.StatusCode, errorsOf(body))
	}
	return res
}

// errorsOf is the page's messages, for a failing test's log.
func errorsOf(body string) string {
	var out []string
	for _, m := range regexp.MustCompile(`<span>([^<]+)</span>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " | ")
}
