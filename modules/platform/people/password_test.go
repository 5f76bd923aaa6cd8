package people

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/web"
)

// mailEnv is the people service with what Kapu wires into it: an outbox for
// set-password links and the session store whose rows a new password ends.
type mailEnv struct {
	s     *Service
	d     *db.DB
	store *web.Storage
	now   time.Time
}

func newMailEnv(t *testing.T, d *db.DB) *mailEnv {
	t.Helper()
	s := newService(t, d)
	models := append([]any{&PasswordLink{}, &web.StoredValue{}}, notify.Models()...)
	if err := d.Migrate(context.Background(), models, nil); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40),
		"KAPU_LANG": "en", "KAPU_BASE_URL": "https://kapu.example.org"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	o, err := notify.New(d, cat, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e := &mailEnv{s: s, d: d, store: web.NewStorage(d), now: time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)}
	s.now = func() time.Time { return e.now }
	s.UseOutbox(o, cfg.BaseURL)
	s.UseSessions(e.store.EndSessionsOf)
	return e
}

// signIn stores a session row of person id, as a sign-in leaves it.
func (e *mailEnv) signIn(t *testing.T, sessionID string, id uint) {
	t.Helper()
	if err := e.d.W.Create(&web.StoredValue{ID: sessionID, Value: []byte("session"), UserID: &id}).Error; err != nil {
		t.Fatal(err)
	}
}

// signedIn reports whether the session still exists.
func (e *mailEnv) signedIn(t *testing.T, sessionID string) bool {
	t.Helper()
	v, err := e.store.Get(sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return v != nil
}

var linkTokenRe = regexp.MustCompile(`https://kapu\.example\.org/password/set/([A-Za-z0-9_-]{40,})`)

// lastLink returns the token of the newest set-password mail to email.
func (e *mailEnv) lastLink(t *testing.T, email string) (string, notify.Mail) {
	t.Helper()
	var m notify.Mail
	if err := e.d.R.Where("to_addr = ?", email).Order("id DESC").Limit(1).Find(&m).Error; err != nil || m.ID == 0 {
		t.Fatalf("no mail to %s (%v)", email, err)
	}
	found := linkTokenRe.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("mail %q to %s has no absolute set-password link:\n%s", m.Subject, email, m.Text)
	}
	return found[1], m
}

// auditCount counts the audit rows of one action on person id.
func (e *mailEnv) auditCount(t *testing.T, action string, id uint) int64 {
	t.Helper()
	var n int64
	e.d.R.Model(&audit.Entry{}).Where("action = ? AND entity = ? AND entity_id = ?", action, "person", fmt.Sprint(id)).Count(&n)
	return n
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want string // "" for allowed
	}{
		{"short", "people.error.password_short"},
		{"12345678", ""},
		{strings.Repeat("a", 72), ""},
		{strings.Repeat("a", 73), "people.error.password_long"},
		{strings.Repeat("é", 36), ""},                           // 72 bytes
		{strings.Repeat("é", 37), "people.error.password_long"}, // 74 bytes, 37 characters
		{"éééééééé", ""},                                        // 8 characters, though 16 bytes
	}
	for _, tt := range tests {
		got := ""
		var fe *FieldError
		if err := checkPassword("password", tt.pw); errors.As(err, &fe) {
			got = fe.Key
		}
		if got != tt.want {
			t.Errorf("checkPassword(%d bytes) = %q; want %q", len(tt.pw), got, tt.want)
		}
	}
}

