package approval_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/people"
)

func TestApprovalByEmailLinks(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		kaputest.RegisterClaims(t, app)
		req, claimID := kaputest.SubmitClaim(t, app, "employee", "Train to Szeged", "manager", "fleet")

		mgrMails := kaputest.MailsTo(t, app, "manager")
		if len(mgrMails) != 1 || !strings.Contains(mgrMails[0].Subject, "Train to Szeged") || !strings.Contains(mgrMails[0].HTML, "Papp Eszter") {
			t.Fatalf("manager's mails = %d; want one approval request naming the claim and the requester", len(mgrMails))
		}
		if n := len(kaputest.MailsTo(t, app, "fleet")); n != 0 {
			t.Errorf("the second approver got %d mails before the first step was decided; want 0", n)
		}
		approveLink, rejectLink := kaputest.Links(t, mgrMails[0])

		// A link scanner: GET and HEAD show the page and change nothing.
		scanner := kaputest.NewClient(t, app)
		before := kaputest.ApprovalSnapshot(app)
		res, body := scanner.Get(approveLink)
		if res.StatusCode != 200 || !strings.Contains(body, "Expense claim: Train to Szeged") || !strings.Contains(body, `<form class="form" method="post" action="/a/`) {
			t.Fatalf("GET approve link = %d; want the request and a form", res.StatusCode)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "onload") {
			t.Errorf("the link page carries inline script that could submit it")
		}
		head, _ := http.NewRequest(http.MethodHead, "http://kapu.test"+approveLink, nil)
		if res, _ := scanner.Do(head); res.StatusCode != 200 {
			t.Errorf("HEAD approve link = %d; want 200", res.StatusCode)
		}
		if after := kaputest.ApprovalSnapshot(app); after != before {
			t.Fatalf("GET/HEAD changed the database:\nbefore %s\nafter  %s", before, after)
		}
		sig := kaputest.SigRe.FindStringSubmatch(body)[1]

		// A form signed for another link cannot decide this one.
		_, rejectPage := kaputest.NewClient(t, app).Get(rejectLink)
		rejectSig := kaputest.SigRe.FindStringSubmatch(rejectPage)[1]
		if res, body := kaputest.PostLink(kaputest.NewClient(t, app), approveLink, rejectSig, ""); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "belongs to a different link") {
			t.Errorf("POST with another link's signature = %d; want 400 explained", res.StatusCode)
		}
		if res, _ := kaputest.PostLink(kaputest.NewClient(t, app), approveLink, "", ""); res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST without signature = %d; want 400", res.StatusCode)
		}
		if after := kaputest.ApprovalSnapshot(app); after != before {
			t.Fatalf("refused POSTs changed the database")
		}

		// The person presses Approve: no session, no CSRF cookie, just the link's form.
		res, body = kaputest.PostLink(kaputest.NewClient(t, app), approveLink, sig, "Fine by me")
		if res.StatusCode != 200 || !strings.Contains(body, "your approval was recorded") {
			t.Fatalf("POST approve = %d; want the thank-you page\n%s", res.StatusCode, body)
		}
		var r approval.Request
		app.DB.R.First(&r, req.ID)
		if r.Status != approval.StatusPending || r.CurrentStep != 2 {
			t.Errorf("after step 1: status %s step %d; want pending at step 2", r.Status, r.CurrentStep)
		}
		// Pressing again, or the other link of the same mail, decides nothing more.
		if res, body := kaputest.PostLink(kaputest.NewClient(t, app), approveLink, sig, ""); res.StatusCode != http.StatusConflict || !strings.Contains(body, "already decided") {
			t.Errorf("second POST = %d; want 409 saying it was decided", res.StatusCode)
		}
		if _, body := kaputest.NewClient(t, app).Get(rejectLink); !strings.Contains(body, "already decided") || !strings.Contains(body, "Kiss Márton") {
			t.Errorf("the reject link after approval does not say who decided")
		}

		// Step 2 goes to fleet; a rejection without a reason comes back with the form.
		fleetMails := kaputest.MailsTo(t, app, "fleet")
		if len(fleetMails) != 1 {
			t.Fatalf("fleet mails = %d; want 1", len(fleetMails))
		}
		_, fleetReject := kaputest.Links(t, fleetMails[0])
		fc := kaputest.NewClient(t, app)
		_, page := fc.Get(fleetReject)
		fsig := kaputest.SigRe.FindStringSubmatch(page)[1]
		if res, body := kaputest.PostLink(fc, fleetReject, fsig, "  "); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Write why you reject") {
			t.Errorf("reject without reason = %d; want 422 asking for a reason", res.StatusCode)
		}
		if res, _ := kaputest.PostLink(fc, fleetReject, fsig, "No car that day"); res.StatusCode != 200 {
			t.Errorf("reject with reason = %d; want 200", res.StatusCode)
		}
		var claim kaputest.Claim
		app.DB.R.First(&claim, claimID)
		if claim.State != "rejected: No car that day" {
			t.Errorf("claim state = %q; want the kind's OnReject to have run in the decision", claim.State)
		}
		out := kaputest.MailsTo(t, app, "employee")
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
		if res, body := kaputest.NewClient(t, app).Get("/a/not-a-real-token-at-all-xxxxxxxx"); res.StatusCode != 404 || !strings.Contains(body, "This link is not valid") {
			t.Errorf("unknown link = %d; want the friendly 404", res.StatusCode)
		}
	})
}

