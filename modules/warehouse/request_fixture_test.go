package warehouse

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// reqFixture is the ledger's fixture with what requests need: a real
// approval engine with its outbox, the employee's line manager (boss), the
// head of finance (penz) and a colleague with no part in the request (kiss).
type reqFixture struct {
	*fixture
	engine           *approval.Engine
	cat              *i18n.Catalog
	boss, penz, kiss actor.Actor
}

func newReqFixture(t testing.TB, d *db.DB) *reqFixture {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, d)
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "hu"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	must(t, err)
	cat, err := i18n.Load()
	must(t, err)
	ppl := people.NewService(d, 4)
	models := append(people.New(ppl).Models(), approval.Models()...)
	models = append(models, notify.Models()...)
	models = append(models, calendar.Models()...)
	must(t, d.Migrate(ctx, models, nil))
	outbox, err := notify.New(d, cat, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(t, err)
	engine := approval.New(d, ppl, outbox, calendar.New(d.R), cfg)
	m := New(module.Deps{Cfg: cfg, DB: d, Catalog: cat, People: ppl, Outbox: outbox, Approval: engine})
	for _, k := range m.ApprovalKinds() {
		engine.Register(k)
	}
	f.s = m.Service()
	f.s.SetClock(func() time.Time { return testNow })
	rf := &reqFixture{fixture: f, engine: engine, cat: cat}
	mk := func(username, name string, lang string, roles ...string) actor.Actor {
		p := people.Person{Username: username, Name: name, Email: username + "@kapu.test", Active: true, Lang: lang}
		for _, r := range roles {
			p.Roles = append(p.Roles, people.PersonRole{Role: r})
		}
		must(t, d.W.Create(&p).Error)
		return p.Actor()
	}
	rf.boss = mk("kovacs", "Kovács Anna", "en", actor.Employee, actor.Manager)
	rf.penz = mk("penz", "Pénzes Béla", "hu", actor.Employee)
	rf.kiss = mk("kiss", "Kiss Péter", "", actor.Employee)
	must(t, d.W.Model(&people.Person{}).Where("id IN ?", []uint{f.emp.ID, rf.kiss.ID}).Update("manager_id", rf.boss.ID).Error)
	return rf
}

// submit files a request of emp for f.dept with lines, failing the test on
// an error.
func (f *reqFixture) submit(t testing.TB, lines ...LineInput) *Request {
	t.Helper()
	r, err := f.s.SubmitRequest(context.Background(), f.emp, RequestInput{DepartmentID: f.dept, Purpose: "Ügyfélszolgálat, december",
		NeededBy: calendar.DateOf(testNow, f.s.tz()).AddDays(7), Lines: lines})
	must(t, err)
	return r
}

// detail reads request id as the database has it now.
func (f *reqFixture) detail(t testing.TB, id uint) *RequestDetail {
	t.Helper()
	var r Request
	must(t, f.d.W.First(&r, id).Error)
	lines, err := linesOf(f.d.W, id)
	must(t, err)
	return &RequestDetail{Request: r, Lines: lines}
}

// mails counts the outbox rows to person a whose subject holds part.
func (f *reqFixture) mails(t testing.TB, a actor.Actor, part string) int64 {
	t.Helper()
	var n int64
	must(t, f.d.W.Model(&notify.Mail{}).Where("to_addr = (SELECT email FROM people WHERE id = ?) AND subject LIKE ?", a.ID, "%"+part+"%").Count(&n).Error)
	return n
}

// checkLedger fails the test when an item's cache differs from its ledger.
func (f *reqFixture) checkLedger(t testing.TB) {
	t.Helper()
	drift, err := f.s.Verify(context.Background())
	if err != nil || len(drift) != 0 {
		t.Errorf("Verify = %+v, %v; want no drift", drift, err)
	}
}
