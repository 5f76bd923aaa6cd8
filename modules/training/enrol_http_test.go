package training_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// The employees' screens: the catalogue, the request form, approval by the
// manager through the engine, waiting lists and cancellation, someone
// else's enrolment, and the plan.

// lastEnrolment is the newest enrolment of username.
func lastEnrolment(t *testing.T, app *kapu.App, username string) training.Enrolment {
	t.Helper()
	var e training.Enrolment
	if err := app.DB.W.Where("person_id = ?", kaputest.Person(t, app, username).ID).Order("id DESC").First(&e).Error; err != nil {
		t.Fatalf("enrolment of %s: %v", username, err)
	}
	return e
}

func msg(t *testing.T, key string, args ...any) string {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat.T("en", key, args...)
}

func TestRequestApprovedByManagerEnrols(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		tr := f.training(t, f.year, "KOMM-1", func(t *training.Training) { t.TitleHU, t.TitleEN = "Ügyfélkommunikáció", "Customer communication" })
		s := f.session(t, tr, 14, 10)
		// The manager reads Hungarian, the employee English: each sees the title in their own.
		if err := app.DB.W.Model(kaputest.Person(t, app, "manager")).Update("lang", "hu").Error; err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")

		res, body := emp.Get("/training/catalogue")
		if res.StatusCode != 200 || !strings.Contains(body, "Customer communication") || !strings.Contains(body, "/training/catalogue/"+itoa(tr.ID)+"/request?session="+itoa(s.ID)) {
			t.Fatalf("catalogue = %d; want the training with its session's request link", res.StatusCode)
		}
		res, body = emp.Get("/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(s.ID))
		if res.StatusCode != 200 || !strings.Contains(body, "45,000 Ft") || !strings.Contains(body, msg(t, "training.enrol.request.needs_approval")) {
			t.Fatalf("request form = %d; want the cost and that the manager approves", res.StatusCode)
		}
		// No reason: the form again, the message by the field, nothing written.
		res, body = emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}, "reason": {"  "}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "reason") != msg(t, "training.enrol.err.reason_required") {
			t.Fatalf("request without a reason = %d, %q; want 422 by the reason", res.StatusCode, kaputest.FieldError(body, "reason"))
		}
		// A session of another training: by the session field.
		other := f.session(t, f.training(t, f.year, "OTHER-1"), 5, 3)
		res, body = emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(other.ID)}, "reason": {"Kell."}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "session") == "" || !strings.Contains(body, "Kell.") {
			t.Fatalf("request for another training's session = %d; want 422 by the session, the reason kept", res.StatusCode)
		}
		var n int64
		app.DB.W.Model(&training.Enrolment{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d enrolments after refused requests; want none", n)
		}
		res, _ = emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}, "reason": {"Ügyfélszolgálati munkához kell."}})
		if res.StatusCode != 303 {
			t.Fatalf("request = %d; want 303", res.StatusCode)
		}
		e := lastEnrolment(t, app, "employee")
		if e.Status != training.EnrolPending || e.ApprovalID == nil || e.Source != training.SourceRequest {
			t.Fatalf("enrolment %+v; want pending with an approval", e)
		}
		if res.Header.Get("Location") != "/training/enrolments/"+itoa(e.ID) {
			t.Errorf("request went to %s; want the enrolment's page", res.Header.Get("Location"))
		}
		// A second request for the same training is refused.
		res, body = emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}, "reason": {"Még egyszer."}})
		if res.StatusCode != 422 || !strings.Contains(body, msg(t, "training.enrol.err.already")) {
			t.Errorf("second request = %d; want 422 saying there is one", res.StatusCode)
		}
		// The manager sees it in the inbox, in their language, and approves.
		mgr := kaputest.SignedIn(t, app, "manager")
		if res, body := mgr.Get("/approvals"); res.StatusCode != 200 || !strings.Contains(body, "Ügyfélkommunikáció") || strings.Contains(body, "Customer communication") {
			t.Errorf("manager's inbox = %d; want the request by its Hungarian title only", res.StatusCode)
		}
		var asked bool
		for _, m := range kaputest.MailsTo(t, app, "manager") {
			asked = asked || (strings.Contains(m.Subject, "Ügyfélkommunikáció") && strings.Contains(m.Text, "45\u00a0000 Ft"))
		}
		if !asked {
			t.Error("the manager's mail does not name the training in Hungarian with its cost")
		}
		if res, _ := mgr.Get("/training/enrolments/" + itoa(e.ID)); res.StatusCode != 200 {
			t.Errorf("the manager opening the enrolment = %d; want 200", res.StatusCode)
		}
		if _, err := app.Approval.Decide(context.Background(), kaputest.Person(t, app, "manager").Actor(),
			approval.Decision{RequestID: *e.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		if e = f.enrolment(t, e.ID); e.Status != training.EnrolEnrolled {
			t.Errorf("after approval %s; want enrolled", e.Status)
		}
		if sess := f.load(t, s.ID); sess.Enrolled != 1 {
			t.Errorf("session holds %d; want 1", sess.Enrolled)
		}
		if !hasMail(t, app, "employee", msg(t, "training.enrol.mail.enrolled_title", "Training", "Customer communication")) {
			t.Error("no enrolment mail to the employee")
		}
		res, body = emp.Get("/training/requests")
		if res.StatusCode != 200 || !strings.Contains(body, msg(t, "training.enrol.status.enrolled")) {
			t.Errorf("my requests = %d; want the enrolment enrolled", res.StatusCode)
		}
	})
}

