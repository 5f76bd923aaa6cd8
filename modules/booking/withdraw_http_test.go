package booking_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
)

// Cancelling a booking that still waits for approval withdraws the request in
// the same transaction: the approver's inbox no longer lists it and the link
// in their email says it was withdrawn.
func TestBookingCancelWithdrawsApproval(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		car := demoCar(t, app, "ABC-123")
		tests := []struct {
			name, kind, approver, path, what string
			form                             url.Values
		}{
			{"car request", booking.KindCarApproval, "manager", "/bookings/cars/new", car.Name, carForm(app, car, 2, "08:00", "12:00")},
			{"room that needs approval", booking.KindRoomApproval, "facilities", "/bookings/new", room.Name, url.Values{
				"resource": {fmt.Sprint(room.ID)}, "day": {kaputest.WorkdayFrom(t, app, 2).String()}, "from": {"13:00"}, "to": {"14:00"},
				"title": {"Előkészítő"}, "attendees": {"4"}}},
		}
		for _, tt := range tests {
			emp := kaputest.SignedIn(t, app, "employee")
			emp.Get(tt.path)
			if res, body := emp.Post(tt.path, tt.form); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: booking = %d\n%s", tt.name, res.StatusCode, body)
			}
			b := lastMain(t, app, "employee")
			if b.Status != booking.StatusHold {
				t.Fatalf("%s: booking = %s; want held", tt.name, b.Status)
			}
			mails := kaputest.MailsTo(t, app, tt.approver)
			if len(mails) == 0 {
				t.Fatalf("%s: %s got no approval mail", tt.name, tt.approver)
			}
			approve, _ := kaputest.Links(t, mails[len(mails)-1])
			approver := kaputest.SignedIn(t, app, tt.approver)
			if _, inbox := approver.Get("/approvals"); !strings.Contains(inbox, tt.what) {
				t.Fatalf("%s: the approver's inbox does not list the request before the cancellation", tt.name)
			}

			emp.Get("/bookings/mine")
			if res, _ := emp.Post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: cancel = %d; want 303", tt.name, res.StatusCode)
			}
			req := approvalOf(t, app, tt.kind, b)
			if req.Status != approval.StatusWithdrawn {
				t.Errorf("%s: request after the cancellation = %s; want withdrawn", tt.name, req.Status)
			}
			if _, inbox := approver.Get("/approvals"); strings.Contains(inbox, tt.what) {
				t.Errorf("%s: the approver's inbox still lists the cancelled request", tt.name)
			}
			res, page := kaputest.NewClient(t, app).Get(approve)
			if res.StatusCode != 200 || !strings.Contains(page, "Withdrawn") || strings.Contains(page, `name="sig"`) {
				t.Errorf("%s: the email link = %d; want a page saying the request was withdrawn, with no button", tt.name, res.StatusCode)
			}
		}
	})
}
