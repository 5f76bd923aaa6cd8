package helpdesk

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
)

// mWithOutbox gives the fixture's service a real outbox and catalog.
func mWithOutbox(t *testing.T, f *fixture) {
	t.Helper()
	must(t, f.d.Migrate(context.Background(), notify.Models(), nil))
	cat, err := i18n.Load()
	must(t, err)
	f.s.cat = cat
	f.s.cfg.BaseURL = "https://kapu.example"
	f.s.outbox, err = notify.New(f.d, cat, f.s.cfg, nil)
	must(t, err)
}

// mMailsOf are the outbox's subjects to person a, oldest first.
func (f *fixture) mMailsOf(t *testing.T, a actor.Actor) []string {
	t.Helper()
	var ms []notify.Mail
	must(t, f.d.W.Where("to_addr = (SELECT email FROM people WHERE id = ?)", a.ID).Order("id").Find(&ms).Error)
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}

// TestMailSLAAndRepeats: the SLA job's warning and breach reach the
// assignee and the queue's lead, in Hungarian, and a change announced twice
// (a retried job, a repeated call) is mailed once.
func TestMailSLAAndRepeats(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mWithOutbox(t, f)
		ctx := context.Background()
		must(t, d.W.Model(&Queue{}).Where("id = ?", f.itQueue.ID).Update("lead_id", f.it2.ID).Error)
		tk := f.report(t, f.emp)
		must(t, f.s.Take(ctx, f.it1, tk.ID))
		announce := func(a actor.Actor, ch change) {
			t.Helper()
			for range 2 {
				must(t, f.s.db.Tx(ctx, func(tx *gorm.DB) error { return f.s.changed(tx, a, tk.ID, ch) }))
			}
		}
		announce(actor.System(), change{Kind: ChangeWarning})
		announce(actor.System(), change{Kind: ChangeBreach})
		for _, a := range []actor.Actor{f.it1, f.it2} {
			got := f.mMailsOf(t, a)
			var sla []string
			for _, s := range got {
				if strings.Contains(s, "határid") {
					sla = append(sla, s)
				}
			}
			if len(sla) != 2 || !strings.Contains(sla[0], "Hamarosan lejár") || !strings.Contains(sla[1], "Lejárt") ||
				!strings.Contains(sla[0], tk.Number) {
				t.Errorf("%s's SLA mails = %q; want one warning and one breach naming %s", a.Name, sla, tk.Number)
			}
		}
		before := len(f.mMailsOf(t, f.emp))
		must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateWaitingVendor, "Alkatrész rendelve."))
		announce(f.it1, change{Kind: ChangeState, From: StateAssigned, To: StateWaitingVendor})
		if got := f.mMailsOf(t, f.emp); len(got) != before+1 {
			t.Errorf("the reporter's mails after one state change announced three times = %q; want one more", got[before:])
		}
	})
}
