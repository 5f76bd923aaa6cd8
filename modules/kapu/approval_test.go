package kapu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// testClaim is the subject of a kind registered only in tests: an expense claim.
type testClaim struct {
	ID     uint
	Title  string
	Amount int
	State  string
}

// registerClaims adds the "claim" kind, whose callbacks set the claim's state in
// the deciding transaction.
func registerClaims(t *testing.T, app *App) {
	t.Helper()
	if err := app.DB.W.AutoMigrate(&testClaim{}); err != nil {
		t.Fatal(err)
	}
	app.Approval.Register(approval.Kind{
		Name: "claim",
		Summary: func(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
			var c testClaim
			if err := tx.First(&c, req.SubjectID).Error; err != nil {
				return approval.Summary{}, err
			}
			return approval.Summary{Title: "Expense claim: " + c.Title, Lines: []approval.Line{{Label: "Amount", Value: fmt.Sprintf("%d Ft", c.Amount)}}}, nil
		},
		OnApprove: func(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
			return tx.Model(&testClaim{}).Where("id = ?", req.SubjectID).Update("state", "approved").Error
		},
		OnReject: func(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
			return tx.Model(&testClaim{}).Where("id = ?", req.SubjectID).Update("state", "rejected: "+reason).Error
		},
	})
}

// submitClaim files a claim by the requester for the approvers, in one transaction.
func submitClaim(t *testing.T, app *App, requester string, title string, approvers ...string) (*approval.Request, uint) {
	t.Helper()
	ctx := context.Background()
	r := person(t, app, requester)
	var ids []uint
	for _, a := range approvers {
		ids = append(ids, person(t, app, a).ID)
	}
	var req *approval.Request
	c := testClaim{Title: title, Amount: 12500, State: "pending"}
	err := app.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		var err error
		req, err = app.Approval.Submit(ctx, tx, "claim", fmt.Sprint(c.ID), r.Actor(), ids)
		return err
	})
	if err != nil {
		t.Fatalf("submit claim: %v", err)
	}
	return req, c.ID
}

func person(t testing.TB, app *App, username string) *people.Person {
	t.Helper()
	p, err := app.People.ByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("person %s: %v", username, err)
	}
	return p
}

// mailsTo returns the queued mails of one address, oldest first.
func mailsTo(t *testing.T, app *App, username string) []notify.Mail {
	t.Helper()
	// What the delivery job would do first: write the rows queued with Later.
	if _, err := app.Outbox.ComposeDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []notify.Mail
	app.DB.R.Where("to_addr = ?", person(t, app, username).Email).Order("id").Find(&out)
	return out
}

var linkRe = regexp.MustCompile(`/a/([A-Za-z0-9_-]{20,})`)

// links returns the approve and reject link paths of a mail's plain text.
func links(t *testing.T, m notify.Mail) (approve, reject string) {
	t.Helper()
	found := linkRe.FindAllString(m.Text, -1)
	if len(found) < 2 {
		t.Fatalf("mail %q has %d action links; want 2\n%s", m.Subject, len(found), m.Text)
	}
	return found[0], found[1]
}

// snapshot is the state that link fetches must not change.
func snapshot(app *App) string {
	var steps []approval.Step
	var reqs []approval.Request
	var tokens []approval.Token
	var events, audits, mails int64
	app.DB.R.Order("id").Find(&steps)
	app.DB.R.Order("id").Find(&reqs)
	app.DB.R.Order("id").Find(&tokens)
	app.DB.R.Model(&history.Entry{}).Count(&events)
	app.DB.R.Model(&audit.Entry{}).Count(&audits)
	app.DB.R.Model(&notify.Mail{}).Count(&mails)
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "step %d %s %v|", s.ID, s.Status, s.DecidedAt)
	}
	for _, r := range reqs {
		fmt.Fprintf(&b, "req %d %s v%d s%d|", r.ID, r.Status, r.Version, r.CurrentStep)
	}
	for _, tk := range tokens {
		fmt.Fprintf(&b, "tok %d %v|", tk.ID, tk.UsedAt)
	}
	fmt.Fprintf(&b, "events %d audits %d mails %d", events, audits, mails)
	return b.String()
}

func postLink(c *client, path, sig, comment string) (*http.Response, string) {
	c.t.Helper()
	return c.post(path, url.Values{"sig": {sig}, "comment": {comment}})
}

