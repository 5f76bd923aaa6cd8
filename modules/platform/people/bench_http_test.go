package people_test

import (
	"fmt"
	"net/http"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
)

// benchPeople is the staff size of a large city hall.
const benchPeople = 5000

// seedStaff adds n people spread over the demo departments, in batches.
func seedStaff(b *testing.B, app *kapu.App, n int) {
	b.Helper()
	var depts []people.Department
	app.DB.R.Find(&depts)
	batch := make([]people.Person, 0, 500)
	for i := 0; i < n; i++ {
		dept := depts[i%len(depts)].ID
		batch = append(batch, people.Person{
			Username: fmt.Sprintf("staff%05d", i), Name: fmt.Sprintf("Munkatárs %05d", i),
			Email: fmt.Sprintf("staff%05d@example.org", i), DepartmentID: &dept, JobTitle: "ügyintéző", Active: i%10 != 0,
			Roles: []people.PersonRole{{Role: "employee"}},
		})
		if len(batch) == cap(batch) || i == n-1 {
			if err := app.DB.W.Create(&batch).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkPeoplePages measures whole requests (session, page query, template)
// for the people list with 5,000 staff: the first page, a search, a late page.
func BenchmarkPeoplePages(b *testing.B) {
	app := kaputest.New(b, db.SQLite)
	seedStaff(b, app, benchPeople)
	c := kaputest.SignedIn(b, app, "admin")
	for _, path := range []string{"/admin/people", "/admin/people?q=0042", "/admin/people?page=80", "/admin/departments", "/"} {
		b.Run(path, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if res, _ := c.Get(path); res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s = %d", path, res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkPeopleListOrder runs the people list's page query at 5,000 staff
// in byte order (what the list did before issue 12: idx_people_active, then a
// sort of every active person) and in Hungarian order (db.ByName, which walks
// people_active_name_hu and stops after the page), in the same run, for the
// first and a late page. docs/benchmarks.md gives the ratio.
func BenchmarkPeopleListOrder(b *testing.B) {
	app := kaputest.New(b, db.SQLite)
	seedStaff(b, app, benchPeople)
	for _, o := range []struct{ name, order string }{{"byte", "p.name, p.id"}, {"hu", app.DB.ByName("p.name") + ", p.id"}} {
		for _, offset := range []int{0, 4000} {
			b.Run(fmt.Sprintf("%s/offset=%d", o.name, offset), func(b *testing.B) {
				for b.Loop() {
					var rows []people.PersonRow
					err := app.DB.R.Table("people AS p").Joins("LEFT JOIN departments AS d ON d.id = p.department_id").
						Where("p.active = ?", true).Select("p.*, d.name AS department_name").Order(o.order).
						Limit(people.PerPage).Offset(offset).Find(&rows).Error
					if err != nil || len(rows) != people.PerPage {
						b.Fatalf("%d rows, %v", len(rows), err)
					}
				}
			})
		}
	}
}
