package people_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// personFormOf is the person form of p as the edit page fills it in.
func personFormOf(p *people.Person) url.Values {
	return url.Values{
		"username": {p.Username}, "name": {p.Name}, "email": {p.Email},
		"job_title": {p.JobTitle}, "roles": p.RoleNames(), "active": {"on"},
	}
}

// HR cannot choose anyone's password through the person form, and cannot
// deactivate or de-role an administrator there or through the import.
func TestHRCannotTakeOverAdmin(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		boss := kaputest.Person(t, app, "admin")
		hr := kaputest.SignedIn(t, app, "hr")
		edit := fmt.Sprintf("/admin/people/%d", boss.ID)

		hr.Get(edit)
		form := personFormOf(boss)
		form.Set("job_title", "rendszergazda (HR)")
		form.Set("password", "hr chose this")
		if res, body := hr.Post(edit, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HR saving the admin's details = %d; want 303\n%s", res.StatusCode, body)
		}
		if got := kaputest.Person(t, app, "admin"); got.PasswordHash != boss.PasswordHash || got.JobTitle != "rendszergazda (HR)" {
			t.Errorf("HR's form with a password field: hash changed %v, job title %q; want the hash kept and the title saved",
				got.PasswordHash != boss.PasswordHash, got.JobTitle)
		}
		c := kaputest.NewClient(t, app)
		c.Get("/login")
		if res, _ := c.Post("/login", url.Values{"username": {"admin"}, "password": {"hr chose this"}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("signing in as the admin with the password HR posted = %d; want 401", res.StatusCode)
		}
		if _, body := hr.Get(edit); strings.Contains(body, `name="password"`) {
			t.Errorf("the person form still has a password field")
		}

		hr.Get(edit)
		form = personFormOf(boss)
		form.Del("active")
		res, body := hr.Post(edit, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Only administrators can change an administrator") {
			t.Errorf("HR deactivating the admin through the form = %d; want 422 with an explanation", res.StatusCode)
		}
		form = personFormOf(boss)
		form["roles"] = []string{"employee", "admin", "manager"}
		if res, _ := hr.Post(edit, form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("HR giving the admin another role = %d; want 422", res.StatusCode)
		}

		hr.Get("/admin/people/import")
		csv := "username,name,email,roles,active\n" +
			fmt.Sprintf("admin,%s,%s,%s,no\n", boss.Name, boss.Email, strings.Join(boss.RoleNames(), " "))
		res, body = uploadCSV(hr, csv)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Only administrators can change an administrator") {
			t.Errorf("HR deactivating the admin by import = %d; want 422 with an explanation", res.StatusCode)
		}
		if got := kaputest.Person(t, app, "admin"); !got.Active || strings.Join(got.RoleNames(), " ") != strings.Join(boss.RoleNames(), " ") {
			t.Errorf("admin after HR's attempts: active %v, roles %v; want active with roles %v", got.Active, got.RoleNames(), boss.RoleNames())
		}
		kaputest.SignedIn(t, app, "admin") // still signs in with the demo password

		// HR is not offered, and cannot use, a link for an administrator.
		if _, body := hr.Get(edit); strings.Contains(body, "/password-link") {
			t.Errorf("HR is offered a set-password link for an administrator")
		}
		hr.Get(edit)
		hr.Post(edit+"/password-link", nil)
		if _, body := hr.Get(edit); !strings.Contains(body, "Only administrators can send an administrator") {
			t.Errorf("HR sending the admin a link does not explain the refusal")
		}
		if n := len(kaputest.MailsTo(t, app, "admin")); n != 0 {
			t.Errorf("mails to the admin after HR's attempts = %d; want 0", n)
		}
	})
}

var setLinkRe = regexp.MustCompile(`(https?://[^\s/]+)(/password/set/[A-Za-z0-9_-]{40,})`)

// setLink returns the path of the set-password link in the newest mail to username.
func setLink(t *testing.T, app *kapu.App, username string) string {
	t.Helper()
	mails := kaputest.MailsTo(t, app, username)
	if len(mails) == 0 {
		t.Fatalf("no mail to %s", username)
	}
	m := mails[len(mails)-1]
	found := setLinkRe.FindStringSubmatch(m.Text)
	if found == nil || found[1] != app.Cfg.BaseURL {
		t.Fatalf("mail %q to %s has no set-password link under %s:\n%s", m.Subject, username, app.Cfg.BaseURL, m.Text)
	}
	return found[2]
}