// hasMail reports whether username was mailed a subject holding part.
func hasMail(t *testing.T, app *kapu.App, username, part string) bool {
	t.Helper()
	for _, m := range kaputest.MailsTo(t, app, username) {
		if strings.Contains(m.Subject, part) {
			return true
		}
	}
	return false
}

func TestFullSessionWaitsAndCancelPromotes(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		ctx := context.Background()
		tr := f.training(t, f.year, "ELSO-1", func(t *training.Training) {
			t.TitleHU, t.TitleEN, t.Mandatory = "Elsősegély", "First aid", true
		})
		s := f.session(t, tr, 7, 1)
		// Mandatory for everyone: booked without asking; the first takes the seat.
		first := f.request(t, f.who(t, "employee"), tr, s)
		if first.Status != training.EnrolEnrolled || first.Source != training.SourceMandatory {
			t.Fatalf("first %s/%s; want enrolled, mandatory", first.Status, first.Source)
		}
		// The session is full: the form offers the waiting list, the request joins it.
		bence := kaputest.SignedIn(t, app, "lakatos.bence")
		if _, body := bence.Get("/training/catalogue"); !strings.Contains(body, msg(t, "training.enrol.join_waiting")) {
			t.Error("the catalogue does not offer the full session's waiting list")
		}
		res, _ := bence.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}})
		if res.StatusCode != 303 {
			t.Fatalf("request for a full session = %d; want 303", res.StatusCode)
		}
		waiting := lastEnrolment(t, app, "lakatos.bence")
		second := f.request(t, f.who(t, "simon.reka"), tr, s)
		if waiting.Status != training.EnrolWaiting || second.Status != training.EnrolWaiting {
			t.Fatalf("later requests %s, %s; want both waiting", waiting.Status, second.Status)
		}
		if _, body := bence.Get("/training/enrolments/" + itoa(waiting.ID)); !strings.Contains(body, msg(t, "training.enrol.position", "Position", 1)) {
			t.Error("the waiting enrolment's page does not say place 1")
		}
		// Someone else's enrolment: 404 to see, 404 to cancel.
		if res, _ := bence.Get("/training/enrolments/" + itoa(first.ID)); res.StatusCode != 404 {
			t.Errorf("someone else's enrolment = %d; want 404", res.StatusCode)
		}
		if res, _ := bence.Post("/training/enrolments/"+itoa(first.ID)+"/cancel", nil); res.StatusCode != 404 {
			t.Errorf("cancelling someone else's enrolment = %d; want 404", res.StatusCode)
		}
		if res, _ := bence.Get("/training/enrolments/999999"); res.StatusCode != 404 {
			t.Errorf("an unknown enrolment = %d; want 404", res.StatusCode)
		}
		if res, _ := bence.Get("/training/enrolments/abc"); res.StatusCode != 404 {
			t.Errorf("a malformed id = %d; want 404", res.StatusCode)
		}
		// The seated one cancels (the confirm page first): the first waiting, who reads Hungarian, is promoted and mailed.
		if err := app.DB.W.Model(kaputest.Person(t, app, "lakatos.bence")).Update("lang", "hu").Error; err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")
		if res, body := emp.Get("/training/enrolments/" + itoa(first.ID) + "/cancel"); res.StatusCode != 200 || !strings.Contains(body, "First aid") {
			t.Errorf("cancel confirm = %d; want the question naming the training", res.StatusCode)
		}
		if res, _ := emp.Post("/training/enrolments/"+itoa(first.ID)+"/cancel", nil); res.StatusCode != 303 {
			t.Fatalf("cancel = %d; want 303", res.StatusCode)
		}
		if e := f.enrolment(t, first.ID); e.Status != training.EnrolCancelled {
			t.Errorf("cancelled one is %s", e.Status)
		}
		if e := f.enrolment(t, waiting.ID); e.Status != training.EnrolEnrolled {
			t.Errorf("first waiting is %s; want enrolled", e.Status)
		}
		if e := f.enrolment(t, second.ID); e.Status != training.EnrolWaiting {
			t.Errorf("second waiting is %s; want still waiting", e.Status)
		}
		if sess := f.load(t, s.ID); sess.Enrolled != 1 {
			t.Errorf("session holds %d; want 1", sess.Enrolled)
		}
		if !hasMail(t, app, "lakatos.bence", "Helyet kapott: Elsősegély") {
			t.Error("the promoted person got no mail in Hungarian")
		}
		if hasMail(t, app, "simon.reka", "Helyet kapott") || hasMail(t, app, "simon.reka", "You got a seat") {
			t.Error("the second waiting was told of a seat")
		}
		// Cancelling again: nothing to cancel, said so.
		if res, _ := emp.Post("/training/enrolments/"+itoa(first.ID)+"/cancel", nil); res.StatusCode != 303 {
			t.Errorf("cancelling twice = %d; want 303 with a message", res.StatusCode)
		}
		if err := app.Training.CancelEnrolment(ctx, f.who(t, "employee"), first.ID); err != training.ErrNotCancellable {
			t.Errorf("CancelEnrolment twice = %v; want ErrNotCancellable", err)
		}
	})
}

