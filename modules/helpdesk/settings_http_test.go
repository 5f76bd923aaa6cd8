package helpdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// settingsValues is the IT queue's settings form as the demo has it:
// 7:30–16:00 every day, the default targets, the lead it.
func settingsValues(t *testing.T, app *kapu.App) url.Values {
	v := url.Values{"lead": {itoa(kaputest.Person(t, app, "it").ID)}}
	for d := 0; d < 7; d++ {
		v.Set(helpdesk.HoursField(d), "07:30-16:00")
	}
	for p, ts := range [][2]string{{"0:30", "4:00"}, {"1:00", "8:30"}, {"4:00", "25:30"}, {"8:30", "42:30"}} {
		v.Set(helpdesk.TargetField(p+1, "response"), ts[0])
		v.Set(helpdesk.TargetField(p+1, "resolve"), ts[1])
	}
	return v
}

// TestSettingsAccess: administrators see both queues, the IT lead goes
// straight to theirs, other staff and employees are refused.
func TestSettingsAccess(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		res, body := kaputest.SignedIn(t, app, "admin").Get("/helpdesk/settings")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `href="/helpdesk/settings/it"`) ||
			!strings.Contains(body, `href="/helpdesk/settings/maintenance"`) {
			t.Errorf("admin's settings = %d; want both queues listed", res.StatusCode)
		}
		lead := kaputest.SignedIn(t, app, "it")
		if res, _ := lead.Get("/helpdesk/settings"); res.Header.Get("Location") != "/helpdesk/settings/it" {
			t.Errorf("IT lead's settings = %d %q; want their queue", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := lead.Get("/helpdesk/settings/it"); res.StatusCode != http.StatusOK || !strings.Contains(body, `value="07:30-16:00"`) {
			t.Errorf("IT lead's queue settings = %d; want the form with the hours", res.StatusCode)
		}
		if res, _ := lead.Get("/helpdesk/settings/maintenance"); res.StatusCode != http.StatusForbidden {
			t.Errorf("IT lead on maintenance settings = %d; want 403", res.StatusCode)
		}
		for _, who := range []string{"deak.milan", "employee"} {
			if res, _ := kaputest.SignedIn(t, app, who).Get("/helpdesk/settings/it"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s on IT settings = %d; want 403", who, res.StatusCode)
			}
		}
		if res, _ := lead.Get("/helpdesk/settings/nope"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown queue's settings = %d; want 404", res.StatusCode)
		}
	})
}

// TestSettingsSave: a day's hours that do not read and a negative target
// bring the form back with the message beside each and what was typed; a
// lowered target makes a ticket in work breached at once.
func TestSettingsSave(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		monday := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) // 9:00 in Budapest
		now := monday
		app.Helpdesk.SetClock(func() time.Time { return now })
		tk := reportIT(t, app, "employee", "Nem nyomtat", "") // priority 3: first response within 4 h
		now = monday.Add(2 * time.Hour)

		admin := kaputest.SignedIn(t, app, "admin")
		admin.Get("/helpdesk/settings/it")
		bad := settingsValues(t, app)
		bad.Set("hours_1", "16:00-08:00")
		bad.Set("target_1_response", "-1:00")
		res, body := admin.Post("/helpdesk/settings/it", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad settings = %d; want 422", res.StatusCode)
		}
		if got := kaputest.FieldError(body, "hours_1"); !strings.Contains(got, "07:30-16:00") {
			t.Errorf("hours_1 message = %q; want how to write hours", got)
		}
		if !strings.Contains(body, `value="16:00-08:00"`) {
			t.Errorf("the typed hours are not kept")
		}
		res, body = admin.Post("/helpdesk/settings/it", func() url.Values { v := settingsValues(t, app); v.Set("target_1_response", "-1:00"); return v }())
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "target_1_response") != "A target cannot be negative." {
			t.Errorf("negative target = %d %q; want 422 with the message", res.StatusCode, kaputest.FieldError(body, "target_1_response"))
		}
		if got, _ := app.Helpdesk.Get(context.Background(), kaputest.Person(t, app, "it").Actor(), tk.ID); got.SLABreached {
			t.Fatalf("ticket breached before the change")
		}

		lower := settingsValues(t, app)
		lower.Set("target_3_response", "1:00")
		res, _ = admin.Post("/helpdesk/settings/it", lower)
		if body := follow(t, admin, res); !strings.Contains(body, "Settings saved") {
			t.Errorf("saved settings: the flash is missing")
		}
		got, _ := app.Helpdesk.Get(context.Background(), kaputest.Person(t, app, "it").Actor(), tk.ID)
		if !got.SLABreached || got.SLABreachAt == nil || got.SLABreachAt.After(now) {
			t.Errorf("after lowering the target: breached %v at %v; want breached", got.SLABreached, got.SLABreachAt)
		}
		q := queueOf(t, app, helpdesk.QueueIT)
		if q.Targets != "30/240,60/510,60/1530,510/2550" {
			t.Errorf("stored targets = %q", q.Targets)
		}
	})
}

