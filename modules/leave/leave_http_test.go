package leave_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/people"
)

// leaveType finds a leave type by code.
func leaveType(t testing.TB, app *kapu.App, code string) leave.Type {
	t.Helper()
	types, err := app.Leave.Types(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range types {
		if ty.Code == code {
			return ty
		}
	}
	t.Fatalf("no leave type %q", code)
	return leave.Type{}
}

// monday returns the Monday of the week-th week of a month.
func monday(year int, month time.Month, week int) calendar.Date {
	first := calendar.NewDate(year, month, 1)
	return first.AddDays((8-int(first.Weekday()))%7 + 7*(week-1))
}

func d(t *testing.T, s string) calendar.Date { return kaputest.MustDate(t, s) }

func TestLeaveDayCounting(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	annual := leaveType(t, app, "annual")
	emp := kaputest.Person(t, app, "employee")
	kaputest.Allocate(t, app, "employee", 2026, 25)
	kaputest.Allocate(t, app, "employee", 2027, 25)
	tests := []struct {
		start, end         string
		startHalf, endHalf bool
		want               float64
		wantErr            error
	}{
		{"2026-03-09", "2026-03-13", false, false, 5, nil},                 // a plain week
		{"2027-03-15", "2027-03-19", false, false, 4, nil},                 // 15 March 2027, a Monday, is the national day
		{"2026-03-13", "2026-03-16", false, false, 2, nil},                 // Friday to Monday over a weekend
		{"2026-04-02", "2026-04-07", false, false, 2, nil},                 // Good Friday and Easter Monday are off
		{"2026-01-08", "2026-01-12", false, false, 4, nil},                 // Saturday 10 January is a moved working day in the demo
		{"2026-01-02", "2026-01-02", false, false, 0, leave.ErrNoWorkdays}, // the demo's bridge day off
		{"2026-03-10", "2026-03-10", true, false, 0.5, nil},                // an afternoon
		{"2026-03-10", "2026-03-12", true, true, 2, nil},                   // afternoon … morning
		{"2026-12-28", "2027-01-05", false, false, 6, nil},                 // across the new year (1 Jan off, 24–26 Dec before)
		{"2026-03-27", "2026-03-30", false, false, 2, nil},                 // over the spring DST weekend: Friday and Monday
		{"2026-10-23", "2026-10-26", false, false, 1, nil},                 // 23 October is a holiday; the autumn DST Sunday; Monday
		{"2026-03-14", "2026-03-15", false, false, 0, leave.ErrNoWorkdays},
		{"2026-03-12", "2026-03-10", false, false, 0, leave.ErrReversed},
		{"2030-03-10", "2030-03-10", false, false, 0, leave.ErrOutsideWindow},
	}
	for _, tt := range tests {
		q, err := app.Leave.Quote(ctx, emp.ID, leave.RequestInput{TypeID: annual.ID, Start: d(t, tt.start), End: d(t, tt.end), StartHalf: tt.startHalf, EndHalf: tt.endHalf})
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Quote(%s…%s) error = %v; want %v", tt.start, tt.end, err, tt.wantErr)
			}
			continue
		}
		if err != nil || float64(q.Halves)/2 != tt.want {
			t.Errorf("Quote(%s…%s, %v, %v) = %v days, %v; want %v", tt.start, tt.end, tt.startHalf, tt.endHalf, float64(q.Halves)/2, err, tt.want)
		}
	}
	// Across the new year each year's allowance pays its own days.
	q, _ := app.Leave.Quote(ctx, emp.ID, leave.RequestInput{TypeID: annual.ID, Start: d(t, "2026-12-28"), End: d(t, "2027-01-05")})
	if q.PerYear[2026] != 4*2 || q.PerYear[2027] != 2*2 || q.After[2026] != 21*2 || q.After[2027] != 23*2 {
		t.Errorf("year split = %v, after %v; want 4 days in 2026 and 2 in 2027, leaving 21 and 23", q.PerYear, q.After)
	}
}