func TestRequestOutsideTheCatalogueRefused(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		f.catalogue(t, f.year+1, training.CatalogueDraft)
		f.catalogue(t, f.year-1, training.CataloguePublished)
		past := f.training(t, f.year-1, "OLD-1")
		draft := f.training(t, f.year+1, "NEXT-1")
		inactive := f.training(t, f.year, "GONE-1", func(t *training.Training) { t.Active = false })
		emp := kaputest.SignedIn(t, app, "employee")
		for _, tr := range []*training.Training{past, draft, inactive} {
			if res, _ := emp.Get("/training/catalogue/" + itoa(tr.ID) + "/request"); res.StatusCode != 404 {
				t.Errorf("form for %s = %d; want 404", tr.Code, res.StatusCode)
			}
			if res, _ := emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"reason": {"Kell."}}); res.StatusCode != 404 {
				t.Errorf("request for %s = %d; want 404", tr.Code, res.StatusCode)
			}
		}
		if res, _ := emp.Get("/training/catalogue/999999/request"); res.StatusCode != 404 {
			t.Errorf("an unknown training = %d; want 404", res.StatusCode)
		}
		var n int64
		app.DB.W.Model(&training.Enrolment{}).Count(&n)
		if n != 0 {
			t.Errorf("%d enrolments; want none", n)
		}
		// A training only for another department: refused, and not listed.
		dept := kaputest.Person(t, app, "storekeeper").DepartmentID
		theirs := f.training(t, f.year, "PENZ-1", func(t *training.Training) {
			t.Target, t.TargetList = training.TargetDepartments, itoa(*dept)
		})
		if res, _ := emp.Post("/training/catalogue/"+itoa(theirs.ID)+"/request", url.Values{"reason": {"Kell."}}); res.StatusCode != 403 {
			t.Errorf("request for another department's training = %d; want 403", res.StatusCode)
		}
		if _, body := emp.Get("/training/catalogue"); strings.Contains(body, "PENZ-1") || strings.Contains(body, "/training/catalogue/"+itoa(theirs.ID)+"/") {
			t.Error("the catalogue lists another department's training")
		}
	})
}

