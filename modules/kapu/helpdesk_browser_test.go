package kapu_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
)

// TestBrowserHelpdesk follows a fault from the printer's QR label to the
// reporter's rating: the employee opens the label's link and finds the
// printer and its place filled in, IT takes, resolves and closes the ticket
// within its service level, and the employee, signed out, rates it from the
// closing mail's one-click score link, which then says it was rated. It runs
// on each database the kit tests (kaputest.Each), each with its own server and
// browser, and its screenshots in a folder per database.
func TestBrowserHelpdesk(t *testing.T) {
	chromium := findChromium(t)
	kaputest.Each(t, func(t *testing.T, app *kapu.App) { helpdeskBrowserFlow(t, chromium, app) })
}

func helpdeskBrowserFlow(t *testing.T, chromium string, app *kapu.App) {
	base := serve(t, app)
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()

	// The printer with its sticker, as the inventory keeper records it.
	const tag, title = "IT-NY-0042", "The second-floor printer jams every page"
	owner := kaputest.Person(t, app, "employee").ID
	if _, err := app.Helpdesk.SaveAsset(context.Background(), kaputest.Person(t, app, "admin").Actor(), 0, helpdesk.AssetInput{
		Tag: tag, Type: "nyomtató", Model: "HP LaserJet M404", Building: "Főépület", Floor: "2. emelet", Room: "214",
		OwnerID: &owner,
	}); err != nil {
		t.Fatal(err)
	}

	b := startBrowser(t, chromium, base)
	b.shotsPerTest() // one folder per database: the runs take the same names

	// 1. The employee scans the label: the form already knows the printer.
	b.login("employee", "demo")
	res := b.open("/helpdesk/new?asset=" + tag)
	b.wantPage(res, 200, "/helpdesk/new")
	for sel, want := range map[string]string{"#f-asset_tag": tag, "#f-building": "Főépület", "#f-floor": "2. emelet", "#f-room": "214"} {
		if got := b.value(sel); got != want {
			b.fatalf("the report form from the label's link shows %s = %q; want %q", sel, got, want)
		}
	}
	if got := b.selectedText("#f-category_id"); got != "Printer" {
		b.fatalf("the report form for a printer preselects the category %q; want Printer", got)
	}
	b.do("type the title and choose how much it hinders",
		chromedp.SendKeys(chromedp.ID("f-title"), title),
		chromedp.Click(chromedp.CSS(`label[for="f-impact-hinders"]`)),
	)
	if !b.checked("#f-impact-hinders") {
		b.fatalf(`clicking "It hinders me" did not choose it`)
	}
	b.screenshot("helpdesk-report")
	b.overflowAt360("helpdesk-report")
	res = b.follow("send the report", chromedp.Click(chromedp.CSS(`form[action="/helpdesk/new"] .form-actions button[type="submit"]`)))
	b.wantPage(res, 200, `/helpdesk/tickets/\d+`)
	var tk helpdesk.Ticket
	if err := app.DB.R.Order("id DESC").First(&tk).Error; err != nil {
		t.Fatalf("no ticket after sending the report: %v", err)
	}
	if !regexp.MustCompile(`^IT-\d{5}$`).MatchString(tk.Number) || tk.Title != title || tk.Impact != helpdesk.ImpactHinders {
		t.Fatalf("the report saved %q %q (impact %s); want an IT number, the typed title and hinders", tk.Number, tk.Title, tk.Impact)
	}
	if msg := b.text(".flash-success"); !strings.Contains(msg, tk.Number) {
		b.fatalf("the message after reporting is %q; want the ticket number %s", msg, tk.Number)
	}
	if h := b.text(".page-head h1"); h != tk.Number+": "+title {
		b.fatalf("the ticket page is headed %q; want %q", h, tk.Number+": "+title)
	}
	if facts := b.text("main .card dl.kv"); !strings.Contains(facts, tag) || !strings.Contains(facts, "Főépület, 2. emelet, 214") {
		b.fatalf("the ticket's facts do not show the printer %s and its place: %q", tag, facts)
	}
	ticketPath := fmt.Sprintf("/helpdesk/tickets/%d", tk.ID)
	b.screenshot("helpdesk-ticket-reported")
	b.overflowAt360("helpdesk-ticket-reported")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// 2. IT takes it, resolves it with a word to the reporter and closes it.
	b.login("it", "demo")
	b.wantPage(b.open("/helpdesk/queue/it"), 200, "/helpdesk/queue/it")
	// The bulk-assign column is as narrow as its checkbox allows.
	if slack := evalJS[int](b, "measure the checkbox column", `(() => {
		const td = document.querySelector("table.list td.select"), box = td.querySelector("input").getBoundingClientRect();
		return Math.round(td.getBoundingClientRect().width - box.width);
	})()`); slack > helpdeskSelectSlack {
		b.fatalf("the queue's checkbox column is %d px wider than its checkbox; want at most %d", slack, helpdeskSelectSlack)
	}
	b.screenshot("helpdesk-queue")
	b.overflowAt360("helpdesk-queue")
	res = b.follow("open the ticket from the queue", chromedp.Click(chromedp.CSS(`td.row-title a[href="`+ticketPath+`"]`)))
	b.wantPage(res, 200, ticketPath)
	res = b.follow("take the ticket", chromedp.Click(chromedp.CSS(`form[action="`+ticketPath+`/take"] button[type="submit"]`)))
	b.wantPage(res, 200, ticketPath)
	if msg := b.text(".flash-success"); !strings.Contains(msg, "You took "+tk.Number) {
		b.fatalf("after taking the ticket the message is %q; want that you took %s", msg, tk.Number)
	}
	if got := b.text(".page-head .badge"); got != "Assigned" {
		b.fatalf("the taken ticket shows the state %q; want Assigned", got)
	}
	resolve := `form[action="` + ticketPath + `/resolve"]`
	b.do("choose how it was resolved and write to the reporter",
		chromedp.SetValue(chromedp.CSS(resolve+` #f-code`), helpdesk.ResolvedRepaired),
		chromedp.SendKeys(chromedp.CSS(resolve+` #f-comment`), "The fuser was worn; I replaced it."),
	)
	res = b.follow("mark it resolved", chromedp.Click(chromedp.CSS(resolve+` button[type="submit"]`)))
	b.wantPage(res, 200, ticketPath)
	if got := b.text(".page-head .badge"); got != "Resolved" {
		b.fatalf("after resolving the ticket shows the state %q; want Resolved", got)
	}
	if hist := b.text("main ol.stack"); !strings.Contains(hist, "The fuser was worn; I replaced it.") {
		b.fatalf("the history does not show the message to the reporter: %q", hist)
	}
	b.screenshot("helpdesk-ticket-resolved")
	res = b.follow("close the ticket", chromedp.Click(chromedp.CSS(`form[action="`+ticketPath+`/state"] button[name="to"][value="closed"]`)))
	b.wantPage(res, 200, ticketPath)
	if got := b.text(".page-head .badge"); got != "Closed" {
		b.fatalf("after closing the ticket shows the state %q; want Closed", got)
	}
	if facts := b.text("main .card dl.kv"); !strings.Contains(facts, "Closed · Repaired") {
		b.fatalf("the closed ticket's facts do not say how it was resolved: %q", facts)
	}
	if err := app.DB.R.First(&tk, tk.ID).Error; err != nil {
		t.Fatal(err)
	}
	if tk.SLABreached {
		t.Fatalf("a ticket closed minutes after it was reported is marked as breaching its SLA")
	}
	sla := evalJS[string](b, "read the service levels card", `(() => {
		const h = Array.from(document.querySelectorAll(".card h2")).find(h => h.innerText.trim() === "Service levels");
		return h ? h.closest(".card").innerText : "";
	})()`)
	if sla == "" {
		b.fatalf("the closed ticket's page has no Service levels card for IT")
	}
	if strings.Contains(sla, "Breached") || b.exists(".badge-danger") || !strings.Contains(sla, "Met") {
		b.fatalf("the service levels of a ticket handled at once read %q; want Met and no breach", sla)
	}
	b.screenshot("helpdesk-ticket-closed")
	b.overflowAt360("helpdesk-ticket-closed")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// 3. The closing mail asks the employee how it went: five one-click
	// scores and a link to comment. Each opens, signed out, the form with
	// its score chosen; a GET records nothing (mail scanners open every
	// link), only sending the form does.
	links := helpdeskRateLinks(t, app, tk)
	ratePath, _, _ := strings.Cut(links[0], "?")
	ratings := func() []helpdesk.Rating {
		var rs []helpdesk.Rating
		if err := app.DB.R.Find(&rs).Error; err != nil {
			t.Fatal(err)
		}
		return rs
	}
	res = b.open(links[0])
	b.wantPage(res, 200, ratePath)
	if b.exists(".topbar-user-name") {
		b.fatalf("the rating page shows someone signed in: %q", b.text(".topbar-user-name"))
	}
	if got := b.text(".login-card p.muted"); !strings.Contains(got, tk.Number) || !strings.Contains(got, title) {
		b.fatalf("the rating page names %q; want %s and its title", got, tk.Number)
	}
	if b.exists(`input[name="score"]:checked`) {
		b.fatalf("the mail's comment link opens the form with the score %s chosen; want none", b.value(`input[name="score"]:checked`))
	}
	b.do("choose 5 on the comment link's form", chromedp.Click(chromedp.CSS(`label[for="f-score-5"]`)))
	if !b.checked("#f-score-5") {
		b.fatalf("clicking the score 5 did not choose it")
	}
	const score = 4 // the mail's "satisfied" link
	scorePath := links[score]
	wantScore := func(lang string) {
		t.Helper()
		res := b.open(scorePath)
		b.wantPage(res, 200, ratePath)
		if got := b.attr("html", "lang"); got != lang {
			b.fatalf("the rating page of a reporter who reads %s is in %q", lang, got)
		}
		if got := evalJS[[]string](b, "read the chosen scores", `Array.from(document.querySelectorAll('input[name="score"]:checked')).map(i => i.value)`); len(got) != 1 || got[0] != fmt.Sprint(score) {
			b.fatalf("the mail's link %s opens the form with the scores %q chosen; want only %d", scorePath, got, score)
		}
		if rs := ratings(); len(rs) != 0 {
			t.Fatalf("opening the link %s recorded %d ratings; want none until the form is sent", scorePath, len(rs))
		}
	}
	wantScore("en")
	if h := evalJS[int](b, "measure the score rows", `Math.round(Math.min(...Array.from(document.querySelectorAll("#f-score .check label")).map(l => l.getBoundingClientRect().height)))`); h < 44 {
		b.fatalf("a score's label is %d px high; want at least a 44 px tap target", h)
	}
	b.screenshot("helpdesk-rate-score")
	b.overflowAt360("helpdesk-rate-score")
	// The page speaks the reporter's language: in Hungarian too.
	setLang := func(lang string) {
		t.Helper()
		if err := app.DB.W.Model(&people.Person{}).Where("id = ?", owner).Update("lang", lang).Error; err != nil {
			t.Fatal(err)
		}
	}
	setLang("hu")
	wantScore("hu")
	if h := b.text(".login-card h1"); h != "A hibajegy értékelése" {
		b.fatalf("the Hungarian rating page is headed %q", h)
	}
	b.screenshot("helpdesk-rate-score-hu")
	b.overflowAt360("helpdesk-rate-score-hu")
	setLang("en")
	wantScore("en")
	sig := b.value(`form[action^="/helpdesk/rate/"] input[name="sig"]`)
	b.do("write a comment", chromedp.SendKeys(chromedp.ID("f-comment"), "Quick and friendly, thank you!"))
	b.screenshot("helpdesk-rate")
	res = b.follow("send the rating", chromedp.Click(chromedp.CSS(`form[action^="/helpdesk/rate/"] button[type="submit"]`)))
	b.wantPage(res, 200, ratePath)
	if msg := b.text(".alert-success"); msg != "Thank you for your rating!" {
		b.fatalf("after rating the page says %q; want the thanks", msg)
	}
	if rs := ratings(); len(rs) != 1 || rs[0].TicketID != tk.ID || rs[0].Score != score || rs[0].Comment != "Quick and friendly, thank you!" {
		t.Fatalf("after rating the table holds %+v; want one rating of %s: %d with the comment", rs, tk.Number, score)
	}
	b.screenshot("helpdesk-rate-thanks")
	b.overflowAt360("helpdesk-rate-thanks")

	// 4. The form sent again (from a second tab, or the page kept before
	// it was sent) changes nothing and says the ticket is rated.
	res = b.postForm("send the same form again with another score", ratePath,
		[][2]string{{"sig", sig}, {"score", "1"}, {"comment", "Second thoughts"}})
	b.wantPage(res, 409, ratePath)
	if msg := b.text(".alert-info"); !strings.Contains(msg, "already been rated") {
		b.fatalf("sending the rating again says %q; want that it is already rated", msg)
	}
	if rs := ratings(); len(rs) != 1 || rs[0].Score != score || rs[0].Comment != "Quick and friendly, thank you!" {
		t.Fatalf("after the second send the table holds %+v; want the first rating alone", rs)
	}

	// 5. The links, opened again, say they are used up and show no form.
	for _, link := range []string{links[0], links[1], scorePath} {
		res = b.open(link)
		b.wantPage(res, 200, ratePath)
		if msg := b.text(".alert-info"); !strings.Contains(msg, "already been rated") {
			b.fatalf("opening the rating link %s again says %q; want that it is already rated", link, msg)
		}
		if b.exists(`form[action^="/helpdesk/rate/"]`) {
			b.fatalf("the rating link %s of a rated ticket still offers the form", link)
		}
	}
}