// A password over bcrypt's 72 bytes is a field message on every way a
// password is chosen, never a server error, and nothing changes.
func TestPasswordTooLong(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newMailEnv(t, d)
		p := mustPerson(t, e.s, "clerk", nil)
		me := p.Actor()
		if err := e.s.SetPassword(ctx, actor.Actor{Name: "kapu user passwd", Channel: actor.ChannelCLI}, p.ID, "first password"); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("x", 73)
		cli := actor.Actor{Name: "kapu user passwd", Channel: actor.ChannelCLI, Roles: []string{actor.Admin}}
		if _, err := e.s.SendPasswordLink(ctx, admin, p.ID); err != nil {
			t.Fatal(err)
		}
		token, _ := e.lastLink(t, p.Email)

		_, linkErr := e.s.SetPasswordByLink(ctx, token, long, long, "10.0.0.1")
		_, createErr := e.s.CreatePersonWithPassword(ctx, cli, PersonInput{Username: "new.one", Name: "N", Email: "n@example.org", Active: true}, long)
		cases := []struct {
			way   string
			err   error
			field string
		}{
			{"profile", e.s.ChangePassword(ctx, me, "first password", long, long, ""), "new"},
			{"kapu user passwd", e.s.SetPassword(ctx, cli, p.ID, long), "password"},
			{"kapu user create", createErr, "password"},
			{"set-password link", linkErr, "password"},
		}
		for _, c := range cases {
			var fe *FieldError
			if !errors.As(c.err, &fe) || fe.Key != "people.error.password_long" || fe.Field != c.field {
				t.Errorf("%s with a 73-byte password: %v; want %s: people.error.password_long", c.way, c.err, c.field)
			}
		}
		if _, err := e.s.Authenticate(ctx, "clerk", "first password"); err != nil {
			t.Errorf("sign-in with the old password after refused changes: %v; want it to work", err)
		}
		if v, _ := e.s.PasswordLink(ctx, token); v.State != LinkValid {
			t.Errorf("link after a refused password = %s; want still valid", v.State)
		}
		if _, err := e.s.ByUsername(ctx, "new.one"); !errors.Is(err, ErrNotFound) {
			t.Errorf("kapu user create with a refused password created the person: %v", err)
		}
	})
}

// Who may change roles, the active flag and sign-in details holds for the
// form (UpdatePerson), the button (SetActive), the import and the link button.
func TestStandingRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newMailEnv(t, d)
		s := e.s
		boss := mustPerson(t, s, "boss", nil, actor.Admin)
		hr := mustPerson(t, s, "hr.person", nil, actor.HR).Actor()
		clerk := mustPerson(t, s, "clerk", nil)
		e.signIn(t, "boss-session", boss.ID)

		bossAs := func(edit func(in *PersonInput)) PersonInput {
			in := PersonInput{Username: "boss", Name: "boss", Email: "boss@example.org", Active: true, Roles: []string{actor.Employee, actor.Admin}}
			edit(&in)
			return in
		}
		_, deactivate := s.UpdatePerson(ctx, hr, boss.ID, bossAs(func(in *PersonInput) { in.Active = false }))
		_, addRole := s.UpdatePerson(ctx, hr, boss.ID, bossAs(func(in *PersonInput) { in.Roles = append(in.Roles, actor.Manager) }))
		_, email := s.UpdatePerson(ctx, hr, boss.ID, bossAs(func(in *PersonInput) { in.Email = "hr.mailbox@example.org" }))
		_, grant := s.UpdatePerson(ctx, hr, clerk.ID, PersonInput{Username: "clerk", Name: "clerk", Email: "clerk@example.org", Active: true, Roles: []string{actor.Admin}})
		_, link := s.SendPasswordLink(ctx, hr, boss.ID)
		importRep, importErr := s.Import(ctx, hr, strings.NewReader("username,name,email,roles,active\nboss,boss,boss@example.org,employee admin,no\n"))
		_, importRoles := s.Import(ctx, hr, strings.NewReader("username,name,email,roles,active\nboss,boss,boss@example.org,employee manager admin,yes\n"))
		_, selfOff := s.UpdatePerson(ctx, boss.Actor(), boss.ID, bossAs(func(in *PersonInput) { in.Active = false }))

		cases := []struct {
			name string
			err  error
			key  string
		}{
			{"HR deactivating an admin through the form", deactivate, "people.error.admin_target"},
			{"HR giving an admin another role", addRole, "people.error.admin_target"},
			{"HR changing an admin's email", email, "people.error.admin_target"},
			{"HR granting admin", grant, "people.error.admin_only"},
			{"HR sending an admin a set-password link", link, "people.error.admin_link"},
			{"an admin deactivating themselves", selfOff, "people.error.own_active"},
		}
		for _, c := range cases {
			var fe *FieldError
			if !errors.As(c.err, &fe) || fe.Key != c.key {
				t.Errorf("%s: %v; want %s", c.name, c.err, c.key)
			}
		}
		for _, c := range []struct {
			name string
			err  error
		}{{"deactivating an admin", importErr}, {"changing an admin's roles", importRoles}} {
			if !errors.Is(c.err, ErrImportRejected) {
				t.Errorf("HR importing a file %s: %v; want it rejected", c.name, c.err)
			}
		}
		if len(importRep.Problems) != 1 || importRep.Problems[0].Key != "people.error.admin_target" || importRep.Problems[0].Row != 2 {
			t.Errorf("import problems = %+v; want row 2: people.error.admin_target", importRep.Problems)
		}
		got, _ := s.Person(ctx, boss.ID)
		if !got.Active || got.Email != "boss@example.org" || strings.Join(got.RoleNames(), " ") != "employee admin" {
			t.Errorf("admin after HR's refused changes: active %v, %s, roles %v; want unchanged", got.Active, got.Email, got.RoleNames())
		}
		if !e.signedIn(t, "boss-session") {
			t.Errorf("a refused deactivation ended the admin's session")
		}

		// An administrator may do what HR may not; deactivating ends the
		// person's sessions and voids their links.
		if err := s.SetActive(ctx, admin, boss.ID, false); err != nil {
			t.Errorf("admin deactivating another admin: %v; want allowed", err)
		}
		if e.signedIn(t, "boss-session") {
			t.Errorf("the deactivated admin is still signed in")
		}
		e.signIn(t, "clerk-session", clerk.ID)
		token, _ := e.lastLink(t, clerk.Email)
		if _, err := s.Import(ctx, admin, strings.NewReader("username,name,email,active\nclerk,clerk,clerk@example.org,no\n")); err != nil {
			t.Fatalf("admin deactivating a clerk by import: %v", err)
		}
		if e.signedIn(t, "clerk-session") {
			t.Errorf("a person deactivated by import is still signed in")
		}
		if v, _ := s.PasswordLink(ctx, token); v.State != LinkVoid {
			t.Errorf("link of a deactivated person = %s; want void", v.State)
		}
	})
}