func TestLeaveLedgerThroughApproval(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		emp := kaputest.Person(t, app, "employee")
		mgr := kaputest.Person(t, app, "manager").Actor()
		kaputest.Allocate(t, app, "employee", 2026, 20)
		kaputest.Allocate(t, app, "employee", 2027, 22)

		req, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: d(t, "2026-12-28"), End: d(t, "2027-01-05")})
		if err != nil {
			t.Fatal(err)
		}
		if req.Status != leave.StatusPending || req.ApprovalID == nil {
			t.Fatalf("annual leave status %s approval %v; want pending with an approval", req.Status, req.ApprovalID)
		}
		f26, _ := app.Leave.Figures(ctx, emp.ID, 2026)
		if f26.Pending != 8 || f26.Remaining != 40 || f26.Available != 32 {
			t.Errorf("2026 while pending = %+v; want 4 days pending, 20 left, 16 available", f26)
		}
		// A second request that would exceed what is left (counting the pending one) is refused.
		if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: annual.ID, Start: d(t, "2026-06-01"), End: d(t, "2026-06-23")}); !errors.Is(err, leave.ErrInsufficientBalance) {
			t.Errorf("17 working days with 16 available: %v; want insufficient balance", err)
		}
		if _, err := app.Approval.Decide(ctx, mgr, approval.Decision{RequestID: *req.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		var entries []leave.Entry
		app.DB.R.Where("request_id = ?", req.ID).Order("year").Find(&entries)
		if len(entries) != 2 || entries[0].Year != 2026 || entries[0].Halves != -8 || entries[1].Year != 2027 || entries[1].Halves != -4 {
			t.Errorf("ledger after approval = %+v; want usage of 4 days in 2026 and 2 in 2027", entries)
		}
		f27, _ := app.Leave.Figures(ctx, emp.ID, 2027)
		if f27.Remaining != 40 {
			t.Errorf("2027 remaining = %v; want 20 days", float64(f27.Remaining)/2)
		}
		if drift, err := app.Leave.CheckBalances(ctx); err != nil || len(drift) != 0 {
			t.Errorf("balances drifted from the ledger: %+v %v", drift, err)
		}
		// The request's timeline names the manager who approved it, not the engine.
		tl, err := history.Of(app.DB.R, leave.HistoryEntity, req.ID)
		if err != nil || len(tl) < 2 || tl[0].Action != "submitted" || tl[0].ActorName != emp.Name ||
			tl[len(tl)-1].To != leave.StatusApproved || tl[len(tl)-1].ActorName != kaputest.Person(t, app, "manager").Name {
			t.Errorf("timeline after approval = %+v %v; want submitted by the employee, then approved by the manager", tl, err)
		}
		// HR got an email about approved leave; the employee got the outcome.
		if n := len(kaputest.MailsTo(t, app, "hr")); n != 1 {
			t.Errorf("HR mails = %d; want 1", n)
		}
		// HR cancels it: the days come back in both years.
		if _, err := app.Leave.Cancel(ctx, kaputest.Person(t, app, "hr").Actor(), req.ID); err != nil {
			t.Fatal(err)
		}
		f26, _ = app.Leave.Figures(ctx, emp.ID, 2026)
		f27, _ = app.Leave.Figures(ctx, emp.ID, 2027)
		if f26.Remaining != 40 || f27.Remaining != 44 {
			t.Errorf("after cancellation remaining = %v / %v; want all days back", f26.Remaining, f27.Remaining)
		}
		if drift, _ := app.Leave.CheckBalances(ctx); len(drift) != 0 {
			t.Errorf("balances drifted after cancellation: %+v", drift)
		}
	})
}

// pastOK confirms a request whose fixed 2026 dates may be before today by now;
// the warning itself is TestLeavePastStart's.
func pastOK(in leave.RequestInput) leave.RequestInput {
	in.PastConfirmed = true
	return in
}

