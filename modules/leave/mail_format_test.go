package leave

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/config"
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
