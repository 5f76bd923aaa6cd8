package training_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/training"
)

// pointsForm is the decree's settings as the form posts them, with changes.
func pointsForm(changes map[string]string) url.Values {
	v := url.Values{"first_period_start": {"2014-01-01"}, "period_years": {"4"}, "graduate": {"128"}, "secondary": {"64"},
		"min_yearly_share": {"15"}, "by_third_year_share": {"75"}, "internal_cap_share": {"25"}, "amber_days": {"90"}}
	for k, x := range changes {
		v.Set(k, x)
	}
	return v
}

// HR changes the study-points rules and every figure follows: a person's
// requirement in the period is the new one. Settings that make no sense
// come back by their field as typed, and nothing is stored; nobody but HR
// may open the form.
func TestPointsRulesAreSettings(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := t.Context()
		emp := kaputest.Person(t, app, "employee")
		before, err := app.Training.PointsOf(ctx, emp.ID, kaputest.Today(t, app))
		if err != nil || before.Required != 128 {
			t.Fatalf("the employee owes %d points (%v); want the decree's 128", before.Required, err)
		}
		hr := kaputest.SignedIn(t, app, "hr")
		if res, body := hr.Get("/training/admin/points"); res.StatusCode != http.StatusOK || !strings.Contains(body, `value="128"`) {
			t.Fatalf("the rules form = %d, without the decree's 128", res.StatusCode)
		}
		for _, bad := range []struct {
			field, value string
		}{
			{"period_years", "0"},
			{"graduate", "sok"},
			{"first_period_start", "2016-02-29"},
			{"min_yearly_share", "30"},
		} {
			res, body := hr.Post("/training/admin/points", pointsForm(map[string]string{bad.field: bad.value}))
			if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, bad.field) == "" || !strings.Contains(body, `value="`+bad.value+`"`) {
				t.Errorf("%s = %q: %d, message %q; want 422 by the field with the value kept", bad.field, bad.value, res.StatusCode, kaputest.FieldError(body, bad.field))
			}
		}
		if after, _ := app.Training.PointsOf(ctx, emp.ID, kaputest.Today(t, app)); after.Required != 128 {
			t.Errorf("a refused form changed the requirement to %d", after.Required)
		}
		if res, _ := hr.Post("/training/admin/points", pointsForm(map[string]string{"graduate": "100", "internal_cap_share": "20"})); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the rules = %d; want 303", res.StatusCode)
		}
		after, err := app.Training.PointsOf(ctx, emp.ID, kaputest.Today(t, app))
		if err != nil || after.Required != 100 || after.InternalCap != 20 {
			t.Errorf("after saving, the employee owes %d with an internal cap of %d (%v); want 100 and 20", after.Required, after.InternalCap, err)
		}
		var audited int64
		app.DB.W.Table("audit_log").Where("action = ?", "training.points_rules.save").Count(&audited)
		if audited != 1 {
			t.Errorf("%d audit rows of the change; want 1", audited)
		}
		for _, who := range []string{"employee", "manager", "admin"} {
			c := kaputest.SignedIn(t, app, who)
			if res, _ := c.Get("/training/admin/points"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens the rules form: %d; want 403", who, res.StatusCode)
			}
			if res, _ := c.Post("/training/admin/points", pointsForm(map[string]string{"graduate": "1"})); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s saves the rules: %d; want 403", who, res.StatusCode)
			}
		}
		if r, _ := app.Training.Rules(ctx); r.Required[training.Graduate] != 100 {
			t.Errorf("someone else's post changed the rules to %d", r.Required[training.Graduate])
		}
	})
}
