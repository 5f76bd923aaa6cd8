package training_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/stats"
	"kapu/modules/training"
)

// statsCSV reads a CSV export (BOM, the viewer's separator).
func statsCSV(t *testing.T, body, lang string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	if lang == "hu" {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return recs
}

// statsSeed writes a year (2019, far from the demo's) of completions for
// the demo's employee and HR, a mandatory training, and a certificate of
// the employee's expiring in ten days.
func statsSeed(t *testing.T, app *kapu.App) (excel, fire *training.Training) {
	t.Helper()
	w := app.DB.W
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	excel = &training.Training{Year: 2019, Code: "STATS-XL", TitleHU: "Táblázatkezelés haladóknak", TitleEN: "Advanced spreadsheets",
		Provider: "Próba Kft.", Kind: training.KindClassroom, Minutes: 480, Points: 8, CostFt: 12000, Target: training.TargetEveryone, Active: true}
	fire = &training.Training{Year: 2019, Code: "STATS-FIRE", TitleHU: "Tűzvédelmi próbaképzés", TitleEN: "Fire safety trial",
		Kind: training.KindELearning, Mandatory: true, ValidMonths: 12, Target: training.TargetEveryone, Active: true}
	must(w.Create(excel).Error)
	must(w.Create(fire).Error)
	emp, hr := kaputest.Person(t, app, "employee"), kaputest.Person(t, app, "hr")
	on := func(s string) calendar.Date { return kaputest.MustDate(t, s) }
	for _, c := range []training.Completion{
		{PersonID: emp.ID, TrainingID: excel.ID, CompletedOn: on("2019-03-04"), Minutes: 450, Points: 8, Source: training.CompletionImport},
		{PersonID: hr.ID, TrainingID: excel.ID, CompletedOn: on("2019-04-01"), Minutes: 480, Points: 8, Source: training.CompletionImport},
		{PersonID: emp.ID, TrainingID: fire.ID, CompletedOn: on("2019-01-15"), Minutes: 60, ValidUntil: on("2020-01-14"), Source: training.CompletionImport},
		{PersonID: emp.ID, TrainingID: fire.ID, CompletedOn: on("2019-02-01"), Minutes: 60, CertificateNo: "CERT-STATS-1",
			ValidUntil: kaputest.Today(t, app).AddDays(10), Source: training.CompletionImport},
	} {
		must(w.Create(&c).Error)
	}
	return excel, fire
}

// The statistics page and each export answer HR in both languages, with
// the trainings' titles in the viewer's language, and refuse an employee;
// a year's hours per person in the CSV are what the service adds up; a bad
// department is a 404, a bad day the page again with 422.
func TestStatsPage(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		statsSeed(t, app)
		emp := kaputest.Person(t, app, "employee")
		const year = "/training/stats?period=year&day=2019-05-01"

		staff := kaputest.SignedIn(t, app, "employee")
		for _, path := range []string{"/training/stats", year + "&format=xlsx", year + "&format=csv&table=people"} {
			if res, _ := staff.Get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("employee GET %s = %d; want 403", path, res.StatusCode)
			}
		}

		st, err := app.Training.Stats(context.Background(), kaputest.Person(t, app, "hr").Actor(),
			training.StatsFilter{Period: stats.PeriodOf(stats.Year, kaputest.MustDate(t, "2019-05-01"))})
		if err != nil {
			t.Fatal(err)
		}
		var empHours float64
		for _, p := range st.People {
			if p.PersonID == emp.ID {
				empHours = p.Hours()
			}
		}
		if empHours != 9.5 { // 450 + 60 + 60 minutes
			t.Fatalf("the service's hours of the employee in 2019 = %v; want 9.5", empHours)
		}

		c := kaputest.SignedIn(t, app, "hr")
		for _, lang := range []string{"hu", "en"} {
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {lang}})
			res, body := c.Get(year)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: GET %s = %d", lang, year, res.StatusCode)
			}
			want := map[string][]string{"hu": {"Táblázatkezelés haladóknak", "Tűzvédelmi próbaképzés", "Képzési órák osztályonként"},
				"en": {"Advanced spreadsheets", "Fire safety trial", "Training hours per department"}}[lang]
			other := map[string]string{"hu": "Advanced spreadsheets", "en": "Táblázatkezelés haladóknak"}[lang]
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page lacks %q", lang, w)
				}
			}
			if strings.Contains(body, other) || !strings.Contains(body, "<svg") || !strings.Contains(body, emp.Name) {
				t.Errorf("%s: the page shows %q, or lacks a chart or %s", lang, other, emp.Name)
			}

			res, body = c.Get(year + "&format=csv&table=people")
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "csv") {
				t.Fatalf("%s: the people CSV = %d %s", lang, res.StatusCode, res.Header.Get("Content-Type"))
			}
			hours := strconv.FormatFloat(empHours, 'f', -1, 64)
			if lang == "hu" {
				hours = strings.ReplaceAll(hours, ".", ",")
			}
			found := false
			for _, r := range statsCSV(t, body, lang) {
				if len(r) >= 4 && r[0] == emp.Name {
					found = r[3] == hours
					if !found {
						t.Errorf("%s: the CSV's hours of %s = %q; want %q", lang, emp.Name, r[3], hours)
					}
				}
			}
			if !found {
				t.Errorf("%s: the people CSV has no row of %s:\n%s", lang, emp.Name, body)
			}

			res, body = c.Get(year + "&format=xlsx")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: the XLSX = %d", lang, res.StatusCode)
			}
			book, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatalf("%s: the XLSX does not open: %v", lang, err)
			}
			sheet := map[string]string{"hu": "Kötelező képzések", "en": "Mandatory trainings"}[lang]
			if idx, _ := book.GetSheetIndex(sheet); idx < 0 || len(book.GetSheetList()) != 9 {
				t.Errorf("%s: the XLSX's sheets = %v; want 9 with %q", lang, book.GetSheetList(), sheet)
			}
		}

		// This year's page lists the certificate expiring in ten days.
		if res, body := c.Get("/training/stats"); res.StatusCode != http.StatusOK || !strings.Contains(body, "CERT-STATS-1") {
			t.Errorf("GET /training/stats = %d; want 200 with the expiring certificate CERT-STATS-1", res.StatusCode)
		}
		if emp.DepartmentID != nil {
			if res, body := c.Get(year + "&dept=" + strconv.FormatUint(uint64(*emp.DepartmentID), 10)); res.StatusCode != http.StatusOK || !strings.Contains(body, emp.Name) {
				t.Errorf("the employee's department = %d; want 200 with %s", res.StatusCode, emp.Name)
			}
		}
		for _, tt := range []struct {
			path string
			want int
		}{
			{year + "&dept=x", http.StatusNotFound},
			{year + "&dept=-1", http.StatusNotFound},
			{year + "&format=csv&table=nonsense", http.StatusNotFound},
			{"/training/stats?period=year&day=2019-02-30", http.StatusUnprocessableEntity},
			{"/training/stats?period=range&from=2019-05-01&to=2019-01-01", http.StatusUnprocessableEntity},
			{"/training/stats?period=%00&day=%ff", http.StatusUnprocessableEntity},
			{year + "&dept=999999", http.StatusOK}, // nobody's: empty figures
		} {
			if res, _ := c.Get(tt.path); res.StatusCode != tt.want {
				t.Errorf("GET %s = %d; want %d", tt.path, res.StatusCode, tt.want)
			}
		}
	})
}

// Without any training records the page answers HR and the administrators
// with its empty states, in both languages; the nav leads there.
func TestStatsPageEmpty(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		for _, who := range []string{"hr", "admin"} {
			c := kaputest.SignedIn(t, app, who)
			for _, lang := range []string{"hu", "en"} {
				c.Get("/profile")
				c.Post("/profile/language", url.Values{"lang": {lang}})
				res, body := c.Get("/training/stats?period=year&day=2001-01-01")
				none := map[string]string{"hu": "nem volt teljesített képzés", "en": "No training was completed"}[lang]
				if res.StatusCode != http.StatusOK || !strings.Contains(body, none) || !strings.Contains(body, `href="/training/stats"`) {
					t.Errorf("%s, %s: GET an empty year = %d; want 200 with %q and the nav entry", who, lang, res.StatusCode, none)
				}
			}
		}
	})
}