func TestLeaveRules(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	annual, sick := leaveType(t, app, "annual"), leaveType(t, app, "sick")
	emp := kaputest.Person(t, app, "employee")
	kaputest.Allocate(t, app, "employee", 2026, 20)
	if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: annual.ID, Start: d(t, "2026-05-04"), End: d(t, "2026-05-08")}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   leave.RequestInput
		want error
	}{
		{"overlapping a pending request", leave.RequestInput{TypeID: annual.ID, Start: d(t, "2026-05-08"), End: d(t, "2026-05-11")}, leave.ErrOverlap},
		{"half days on a type without them", leave.RequestInput{TypeID: sick.ID, Start: d(t, "2026-06-01"), End: d(t, "2026-06-01"), StartHalf: true}, leave.ErrHalfDays},
		{"an unknown type", leave.RequestInput{TypeID: 9999, Start: d(t, "2026-06-01"), End: d(t, "2026-06-01")}, leave.ErrUnknownType},
	}
	for _, c := range cases {
		if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, pastOK(c.in)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v; want %v", c.name, err, c.want)
		}
	}
	// A type that allows a negative balance lets the days go below zero.
	unpaid := leaveType(t, app, "unpaid")
	app.DB.W.Model(&leave.Type{}).Where("id = ?", annual.ID).Update("allow_negative", true)
	if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: annual.ID, Start: d(t, "2026-06-01"), End: d(t, "2026-07-03")}); err != nil {
		t.Errorf("25 days on a 20-day allowance of a type allowing negative balances: %v; want accepted", err)
	}
	app.DB.W.Model(&leave.Type{}).Where("id = ?", annual.ID).Update("allow_negative", false)
	if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: annual.ID, Start: d(t, "2026-09-01"), End: d(t, "2026-09-01")}); !errors.Is(err, leave.ErrInsufficientBalance) {
		t.Errorf("one more day with none left: %v; want insufficient balance", err)
	}
	if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: unpaid.ID, Start: d(t, "2026-09-01"), End: d(t, "2026-09-01")}); err != nil {
		t.Errorf("unpaid leave (not counted) with no days left: %v; want accepted", err)
	}

	// Someone else cannot file leave for a colleague; HR can, approved at once.
	colleague := kaputest.Person(t, app, "lakatos.bence")
	if _, err := app.Leave.Submit(ctx, emp.Actor(), colleague.ID, leave.RequestInput{TypeID: sick.ID, Start: d(t, "2026-06-01"), End: d(t, "2026-06-02")}); !errors.Is(err, leave.ErrForbidden) {
		t.Errorf("filing for a colleague: %v; want forbidden", err)
	}
	r, err := app.Leave.Submit(ctx, kaputest.Person(t, app, "hr").Actor(), colleague.ID, leave.RequestInput{TypeID: sick.ID, Start: d(t, "2026-06-01"), End: d(t, "2026-06-02")})
	if err != nil || r.Status != leave.StatusApproved {
		t.Errorf("HR recording sick leave: %v, %v; want approved at once", r, err)
	}
	// The database itself refuses an overlapping active request, whatever the code checked.
	err = app.DB.W.Create(&leave.Request{PersonID: emp.ID, TypeID: annual.ID, StartDate: d(t, "2026-05-06"), EndDate: d(t, "2026-05-06"), Halves: 2, Status: leave.StatusApproved, CreatedBy: emp.ID}).Error
	if err == nil {
		t.Errorf("a raw overlapping insert passed the database")
	}
}