// TestSettingsCategories: a category without an English name comes back on
// the form; one with both is added last, renamed and turned off, and is no
// longer offered to reporters.
func TestSettingsCategories(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		lead := kaputest.SignedIn(t, app, "it")
		lead.Get("/helpdesk/settings/it")
		res, body := lead.Post("/helpdesk/settings/it/categories", url.Values{"name_hu": {"Projektor"}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "name_en") == "" || !strings.Contains(body, `value="Projektor"`) {
			t.Errorf("no English name = %d; want 422 with the message and the Hungarian name kept", res.StatusCode)
		}
		res, _ = lead.Post("/helpdesk/settings/it/categories", url.Values{"name_hu": {"Projektor"}, "name_en": {"Projector"}})
		follow(t, lead, res)
		q := queueOf(t, app, helpdesk.QueueIT)
		all, _ := app.Helpdesk.Categories(ctx, q.ID, true)
		last := all[len(all)-1]
		if last.NameHU != "Projektor" || !last.Active {
			t.Fatalf("last category = %+v; want the new one", last)
		}
		id := itoa(last.ID)
		res, _ = lead.Post("/helpdesk/settings/it/categories/"+id, url.Values{"name_hu": {"Projektor, vászon"}, "name_en": {"Projector, screen"}})
		follow(t, lead, res)
		res, _ = lead.Post("/helpdesk/settings/it/categories/"+id+"/move", url.Values{"dir": {"up"}})
		follow(t, lead, res)
		res, _ = lead.Post("/helpdesk/settings/it/categories/"+id+"/active", url.Values{"active": {"0"}})
		follow(t, lead, res)
		all, _ = app.Helpdesk.Categories(ctx, q.ID, true)
		moved := all[len(all)-2]
		if moved.ID != last.ID || moved.NameEN != "Projector, screen" || moved.Active {
			t.Errorf("category = %+v; want renamed, one up, off", moved)
		}
		active, _ := app.Helpdesk.Categories(ctx, q.ID, false)
		for _, c := range active {
			if c.ID == last.ID {
				t.Errorf("an inactive category is offered to reporters")
			}
		}
		if res, _ := lead.Post("/helpdesk/settings/it/categories/abc/active", url.Values{"active": {"1"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("malformed category id = %d; want 404", res.StatusCode)
		}
		other := queueOf(t, app, helpdesk.QueueMaintenance)
		mc, _ := app.Helpdesk.Categories(ctx, other.ID, true)
		if res, _ := lead.Post("/helpdesk/settings/it/categories/"+itoa(mc[0].ID)+"/active", url.Values{"active": {"0"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("a maintenance category through IT's settings = %d; want 404", res.StatusCode)
		}
	})
}
