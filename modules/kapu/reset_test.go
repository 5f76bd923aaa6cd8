package kapu_test

import (
	"errors"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/people"
)

// Resetting a demo drops what was added to it and loads the demo again, on
// both databases; a database not marked as a demo is refused untouched.
func TestResetDemo(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := t.Context()
		cli := actor.Actor{Name: "kapu user create", Roles: []string{actor.Admin}, Channel: actor.ChannelCLI}
		if _, err := app.People.CreatePersonWithPassword(ctx, cli, people.PersonInput{
			Username: "hozzaadott", Name: "Hozzáadott Ember", Email: "h@example.org", Active: true, Roles: []string{"employee"},
		}, "jelszo123"); err != nil {
			t.Fatal(err)
		}
		if err := app.ResetDemo(ctx); err != nil {
			t.Fatalf("ResetDemo: %v", err)
		}
		if _, err := app.People.ByUsername(ctx, "hozzaadott"); !errors.Is(err, people.ErrNotFound) {
			t.Errorf("a person added to the demo survived the reset: %v", err)
		}
		if p := kaputest.Person(t, app, "employee"); !p.Active {
			t.Errorf("the demo employee is not back after the reset")
		}

		if err := app.DB.SetSetting(ctx, "demo", "0"); err != nil {
			t.Fatal(err)
		}
		if err := app.Migrate(ctx); err != nil { // reads the flag again
			t.Fatal(err)
		}
		if err := app.ResetDemo(ctx); !errors.Is(err, kapu.ErrNotDemo) {
			t.Errorf("resetting a database not marked as a demo = %v; want ErrNotDemo", err)
		}
		kaputest.Person(t, app, "employee")
	})
}