func TestApprovedPlanBooksWithoutAsking(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		tr := f.training(t, f.year, "ADAT-1", func(t *training.Training) { t.TitleHU, t.TitleEN = "Adatvédelem", "Data protection" })
		s := f.session(t, tr, 20, 5)
		extra := f.training(t, f.year, "EXTRA-1")
		emp := kaputest.SignedIn(t, app, "employee")
		plan := "/training/plan/" + itoa(uint(f.year))
		if res, body := emp.Get("/training/requests"); res.StatusCode != 200 || !strings.Contains(body, "Data protection") {
			t.Fatalf("my requests = %d; want the plan's choices", res.StatusCode)
		}
		for _, id := range []uint{tr.ID, extra.ID} {
			if res, body := emp.Post(plan+"/items", url.Values{"add": {itoa(id)}}); res.StatusCode != 303 {
				t.Fatalf("add to plan = %d; want 303: %s", res.StatusCode, body)
			}
		}
		if res, _ := emp.Post(plan+"/items", url.Values{"remove": {itoa(extra.ID)}}); res.StatusCode != 303 {
			t.Fatalf("remove from plan = %d", res.StatusCode)
		}
		if res, _ := emp.Post(plan+"/submit", nil); res.StatusCode != 303 {
			t.Fatalf("submit plan = %d", res.StatusCode)
		}
		var p training.Plan
		if err := app.DB.W.Preload("Items").Where("person_id = ?", kaputest.Person(t, app, "employee").ID).First(&p).Error; err != nil {
			t.Fatal(err)
		}
		if p.Status != training.PlanPending || p.ApprovalID == nil || len(p.Items) != 1 || p.Items[0].TrainingID != tr.ID {
			t.Fatalf("plan %+v; want pending with the one training", p)
		}
		// Submitted, it cannot change.
		emp.Post(plan+"/items", url.Values{"add": {itoa(extra.ID)}})
		var items int64
		app.DB.W.Model(&training.PlanItem{}).Where("plan_id = ?", p.ID).Count(&items)
		if items != 1 {
			t.Errorf("a pending plan changed to %d items", items)
		}
		// The manager opens the plan's page from the inbox and approves it.
		mgr := kaputest.SignedIn(t, app, "manager")
		if res, body := mgr.Get("/training/plans/" + itoa(p.ID)); res.StatusCode != 200 || !strings.Contains(body, "Data protection") {
			t.Errorf("the manager's plan page = %d; want the training", res.StatusCode)
		}
		if res, _ := kaputest.SignedIn(t, app, "lakatos.bence").Get("/training/plans/" + itoa(p.ID)); res.StatusCode != 404 {
			t.Errorf("a colleague opening the plan = %d; want 404", res.StatusCode)
		}
		if _, err := app.Approval.Decide(context.Background(), kaputest.Person(t, app, "manager").Actor(),
			approval.Decision{RequestID: *p.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		// Now the request form says no approval is needed, and booking enrols at once.
		res, body := emp.Get("/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(s.ID))
		if res.StatusCode != 200 || !strings.Contains(body, msg(t, "training.enrol.request.in_plan")) {
			t.Errorf("request form = %d; want 'in your plan – no approval needed'", res.StatusCode)
		}
		if res, _ := emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}}); res.StatusCode != 303 {
			t.Fatalf("booking = %d; want 303", res.StatusCode)
		}
		e := lastEnrolment(t, app, "employee")
		if e.Status != training.EnrolEnrolled || e.Source != training.SourcePlan || e.ApprovalID != nil {
			t.Errorf("booking %s/%s approval %v; want enrolled from the plan without an approval", e.Status, e.Source, e.ApprovalID)
		}
	})
}