// HR and administrators help people in with a mailed link, never by choosing
// their password; the link is single-use, expires and a new one voids it.
func TestPasswordLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newMailEnv(t, d)
		s := e.s
		hr := mustPerson(t, s, "hr.person", nil, actor.HR).Actor()

		// A new person HR creates gets a link in their own language.
		p, err := s.CreatePerson(ctx, hr, PersonInput{Username: "uj.anna", Name: "Új Anna", Email: "anna@example.org", Active: true, Roles: []string{actor.Employee}})
		if err != nil {
			t.Fatal(err)
		}
		first, m := e.lastLink(t, p.Email)
		if m.Subject != "Choose your Kapu password" || !strings.Contains(m.Text, "72 hours") {
			t.Errorf("new person's mail = %q; want the English first-password mail naming 72 hours", m.Subject)
		}
		d.W.Model(&Person{}).Where("id = ?", p.ID).Update("lang", "hu")
		sent, err := s.SendPasswordLink(ctx, hr, p.ID)
		if err != nil || sent.ID != p.ID {
			t.Fatalf("HR sending a link: %v", err)
		}
		token, m := e.lastLink(t, p.Email)
		if m.Lang != "hu" || m.Subject != "Válassza meg Kapu-jelszavát" {
			t.Errorf("mail to a Hungarian reader = %s %q; want Hungarian", m.Lang, m.Subject)
		}
		var links []PasswordLink
		d.R.Where("person_id = ?", p.ID).Order("id").Find(&links)
		if len(links) != 2 || links[1].Hash != linktoken.Hash(token) || links[1].Hash == token || len(token) < 22 {
			t.Errorf("stored links = %+v; want two, the newest holding only the hash of a long token", links)
		}
		if !links[1].ExpiresAt.Equal(e.now.Add(72 * time.Hour)) {
			t.Errorf("link expires %v; want 72 hours after it was sent", links[1].ExpiresAt)
		}
		if v, _ := s.PasswordLink(ctx, first); v.State != LinkVoid {
			t.Errorf("the older link after a new one = %s; want void", v.State)
		}
		if n := e.auditCount(t, "people.person.password_link", p.ID); n != 2 {
			t.Errorf("audit rows for sent links = %d; want 2", n)
		}

		// Looking at the link changes nothing.
		for i := 0; i < 2; i++ {
			if v, err := s.PasswordLink(ctx, token); err != nil || v.State != LinkValid || v.Person.ID != p.ID {
				t.Fatalf("PasswordLink = %+v, %v; want valid for uj.anna", v, err)
			}
		}
		var fe *FieldError
		if _, err := s.SetPasswordByLink(ctx, token, "anna jelszava", "mas jelszo", ""); !errors.As(err, &fe) || fe.Field != "confirm" {
			t.Errorf("different confirmation: %v; want a confirm error", err)
		}

		e.signIn(t, "anna-phone", p.ID)
		v, err := s.SetPasswordByLink(ctx, token, "anna jelszava", "anna jelszava", "10.0.0.7")
		if err != nil || v.Person.ID != p.ID {
			t.Fatalf("SetPasswordByLink = %v; want the password set", err)
		}
		if _, err := s.Authenticate(ctx, "uj.anna", "anna jelszava"); err != nil {
			t.Errorf("sign-in with the chosen password: %v", err)
		}
		if e.signedIn(t, "anna-phone") {
			t.Errorf("a session from before the new password still works")
		}
		if n := e.auditCount(t, "people.person.password_link_used", p.ID); n != 1 {
			t.Errorf("audit rows for used links = %d; want 1", n)
		}
		v, err = s.SetPasswordByLink(ctx, token, "someone else", "someone else", "")
		if !errors.Is(err, ErrLinkNotValid) || v.State != LinkUsed {
			t.Errorf("second use = %v, %v; want ErrLinkNotValid, used", v, err)
		}
		if _, err := s.Authenticate(ctx, "uj.anna", "someone else"); err == nil {
			t.Errorf("the second use of a link set the password")
		}
		if v, _ := s.PasswordLink(ctx, "no-such-token"); v.State != LinkUnknown {
			t.Errorf("unknown token = %s; want unknown", v.State)
		}

		// A link older than 72 hours sets nothing.
		s.SendPasswordLink(ctx, hr, p.ID)
		late, _ := e.lastLink(t, p.Email)
		e.now = e.now.Add(72*time.Hour + time.Second)
		if v, _ := s.PasswordLink(ctx, late); v.State != LinkExpired {
			t.Errorf("link after 72 hours = %s; want expired", v.State)
		}
		if _, err := s.SetPasswordByLink(ctx, late, "too late pw", "too late pw", ""); !errors.Is(err, ErrLinkNotValid) {
			t.Errorf("expired link: %v; want ErrLinkNotValid", err)
		}
		if _, err := s.Authenticate(ctx, "uj.anna", "anna jelszava"); err != nil {
			t.Errorf("an expired link changed the password: %v", err)
		}

		// People a file creates get links too; the report counts them.
		rep, err := s.Import(ctx, hr, strings.NewReader("username,name,email,active\nuj.bela,Új Béla,bela@example.org,yes\nuj.cili,Új Cili,cili@example.org,no\n"))
		if err != nil || rep.Created != 2 || rep.Links != 1 {
			t.Errorf("import = %+v, %v; want 2 created, 1 link (the inactive person gets none)", rep, err)
		}
		e.lastLink(t, "bela@example.org")
		var toCili int64
		d.R.Model(&notify.Mail{}).Where("to_addr = ?", "cili@example.org").Count(&toCili)
		if toCili != 0 {
			t.Errorf("an inactive imported person got %d mails; want none", toCili)
		}
	})
}