// Two overlapping requests sent at once: exactly one is created.
func TestLeaveConcurrentOverlap(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		emp := kaputest.Person(t, app, "employee")
		kaputest.Allocate(t, app, "employee", 2026, 20)
		const n = 6
		var wg sync.WaitGroup
		errs := make(chan error, n)
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{PastConfirmed: true, TypeID: annual.ID, Start: d(t, "2026-09-07").AddDays(i % 2), End: d(t, "2026-09-10")})
				errs <- err
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		created := 0
		for err := range errs {
			switch {
			case err == nil:
				created++
			case !errors.Is(err, leave.ErrOverlap):
				t.Errorf("a losing request got %v; want the overlap message", err)
			}
		}
		if created != 1 {
			t.Errorf("%d overlapping requests were created; want exactly 1", created)
		}
	})
}

func TestLeaveCarryOverAndExpiry(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	annual := leaveType(t, app, "annual")
	emp := kaputest.Person(t, app, "employee")
	sys := kaputest.Person(t, app, "hr").Actor()
	kaputest.Allocate(t, app, "employee", 2026, 20)
	r, err := app.Leave.Submit(ctx, sys, emp.ID, leave.RequestInput{TypeID: annual.ID, Start: d(t, "2026-07-06"), End: d(t, "2026-07-10")})
	if err != nil || r.Status != leave.StatusApproved {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second run must move nothing more
		if _, err := app.Leave.CarryOver(ctx, sys, emp.ID, 2026); err != nil {
			t.Fatal(err)
		}
	}
	f26, _ := app.Leave.Figures(ctx, emp.ID, 2026)
	f27, _ := app.Leave.Figures(ctx, emp.ID, 2027)
	if f26.Remaining != 0 || f27.Carried != 30 || f27.CarryExpiry != d(t, "2027-03-31") {
		t.Errorf("after carry-over: 2026 left %d, 2027 carried %d until %v; want 0, 15 days until 31 March", f26.Remaining, f27.Carried, f27.CarryExpiry)
	}
	// 3 carried days used before the expiry; 12 expire, once.
	if _, err := app.Leave.Submit(ctx, sys, emp.ID, leave.RequestInput{TypeID: annual.ID, Start: d(t, "2027-03-03"), End: d(t, "2027-03-05")}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := app.Leave.ExpireCarryOver(ctx, sys, emp.ID, 2027); err != nil {
			t.Fatal(err)
		}
	}
	f27, _ = app.Leave.Figures(ctx, emp.ID, 2027)
	if f27.Expired != 24 || f27.Remaining != 0 {
		t.Errorf("after expiry: expired %v left %v; want 12 expired, 0 left", float64(f27.Expired)/2, float64(f27.Remaining)/2)
	}
	if drift, _ := app.Leave.CheckBalances(ctx); len(drift) != 0 {
		t.Errorf("balances drifted: %+v", drift)
	}
	// Pro-rata: joining on 1 July gives about half the year.
	if got := leave.ProRata(40, 2026, d(t, "2026-07-01"), calendar.Date{}); got != 20 {
		t.Errorf("ProRata(20 days, from 1 July) = %v; want 10 days", float64(got)/2)
	}
}

func TestLeaveAwayRoutesToDeputy(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	kaputest.RegisterClaims(t, app)
	ctx := context.Background()
	mgr := kaputest.Person(t, app, "manager")
	deputy := kaputest.Person(t, app, "lakatos.bence")
	app.DB.W.Model(mgr).Update("deputy_id", deputy.ID)
	today := calendar.Today(app.Cfg.TZ)
	kaputest.Allocate(t, app, "manager", today.Year, 20)
	start := today
	for ok, _ := app.Calendar.IsWorkday(ctx, start); !ok; ok, _ = app.Calendar.IsWorkday(ctx, start) {
		start = start.AddDays(1)
	}
	if today.Year != start.Year {
		kaputest.Allocate(t, app, "manager", start.Year, 20)
	}
	sick := leaveType(t, app, "sick")
	if _, err := app.Leave.Submit(ctx, kaputest.Person(t, app, "hr").Actor(), mgr.ID, leave.RequestInput{TypeID: sick.ID, Start: today, End: start.AddDays(3)}); err != nil {
		t.Fatal(err)
	}
	if away, _ := app.Leave.Away(ctx, mgr.ID, today); !away {
		t.Fatalf("the manager on approved sick leave is not away")
	}
	kaputest.SubmitClaim(t, app, "employee", "Books", "manager")
	if n := len(kaputest.MailsTo(t, app, "lakatos.bence")); n != 1 {
		t.Errorf("deputy mails while the manager is on leave = %d; want 1", n)
	}
}

