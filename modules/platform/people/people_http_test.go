package people_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
)

// uploadCSV sends a people file to the import form.
func uploadCSV(c *kaputest.Client, csv string) (*http.Response, string) {
	return c.PostFile("/admin/people/import", "file", "people.csv", []byte(csv))
}

func TestPeopleImport(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		c := kaputest.SignedIn(t, app, "admin")
		c.Get("/admin/people/import")
		count := func() int64 {
			var n int64
			app.DB.R.Model(&people.Person{}).Count(&n)
			return n
		}
		before := count()

		// One bad row (unknown department, bad email, unknown manager): nothing changes.
		bad := "username;name;email;department;job_title;manager;roles\n" +
			"uj.anna;Új Anna;uj.anna@example.org;Hatósági Osztály;ügyintéző;manager;employee\n" +
			"uj.bela;Új Béla;not-an-email;Nincs Ilyen Osztály;;senki;employee\n" +
			"employee;Papp Eszter;papp.uj@example.org;Hatósági Osztály;főügyintéző;;employee\n"
		res, body := uploadCSV(c, bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("import with bad rows = %d; want 422", res.StatusCode)
		}
		for _, want := range []string{"Enter a valid email address.", "No department has this name.", "No person has this username", "<td class=\"num\" data-label=\"Row\">3</td>"} {
			if !strings.Contains(body, want) {
				t.Errorf("import report lacks %q", want)
			}
		}
		if n := count(); n != before {
			t.Errorf("people after a rejected import = %d; want %d", n, before)
		}
		if p, _ := app.People.ByUsername(ctx, "employee"); p.JobTitle != "ügyintéző" {
			t.Errorf("a rejected import changed an existing person: job title %q", p.JobTitle)
		}

		// The corrected file imports: one new person managed by another new one, one update.
		good := "username,name,email,department,job_title,manager,roles,active\n" +
			"uj.anna,Új Anna,uj.anna@example.org,Hatósági Osztály,ügyintéző,uj.bela,employee,yes\n" +
			"uj.bela,Új Béla,uj.bela@example.org,Hatósági Osztály,csoportvezető,,employee manager,yes\n" +
			"employee,Papp Eszter,papp.eszter@example.org,Hatósági Osztály,főügyintéző,,employee,yes\n"
		res, body = uploadCSV(c, good)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import of a good file = %d; want 303\n%s", res.StatusCode, body)
		}
		if n := count(); n != before+2 {
			t.Errorf("people after import = %d; want %d", n, before+2)
		}
		anna, err := app.People.ByUsername(ctx, "uj.anna")
		if err != nil {
			t.Fatal(err)
		}
		bela, _ := app.People.ByUsername(ctx, "uj.bela")
		if anna.ManagerID == nil || *anna.ManagerID != bela.ID {
			t.Errorf("uj.anna's manager = %v; want uj.bela (%d)", anna.ManagerID, bela.ID)
		}
		if got := strings.Join(bela.RoleNames(), " "); got != "employee manager" {
			t.Errorf("uj.bela's roles = %q; want employee manager", got)
		}
		if p, _ := app.People.ByUsername(ctx, "employee"); p.JobTitle != "főügyintéző" || p.Email != "papp.eszter@example.org" {
			t.Errorf("updated person = %q %q; want the file's values", p.JobTitle, p.Email)
		}
		_, list := c.Get("/")
		if !strings.Contains(list, "Import finished: 2 created, 1 updated.") {
			t.Errorf("the next page does not confirm the import")
		}
	})
}

func TestPersonFormKeepsInput(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "hr")
	c.Get("/admin/people/new")
	res, body := c.Post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"admin"}, "email": {"odon@example.org"},
		"job_title": {"gondnok"}, "roles": {"employee"}, "active": {"on"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("create with a taken username = %d; want 422", res.StatusCode)
	}
	for _, want := range []string{"This username is already taken.", `value="Kovács Ödön"`, `value="gondnok"`, `value="odon@example.org"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form again lacks %q", want)
		}
	}
	// HR may not create administrators.
	res, body = c.Post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"kovacs.odon"}, "email": {"odon@example.org"},
		"roles": {"employee", "admin"}, "active": {"on"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Only administrators") {
		t.Errorf("HR granting admin = %d; want 422 with an explanation", res.StatusCode)
	}
	res, _ = c.Post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"kovacs.odon"}, "email": {"odon@example.org"},
		"roles": {"employee"}, "active": {"on"}, "department_id": {"12345"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("create with a tampered department id = %d; want 422", res.StatusCode)
	}
}

func TestProfile(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/profile")
	res, body := c.Post("/profile/password", url.Values{"current": {"demo"}, "new": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 8 characters") {
		t.Errorf("short new password = %d; want 422 with a message", res.StatusCode)
	}
	res, _ = c.Post("/profile/password", url.Values{"current": {"nope"}, "new": {"long enough"}, "confirm": {"long enough"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong current password = %d; want 422", res.StatusCode)
	}
	if res, _ := c.Post("/profile/password", url.Values{"current": {"demo"}, "new": {"long enough"}, "confirm": {"long enough"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password change = %d; want 303", res.StatusCode)
	}
	c2 := kaputest.NewClient(t, app)
	c2.Login("employee", "long enough")

	// The language follows the profile, whatever the browser asks for.
	c.Get("/profile")
	c.Post("/profile/language", url.Values{"lang": {"hu"}})
	if _, body := c.Get("/profile"); !strings.Contains(body, `<html lang="hu"`) || !strings.Contains(body, "Profilom") {
		t.Errorf("profile after choosing Hungarian is not in Hungarian")
	}
}

func TestPersonFormShowsEveryError(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "admin")
	c.Get("/admin/people/new")
	res, body := c.Post("/admin/people", url.Values{"name": {""}, "username": {"x y"}, "email": {"nope"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("create with three bad fields = %d; want 422", res.StatusCode)
	}
	for _, want := range []string{"Enter the full name.", "Use 2–64 lower-case letters", "Enter a valid email address.", `value="x y"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
}