// A new password ends the person's other sessions: all of them from the CLI
// and a link, all but the current one from the profile.
func TestPasswordChangeEndsSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newMailEnv(t, d)
		p := mustPerson(t, e.s, "clerk", nil)
		other := mustPerson(t, e.s, "other", nil)
		cli := actor.Actor{Name: "kapu user passwd", Channel: actor.ChannelCLI}
		if err := e.s.SetPassword(ctx, cli, p.ID, "first password"); err != nil {
			t.Fatal(err)
		}
		e.signIn(t, "here", p.ID)
		e.signIn(t, "laptop", p.ID)
		e.signIn(t, "other-desk", other.ID)
		if err := e.s.ChangePassword(ctx, p.Actor(), "first password", "second password", "second password", "here"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			session string
			want    bool
		}{{"here", true}, {"laptop", false}, {"other-desk", true}} {
			if got := e.signedIn(t, c.session); got != c.want {
				t.Errorf("after a profile change, session %s signed in = %v; want %v", c.session, got, c.want)
			}
		}
		if err := e.s.SetPassword(ctx, cli, p.ID, "third password"); err != nil {
			t.Fatal(err)
		}
		if e.signedIn(t, "here") || !e.signedIn(t, "other-desk") {
			t.Errorf("after kapu user passwd: own session %v, someone else's %v; want false, true", e.signedIn(t, "here"), e.signedIn(t, "other-desk"))
		}
		// Only the CLI sets a password without the person.
		if err := e.s.SetPassword(ctx, admin, p.ID, "admin chose"); !errors.Is(err, ErrForbidden) {
			t.Errorf("an administrator setting someone's password: %v; want forbidden", err)
		}
	})
}