// linkSnapshot is what opening a set-password link must not change.
func linkSnapshot(app *kapu.App, id uint) string {
	var links []people.PasswordLink
	var audits, mails int64
	var hash []string
	app.DB.R.Order("id").Find(&links)
	app.DB.R.Model(&audit.Entry{}).Count(&audits)
	app.DB.R.Model(&notify.Mail{}).Count(&mails)
	app.DB.R.Model(&people.Person{}).Where("id = ?", id).Pluck("password_hash", &hash)
	var b strings.Builder
	for _, l := range links {
		fmt.Fprintf(&b, "link %d %v %v|", l.ID, l.UsedAt, l.VoidedAt)
	}
	fmt.Fprintf(&b, "audits %d mails %d hash %v", audits, mails, hash)
	return b.String()
}

func TestPasswordLinkPages(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.Person(t, app, "employee")
		hr := kaputest.SignedIn(t, app, "hr")
		signedIn := kaputest.SignedIn(t, app, "employee")
		edit := fmt.Sprintf("/admin/people/%d", emp.ID)

		hr.Get(edit)
		res, _ := hr.Post(edit+"/password-link", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HR sending a link = %d; want 303", res.StatusCode)
		}
		if _, body := hr.Get(edit); !strings.Contains(body, "A set-password link was mailed to "+emp.Email) {
			t.Errorf("the person's page does not confirm the mailed link")
		}
		link := setLink(t, app, "employee")

		// Opening the link (as a mail scanner would, twice, and with HEAD) changes nothing.
		before := linkSnapshot(app, emp.ID)
		visitor := kaputest.NewClient(t, app)
		visitor.Get(link)
		req, _ := http.NewRequest(http.MethodHead, "http://kapu.test"+link, nil)
		visitor.Do(req)
		res, body := visitor.Get(link)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Choose your password") || !strings.Contains(body, `name="_csrf"`) {
			t.Errorf("GET link = %d; want 200 with the form and its CSRF token", res.StatusCode)
		}
		if after := linkSnapshot(app, emp.ID); after != before {
			t.Errorf("opening the link changed something:\n%s\n%s", before, after)
		}

		// The form without the page's CSRF token is refused.
		bare := kaputest.NewClient(t, app)
		if res, _ := bare.Post(link, url.Values{"password": {"anna jelszava"}, "confirm": {"anna jelszava"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST without a CSRF token = %d; want 403", res.StatusCode)
		}

		long := strings.Repeat("é", 37) // 74 bytes
		res, body = visitor.Post(link, url.Values{"password": {long}, "confirm": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The password is too long") {
			t.Errorf("a 74-byte password on the link form = %d; want 422 saying it is too long", res.StatusCode)
		}
		res, body = visitor.Post(link, url.Values{"password": {"my own password"}, "confirm": {"my own password"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password is set") || !strings.Contains(body, `href="/login"`) {
			t.Errorf("setting the password = %d; want 200 with a way to sign in\n%s", res.StatusCode, body)
		}
		if res, _ := signedIn.Get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a session from before the new password = %d; want 303 to sign in", res.StatusCode)
		}
		kaputest.NewClient(t, app).Login("employee", "my own password")

		res, body = visitor.Post(link, url.Values{"password": {"another one!"}, "confirm": {"another one!"}})
		if res.StatusCode != http.StatusGone || !strings.Contains(body, "This link was already used") {
			t.Errorf("second use = %d; want 410 saying the link was used", res.StatusCode)
		}
		if res, body := kaputest.NewClient(t, app).Get(link); res.StatusCode != http.StatusGone || !strings.Contains(body, "already used") || !strings.Contains(body, `href="/login"`) {
			t.Errorf("GET of a used link = %d; want 410 explaining, with a link to sign in", res.StatusCode)
		}
		if res, _ := kaputest.NewClient(t, app).Get("/password/set/no-such-link"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET of an unknown link = %d; want 404", res.StatusCode)
		}

		// An expired link sets nothing.
		hr.Get(edit)
		hr.Post(edit+"/password-link", nil)
		late := setLink(t, app, "employee")
		app.DB.W.Model(&people.PasswordLink{}).Where("used_at IS NULL AND voided_at IS NULL").
			Update("expires_at", time.Now().Add(-time.Minute))
		v := kaputest.NewClient(t, app)
		if res, body := v.Get(late); res.StatusCode != http.StatusGone || !strings.Contains(body, "This link has expired") {
			t.Errorf("GET of an expired link = %d; want 410 saying it expired", res.StatusCode)
		}
		v.Get("/login") // a page with a form, for the session's CSRF token
		if res, _ := v.Post(late, url.Values{"password": {"too late pw"}, "confirm": {"too late pw"}}); res.StatusCode != http.StatusGone {
			t.Errorf("POST on an expired link = %d; want 410", res.StatusCode)
		}
		kaputest.NewClient(t, app).Login("employee", "my own password")

		// A person HR creates gets a link at once, in the flash and the outbox.
		hr.Get("/admin/people/new")
		res, _ = hr.Post("/admin/people", url.Values{"name": {"Új Anna"}, "username": {"uj.anna"}, "email": {"uj.anna@example.org"}, "roles": {"employee"}, "active": {"on"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HR creating a person = %d; want 303", res.StatusCode)
		}
		if _, body := hr.Get(res.Header.Get("Location")); !strings.Contains(body, "A set-password link was mailed to uj.anna@example.org") {
			t.Errorf("creating a person does not say a link was mailed")
		}
		setLink(t, app, "uj.anna")
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		here := kaputest.SignedIn(t, app, "employee")
		laptop := kaputest.SignedIn(t, app, "employee")
		colleague := kaputest.SignedIn(t, app, "manager")

		here.Get("/profile")
		long := strings.Repeat("x", 73)
		res, body := here.Post("/profile/password", url.Values{"current": {"demo"}, "new": {long}, "confirm": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The password is too long") {
			t.Errorf("a 73-byte new password on the profile = %d; want 422 saying it is too long", res.StatusCode)
		}
		if res, _ := laptop.Get("/"); res.StatusCode != http.StatusOK {
			t.Errorf("a refused change ended another session: %d", res.StatusCode)
		}

		here.Get("/profile")
		if res, _ := here.Post("/profile/password", url.Values{"current": {"demo"}, "new": {"a new password"}, "confirm": {"a new password"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("password change = %d; want 303", res.StatusCode)
		}
		for _, c := range []struct {
			name   string
			client *kaputest.Client
			want   int
		}{
			{"the session that changed it", here, http.StatusOK},
			{"another session of the person", laptop, http.StatusSeeOther},
			{"a colleague's session", colleague, http.StatusOK},
		} {
			if res, _ := c.client.Get("/"); res.StatusCode != c.want {
				t.Errorf("after a password change, %s: GET / = %d; want %d", c.name, res.StatusCode, c.want)
			}
		}
	})
}

// A password an administrator set on the server is a first password: the
// person may open only the profile until they choose their own, which may not
// be the one they were given.
func TestAdminSetPasswordIsChosenAgain(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := kaputest.Person(t, app, "employee")
		cli := actor.Actor{Name: "kapu user passwd", Channel: actor.ChannelCLI}
		if err := app.People.SetPassword(t.Context(), cli, p.ID, "given by the admin"); err != nil {
			t.Fatal(err)
		}
		c := kaputest.NewClient(t, app)
		c.Get("/login")
		if res, _ := c.Post("/login", url.Values{"username": {"employee"}, "password": {"given by the admin"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("signing in with the given password = %d; want 303", res.StatusCode)
		}
		for _, path := range []string{"/", "/leave", "/bookings/mine"} {
			res, _ := c.Get(path)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/profile" {
				t.Errorf("GET %s before choosing a password = %d to %q; want 303 to /profile", path, res.StatusCode, res.Header.Get("Location"))
			}
		}
		c.Get("/profile")
		deputy := kaputest.Person(t, app, "manager")
		if res, _ := c.Post("/profile/deputy", url.Values{"deputy": {fmt.Sprint(deputy.ID)}, "until": {"2030-01-01"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/profile" {
			t.Errorf("POST /profile/deputy before choosing a password = %d to %q; want 303 to /profile", res.StatusCode, res.Header.Get("Location"))
		}
		if got := kaputest.Person(t, app, "employee"); !got.DeputyUntil.IsZero() {
			t.Errorf("a person on a temporary password let a deputy act until %v", got.DeputyUntil)
		}
		_, body := c.Get("/profile")
		if !strings.Contains(body, "An administrator set your password") || strings.Contains(body, `action="/profile/deputy"`) {
			t.Errorf("the profile should ask for a password of one's own and show nothing else")
		}
		same := url.Values{"current": {"given by the admin"}, "new": {"given by the admin"}, "confirm": {"given by the admin"}}
		if res, body := c.Post("/profile/password", same); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not the one you were given") {
			t.Errorf("keeping the given password = %d; want 422 asking for another", res.StatusCode)
		}
		own := url.Values{"current": {"given by the admin"}, "new": {"my very own"}, "confirm": {"my very own"}}
		if res, _ := c.Post("/profile/password", own); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("choosing one's own password = %d to %q; want 303 to /", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := c.Get("/leave"); res.StatusCode != http.StatusOK {
			t.Errorf("GET /leave after choosing a password = %d; want 200", res.StatusCode)
		}
		if got := kaputest.Person(t, app, "employee"); got.PasswordTemporary {
			t.Errorf("the password is still marked as someone else's")
		}
	})
}
