package kaputest

import (
	"regexp"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/platform/web/webtest"
)

// Client is the test browser (webtest.Client) over the whole app.
type Client = webtest.Client

// NewClient is an anonymous visitor of app.
func NewClient(t testing.TB, app *kapu.App) *Client { return webtest.NewClient(t, app.Web.App) }

// SignedIn is a client signed in as username through the login form (every
// demo password is "demo").
func SignedIn(t testing.TB, app *kapu.App, username string) *Client {
	t.Helper()
	c := NewClient(t, app)
	c.Login(username, "demo")
	return c
}

// BookingFeedRe finds the path of the calendar feed link on My bookings.
var BookingFeedRe = regexp.MustCompile(`value="http://[^"]+(/bookings/feed/\d+/[0-9a-f]+\.ics)"`)

// LeaveFeedRe finds the calendar feed link on My leave.
var LeaveFeedRe = regexp.MustCompile(`/leave/feed/(\d+)/([0-9a-f]+)\.ics`)
