package helpdesk_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// tkPost sends a multipart form as the report page does, with an
// optional file in "photo"; c's CSRF token is added.
func tkPost(t *testing.T, c *kaputest.Client, path string, form url.Values, filename string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.CSRF)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("photo", filename)
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://example.com"+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// tkCategory is the id of a queue's category by its English name.
func tkCategory(t *testing.T, app *kapu.App, queue, name string) string {
	t.Helper()
	ctx := context.Background()
	qs, err := app.Helpdesk.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Key != queue {
			continue
		}
		cs, err := app.Helpdesk.Categories(ctx, q.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.NameEN == name {
				return itoa(c.ID)
			}
		}
	}
	t.Fatalf("no category %s/%s", queue, name)
	return ""
}

var tkPath = regexp.MustCompile(`^/helpdesk/tickets/(\d+)$`)

// tkReport posts a fault as c and returns the new ticket's path.
func tkReport(t *testing.T, app *kapu.App, c *kaputest.Client, title string) string {
	t.Helper()
	c.Get("/helpdesk/new")
	res, body := tkPost(t, c, "/helpdesk/new", url.Values{"category_id": {tkCategory(t, app, helpdesk.QueueIT, "Printer")},
		"title": {title}, "impact": {helpdesk.ImpactHinders}}, "", nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !tkPath.MatchString(loc) {
		t.Fatalf("report = %d %q; want 303 to the ticket\n%s", res.StatusCode, loc, body)
	}
	return loc
}

// tkCount counts a table's rows.
func tkCount(t *testing.T, app *kapu.App, table string) int64 {
	t.Helper()
	var n int64
	if err := app.DB.R.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReportFromAssetLink: the QR label's link fills in the asset and its
// room, the report lands with them and the flash names the number; an
// unknown tag is a field error and saves nothing.
func TestReportFromAssetLink(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		room := kaputest.Resource(t, app, "Kis tárgyaló")
		staff := kaputest.Person(t, app, "it").Actor()
		as, err := app.Helpdesk.SaveAsset(ctx, staff, 0, helpdesk.AssetInput{Tag: "LT-0042", Type: "nyomtató", Model: "HP M404",
			Building: "Főépület", Floor: "földszint", Room: "Kis tárgyaló", RoomID: &room.ID})
		if err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")
		res, body := emp.Get("/helpdesk/new?asset=LT-0042")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /helpdesk/new?asset = %d", res.StatusCode)
		}
		printer := tkCategory(t, app, helpdesk.QueueIT, "Printer")
		for _, want := range []string{`value="LT-0042"`, `<option value="` + printer + `" selected>`, `<option value="` + itoa(room.ID) + `" selected>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form from the label lacks %s", want)
			}
		}
		res, body = tkPost(t, emp, "/helpdesk/new", url.Values{"category_id": {printer}, "title": {"Papírelakadás"},
			"impact": {helpdesk.ImpactBlocks}, "asset_tag": {"LT-0042"}, "room_id": {itoa(room.ID)}}, "", nil)
		loc := res.Header.Get("Location")
		m := tkPath.FindStringSubmatch(loc)
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("report = %d %q; want 303 to the ticket\n%s", res.StatusCode, loc, body)
		}
		_, page := emp.Get(loc)
		var tk helpdesk.Ticket
		if err := app.DB.R.Where("title = ?", "Papírelakadás").First(&tk).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page, "Thank you, your ticket number is "+tk.Number) {
			t.Errorf("the flash does not name %s", tk.Number)
		}
		if tk.AssetID == nil || *tk.AssetID != as.ID || tk.Building != "Főépület" || tk.Floor != "földszint" || tk.Room != "Kis tárgyaló" {
			t.Errorf("ticket asset %v, place %q/%q/%q; want the label's asset in Főépület/földszint/Kis tárgyaló", tk.AssetID, tk.Building, tk.Floor, tk.Room)
		}

		before := tkCount(t, app, "helpdesk_tickets")
		res, body = emp.Get("/helpdesk/new?asset=NOPE-1")
		if !strings.Contains(html.UnescapeString(body), "There is no equipment with this inventory tag") {
			t.Errorf("GET with an unknown tag = %d, no field message", res.StatusCode)
		}
		res, body = tkPost(t, emp, "/helpdesk/new", url.Values{"category_id": {printer}, "title": {"X"},
			"impact": {helpdesk.ImpactBlocks}, "asset_tag": {"<script>x</script>"}}, "", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "There is no equipment with this inventory tag") {
			t.Errorf("POST with a foreign tag = %d; want 422 with the field message", res.StatusCode)
		}
		if n := tkCount(t, app, "helpdesk_tickets"); n != before {
			t.Errorf("tickets %d → %d after refused reports", before, n)
		}
	})
}

// TestReportEmptyTitle: a report without a title comes back (422) with the
// message next to the field and what was typed kept.
func TestReportEmptyTitle(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/helpdesk/new")
		res, body := tkPost(t, emp, "/helpdesk/new", url.Values{"category_id": {tkCategory(t, app, helpdesk.QueueMaintenance, "Plumbing")},
			"title": {"  "}, "description": {"Csöpög a csap a konyhában"}, "impact": {helpdesk.ImpactCanWait}, "room": {"112"}}, "", nil)
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty title = %d; want 422", res.StatusCode)
		}
		if !strings.Contains(body, `id="f-title-error"`) || !strings.Contains(body, "Give the fault a short title.") {
			t.Errorf("no field message next to the title")
		}
		for _, kept := range []string{"Csöpög a csap a konyhában", `value="112"`, `value="can_wait" checked`} {
			if !strings.Contains(body, kept) {
				t.Errorf("the form lost %q", kept)
			}
		}
	})
}

// TestTicketPage: another employee's ticket is a 404; of two staff taking a
// ticket the second is told who has it; resolving needs a code; the reporter
// reopens; a closed ticket takes no comment.
func TestTicketPage(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		path := tkReport(t, app, emp, "Nem indul a gép")
		id := tkPath.FindStringSubmatch(path)[1]

		hr := kaputest.SignedIn(t, app, "hr")
		if res, _ := hr.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("another employee GET %s = %d; want 404", path, res.StatusCode)
		}
		hr.Get("/helpdesk")
		if res, _ := hr.Post(path+"/comment", url.Values{"body": {"hello"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("another employee comments = %d; want 404", res.StatusCode)
		}

		it, milan := kaputest.SignedIn(t, app, "it"), kaputest.SignedIn(t, app, "deak.milan")
		it.Get(path)
		milan.Get(path)
		if res, _ := it.Post(path+"/take", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first take = %d; want 303", res.StatusCode)
		}
		res, page := milan.Post(path+"/take", nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(page), "Orsós Dániel has already taken this ticket.") {
			t.Errorf("the second taker gets %d and is not told who has the ticket; want 409 naming the winner", res.StatusCode)
		}

		it.Get(path)
		res, page = it.Post(path+"/resolve", url.Values{"comment": {"Újraindítottam a gépet"}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "code") != "Choose how the ticket was resolved." {
			t.Errorf("resolve without a code = %d; want 422 with the message by the resolution field", res.StatusCode)
		}
		if !strings.Contains(page, ">Újraindítottam a gépet</textarea>") {
			t.Errorf("resolve without a code lost the word to the reporter")
		}
		var tk helpdesk.Ticket
		app.DB.R.Where("id = ?", id).First(&tk)
		if tk.State != helpdesk.StateAssigned {
			t.Fatalf("state after a resolve without code = %s; want assigned", tk.State)
		}
		if res, _ := it.Post(path+"/resolve", url.Values{"code": {helpdesk.ResolvedRepaired}, "comment": {"Tápegység cserélve"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resolve = %d", res.StatusCode)
		}

		_, page = emp.Get(path)
		if !strings.Contains(page, "/reopen") {
			t.Errorf("the reporter is not offered to reopen the resolved ticket")
		}
		emp.Post(path+"/reopen", url.Values{"comment": {"Megint nem indul"}})
		app.DB.R.Where("id = ?", id).First(&tk)
		if tk.State != helpdesk.StateInProgress {
			t.Fatalf("state after the reporter reopened = %s; want in_progress", tk.State)
		}

		it.Get(path)
		it.Post(path+"/resolve", url.Values{"code": {helpdesk.ResolvedReplaced}})
		it.Get(path)
		it.Post(path+"/state", url.Values{"to": {helpdesk.StateClosed}})
		app.DB.R.Where("id = ?", id).First(&tk)
		if tk.State != helpdesk.StateClosed {
			t.Fatalf("state = %s; want closed", tk.State)
		}
		before := tkCount(t, app, "helpdesk_comments")
		emp.Get(path)
		res, page = emp.Post(path+"/comment", url.Values{"body": {"Még mindig rossz"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, "The ticket is closed; if the fault is back, please report it again.") {
			t.Errorf("a comment on a closed ticket = %d; want 409 with a clear message", res.StatusCode)
		}
		if n := tkCount(t, app, "helpdesk_comments"); n != before {
			t.Errorf("comments %d → %d on a closed ticket", before, n)
		}

		_, page = emp.Get("/helpdesk")
		if !strings.Contains(page, "Nem indul a gép") || !strings.Contains(page, tk.Number) {
			t.Errorf("my tickets does not list %s\n%s", tk.Number, page)
		}
	})
}

// TestReportOnBehalfByStaff: staff record a phoned-in fault for the caller
// with their urgency; an employee's urgency stays medium.
func TestReportOnBehalfByStaff(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.Person(t, app, "employee")
		it := kaputest.SignedIn(t, app, "it")
		_, page := it.Get("/helpdesk/new")
		if !strings.Contains(page, `name="reporter_id"`) || !strings.Contains(page, `name="urgency"`) {
			t.Fatalf("staff's form lacks reported by and urgency")
		}
		cat := tkCategory(t, app, helpdesk.QueueIT, "Account, password")
		res, body := tkPost(t, it, "/helpdesk/new", url.Values{"category_id": {cat}, "title": {"Kizárta a rendszer"},
			"impact": {helpdesk.ImpactBlocks}, "urgency": {helpdesk.UrgencyHigh}, "reporter_id": {itoa(emp.ID)}}, "", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("staff report = %d\n%s", res.StatusCode, body)
		}
		var tk helpdesk.Ticket
		app.DB.R.Where("title = ?", "Kizárta a rendszer").First(&tk)
		if tk.ReporterID != emp.ID || tk.RecordedByID == nil || tk.Urgency != helpdesk.UrgencyHigh || tk.Priority != 1 {
			t.Errorf("ticket reporter %d, recorded by %v, urgency %s, priority %d; want the employee, by it, high, 1",
				tk.ReporterID, tk.RecordedByID, tk.Urgency, tk.Priority)
		}
		c := kaputest.SignedIn(t, app, "employee")
		_, page = c.Get("/helpdesk/new")
		if strings.Contains(page, `name="reporter_id"`) {
			t.Errorf("an employee's form offers reported by")
		}
		tkPost(t, c, "/helpdesk/new", url.Values{"category_id": {cat}, "title": {"Elfelejtett jelszó"},
			"impact": {helpdesk.ImpactBlocks}, "urgency": {helpdesk.UrgencyHigh}}, "", nil)
		var mine helpdesk.Ticket
		if err := app.DB.R.Where("title = ?", "Elfelejtett jelszó").First(&mine).Error; err != nil {
			t.Fatal(err)
		}
		if mine.Urgency != helpdesk.UrgencyMedium {
			t.Errorf("an employee's urgency = %s; want medium", mine.Urgency)
		}
	})
}

// TestTicketFormsKeepWhatWasTyped: a refused comment, photo, state note or
// priority brings the ticket page back (422) with what was typed and the
// message next to its field, and changes nothing.
func TestTicketFormsKeepWhatWasTyped(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		path := tkReport(t, app, emp, "Nem nyomtat a gép")
		id := tkPath.FindStringSubmatch(path)[1]
		comments := tkCount(t, app, "helpdesk_comments")

		emp.Get(path)
		res, page := emp.Post(path+"/comment", url.Values{"body": {"   "}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "body") != "Write your answer in the comment." {
			t.Errorf("an empty comment = %d, body message %q; want 422 with the message by the comment", res.StatusCode, kaputest.FieldError(page, "body"))
		}
		long := strings.Repeat("Papírelakadás a második tálcánál. ", 130) // over 4,000 characters
		res, page = emp.Post(path+"/comment", url.Values{"body": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "body") == "" {
			t.Errorf("a too long comment = %d; want 422 with the message by the comment", res.StatusCode)
		}
		if !strings.Contains(html.UnescapeString(page), strings.TrimSpace(long)) {
			t.Errorf("the page after a too long comment lost the typed text")
		}
		res, page = tkPost(t, emp, path+"/comment", url.Values{"body": {"Itt a hibaüzenet képe"}}, "hiba.svg",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "photo") != "Only PNG, JPEG, GIF or WebP pictures can be attached." {
			t.Errorf("a comment with an SVG = %d, photo message %q; want 422 with the message by the photo", res.StatusCode, kaputest.FieldError(page, "photo"))
		}
		if !strings.Contains(page, ">Itt a hibaüzenet képe</textarea>") {
			t.Errorf("the page after a refused photo lost the comment")
		}
		if n := tkCount(t, app, "helpdesk_comments"); n != comments {
			t.Errorf("comments %d → %d after refused comments", comments, n)
		}

		it := kaputest.SignedIn(t, app, "it")
		it.Get(path)
		if res, _ := it.Post(path+"/take", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("take = %d; want 303", res.StatusCode)
		}
		note := strings.Repeat("Melyik tálcából húzza a lapot? ", 140)
		res, page = it.Post(path+"/state", url.Values{"to": {helpdesk.StateWaitingReporter}, "note": {note}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "note") == "" ||
			!strings.Contains(html.UnescapeString(page), strings.TrimSpace(note)) {
			t.Errorf("a too long state note = %d, message %q; want 422 with the note kept and the message by it", res.StatusCode, kaputest.FieldError(page, "note"))
		}
		res, page = it.Post(path+"/priority", url.Values{"impact": {"whatever"}, "urgency": {helpdesk.UrgencyHigh}})
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(page, "impact") != "Say how badly the fault stops you." {
			t.Errorf("an unknown impact = %d, message %q; want 422 with the message by the impact", res.StatusCode, kaputest.FieldError(page, "impact"))
		}
		if !regexp.MustCompile(`<option value="high" selected>`).MatchString(page) {
			t.Errorf("the priority form shown again does not keep the chosen urgency")
		}
		var tk helpdesk.Ticket
		app.DB.R.Where("id = ?", id).First(&tk)
		if tk.State != helpdesk.StateAssigned || tk.Impact != helpdesk.ImpactHinders || tk.Urgency != helpdesk.UrgencyMedium {
			t.Errorf("after refused changes the ticket is %s, %s × %s; want assigned, hinders × medium", tk.State, tk.Impact, tk.Urgency)
		}
	})
}