func TestLeavePagesAndBadInput(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	annual := leaveType(t, app, "annual")
	year := calendar.Today(app.Cfg.TZ).Year
	kaputest.Allocate(t, app, "employee", year, 20)
	c := kaputest.SignedIn(t, app, "employee")
	if _, body := c.Get("/leave"); !strings.Contains(body, "Days left") || !strings.Contains(body, ">20<") {
		t.Errorf("My leave does not show 20 days left")
	}
	c.Get("/leave/new")
	form := url.Values{"type_id": {fmt.Sprint(annual.ID)}, "start": {fmt.Sprintf("%d-10-12", year+1)}, "end": {fmt.Sprintf("%d-10-05", year+1)}, "comment": {"autumn"}, "action": {"send"}}
	res, body := c.Post("/leave/new", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The last day is before the first day.") || !strings.Contains(body, "autumn") {
		t.Errorf("reversed dates = %d; want 422 with the message and the comment kept", res.StatusCode)
	}
	form.Set("type_id", "abc")
	if res, _ := c.Post("/leave/new", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a tampered type = %d; want 422", res.StatusCode)
	}
	start := time.Date(year, time.November, 2, 0, 0, 0, 0, time.UTC)
	for start.Weekday() != time.Tuesday {
		start = start.AddDate(0, 0, 1)
	}
	// Early November may be past already: the employee ticks "send anyway" (see TestLeavePastStart).
	form = url.Values{"type_id": {fmt.Sprint(annual.ID)}, "start": {start.Format("2006-01-02")}, "end": {start.AddDate(0, 0, 2).Format("2006-01-02")}, "past_ok": {"on"}, "action": {"check"}}
	res, body = c.Post("/leave/new", form)
	if res.StatusCode != 200 || !strings.Contains(body, "working days") {
		t.Errorf("checking the days = %d; want the cost shown", res.StatusCode)
	}
	form.Set("action", "send")
	res, _ = c.Post("/leave/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending = %d; want 303", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	if res, body := c.Get(loc); !strings.Contains(body, "Waiting for approval") {
		t.Logf("status %d", res.StatusCode)
		t.Errorf("the request page %s does not say it waits for approval:\n%s", loc, body)
	}
	// Someone else's request: not found or forbidden, never shown.
	o := kaputest.SignedIn(t, app, "lakatos.bence")
	if res, _ := o.Get(loc); res.StatusCode != http.StatusForbidden {
		t.Errorf("a colleague opening the request = %d; want 403", res.StatusCode)
	}
	o.Get("/leave")
	if res, _ := o.Post(loc+"/cancel", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a colleague cancelling the request = %d; want 403", res.StatusCode)
	}
	// The owner withdraws it at once.
	c.Get(loc)
	c.Post(loc+"/cancel", nil)
	if _, body := c.Get(loc); !strings.Contains(body, "Cancelled") {
		t.Errorf("after withdrawing, the request is not cancelled")
	}
}

// The demo makes every leave screen look alive: balances, leave behind and
// ahead, and requests waiting for the demo manager.
func TestLeaveDemoData(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite", kaputest.WithHistory())
	ctx := context.Background()
	emp := kaputest.Person(t, app, "employee")
	f, err := app.Leave.Figures(ctx, emp.ID, calendar.Today(app.Cfg.TZ).Year)
	if err != nil {
		t.Fatal(err)
	}
	if f.Allocated == 0 || f.Taken == 0 || f.Carried == 0 {
		t.Errorf("the demo employee's year = %+v; want an allocation, carried days and leave taken", f)
	}
	items, err := app.Approval.Inbox(ctx, kaputest.Person(t, app, "manager").ID)
	if err != nil || len(items) < 2 {
		t.Errorf("the demo manager has %d requests waiting (%v); want several", len(items), err)
	}
	if drift, _ := app.Leave.CheckBalances(ctx); len(drift) != 0 {
		t.Errorf("demo balances drifted from the ledger: %+v", drift)
	}
}

// Approved leave that has not started can be cancelled with the manager's
// agreement; the days come back only when the manager agrees.
func TestLeaveCancelApprovedLeave(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		emp := kaputest.Person(t, app, "employee")
		mgr := kaputest.Person(t, app, "manager").Actor()
		year := calendar.Today(app.Cfg.TZ).Year + 1
		kaputest.Allocate(t, app, "employee", year, 20)
		start := monday(year, time.May, 2)
		req, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start.AddDays(4)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Approval.Decide(ctx, mgr, approval.Decision{RequestID: *req.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		left := func() int { f, _ := app.Leave.Figures(ctx, emp.ID, year); return f.Remaining }
		if left() != 30 {
			t.Fatalf("after approval %v days left; want 15", float64(left())/2)
		}
		for _, agree := range []bool{false, true} {
			r, err := app.Leave.Cancel(ctx, emp.Actor(), req.ID)
			if err != nil || r.Status != leave.StatusCancelRequested {
				t.Fatalf("asking to cancel: %v %v; want a cancellation request", r, err)
			}
			if left() != 30 {
				t.Errorf("days came back before the manager agreed")
			}
			d := approval.Decision{RequestID: *r.ApprovalID, Approve: agree}
			if !agree {
				d.Comment = "we need you that week"
			}
			if _, err := app.Approval.Decide(ctx, mgr, d); err != nil {
				t.Fatal(err)
			}
			got, _ := app.Leave.Request(ctx, emp.Actor(), req.ID)
			want, wantLeft := leave.StatusApproved, 30
			if agree {
				want, wantLeft = leave.StatusCancelled, 40
			}
			if got.Status != want || left() != wantLeft {
				t.Errorf("manager agrees=%v: status %s, %v days left; want %s and %v", agree, got.Status, float64(left())/2, want, float64(wantLeft)/2)
			}
		}
	})
}

// The approver sees who else in the team is away then, and the team's staffing note.
func TestLeaveApproverSeesTeamContext(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	annual := leaveType(t, app, "annual")
	year := calendar.Today(app.Cfg.TZ).Year + 1
	kaputest.Allocate(t, app, "employee", year, 20)
	kaputest.Allocate(t, app, "lakatos.bence", year, 20)
	emp := kaputest.Person(t, app, "employee")
	app.DB.W.Model(&people.Department{}).Where("id = ?", *emp.DepartmentID).Update("staffing_note", "two clerks at the desk")
	start := monday(year, time.June, 2)
	if _, err := app.Leave.Submit(ctx, kaputest.Person(t, app, "hr").Actor(), kaputest.Person(t, app, "lakatos.bence").ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start.AddDays(4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start.AddDays(2), End: start.AddDays(8)}); err != nil {
		t.Fatal(err)
	}
	mails := kaputest.MailsTo(t, app, "manager")
	if len(mails) != 1 {
		t.Fatalf("manager mails = %d; want 1", len(mails))
	}
	for _, want := range []string{"Also away from the team: Lakatos Bence", "Minimum staffing: two clerks at the desk", "Left in " + fmt.Sprint(year) + " after approval: 15"} {
		if !strings.Contains(mails[0].Text, want) {
			t.Errorf("the approval mail lacks %q:\n%s", want, mails[0].Text)
		}
	}
}