// The manager approves by the mail's link (signed out, as a mail client
// opens it): the link's page names the training and its cost, GET changes
// nothing, the button enrols. A second request, rejected with a reason,
// ends rejected and frees the training for a new request.
func TestRequestDecidedByMailLink(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		tr := f.training(t, f.year, "LINK-1", func(t *training.Training) { t.TitleHU, t.TitleEN = "Konfliktuskezelés", "Handling conflict" })
		s := f.session(t, tr, 12, 4)
		e := f.request(t, f.who(t, "employee"), tr, s)
		mails := kaputest.MailsTo(t, app, "manager")
		if len(mails) == 0 {
			t.Fatal("the manager got no mail")
		}
		approve, _ := kaputest.Links(t, mails[len(mails)-1])
		c := kaputest.NewClient(t, app)
		before := kaputest.ApprovalSnapshot(app)
		res, body := c.Get(approve)
		if res.StatusCode != 200 || !strings.Contains(body, "Handling conflict") || !strings.Contains(body, "45,000 Ft") {
			t.Fatalf("the approve link's page = %d; want the training and its cost", res.StatusCode)
		}
		if after := kaputest.ApprovalSnapshot(app); after != before {
			t.Fatal("opening the link changed the approval")
		}
		sig := kaputest.SigRe.FindStringSubmatch(body)[1]
		if res, _ := kaputest.PostLink(c, approve, sig, ""); res.StatusCode != 200 {
			t.Fatalf("approve by link = %d; want 200", res.StatusCode)
		}
		if got := f.enrolment(t, e.ID); got.Status != training.EnrolEnrolled {
			t.Errorf("after the link's approval %s; want enrolled", got.Status)
		}

		other := f.training(t, f.year, "LINK-2")
		r := f.request(t, f.who(t, "employee"), other, nil)
		if _, err := app.Approval.Decide(context.Background(), f.who(t, "manager"),
			approval.Decision{RequestID: *r.ApprovalID, Comment: "Idén nincs rá keret."}); err != nil {
			t.Fatal(err)
		}
		if got := f.enrolment(t, r.ID); got.Status != training.EnrolRejected {
			t.Errorf("after the rejection %s; want rejected", got.Status)
		}
		if again := f.request(t, f.who(t, "employee"), other, nil); again.Status != training.EnrolPending {
			t.Errorf("a new request after a rejection is %s; want pending", again.Status)
		}
		// Withdrawn by cancelling while pending: the approval is withdrawn too.
		last := lastEnrolment(t, app, "employee")
		if err := app.Training.CancelEnrolment(context.Background(), f.who(t, "employee"), last.ID); err != nil {
			t.Fatal(err)
		}
		var ar approval.Request
		app.DB.W.First(&ar, *last.ApprovalID)
		if ar.Status != approval.StatusWithdrawn {
			t.Errorf("the cancelled request's approval is %s; want withdrawn", ar.Status)
		}
	})
}

// The demo's enrolments: requests and a plan waiting for `manager`, seats
// taken on a mandatory session; a second run adds nothing.
func TestSeedDemoEnrolments(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		noTrainingYet(t, app)
		f := newEnrolFixture(t, app)
		for _, code := range []string{"D-1", "D-2", "D-3", "D-4"} {
			f.session(t, f.training(t, f.year, code), 10, 12)
		}
		f.session(t, f.training(t, f.year, "D-MAND", func(t *training.Training) { t.Mandatory = true }), 15, 20)
		ctx := context.Background()
		count := func() (n int64) {
			app.DB.W.Model(&training.Enrolment{}).Count(&n)
			return n
		}
		for run := range 2 {
			if err := app.Training.SeedDemoEnrolments(ctx, f.year); err != nil {
				t.Fatalf("run %d: %v", run+1, err)
			}
			if n := count(); n != 4 {
				t.Errorf("run %d: %d enrolments; want 4", run+1, n)
			}
		}
		var pending int64
		app.DB.W.Model(&approval.Request{}).Where("status = ?", approval.StatusPending).Count(&pending)
		if pending != 3 {
			t.Errorf("%d approvals pending; want 3 (two requests and a plan)", pending)
		}
		if _, body := kaputest.SignedIn(t, app, "manager").Get("/approvals"); !strings.Contains(body, "Course D-1") ||
			!strings.Contains(body, msg(t, "training.enrol.plan_approval.title", "Year", f.year, "Name", "Simon Réka")) {
			t.Error("the manager's inbox lacks the demo's request or plan")
		}
	})
}

