package leave_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
)

// benchYears of leave history for every benchmark person.
const benchYears = 10

// seedLeaveHistory adds n people (50 of them in one department, the team the
// calendar benchmark shows) with benchYears of allowances and three approved
// weeks of leave a year, written in bulk: the benchmark measures reading.
func seedLeaveHistory(b *testing.B, app *kapu.App, n int) (teamDept uint, staff []uint) {
	b.Helper()
	ctx := context.Background()
	annual := leaveType(b, app, "annual")
	team := people.Department{Name: "Bench Team"}
	rest := people.Department{Name: "Bench Others"}
	app.DB.W.Create(&team)
	app.DB.W.Create(&rest)
	thisYear := calendar.Today(app.Cfg.TZ).Year
	demo, err := app.People.ByUsername(ctx, "employee")
	if err != nil {
		b.Fatal(err)
	}
	err = app.DB.Tx(ctx, func(tx *gorm.DB) error {
		batch := make([]people.Person, 0, 500)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if err := tx.Create(&batch).Error; err != nil {
				return err
			}
			for _, p := range batch {
				staff = append(staff, p.ID)
			}
			batch = batch[:0]
			return nil
		}
		for i := 0; i < n; i++ {
			dept := rest.ID
			if i < 50 {
				dept = team.ID
			}
			batch = append(batch, people.Person{Username: fmt.Sprintf("bench%05d", i), Name: fmt.Sprintf("Bench %05d", i),
				Email: fmt.Sprintf("bench%05d@example.org", i), DepartmentID: &dept, Active: true, PasswordHash: demo.PasswordHash,
				Roles: []people.PersonRole{{Role: "employee"}}})
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		var reqs []leave.Request
		var entries []leave.Entry
		var balances []leave.Balance
		write := func() error {
			for _, rows := range []any{&reqs, &entries, &balances} {
				if err := tx.CreateInBatches(rows, 1000).Error; err != nil {
					return err
				}
			}
			reqs, entries, balances = reqs[:0], entries[:0], balances[:0]
			return nil
		}
		for i, id := range staff {
			for y := thisYear - benchYears + 1; y <= thisYear; y++ {
				entries = append(entries, leave.Entry{PersonID: id, Year: y, Kind: leave.KindAllocation, Halves: 50, CreatedBy: 1})
				for _, m := range []time.Month{time.March, time.July, time.October} {
					start := monday(y, m, 1+(i%3))
					reqs = append(reqs, leave.Request{PersonID: id, TypeID: annual.ID, StartDate: start, EndDate: start.AddDays(4),
						Halves: 10, Status: leave.StatusApproved, CreatedBy: id})
					entries = append(entries, leave.Entry{PersonID: id, Year: y, Kind: leave.KindUsage, Halves: -10, CreatedBy: 1})
				}
				balances = append(balances, leave.Balance{PersonID: id, Year: y, Allocated: 50, Used: 30})
			}
			if len(reqs) > 20000 {
				if err := write(); err != nil {
					return err
				}
			}
		}
		return write()
	})
	if err != nil {
		b.Fatal(err)
	}
	return team.ID, staff
}

// benchClient is a signed-in HTTP client of the running server.
func benchClient(b *testing.B, base, username string) *http.Client {
	b.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	res, err := c.Get(base + "/login")
	if err != nil {
		b.Fatal(err)
	}
	page := new(strings.Builder)
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		page.Write(buf[:n])
		if err != nil {
			break
		}
	}
	res.Body.Close()
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.String())[1]
	res, err = c.PostForm(base+"/login", url.Values{"_csrf": {token}, "username": {username}, "password": {"demo"}})
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("login %s: %v %v", username, err, res)
	}
	res.Body.Close()
	return c
}

// BenchmarkLeavePages drives the running server over HTTP with 4 concurrent
// clients and reports the 95th-percentile latency of "My leave", the team
// calendar of a 50-person department and the HR overview, with 5,000 people
// and 10 years of leave in the database.
func BenchmarkLeavePages(b *testing.B) {
	app := kaputest.New(b, db.SQLite)
	teamDept, staff := seedLeaveHistory(b, app, 5000)
	b.Logf("seeded %d people × %d years", len(staff), benchYears)
	if err := app.DB.Optimize(context.Background()); err != nil { // as the nightly job does
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Web.App.Listener(ln) }()
	b.Cleanup(func() { _ = app.Web.App.ShutdownWithTimeout(5 * time.Second) })
	base := "http://" + ln.Addr().String()
	today := calendar.Today(app.Cfg.TZ)
	pages := []struct {
		name, user, path string
	}{
		{"my-leave", "bench00007", "/leave"},
		{"team-calendar-50", "hr", fmt.Sprintf("/leave/team?dept=%d&month=%04d-%02d", teamDept, today.Year, today.Month)},
		{"hr-overview", "hr", fmt.Sprintf("/leave/admin?year=%d", today.Year)},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			client := benchClient(b, base, p.user)
			var mu sync.Mutex
			var took []time.Duration
			b.SetParallelism(2) // 2 × GOMAXPROCS(2) = 4 clients
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					res, err := client.Get(base + p.path)
					if err != nil {
						b.Error(err)
						return
					}
					res.Body.Close()
					if res.StatusCode != 200 {
						b.Errorf("GET %s = %d", p.path, res.StatusCode)
						return
					}
					mu.Lock()
					took = append(took, time.Since(start))
					mu.Unlock()
				}
			})
			b.StopTimer()
			dbtest.ReportLatency(b, took)
		})
	}
}
