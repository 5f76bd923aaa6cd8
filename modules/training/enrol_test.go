package training

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
)

// unitNow is the unit tests' clock: Wednesday 9 December 2026, 10:30 in Budapest.
var unitNow = time.Date(2026, 12, 9, 9, 30, 0, 0, time.UTC)

// newUnitService is the service alone on d (no approval engine, no outbox),
// with the module's tables, people, history and audit, and its clock at unitNow.
func newUnitService(t *testing.T, d *db.DB) *Service {
	t.Helper()
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "hu"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var models []any
	if d != nil {
		models = append(append(append(Models(), audit.Models()...), history.Models()...),
			&people.Department{}, &people.Person{}, &people.PersonRole{})
		if err := d.Migrate(context.Background(), models, Migrations()); err != nil {
			t.Fatal(err)
		}
	}
	s := NewService(module.Deps{Cfg: cfg, DB: d, Catalog: cat})
	s.SetClock(func() time.Time { return unitNow })
	return s
}

// A session has started once its first day's hours began, in the city
// hall's time zone (10:30 in Budapest is 9:30 UTC).
func TestSessionStarted(t *testing.T) {
	s := newUnitService(t, nil)
	cases := []struct {
		first string
		from  int
		want  bool
	}{
		{"2026-12-10", 8 * 60, false},
		{"2026-12-08", 14 * 60, true},
		{"2026-12-09", 10 * 60, true},
		{"2026-12-09", 10*60 + 30, true},
		{"2026-12-09", 10*60 + 31, false},
		{"2026-12-09", 14 * 60, false},
	}
	for _, c := range cases {
		sess := &Session{FirstDay: day(t, c.first), LastDay: day(t, c.first), FromMin: c.from, ToMin: c.from + 60}
		if got := s.started(sess); got != c.want {
			t.Errorf("started(%s %s) = %v; want %v", c.first, clock(c.from), got, c.want)
		}
	}
}

// The guarded update takes seats while there are any, the database refuses
// more than the seats whatever the SQL, and a freed seat never goes below zero.
func TestSeatGuard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		newUnitService(t, d)
		sess := Session{TrainingID: 1, FirstDay: day(t, "2026-12-20"), LastDay: day(t, "2026-12-20"), FromMin: 540, ToMin: 720, Seats: 2, Status: SessionScheduled}
		if err := d.W.Create(&sess).Error; err != nil {
			t.Fatal(err)
		}
		for i, want := range []bool{true, true, false} {
			got, err := takeSeat(d.W, sess.ID)
			if err != nil || got != want {
				t.Errorf("takeSeat %d = %v, %v; want %v", i+1, got, err, want)
			}
		}
		err := d.W.Exec("UPDATE training_sessions SET enrolled = 3 WHERE id = ?", sess.ID).Error
		if !db.IsConstraint(err, ConstraintSeats) {
			t.Errorf("enrolled past the seats: %v; want %s", err, ConstraintSeats)
		}
		for range 3 {
			if err := freeSeat(d.W, sess.ID); err != nil {
				t.Fatal(err)
			}
		}
		var got Session
		d.W.First(&got, sess.ID)
		if got.Enrolled != 0 {
			t.Errorf("after freeing every seat enrolled = %d; want 0", got.Enrolled)
		}
		// A cancelled session takes nobody.
		d.W.Model(&Session{}).Where("id = ?", sess.ID).Update("status", SessionCancelled)
		if ok, err := takeSeat(d.W, sess.ID); ok || err != nil {
			t.Errorf("takeSeat on a cancelled session = %v, %v; want false", ok, err)
		}
	})
}

// Places on a waiting list count by waiting_since, then id, per session;
// someone no longer waiting has none.
func TestWaitingPositions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		newUnitService(t, d)
		at := func(min int) *time.Time { v := unitNow.Add(time.Duration(min) * time.Minute); return &v }
		s1, s2 := uint(1), uint(2)
		rows := []Enrolment{
			{TrainingID: 1, SessionID: &s1, PersonID: 1, Status: EnrolWaiting, Source: SourceRequest, WaitingSince: at(5)},
			{TrainingID: 1, SessionID: &s1, PersonID: 2, Status: EnrolWaiting, Source: SourceRequest, WaitingSince: at(1)},
			{TrainingID: 1, SessionID: &s1, PersonID: 3, Status: EnrolWaiting, Source: SourceRequest, WaitingSince: at(5)},
			{TrainingID: 2, SessionID: &s2, PersonID: 1, Status: EnrolWaiting, Source: SourceRequest, WaitingSince: at(9)},
			{TrainingID: 1, SessionID: &s1, PersonID: 4, Status: EnrolEnrolled, Source: SourceRequest},
		}
		for i := range rows {
			if err := d.W.Create(&rows[i]).Error; err != nil {
				t.Fatal(err)
			}
		}
		got, err := waitingPositions(d.R, []uint{s1, s2})
		if err != nil {
			t.Fatal(err)
		}
		want := map[uint]int{rows[1].ID: 1, rows[0].ID: 2, rows[2].ID: 3, rows[3].ID: 1}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("place of enrolment %d = %d; want %d", id, got[id], w)
			}
		}
		if got[rows[4].ID] != 0 || len(got) != 4 {
			t.Errorf("positions %v; want only the four waiting", got)
		}
	})
}