// A request whose session started before the manager decided cannot be
// approved (the engine shows why, nothing changes); it can be rejected, or
// cancelled by the employee, and no seat is ever taken.
func TestApprovalAfterTheSessionStartedRefused(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		ctx := context.Background()
		tr := f.training(t, f.year, "LATE-1")
		s := f.session(t, tr, 3, 5)
		e := f.request(t, f.who(t, "employee"), tr, s)
		e2 := f.request(t, f.who(t, "lakatos.bence"), tr, s)
		app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).Updates(map[string]any{"first_day": f.today.AddDays(-1), "last_day": f.today})
		_, err := app.Approval.Decide(ctx, f.who(t, "manager"), approval.Decision{RequestID: *e.ApprovalID, Approve: true})
		if r, ok := approval.AsRefusal(err); !ok || r.Key != "training.enrol.refusal.session_gone" {
			t.Fatalf("approving after the start = %v; want the refusal", err)
		}
		if got := f.enrolment(t, e.ID); got.Status != training.EnrolPending {
			t.Errorf("refused approval left %s; want pending", got.Status)
		}
		if _, err := app.Approval.Decide(ctx, f.who(t, "manager"), approval.Decision{RequestID: *e.ApprovalID, Comment: "Lekéstük."}); err != nil {
			t.Fatal(err)
		}
		if got := f.enrolment(t, e.ID); got.Status != training.EnrolRejected {
			t.Errorf("after the rejection %s; want rejected", got.Status)
		}
		if err := app.Training.CancelEnrolment(ctx, f.who(t, "lakatos.bence"), e2.ID); err != nil {
			t.Errorf("cancelling a pending request after the start: %v", err)
		}
		if sess := f.load(t, s.ID); sess.Enrolled != 0 {
			t.Errorf("session holds %d; want 0", sess.Enrolled)
		}
	})
}

// Every demo account, in both languages, opens the catalogue, the request
// form and their requests: 200, and no key shown untranslated.
func TestEnrolPagesForEveryone(t *testing.T) {
	app := kaputest.New(t, "sqlite")
	f := newEnrolFixture(t, app)
	tr := f.training(t, f.year, "ALL-1", func(t *training.Training) { t.Mandatory = true })
	full := f.session(t, tr, 6, 1)
	f.fill(t, full, 1)
	f.session(t, tr, 8, 10)
	f.training(t, f.year, "ALL-2", func(t *training.Training) { t.Kind = training.KindELearning })
	for _, acc := range people.DemoAccounts {
		for _, lang := range []string{"en", "hu"} {
			c := kaputest.SignedIn(t, app, acc.Username)
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {lang}})
			for _, path := range []string{"/training/catalogue", "/training/catalogue?kind=elearning&q=ALL&mandatory=1",
				"/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(full.ID), "/training/requests",
				"/training/requests?year=" + itoa(uint(f.year+1))} {
				res, body := c.Get(path)
				if res.StatusCode != 200 {
					t.Errorf("%s (%s) GET %s = %d; want 200", acc.Username, lang, path, res.StatusCode)
					continue
				}
				if i := strings.Index(body, "training.enrol."); i >= 0 {
					t.Errorf("%s (%s) GET %s shows a raw key near %q", acc.Username, lang, path, body[i:min(i+60, len(body))])
				}
			}
		}
	}
}