func TestApprovalLinkExpiredAndSuperseded(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		kaputest.RegisterClaims(t, app)
		ctx := context.Background()
		req, _ := kaputest.SubmitClaim(t, app, "employee", "Conference fee", "manager")
		approveLink, _ := kaputest.Links(t, kaputest.MailsTo(t, app, "manager")[0])

		// The request changes: the first email's links stop working, a new email has new ones.
		if err := app.DB.Tx(ctx, func(tx *gorm.DB) error {
			return app.Approval.Changed(ctx, tx, kaputest.Person(t, app, "employee").Actor(), req.ID)
		}); err != nil {
			t.Fatal(err)
		}
		c := kaputest.NewClient(t, app)
		_, page := c.Get(approveLink)
		if !strings.Contains(page, "This link was replaced") {
			t.Errorf("old link after a change does not say it was replaced")
		}
		mails := kaputest.MailsTo(t, app, "manager")
		if len(mails) != 2 {
			t.Fatalf("manager mails after the change = %d; want 2", len(mails))
		}
		newApprove, _ := kaputest.Links(t, mails[1])
		newSig := kaputest.SigFor(t, app, newApprove) // the form as a person opened it before it expired

		// The new link expires.
		app.DB.W.Model(&approval.Token{}).Where("1 = 1").Update("expires_at", time.Now().Add(-time.Minute))
		_, page = c.Get(newApprove)
		if !strings.Contains(page, "This link has expired") {
			t.Errorf("expired link page does not say so")
		}
		before := kaputest.ApprovalSnapshot(app)
		if res, _ := kaputest.PostLink(c, newApprove, newSig, ""); res.StatusCode != http.StatusConflict {
			t.Errorf("POST on an expired link = %d; want 409", res.StatusCode)
		}
		if kaputest.ApprovalSnapshot(app) != before {
			t.Errorf("an expired link changed the database")
		}
		// The manager can still decide in the app.
		m := kaputest.SignedIn(t, app, "manager")
		_, inbox := m.Get("/approvals")
		if !strings.Contains(inbox, "Expense claim: Conference fee") || !strings.Contains(inbox, `class="nav-badge"`) {
			t.Errorf("the manager's inbox does not list the claim with a count in the navigation")
		}
		res, _ := m.Post("/approvals/bulk", url.Values{"request": {fmt.Sprint(req.ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("bulk approve = %d; want 303", res.StatusCode)
		}
		var r approval.Request
		app.DB.R.First(&r, req.ID)
		if r.Status != approval.StatusApproved {
			t.Errorf("after bulk approve: %s; want approved", r.Status)
		}
		// Someone outside the request may not see it.
		o := kaputest.SignedIn(t, app, "it")
		if res, _ := o.Get(fmt.Sprintf("/approvals/%d", req.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("an outsider opening the request = %d; want 403", res.StatusCode)
		}
	})
}

// awayOn is an Absences where the listed people are away every day.
type awayOn map[uint]bool

func (a awayOn) Away(_ context.Context, id uint, _ calendar.Date) (bool, error) { return a[id], nil }

func TestApprovalDeputyAndEscalation(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		kaputest.RegisterClaims(t, app)
		ctx := context.Background()
		mgr := kaputest.Person(t, app, "manager")
		deputy := kaputest.Person(t, app, "lakatos.bence")
		app.DB.W.Model(&people.Person{}).Where("id = ?", mgr.ID).Update("deputy_id", deputy.ID)
		app.Approval.Absences = awayOn{mgr.ID: true}

		req, _ := kaputest.SubmitClaim(t, app, "employee", "New chair", "manager")
		if n := len(kaputest.MailsTo(t, app, "lakatos.bence")); n != 1 {
			t.Errorf("deputy mails = %d; want 1 while the approver is away", n)
		}
		if n := len(kaputest.MailsTo(t, app, "manager")); n != 1 {
			t.Errorf("approver mails = %d; want 1 (both see it)", n)
		}
		d := kaputest.SignedIn(t, app, "lakatos.bence")
		if _, inbox := d.Get("/approvals"); !strings.Contains(inbox, "New chair") || !strings.Contains(inbox, "for Kiss Márton") {
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
		if n := len(kaputest.MailsTo(t, app, "szabo.katalin")); n != 0 {
			t.Errorf("escalation mails sent on a day off (%s) = %d; want 0", dayOff, n)
		}
		for i := 0; i < 2; i++ { // the second run must add nothing
			if err := app.Approval.RemindAndEscalate(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		boss := kaputest.MailsTo(t, app, "szabo.katalin")
		if len(boss) != 1 || !strings.Contains(boss[0].Text, "You receive it for Kiss Márton") {
			t.Errorf("escalation mails to the manager's manager = %d; want 1 naming the approver", len(boss))
		}
		if n := len(kaputest.MailsTo(t, app, "manager")); n != 2 {
			t.Errorf("approver mails after escalation = %d; want 2 (request + reminder)", n)
		}
		b := kaputest.SignedIn(t, app, "szabo.katalin")
		b.Get(fmt.Sprintf("/approvals/%d", req.ID))
		res, _ := b.Post(fmt.Sprintf("/approvals/%d", req.ID), url.Values{"decision": {"approve"}})
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
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		kaputest.RegisterClaims(t, app)
		ctx := context.Background()
		for round := 0; round < 5; round++ {
			req, _ := kaputest.SubmitClaim(t, app, "employee", fmt.Sprintf("Round %d", round), "manager")
			mails := kaputest.MailsTo(t, app, "manager")
			approve, _ := kaputest.Links(t, mails[len(mails)-1])
			mgr := kaputest.Person(t, app, "manager").Actor()

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
					_, err := app.Approval.DecideByLink(ctx, strings.TrimPrefix(approve, "/a/"), "", "127.0.0.1", nil)
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
	app := kaputest.New(t, "sqlite")
	kaputest.RegisterClaims(t, app)
	c := kaputest.SignedIn(t, app, "lakatos.bence")
	_, page := c.Get("/profile")
	if !strings.Contains(page, "Your deputy is Papp Eszter") {
		t.Fatalf("profile does not name the deputy")
	}
	res, body := c.Post("/profile/deputy", url.Values{"until": {"2001-01-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Pick a day from today") {
		t.Errorf("a past day = %d; want 422 with a message", res.StatusCode)
	}
	until := calendar.Today(app.Cfg.TZ).AddDays(3).String()
	if res, _ := c.Post("/profile/deputy", url.Values{"until": {until}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the deputy = %d; want 303", res.StatusCode)
	}
	kaputest.SubmitClaim(t, app, "simon.reka", "Printer toner", "lakatos.bence")
	if n := len(kaputest.MailsTo(t, app, "employee")); n != 1 {
		t.Errorf("deputy mails = %d; want 1 while the deputy acts", n)
	}
	c.Get("/profile")
	c.Post("/profile/deputy", url.Values{"until": {until}, "end": {"1"}})
	kaputest.SubmitClaim(t, app, "simon.reka", "Stapler", "lakatos.bence")
	if n := len(kaputest.MailsTo(t, app, "employee")); n != 1 {
		t.Errorf("deputy mails after ending = %d; want still 1", n)
	}
}

// A manager with many requests chooses the daily digest: no mail per request,
// one mail a day listing them, whose links work like any other.
func TestApprovalDigest(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	kaputest.RegisterClaims(t, app)
	ctx := context.Background()
	m := kaputest.SignedIn(t, app, "manager")
	m.Get("/approvals")
	if res, _ := m.Post("/approvals/prefs", url.Values{"digest": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing the digest = %d; want 303", res.StatusCode)
	}
	first, _ := kaputest.SubmitClaim(t, app, "employee", "Paper", "manager")
	kaputest.SubmitClaim(t, app, "simon.reka", "Pens", "manager")
	if n := len(kaputest.MailsTo(t, app, "manager")); n != 0 {
		t.Fatalf("mails with the digest chosen = %d; want 0 until the digest", n)
	}
	for i := 0; i < 2; i++ { // a second run the same day sends nothing more
		if err := app.Approval.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mails := kaputest.MailsTo(t, app, "manager")
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "2 requests wait") || !strings.Contains(mails[0].Text, "Pens") {
		t.Fatalf("digest mails = %d; want one listing both requests", len(mails))
	}
	approve, _ := kaputest.Links(t, mails[0])
	c := kaputest.NewClient(t, app)
	if res, _ := kaputest.PostLink(c, approve, kaputest.SigFor(t, app, approve), ""); res.StatusCode != 200 {
		t.Errorf("approving from the digest = %d; want 200", res.StatusCode)
	}
	var r approval.Request
	app.DB.R.First(&r, first.ID)
	if r.Status != approval.StatusApproved {
		t.Errorf("request after approving from the digest: %s", r.Status)
	}
	out := kaputest.MailsTo(t, app, "employee")
	if len(out) != 1 || !strings.HasPrefix(out[0].Subject, "Approved: Expense claim: Paper") {
		t.Errorf("requester's outcome mail = %v; want one approval", out)
	}
}