var sigRe = regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`)

func TestApprovalByEmailLinks(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		registerClaims(t, app)
		req, claimID := submitClaim(t, app, "employee", "Train to Szeged", "manager", "fleet")

		mgrMails := mailsTo(t, app, "manager")
		if len(mgrMails) != 1 || !strings.Contains(mgrMails[0].Subject, "Train to Szeged") || !strings.Contains(mgrMails[0].HTML, "Papp Eszter") {
			t.Fatalf("manager's mails = %d; want one approval request naming the claim and the requester", len(mgrMails))
		}
		if n := len(mailsTo(t, app, "fleet")); n != 0 {
			t.Errorf("the second approver got %d mails before the first step was decided; want 0", n)
		}
		approveLink, rejectLink := links(t, mgrMails[0])

		// A link scanner: GET and HEAD show the page and change nothing.
		scanner := newClient(t, app)
		before := snapshot(app)
		res, body := scanner.get(approveLink)
		if res.StatusCode != 200 || !strings.Contains(body, "Expense claim: Train to Szeged") || !strings.Contains(body, `<form class="form" method="post" action="/a/`) {
			t.Fatalf("GET approve link = %d; want the request and a form", res.StatusCode)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "onload") {
			t.Errorf("the link page carries inline script that could submit it")
		}
		head, _ := http.NewRequest(http.MethodHead, "http://kapu.test"+approveLink, nil)
		if res, _ := scanner.do(head); res.StatusCode != 200 {
			t.Errorf("HEAD approve link = %d; want 200", res.StatusCode)
		}
		if after := snapshot(app); after != before {
			t.Fatalf("GET/HEAD changed the database:\nbefore %s\nafter  %s", before, after)
		}
		sig := sigRe.FindStringSubmatch(body)[1]

		// A form signed for another link cannot decide this one.
		_, rejectPage := newClient(t, app).get(rejectLink)
		rejectSig := sigRe.FindStringSubmatch(rejectPage)[1]
		if res, body := postLink(newClient(t, app), approveLink, rejectSig, ""); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "belongs to a different link") {
			t.Errorf("POST with another link's signature = %d; want 400 explained", res.StatusCode)
		}
		if res, _ := postLink(newClient(t, app), approveLink, "", ""); res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST without signature = %d; want 400", res.StatusCode)
		}
		if after := snapshot(app); after != before {
			t.Fatalf("refused POSTs changed the database")
		}

		// The person presses Approve: no session, no CSRF cookie, just the link's form.
		res, body = postLink(newClient(t, app), approveLink, sig, "Fine by me")
		if res.StatusCode != 200 || !strings.Contains(body, "your approval was recorded") {
			t.Fatalf("POST approve = %d; want the thank-you page\n%s", res.StatusCode, body)
		}
		var r approval.Request
		app.DB.R.First(&r, req.ID)
		if r.Status != approval.StatusPending || r.CurrentStep != 2 {
			t.Errorf("after step 1: status %s step %d; want pending at step 2", r.Status, r.CurrentStep)
		}
		// Pressing again, or the other link of the same mail, decides nothing more.
		if res, body := postLink(newClient(t, app), approveLink, sig, ""); res.StatusCode != http.StatusConflict || !strings.Contains(body, "already decided") {
			t.Errorf("second POST = %d; want 409 saying it was decided", res.StatusCode)
		}
		if _, body := newClient(t, app).get(rejectLink); !strings.Contains(body, "already decided") || !strings.Contains(body, "Kiss Márton") {
			t.Errorf("the reject link after approval does not say who decided")
		}

		// Step 2 goes to fleet; a rejection without a reason comes back with the form.
		fleetMails := mailsTo(t, app, "fleet")
		if len(fleetMails) != 1 {
			t.Fatalf("fleet mails = %d; want 1", len(fleetMails))
		}
		_, fleetReject := links(t, fleetMails[0])
		fc := newClient(t, app)
		_, page := fc.get(fleetReject)
		fsig := sigRe.FindStringSubmatch(page)[1]
		if res, body := postLink(fc, fleetReject, fsig, "  "); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Write why you reject") {
			t.Errorf("reject without reason = %d; want 422 asking for a reason", res.StatusCode)
		}
		if res, _ := postLink(fc, fleetReject, fsig, "No car that day"); res.StatusCode != 200 {
			t.Errorf("reject with reason = %d; want 200", res.StatusCode)
		}
		var claim testClaim
		app.DB.R.First(&claim, claimID)
		if claim.State != "rejected: No car that day" {
			t.Errorf("claim state = %q; want the kind's OnReject to have run in the decision", claim.State)
		}
		out := mailsTo(t, app, "employee")
		if len(out) != 1 || !strings.Contains(out[0].Subject, "Rejected") || !strings.Contains(out[0].Text, "No car that day") {
			t.Errorf("requester's outcome mail = %v; want one rejection with the reason", out)
		}
		// Every decision is audited with its channel and the client address.
		var entries []audit.Entry
		app.DB.R.Where("action LIKE ?", "approval.request.%").Order("id").Find(&entries)
		var channels []string
		for _, e := range entries {
			channels = append(channels, e.Action+"/"+e.Channel)
			if e.Channel == actor.ChannelEmail && e.IP == "" {
				t.Errorf("audit %s has no client address", e.Action)
			}
		}
		if got := strings.Join(channels, " "); got != "approval.request.submit/app approval.request.approved/email approval.request.rejected/email" {
			t.Errorf("audit trail = %s", got)
		}
		if res, body := newClient(t, app).get("/a/not-a-real-token-at-all-xxxxxxxx"); res.StatusCode != 404 || !strings.Contains(body, "This link is not valid") {
			t.Errorf("unknown link = %d; want the friendly 404", res.StatusCode)
		}
	})
}

