package kapu_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/training"
)

// TestBrowserTraining follows issue 16's "Done when" path on the demo with
// its history: the employee requests an optional course on one of the
// coming sessions (first without a reason, which the form refuses), the
// manager, signed out, approves from the mail's link, the session's days
// show on the team calendar, HR records the roster with a certificate
// number and a PDF, the employee's My trainings shows the completion and
// the certificate, and the compliance view and statistics look alive. It
// runs on each database the kit tests, each with its own server and browser.
func TestBrowserTraining(t *testing.T) {
	chromium := findChromium(t)
	kaputest.Each(t, func(t *testing.T, app *kapu.App) { trainingBrowserFlow(t, chromium, app) }, kaputest.WithHistory())
}

// Why the employee asks for the course (trainingToRequest picks it), and
// the certificate HR records.
const (
	trReason        = "I answer the customer service phone line from January"
	trCertificateNo = "NKE-KOMM-2026/0042"
)

var trEnrolmentPathRe = regexp.MustCompile(`^/training/enrolments/(\d+)$`)

// trMinimalPDF is a one-object PDF: what http.DetectContentType names
// application/pdf, small enough for any upload limit.
const trMinimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n"

func trainingBrowserFlow(t *testing.T, chromium string, app *kapu.App) {
	base := serve(t, app)
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()

	today := calendar.Today(app.Cfg.TZ) // the day the app's services read
	employee := kaputest.Person(t, app, "employee")
	course, ses, freeDay := trainingToRequest(t, app, employee.ID, today)
	title := course.Title("en")
	sesOf := func() training.Session {
		t.Helper()
		var s training.Session
		if err := app.DB.R.First(&s, ses.ID).Error; err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The employee's enrolments on the course since the test began (the
	// demo's history may hold one done earlier in the year).
	var before uint
	if err := app.DB.R.Model(&training.Enrolment{}).Select("COALESCE(MAX(id), 0)").Scan(&before).Error; err != nil {
		t.Fatal(err)
	}
	enrolments := func() []training.Enrolment {
		t.Helper()
		var es []training.Enrolment
		if err := app.DB.R.Where("training_id = ? AND person_id = ? AND id > ?", course.ID, employee.ID, before).Order("id").Find(&es).Error; err != nil {
			t.Fatal(err)
		}
		return es
	}
	tid, sid := trID(course.ID), trID(ses.ID)
	requestPath := "/training/catalogue/" + tid + "/request"

	b := startBrowser(t, chromium, base)
	b.shotsPerTest() // one folder per database: the runs take the same names

	// 1. The employee finds the course in the catalogue and asks for it.
	b.login("employee", "demo")
	res := b.open("/training/catalogue")
	b.wantPage(res, 200, "/training/catalogue")
	requestLink := `a[href="` + requestPath + `?session=` + sid + `"]`
	offer := `article.tr-offer:has(` + requestLink + `)`
	if !b.exists(offer) {
		b.fatalf("the catalogue offers no request link %s for the session of %s", requestLink, course.Code)
	}
	if h := b.text(offer + " h2"); !strings.Contains(h, title) {
		b.fatalf("the card with the request link is headed %q; want %q", h, title)
	}
	seatsBefore := ses.Enrolled
	if left := b.text(offer + ` tr:has(` + requestLink + `)`); !strings.Contains(left, strconv.Itoa(ses.Seats-seatsBefore)) {
		b.fatalf("the session's row reads %q; want the %d seats left", left, ses.Seats-seatsBefore)
	}
	b.screenshot("training-catalogue")
	b.overflowAt360("training-catalogue")

	res = b.follow("open the request form", chromedp.Click(chromedp.CSS(requestLink)))
	b.wantPage(res, 200, requestPath)
	if got := b.value(`input[name="session"]:checked`); got != sid {
		b.fatalf("the request form from the session's link has session %q chosen; want %s", got, sid)
	}
	if facts := b.text("main dl.kv"); !strings.Contains(facts, course.Provider) {
		b.fatalf("the request form's facts %q do not name the provider %q", facts, course.Provider)
	}
	b.screenshot("training-request-form")
	b.overflowAt360("training-request-form")

	// Sent without a reason: the browser's own check stops it first; past
	// that, the server says why by the reason field and stores nothing.
	if evalJS[bool](b, "browser check of the reason", `document.querySelector("#f-reason").validity.valid`) {
		b.fatalf("the browser accepts an empty reason; the field should be required")
	}
	form := `form[action="` + requestPath + `"]`
	b.do("turn off the browser's form check", chromedp.Evaluate[chromedp.Void](`document.querySelector(`+js(form)+`).noValidate = true`))
	res = b.follow("send the request without a reason", chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
	b.wantPage(res, 422, requestPath)
	if inv := b.attr("#f-reason", "aria-invalid"); inv != "true" {
		b.fatalf("the missing reason is not marked invalid (aria-invalid=%q)", inv)
	}
	if msg := b.text("#f-reason-error"); !strings.Contains(msg, "Say why") || !b.visible("#f-reason-error") {
		b.fatalf("the reason field's message is %q (visible %v); want the visible “Say why …”", msg, b.visible("#f-reason-error"))
	}
	if got := b.value(`input[name="session"]:checked`); got != sid {
		b.fatalf("the refused form lost the chosen session: %q; want %s", got, sid)
	}
	if es := enrolments(); len(es) != 0 || sesOf().Enrolled != seatsBefore {
		t.Fatalf("the refused request stored %d enrolments, the session holds %d; want none and %d", len(es), sesOf().Enrolled, seatsBefore)
	}
	b.screenshot("training-request-no-reason")

	b.do("type the reason", chromedp.SendKeys(chromedp.ID("f-reason"), trReason))
	res = b.follow("send the request", chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
	b.wantPage(res, 200, `/training/enrolments/\d+`)
	enrolmentPath := enrolmentPathOf(t, res.URL)
	if msg := b.text(".flash-success"); !strings.Contains(msg, "Request sent to your manager") {
		b.fatalf("after sending, the message is %q; want that it went to the manager", msg)
	}
	if st := b.text(".page-head .badge"); st != "Awaiting approval" {
		b.fatalf("the new enrolment's page shows the status %q; want Awaiting approval", st)
	}
	es := enrolments()
	if len(es) != 1 || es[0].Status != training.EnrolPending || es[0].SessionID == nil || *es[0].SessionID != ses.ID ||
		es[0].Reason != trReason || es[0].ApprovalID == nil || enrolmentPath != "/training/enrolments/"+trID(es[0].ID) {
		t.Fatalf("after sending, the employee's enrolments are %+v (page %s); want one pending on session %d with the reason and an approval", es, enrolmentPath, ses.ID)
	}
	enrolment := es[0]
	b.screenshot("training-request-sent")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// 2. The manager, signed out, opens the mail's Approve link.
	approveLink := trainingApproveLink(t, app)
	res = b.open(approveLink)
	b.wantPage(res, 200, approveLink)
	if b.exists(".topbar-user-name") {
		b.fatalf("the approval link's page shows someone signed in: %q", b.text(".topbar-user-name"))
	}
	if h := b.text("h1"); !strings.Contains(h, title) || !strings.Contains(h, employee.Name) {
		b.fatalf("the approval link's page is headed %q; want the course and %s", h, employee.Name)
	}
	if facts := b.text("main dl.kv"); !strings.Contains(facts, trReason) || !strings.Contains(facts, "Ft") {
		b.fatalf("the approval link's page does not show the reason and the cost: %q", facts)
	}
	b.screenshot("training-approve-link")
	b.overflowAt360("training-approve-link")
	pendingStill := func(when string) {
		t.Helper()
		var ar approval.Request
		if err := app.DB.R.First(&ar, *enrolment.ApprovalID).Error; err != nil {
			t.Fatal(err)
		}
		if e := enrolments(); len(e) != 1 || e[0].Status != training.EnrolPending || ar.Status != approval.StatusPending || sesOf().Enrolled != seatsBefore {
			t.Fatalf("%s the enrolment is %s, its approval %s, the session holds %d; want pending, pending, %d", when, e[0].Status, ar.Status, sesOf().Enrolled, seatsBefore)
		}
	}
	pendingStill("after opening the link,")
	res = b.follow("press Approve", chromedp.Click(chromedp.CSS(`form[action^="/a/"] button[type="submit"]`)))
	b.wantPage(res, 200, approveLink)
	if msg := b.text(".alert-success"); !strings.Contains(msg, "approval was recorded") {
		b.fatalf("after pressing Approve the page says %q; want that the approval was recorded", msg)
	}
	b.screenshot("training-approve-link-done")
	if e := enrolments(); e[0].Status != training.EnrolEnrolled || sesOf().Enrolled != seatsBefore+1 {
		t.Fatalf("after approving, the enrolment is %s and the session holds %d; want enrolled and %d (a seat taken)", e[0].Status, sesOf().Enrolled, seatsBefore+1)
	}
	if !trainingMailed(t, app, "employee", "Enrolled: "+title) {
		t.Fatalf("the employee got no mail %q after the approval", "Enrolled: "+title)
	}

	// 4 (before the session is moved into the past). The manager's team
	// calendar shows the employee away at the training on its first day
	// without leave (leave, drawn first, takes a day's one mark).
	b.login("manager", "demo")
	teamPath := fmt.Sprintf("/leave/team?month=%04d-%02d", freeDay.Year, freeDay.Month)
	res = b.open(teamPath)
	b.wantPage(res, 200, "/leave/team")
	cell := evalJS[string](b, "read the employee's cell on the session's first day", `(() => {
		const row = Array.from(document.querySelectorAll("table.day-grid tbody tr")).find(tr => tr.querySelector("th")?.innerText.trim() === `+js(employee.Name)+`);
		const td = row && row.cells[`+strconv.Itoa(freeDay.Day)+`];
		return td ? (td.querySelector("svg title")?.textContent ?? "(empty)") : "";
	})()`)
	if !strings.Contains(cell, title) {
		b.fatalf("the team calendar's cell of %s on %s reads %q; want the training %q", employee.Name, freeDay, cell, title)
	}
	b.screenshot("training-team-calendar")

	// 3. The session is over: its days are moved to yesterday in the
	// database (the roster takes a session only after its last day, and the
	// app's clock is the real one), then HR records the roster with the
	// employee completed, a certificate number and its PDF.
	yesterday := today.AddDays(-1)
	if err := app.DB.W.Model(&training.Session{}).Where("id = ?", ses.ID).
		Updates(map[string]any{"first_day": yesterday, "last_day": yesterday}).Error; err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "tanusitvany.pdf")
	if err := os.WriteFile(pdf, []byte(trMinimalPDF), 0o644); err != nil {
		t.Fatal(err)
	}
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.login("hr", "demo")
	rosterPath := "/training/admin/sessions/" + sid + "/roster"
	res = b.open(rosterPath)
	b.wantPage(res, 200, rosterPath)
	lines := evalJS[[]string](b, "read the roster's enrolments", `Array.from(document.querySelectorAll('input[name$="_enrolment"]')).map(i => i.value)`)
	if len(lines) != seatsBefore+1 {
		b.fatalf("the roster has %d lines; want the %d people holding a seat", len(lines), seatsBefore+1)
	}
	mine := -1
	for i, v := range lines {
		sel := fmt.Sprintf("#f-line_%d_outcome", i)
		outcome := training.OutcomeAttended
		if v == trID(enrolment.ID) {
			mine, outcome = i, training.OutcomeCompleted
		}
		b.do("choose line "+strconv.Itoa(i)+"'s outcome", chromedp.SetValue(chromedp.CSS(sel), outcome))
	}
	if mine < 0 {
		b.fatalf("the roster has no line for the employee's enrolment %d: %q", enrolment.ID, lines)
	}
	b.do("type the certificate number and attach its PDF",
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-line_%d_certificate_no", mine)), trCertificateNo),
		chromedp.SetUploadFiles(chromedp.ID(fmt.Sprintf("f-line_%d_file", mine)), []string{pdf}),
	)
	b.screenshot("training-roster")
	b.overflowAt360("training-roster")
	res = b.follow("record the roster", chromedp.Click(chromedp.CSS(`form.training-roster button[type="submit"]`)))
	b.wantPage(res, 200, rosterPath)
	if msg := b.text(".flash-success"); !strings.Contains(msg, "is recorded") {
		b.fatalf("after recording, the roster says %q; want that it is recorded", msg)
	}
	if got := b.rows("main table"); len(got) != len(lines) {
		b.fatalf("the recorded roster shows %d lines; want %d", len(got), len(lines))
	}
	b.screenshot("training-roster-recorded")
	var done training.Completion
	if err := app.DB.R.Where("enrolment_id = ?", enrolment.ID).First(&done).Error; err != nil {
		t.Fatalf("the recorded roster wrote no completion for the employee: %v", err)
	}
	if done.PersonID != employee.ID || done.CertificateNo != trCertificateNo || done.Points != course.Points || done.CompletedOn != yesterday || done.Source != training.CompletionRoster {
		t.Fatalf("the employee's completion is %+v; want theirs, certificate %s, %d points, on %s, from the roster", done, trCertificateNo, course.Points, yesterday)
	}
	var points training.PointsRow
	if err := app.DB.R.Where("completion_id = ?", done.ID).First(&points).Error; err != nil || points.Points != course.Points || points.PersonID != employee.ID {
		t.Fatalf("the completion's points row is %+v (%v); want %d points for the employee", points, err, course.Points)
	}
	var file training.CertificateFile
	if err := app.DB.R.First(&file, "completion_id = ?", done.ID).Error; err != nil || file.ContentType != "application/pdf" || string(file.Data) != trMinimalPDF {
		t.Fatalf("the completion's certificate file is %q, %s, %d bytes (%v); want the uploaded PDF", file.Name, file.ContentType, file.Size, err)
	}
	if e := enrolments(); e[0].Status != training.EnrolDone || e[0].Outcome != training.OutcomeCompleted || sesOf().Status != training.SessionClosed {
		t.Fatalf("after the roster the enrolment is %s/%s, the session %s; want done/completed and closed", e[0].Status, e[0].Outcome, sesOf().Status)
	}
	if !trainingMailed(t, app, "employee", "Training completed: "+title) {
		t.Fatalf("the employee got no mail %q after the roster", "Training completed: "+title)
	}

	// 5. The compliance view and the statistics look alive.
	res = b.open("/training/compliance")
	b.wantPage(res, 200, "/training/compliance")
	if rows := b.rows("main table.list"); len(rows) == 0 {
		b.fatalf("the compliance view shows no people")
	}
	if !b.exists("main table.list .badge-success, main table.list .badge-warning, main table.list .badge-danger") {
		b.fatalf("the compliance view shows no red / amber / green light")
	}
	if got := b.text(`main table.list tr:has(a[href="/training/people/` + trID(employee.ID) + `"])`); got == "" {
		b.fatalf("the compliance view has no row for %s", employee.Name)
	}
	b.screenshot("training-compliance")
	b.overflowAt360("training-compliance")
	res = b.open("/training/stats")
	b.wantPage(res, 200, "/training/stats")
	if !b.exists("main figure.chart svg") {
		b.fatalf("the statistics draw no chart")
	}
	if n := evalJS[int](b, "count the statistics' table rows", `document.querySelectorAll("main .appt-flush table tbody tr").length`); n == 0 {
		b.fatalf("the statistics' tables are empty")
	}
	b.screenshot("training-stats")
	b.overflowAt360("training-stats")

	// The employee's My trainings shows the completion and its certificate.
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.login("employee", "demo")
	res = b.open("/training")
	b.wantPage(res, 200, "/training")
	// Day, training, hours, points, recorded by.
	listed := false
	for _, r := range b.rows(`section[aria-labelledby="h-done"] table`) {
		listed = listed || len(r) >= 5 && r[1] == title && r[3] == strconv.Itoa(course.Points) && r[4] == "Session roster"
	}
	if !listed {
		b.fatalf("My trainings' completed list has no row of %q with %d points from the session roster", title, course.Points)
	}
	certs := `section[aria-labelledby="h-certs"]`
	if got := b.text(certs); !strings.Contains(got, title) || !strings.Contains(got, trCertificateNo) {
		b.fatalf("My trainings' certificates do not show %q with %s: %q", title, trCertificateNo, got)
	}
	certLink := "/training/certificates/" + trID(done.ID)
	if !b.exists(certs + ` a[href="` + certLink + `"]`) {
		b.fatalf("My trainings offers no link %s to the certificate's file", certLink)
	}
	if r, body := kaputest.SignedIn(t, app, "employee").Get(certLink); r.StatusCode != 200 || body != trMinimalPDF {
		t.Fatalf("the certificate link answers %d with %d bytes; want 200 and the uploaded PDF", r.StatusCode, len(body))
	}
	b.screenshot("training-mine")
	b.overflowAt360("training-mine")
}

// trID writes an id as the pages do.
func trID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// enrolmentPathOf is the path of an address on an enrolment's page, or the test fails.
func enrolmentPathOf(t *testing.T, address string) string {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil || !trEnrolmentPathRe.MatchString(u.Path) {
		t.Fatalf("landed on %s; want an enrolment's page", address)
	}
	return u.Path
}

// trainingApproveLink is the Approve link's path in the manager's mail
// about the employee's request with trReason, or the test fails.
func trainingApproveLink(t *testing.T, app *kapu.App) string {
	t.Helper()
	for _, m := range kaputest.MailsTo(t, app, "manager") {
		if strings.Contains(m.Text, trReason) && kaputest.LinkRe.MatchString(m.Text) {
			approve, _ := kaputest.Links(t, m)
			return approve
		}
	}
	t.Fatalf("the manager has no approval mail about the request %q", trReason)
	return ""
}

// trainingMailed reports whether the person has a mail with the subject.
func trainingMailed(t *testing.T, app *kapu.App, username, subject string) bool {
	t.Helper()
	for _, m := range kaputest.MailsTo(t, app, username) {
		if m.Subject == subject {
			return true
		}
	}
	return false
}

// trCandidates are optional courses for everyone with sessions in the
// demo's coming weeks, which the demo's own requests leave the employee
// free to ask for.
var trCandidates = []string{"KOMM-01", "EXCEL-02"}

// trainingToRequest is the first candidate course of this year with a
// coming session with a seat the person has not asked for, that session,
// and its first working day the person has no leave on (leave's team
// calendar draws leave over a training). In the last days of December the
// demo has no coming sessions (next year's catalogue is a draft): then HR
// adds one to the first candidate on a free working day left in the year,
// and with none left the test is skipped.
func trainingToRequest(t *testing.T, app *kapu.App, personID uint, today calendar.Date) (training.Training, training.Session, calendar.Date) {
	t.Helper()
	free := func(d calendar.Date) bool {
		var onLeave int64
		if err := app.DB.R.Model(&leave.Request{}).Where("person_id = ? AND start_date <= ? AND end_date >= ? AND status NOT IN ?",
			personID, d, d, []string{leave.StatusRejected, leave.StatusCancelled}).Count(&onLeave).Error; err != nil {
			t.Fatal(err)
		}
		return onLeave == 0 && kaputest.WorkdayOnOrAfter(t, app, d) == d
	}
	var first *training.Training
	for _, code := range trCandidates {
		var course training.Training
		if err := app.DB.R.Where("year = ? AND code = ?", today.Year, code).First(&course).Error; err != nil {
			continue
		}
		var taken int64
		app.DB.R.Model(&training.Enrolment{}).Where("training_id = ? AND person_id = ? AND status IN ?", course.ID, personID, training.ActiveEnrolment).Count(&taken)
		if taken > 0 {
			continue
		}
		if first == nil {
			first = &course
		}
		var ses training.Session
		if app.DB.R.Where("training_id = ? AND status = ? AND first_day > ? AND enrolled < seats", course.ID, training.SessionScheduled, today).
			Order("first_day").First(&ses).Error != nil {
			continue
		}
		for d := ses.FirstDay; !d.After(ses.LastDay); d = d.AddDays(1) {
			if free(d) {
				return course, ses, d
			}
		}
	}
	if first == nil {
		t.Fatalf("none of %v is in the demo's %d catalogue for the employee to ask for", trCandidates, today.Year)
	}
	for d := today.AddDays(1); d.Year == today.Year; d = d.AddDays(1) {
		if !free(d) {
			continue
		}
		ses, err := app.Training.CreateSession(context.Background(), kaputest.Person(t, app, "hr").Actor(), first.ID, training.SessionInput{
			FirstDay: d, LastDay: d, FromMin: 9 * 60, ToMin: 15 * 60, Place: "Városháza, díszterem", Trainer: "Kelemen Judit", Seats: 16})
		if err != nil {
			t.Fatalf("HR adds a session of %s on %s: %v", first.Code, d, err)
		}
		return *first, *ses, d
	}
	t.Skipf("the demo has no coming session of %v in %d and the year has no working day left to add one", trCandidates, today.Year)
	return training.Training{}, training.Session{}, calendar.Date{}
}
