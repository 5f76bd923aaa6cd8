package leave

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// Days in a mail are written in the reader's language: "20,5" in Hungarian,
// "20.5" in English, never Go's "20.5" in a Hungarian sentence.
func TestReminderMailWritesDaysInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		for who, lang := range map[*people.Person]string{e.ann: "hu", e.bob: "en"} {
			if err := d.W.Model(&people.Person{}).Where("id = ?", who.ID).Update("lang", lang).Error; err != nil {
				t.Fatal(err)
			}
			if err := e.svc.SetAllocation(ctx, e.hr.Actor(), who.ID, 2026, 41, "base"); err != nil {
				t.Fatal(err)
			}
		}
		e.at("2026-10-05")
		e.svc.cfg.LeaveAutumnReminder, e.svc.cfg.LeaveAutumnMinDays = config.MonthDay{Month: time.October, Day: 1}, 5
		if err := e.svc.AutumnReminder(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			to, want string
		}{
			{e.ann.Email, "Ebben az évben 20,5 szabadságnapja van"},
			{e.bob.Email, "You have 20.5 days of leave"},
		} {
			var m notify.Mail
			if err := d.R.Where("to_addr = ?", tt.to).First(&m).Error; err != nil {
				t.Fatalf("no reminder to %s: %v", tt.to, err)
			}
			if !strings.Contains(m.Text, tt.want) || !strings.Contains(m.HTML, tt.want) {
				t.Errorf("the reminder to %s says:\n%s\nwant %q", tt.to, m.Text, tt.want)
			}
		}
	})
}

// The approver's summary writes whole days without ",0" and half days with
// the reader's decimal mark.
func TestSummaryDaysInTheReadersForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		hr := e.hr.Actor()
		if err := e.svc.SetAllocation(ctx, hr, e.ann.ID, 2026, 41, "base"); err != nil {
			t.Fatal(err)
		}
		e.at("2026-06-01")
		r, err := e.svc.Submit(ctx, hr, e.ann.ID, RequestInput{TypeID: e.typeByCode(t, "annual").ID,
			Start: teamDate(t, "2026-06-02"), End: teamDate(t, "2026-06-03")})
		if err != nil {
			t.Fatal(err)
		}
		ar := &approval.Request{Kind: KindLeave, SubjectID: strconv.FormatUint(uint64(r.ID), 10)}
		for _, tt := range []struct{ lang, days, after string }{{"hu", "2", "18,5"}, {"en", "2", "18.5"}} {
			sum, err := e.svc.summary(ctx, d.R, ar, tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Lines) < 3 || sum.Lines[1].Value != tt.days || sum.Lines[2].Value != tt.after {
				t.Errorf("%s summary lines = %+v; want %s days, %s after", tt.lang, sum.Lines, tt.days, tt.after)
			}
		}
	})
}
