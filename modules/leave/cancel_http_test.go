package leave_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/history"
)

// request reads a leave request as it is now.
func request(t *testing.T, app *kapu.App, id uint) leave.Request {
	t.Helper()
	var r leave.Request
	if err := app.DB.R.First(&r, id).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// Withdrawing a request asks first on a page that says what will happen and
// changes nothing; the POST withdraws it and offers, for a short while, to
// submit the same dates again, which files a new request to the manager.
func TestLeaveCancelConfirmThenSubmitAgain(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		start := kaputest.WorkdayFrom(t, app, 10)
		end := kaputest.WorkdayOnOrAfter(t, app, start.AddDays(1))
		for _, y := range []int{start.Year, end.Year} {
			kaputest.Allocate(t, app, "employee", y, 20)
		}
		emp := kaputest.Person(t, app, "employee")
		req, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: end, Comment: "kirándulás"})
		if err != nil || req.Status != leave.StatusPending {
			t.Fatalf("Submit = %+v, %v; want a pending request", req, err)
		}
		c := kaputest.SignedIn(t, app, "employee")
		page := fmt.Sprintf("/leave/requests/%d", req.ID)
		if _, body := c.Get(page); !strings.Contains(body, `href="`+page+`/cancel"`) {
			t.Errorf("the request page has no link to %s/cancel", page)
		}
		res, body := c.Get(page + "/cancel")
		for _, want := range []string{"Withdraw the request for", "2 working days", "no longer asked", "Yes, withdraw it", `action="` + page + `/cancel"`, `href="` + page + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s/cancel = %d; want %q on the page", page, res.StatusCode, want)
			}
		}
		if r := request(t, app, req.ID); r.Status != leave.StatusPending {
			t.Fatalf("after the confirmation page the request is %s; want pending", r.Status)
		}

		if res, _ := c.Post(page+"/cancel", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s/cancel = %d; want 303", page, res.StatusCode)
		}
		if r := request(t, app, req.ID); r.Status != leave.StatusCancelled {
			t.Fatalf("after the POST the request is %s; want cancelled", r.Status)
		}
		resubmit := page + "/resubmit"
		if _, body := c.Get(page); !strings.Contains(body, `action="`+resubmit+`"`) || !strings.Contains(body, "Submit again") {
			t.Fatalf("the message after withdrawing offers no Submit again posting to %s", resubmit)
		}
		res, _ = c.Post(resubmit, nil)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || loc == page {
			t.Fatalf("POST %s = %d to %q; want 303 to the new request", resubmit, res.StatusCode, loc)
		}
		var again leave.Request
		app.DB.R.Where("person_id = ? AND status = ?", emp.ID, leave.StatusPending).Order("id DESC").First(&again)
		if again.ID == 0 || again.ID == req.ID || again.StartDate != start || again.EndDate != end || again.Comment != "kirándulás" {
			t.Fatalf("the request submitted again = %+v; want a new pending one with the same dates and comment", again)
		}
		if _, body := kaputest.SignedIn(t, app, "manager").Get("/approvals"); !strings.Contains(body, emp.Name) {
			t.Errorf("the manager's inbox does not list the request submitted again")
		}
		entries, _ := history.Of(app.DB.R, leave.HistoryEntity, req.ID)
		if last := entries[len(entries)-1]; last.Action != "resubmitted" {
			t.Errorf("the old request's last timeline line = %s; want resubmitted", last.Action)
		}
		// Once is enough: the old request cannot be submitted a second time.
		c.Get(page)
		c.Post(resubmit, nil)
		if _, body := c.Get(page); !strings.Contains(body, "cannot be undone") {
			t.Errorf("a second Submit again does not say it cannot be undone")
		}

		// Withdrawn again, but too late to undo.
		next := fmt.Sprintf("/leave/requests/%d", again.ID)
		c.Get(next + "/cancel")
		c.Post(next+"/cancel", nil)
		app.Leave.SetClock(func() time.Time { return time.Now().UTC().Add(leave.UndoWindow + time.Minute) })
		c.Post(next+"/resubmit", nil)
		app.Leave.SetClock(func() time.Time { return time.Now().UTC() })
		if _, body := c.Get(next); !strings.Contains(body, "Too late to undo") {
			t.Errorf("a late Submit again does not say it is too late")
		}
		var n int64
		app.DB.R.Model(&leave.Request{}).Where("person_id = ? AND status = ?", emp.ID, leave.StatusPending).Count(&n)
		if n != 0 {
			t.Errorf("pending requests after the late undo = %d; want 0", n)
		}
	})
}

// HR cancelling approved leave is told the days go back; its undo records
// the same dates again, approved at once as HR's requests are.
func TestLeaveHRCancelThenSubmitAgain(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		start := kaputest.WorkdayFrom(t, app, 12)
		kaputest.Allocate(t, app, "employee", start.Year, 20)
		emp := kaputest.Person(t, app, "employee")
		hr := kaputest.Person(t, app, "hr")
		req, err := app.Leave.Submit(ctx, hr.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start})
		if err != nil || req.Status != leave.StatusApproved {
			t.Fatalf("HR's Submit = %+v, %v; want approved leave", req, err)
		}
		c := kaputest.SignedIn(t, app, "hr")
		page := fmt.Sprintf("/leave/requests/%d", req.ID)
		res, body := c.Get(page + "/cancel")
		if res.StatusCode != 200 || !strings.Contains(body, "Cancel the approved") || !strings.Contains(body, emp.Name) || !strings.Contains(body, "back to the balance") {
			t.Errorf("HR's confirmation page = %d; want it to name %s and say the day goes back to the balance", res.StatusCode, emp.Name)
		}
		c.Post(page+"/cancel", nil)
		if r := request(t, app, req.ID); r.Status != leave.StatusCancelled {
			t.Fatalf("after HR's cancellation the leave is %s; want cancelled", r.Status)
		}
		c.Get(page)
		if res, _ := c.Post(page+"/resubmit", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HR's Submit again = %d; want 303", res.StatusCode)
		}
		var again leave.Request
		app.DB.R.Where("person_id = ? AND id <> ?", emp.ID, req.ID).Order("id DESC").First(&again)
		if again.Status != leave.StatusApproved || again.StartDate != start {
			t.Errorf("HR's request submitted again = %+v; want approved on %s", again, start)
		}
	})
}

// HR withdrawing someone's own pending request and undoing it sends the
// request to the manager again: an undo never approves what was only asked.
func TestLeaveHRUndoesAWithdrawal(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := leaveType(t, app, "annual")
		start := kaputest.WorkdayFrom(t, app, 12)
		kaputest.Allocate(t, app, "employee", start.Year, 20)
		emp := kaputest.Person(t, app, "employee")
		req, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start})
		if err != nil || req.Status != leave.StatusPending {
			t.Fatalf("the employee's Submit = %+v, %v; want a pending request", req, err)
		}
		c := kaputest.SignedIn(t, app, "hr")
		page := fmt.Sprintf("/leave/requests/%d", req.ID)
		c.Get(page + "/cancel")
		c.Post(page+"/cancel", nil)
		c.Get(page)
		if res, _ := c.Post(page+"/resubmit", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HR's undo = %d; want 303", res.StatusCode)
		}
		var again leave.Request
		app.DB.R.Where("person_id = ? AND id <> ?", emp.ID, req.ID).Order("id DESC").First(&again)
		if again.Status != leave.StatusPending || again.CreatedBy != emp.ID {
			t.Errorf("the withdrawn request submitted again by HR = %s, filed by %d; want pending, filed by the employee (%d)", again.Status, again.CreatedBy, emp.ID)
		}
	})
}