// A cancelled seat goes to the first waiting, in the same transaction, and
// no one else moves; an enrolment another person holds is not theirs to
// cancel, HR's is.
func TestCancelPromotesFirstWaiting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newUnitService(t, d)
		ctx := context.Background()
		mk := func(name string, roles ...string) actor.Actor {
			p := people.Person{Username: strings.ToLower(name), Name: name, Email: strings.ToLower(name) + "@kapu.test", Active: true}
			for _, r := range roles {
				p.Roles = append(p.Roles, people.PersonRole{Role: r})
			}
			if err := d.W.Create(&p).Error; err != nil {
				t.Fatal(err)
			}
			return p.Actor()
		}
		anna, bela, cili, hr := mk("Anna"), mk("Bela"), mk("Cili"), mk("Hajni", actor.HR)
		tr := Training{Year: 2026, Code: "T1", TitleHU: "Tűzvédelem", Kind: KindClassroom, Target: TargetEveryone, Active: true}
		d.W.Create(&tr)
		sess := Session{TrainingID: tr.ID, FirstDay: day(t, "2026-12-20"), LastDay: day(t, "2026-12-20"), FromMin: 540, ToMin: 720, Seats: 1, Enrolled: 1, Status: SessionScheduled}
		d.W.Create(&sess)
		sid := sess.ID
		seated := Enrolment{TrainingID: tr.ID, SessionID: &sid, PersonID: anna.ID, Status: EnrolEnrolled, Source: SourcePlan}
		d.W.Create(&seated)
		w1 := Enrolment{TrainingID: tr.ID, SessionID: &sid, PersonID: bela.ID, Status: EnrolWaiting, Source: SourcePlan, WaitingSince: &unitNow}
		later := unitNow.Add(time.Minute)
		w2 := Enrolment{TrainingID: tr.ID, SessionID: &sid, PersonID: cili.ID, Status: EnrolWaiting, Source: SourcePlan, WaitingSince: &later}
		d.W.Create(&w2)
		d.W.Create(&w1) // a higher id, an earlier place
		if err := s.CancelEnrolment(ctx, cili, seated.ID); err != ErrEnrolNotFound {
			t.Errorf("a colleague cancelling = %v; want ErrEnrolNotFound", err)
		}
		if err := s.CancelEnrolment(ctx, hr, seated.ID); err != nil {
			t.Fatalf("HR cancelling: %v", err)
		}
		status := func(id uint) string {
			var e Enrolment
			d.W.First(&e, id)
			return e.Status
		}
		if got := [3]string{status(seated.ID), status(w1.ID), status(w2.ID)}; got != [3]string{EnrolCancelled, EnrolEnrolled, EnrolWaiting} {
			t.Errorf("after the cancellation %v; want cancelled, enrolled, waiting", got)
		}
		var got Session
		d.W.First(&got, sess.ID)
		if got.Enrolled != 1 {
			t.Errorf("session holds %d; want 1", got.Enrolled)
		}
		if err := s.CancelEnrolment(ctx, anna, seated.ID); err != ErrNotCancellable {
			t.Errorf("cancelling twice = %v; want ErrNotCancellable", err)
		}
	})
}

func TestMatchesAll(t *testing.T) {
	cases := []struct {
		q    string
		want bool
	}{
		{"", true}, {"elsősegély", true}, {"ELSŐSEGÉLY vöröskereszt", true}, {"first aid", true}, {"tűz", false},
	}
	for _, c := range cases {
		if got := matchesAll(strings.Fields(strings.ToLower(c.q)), "Elsősegély", "First aid", "ES-1", "Magyar Vöröskereszt"); got != c.want {
			t.Errorf("matchesAll(%q) = %v; want %v", c.q, got, c.want)
		}
	}
}
