package kapu_test

import (
	"errors"
	"strings"
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
		if err := app.DB.SetSetting(ctx, "probe", "tried out"); err != nil {
			t.Fatal(err)
		}
		if err := app.ResetDemo(ctx); err != nil {
			t.Fatalf("ResetDemo: %v", err)
		}
		if v, _ := app.DB.GetSetting(ctx, "probe"); v != "" {
			t.Errorf("what was done in the demo survived the reset: %q", v)
		}
		if p := kaputest.Person(t, app, "employee"); !p.Active {
			t.Errorf("the demo employee is not back after the reset")
		}

		// A real person added to the demo makes it a city hall: no reset.
		cli := actor.Actor{Name: "kapu user create", Roles: []string{actor.Admin}, Channel: actor.ChannelCLI}
		if _, err := app.People.CreatePersonWithPassword(ctx, cli, people.PersonInput{
			Username: "valodi", Name: "Valódi Ember", Email: "v@example.org", Active: true, Roles: []string{"employee"},
		}, "jelszo123"); err != nil {
			t.Fatal(err)
		}
		if err := app.ResetDemo(ctx); !errors.Is(err, kapu.ErrNotDemo) {
			t.Errorf("resetting a demo with a real person in it = %v; want ErrNotDemo", err)
		}
		kaputest.Person(t, app, "valodi")
	})
}

// A database not marked as a demo, or one holding another program's
// tables, is refused untouched.
func TestResetRefusesWhatIsNotTheDemo(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := t.Context()
		if err := app.DB.W.Exec("CREATE TABLE other_program (id integer)").Error; err != nil {
			t.Fatal(err)
		}
		if err := app.ResetDemo(ctx); !errors.Is(err, kapu.ErrNotDemo) || !strings.Contains(err.Error(), "other_program") {
			t.Errorf("resetting beside another program's table = %v; want ErrNotDemo naming it", err)
		}
		if !app.DB.W.Migrator().HasTable("other_program") {
			t.Errorf("the other program's table is gone")
		}
		if err := app.DB.W.Exec("DROP TABLE other_program").Error; err != nil {
			t.Fatal(err)
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