func TestApprovalLinkExpiredAndSuperseded(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		registerClaims(t, app)
		ctx := context.Background()
		req, _ := submitClaim(t, app, "employee", "Conference fee", "manager")
		approveLink, _ := links(t, mailsTo(t, app, "manager")[0])

		// The request changes: the first email's links stop working, a new email has new ones.
		if err := app.DB.Tx(ctx, func(tx *gorm.DB) error {
			return app.Approval.Changed(ctx, tx, person(t, app, "employee").Actor(), req.ID)
		}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, app)
		_, page := c.get(approveLink)
		if !strings.Contains(page, "This link was replaced") {
			t.Errorf("old link after a change does not say it was replaced")
		}
		mails := mailsTo(t, app, "manager")
		if len(mails) != 2 {
			t.Fatalf("manager mails after the change = %d; want 2", len(mails))
		}
		newApprove, _ := links(t, mails[1])
		newSig := sigFor(t, app, newApprove) // the form as a person opened it before it expired

		// The new link expires.
		app.DB.W.Model(&approval.Token{}).Where("1 = 1").Update("expires_at", time.Now().Add(-time.Minute))
		_, page = c.get(newApprove)
		if !strings.Contains(page, "This link has expired") {
			t.Errorf("expired link page does not say so")
		}
		before := snapshot(app)
		if res, _ := postLink(c, newApprove, newSig, ""); res.StatusCode != http.StatusConflict {
			t.Errorf("POST on an expired link = %d; want 409", res.StatusCode)
		}
		if snapshot(app) != before {
			t.Errorf("an expired link changed the database")
		}
		// The manager can still decide in the app.
		m := newClientAs(t, app, "manager")
		_, inbox := m.get("/approvals")
		if !strings.Contains(inbox, "Expense claim: Conference fee") || !strings.Contains(inbox, `class="nav-badge"`) {
			t.Errorf("the manager's inbox does not list the claim with a count in the navigation")
		}
		res, _ := m.post("/approvals/bulk", url.Values{"request": {fmt.Sprint(req.ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("bulk approve = %d; want 303", res.StatusCode)
		}
		var r approval.Request
		app.DB.R.First(&r, req.ID)
		if r.Status != approval.StatusApproved {
			t.Errorf("after bulk approve: %s; want approved", r.Status)
		}
		// Someone outside the request may not see it.
		o := newClientAs(t, app, "it")
		if res, _ := o.get(fmt.Sprintf("/approvals/%d", req.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("an outsider opening the request = %d; want 403", res.StatusCode)
		}
	})
}

// sigFor reads the form signature from a link's page.
func sigFor(t *testing.T, app *App, link string) string {
	t.Helper()
	_, page := newClient(t, app).get(link)
	m := sigRe.FindStringSubmatch(page)
	if m == nil {
		return "none"
	}
	return m[1]
}

// awayOn is an Absences where the listed people are away every day.
type awayOn map[uint]bool

func (a awayOn) Away(_ context.Context, id uint, _ calendar.Date) (bool, error) { return a[id], nil }

func TestApprovalDeputyAndEscalation(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		registerClaims(t, app)
		ctx := context.Background()
		mgr := person(t, app, "manager")
		deputy := person(t, app, "lakatos.bence")
		app.DB.W.Model(&people.Person{}).Where("id = ?", mgr.ID).Update("deputy_id", deputy.ID)
		app.Approval.Absences = awayOn{mgr.ID: true}

		req, _ := submitClaim(t, app, "employee", "New chair", "manager")
		if n := len(mailsTo(t, app, "lakatos.bence")); n != 1 {
			t.Errorf("deputy mails = %d; want 1 while the approver is away", n)
		}
		if n := len(mailsTo(t, app, "manager")); n != 1 {
			t.Errorf("approver mails = %d; want 1 (both see it)", n)
		}
		d := newClientAs(t, app, "lakatos.bence")
		if _, inbox := d.get("/approvals"); !strings.Contains(inbox, "New chair") || !strings.Contains(inbox, "for Kiss Márton") {
			t.Errorf("the deputy's inbox does not show the claim on behalf of the approver")
		}

		// Seven working days later nobody has decided: a reminder, and the approver's manager gets it too.
		app.Approval.Absences = people.NobodyAway{}
		workday, err := app.Calendar.NextWorkday(ctx, calendar.Today(app.Cfg.TZ))
		if err != nil {
			t.Fatal(err)
		}
		at := workday.Start(app.Cfg.TZ).Add(8 * time.Hour)
		app.DB.W.Model(&approval.Step{}).Where("request_id = ?", req.ID).Update("activated_at", at.AddDate(0, 0, -12))
		dayOff := workday.AddDays(1)
		for ok, _ := app.Calendar.IsWorkday(ctx, dayOff); ok; ok, _ = app.Calendar.IsWorkday(ctx, dayOff) {
			dayOff = dayOff.AddDays(1)
		}
		if err := app.Approval.RemindAndEscalate(ctx, dayOff.Start(app.Cfg.TZ).Add(8*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := len(mailsTo(t, app, "szabo.katalin")); n != 0 {
			t.Errorf("escalation mails sent on a day off (%s) = %d; want 0", dayOff, n)
		}
		for i := 0; i < 2; i++ { // the second run must add nothing
			if err := app.Approval.RemindAndEscalate(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		boss := mailsTo(t, app, "szabo.katalin")
		if len(boss) != 1 || !strings.Contains(boss[0].Text, "You receive it for Kiss Márton") {
			t.Errorf("escalation mails to the manager's manager = %d; want 1 naming the approver", len(boss))
		}
		if n := len(mailsTo(t, app, "manager")); n != 2 {
			t.Errorf("approver mails after escalation = %d; want 2 (request + reminder)", n)
		}
		b := newClientAs(t, app, "szabo.katalin")
		b.get(fmt.Sprintf("/approvals/%d", req.ID))
		res, _ := b.post(fmt.Sprintf("/approvals/%d", req.ID), url.Values{"decision": {"approve"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("escalation target approving = %d; want 303", res.StatusCode)
		}
		var r approval.Request
		app.DB.R.First(&r, req.ID)
		if r.Status != approval.StatusApproved {
			t.Errorf("request after the escalation target approved: %s", r.Status)
		}
	})
}

// Two deciders (the approver in the app and the deputy by email link) press at
// the same moment: exactly one decision counts, the other is told it was decided.
func TestApprovalConcurrentDecisions(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		registerClaims(t, app)
		ctx := context.Background()
		for round := 0; round < 5; round++ {
			req, _ := submitClaim(t, app, "employee", fmt.Sprintf("Round %d", round), "manager")
			mails := mailsTo(t, app, "manager")
			approve, _ := links(t, mails[len(mails)-1])
			mgr := person(t, app, "manager").Actor()

			const n = 8
			results := make(chan error, n)
			start := make(chan struct{})
			for i := 0; i < n; i++ {
				go func(i int) {
					<-start
					if i%2 == 0 {
						_, err := app.Approval.Decide(ctx, mgr, approval.Decision{RequestID: req.ID, Approve: i%4 == 0, Comment: "in the app"})
						results <- err
						return
					}
					_, err := app.Approval.DecideByLink(ctx, strings.TrimPrefix(approve, "/a/"), "", "127.0.0.1")
					results <- err
				}(i)
			}
			close(start)
			var won int
			for i := 0; i < n; i++ {
				switch err := <-results; {
				case err == nil:
					won++
				case !errors.Is(err, approval.ErrDecided) && !errors.Is(err, approval.ErrLinkNotValid):
					t.Errorf("round %d: a losing decider got %v; want the friendly already-decided answer", round, err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d decisions succeeded; want exactly 1", round, won)
			}
			var decided int64
			app.DB.R.Model(&history.Entry{}).Where("entity = ? AND entity_id = ? AND action IN ?", approval.Entity, req.ID, []string{"approved", "rejected"}).Count(&decided)
			if decided != 1 {
				t.Errorf("round %d: %d decision events; want 1", round, decided)
			}
		}
	})
}

// A person lets their deputy act for them from the profile; requests then reach the deputy too.
func TestProfileDeputyRoutesApprovals(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	registerClaims(t, app)
	c := newClientAs(t, app, "lakatos.bence")
	_, page := c.get("/profile")
	if !strings.Contains(page, "Your deputy is Papp Eszter") {
		t.Fatalf("profile does not name the deputy")
	}
	res, body := c.post("/profile/deputy", url.Values{"until": {"2001-01-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Pick a day from today") {
		t.Errorf("a past day = %d; want 422 with a message", res.StatusCode)
	}
	until := calendar.Today(app.Cfg.TZ).AddDays(3).String()
	if res, _ := c.post("/profile/deputy", url.Values{"until": {until}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the deputy = %d; want 303", res.StatusCode)
	}
	submitClaim(t, app, "simon.reka", "Printer toner", "lakatos.bence")
	if n := len(mailsTo(t, app, "employee")); n != 1 {
		t.Errorf("deputy mails = %d; want 1 while the deputy acts", n)
	}
	c.get("/profile")
	c.post("/profile/deputy", url.Values{"until": {until}, "end": {"1"}})
	submitClaim(t, app, "simon.reka", "Stapler", "lakatos.bence")
	if n := len(mailsTo(t, app, "employee")); n != 1 {
		t.Errorf("deputy mails after ending = %d; want still 1", n)
	}
}

// A manager with many requests chooses the daily digest: no mail per request,
// one mail a day listing them, whose links work like any other.
func TestApprovalDigest(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	registerClaims(t, app)
	ctx := context.Background()
	m := newClientAs(t, app, "manager")
	m.get("/approvals")
	if res, _ := m.post("/approvals/prefs", url.Values{"digest": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing the digest = %d; want 303", res.StatusCode)
	}
	first, _ := submitClaim(t, app, "employee", "Paper", "manager")
	submitClaim(t, app, "simon.reka", "Pens", "manager")
	if n := len(mailsTo(t, app, "manager")); n != 0 {
		t.Fatalf("mails with the digest chosen = %d; want 0 until the digest", n)
	}
	for i := 0; i < 2; i++ { // a second run the same day sends nothing more
		if err := app.Approval.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mails := mailsTo(t, app, "manager")
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "2 requests wait") || !strings.Contains(mails[0].Text, "Pens") {
		t.Fatalf("digest mails = %d; want one listing both requests", len(mails))
	}
	approve, _ := links(t, mails[0])
	c := newClient(t, app)
	if res, _ := postLink(c, approve, sigFor(t, app, approve), ""); res.StatusCode != 200 {
		t.Errorf("approving from the digest = %d; want 200", res.StatusCode)
	}
	var r approval.Request
	app.DB.R.First(&r, first.ID)
	if r.Status != approval.StatusApproved {
		t.Errorf("request after approving from the digest: %s", r.Status)
	}
	out := mailsTo(t, app, "employee")
	if len(out) != 1 || !strings.HasPrefix(out[0].Subject, "Approved: Expense claim: Paper") {
		t.Errorf("requester's outcome mail = %v; want one approval", out)
	}
}