// helpdeskSelectSlack is how much wider than its checkbox the queue's
// bulk-assign column may be: its padding, 1rem before and .25rem after (the
// tables' 9rem first column once made it 124 px).
const helpdeskSelectSlack = 24

// helpdeskRateLinks are the paths of the rating links in the closing mail
// of tk to its reporter, the employee: by score, 0 for the comment link
// (the one without a score). The test fails unless all six are there.
func helpdeskRateLinks(t *testing.T, app *kapu.App, tk helpdesk.Ticket) map[int]string {
	t.Helper()
	re := regexp.MustCompile(`/helpdesk/rate/[A-Za-z0-9_-]+(?:\?score=(\d))?`)
	for _, m := range kaputest.MailsTo(t, app, "employee") {
		if !strings.Contains(m.Subject, tk.Number) {
			continue
		}
		links := map[int]string{}
		for _, sm := range re.FindAllStringSubmatch(m.Text, -1) {
			n := 0
			if sm[1] != "" {
				n = int(sm[1][0] - '0')
			}
			links[n] = sm[0]
		}
		if len(links) == 0 {
			continue
		}
		for n := 0; n <= 5; n++ {
			if links[n] == "" {
				t.Fatalf("the rating mail about %s has no link for score %d (0: the comment link): %v", tk.Number, n, links)
			}
		}
		return links
	}
	t.Fatalf("the employee has no mail about %s with a rating link", tk.Number)
	return nil
}

// overflowAt360 fails on sideways scrolling of the current page on a 360 px
// phone, where reporters open the QR label's link, then returns to the
// desktop window.
func (b *browser) overflowAt360(name string) {
	b.t.Helper()
	b.do("emulate a 360px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	wide := evalJS[int](b, "measure the page's width", `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
	b.screenshot(name + "-360")
	b.do("back to the desktop window", chromedp.EmulateViewport(1280, 900))
	if wide > 0 {
		b.fatalf("%s scrolls sideways at 360 px by %d px", name, wide)
	}
}
