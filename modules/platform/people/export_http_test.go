package people_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
)

// The people export is in the viewer's language and Excel's dialect for it,
// in Hungarian name order, and the import takes it back as it left.
func TestPeopleExportBytes(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		for _, p := range []people.Person{
			{Username: "szucs.zoltan", Name: "Szűcs Zoltán", Email: "szucs.zoltan@example.org", Active: true, Roles: []people.PersonRole{{Role: "employee"}}},
			{Username: "sarkozi.anna", Name: "Sárközi Anna", Email: "sarkozi.anna@example.org", Active: false, Roles: []people.PersonRole{{Role: "employee"}}},
		} {
			if err := app.DB.W.Create(&p).Error; err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct{ lang, head, sarkozi, szucs string }{
			{"hu", "\ufeffFelhasználónév;Név;E-mail;Szervezeti egység;Munkakör;Vezető;Helyettes;Szerepkörök;Aktív\r\n",
				"\r\nsarkozi.anna;Sárközi Anna;sarkozi.anna@example.org;;;;;employee;nem\r\n", "\r\nszucs.zoltan;Szűcs Zoltán;szucs.zoltan@example.org;;;;;employee;igen\r\n"},
			{"en", "\ufeffUsername,Name,Email,Department,Job title,Manager,Deputy,Roles,Active\r\n",
				"\r\nsarkozi.anna,Sárközi Anna,sarkozi.anna@example.org,,,,,employee,no\r\n", "\r\nszucs.zoltan,Szűcs Zoltán,szucs.zoltan@example.org,,,,,employee,yes\r\n"},
		}
		c := kaputest.SignedIn(t, app, "admin")
		for _, tt := range tests {
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {tt.lang}})
			res, body := c.Get("/admin/people/export.csv")
			if res.StatusCode != 200 || !strings.HasPrefix(body, tt.head) {
				t.Fatalf("%s export = %d %.120q; want it to start %q", tt.lang, res.StatusCode, body, tt.head)
			}
			at, after := strings.Index(body, tt.sarkozi), strings.Index(body, tt.szucs)
			if at < 0 || after < 0 || at > after {
				t.Errorf("%s export: Sárközi at %d, Szűcs at %d; want both, Sárközi first:\n%s", tt.lang, at, after, body)
			}
			// Back through the import: the same people, Sárközi still inactive.
			c.Get("/admin/people/import")
			if res, page := c.PostFile("/admin/people/import", "file", "kapu-people.csv", []byte(body)); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s import of the export = %d; want 303\n%s", tt.lang, res.StatusCode, page)
			}
			var p people.Person
			app.DB.R.Where("username = ?", "sarkozi.anna").First(&p)
			if p.Active || p.Name != "Sárközi Anna" {
				t.Errorf("%s after the round trip: %+v", tt.lang, p)
			}
		}
	})
}
